import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { stringify } from 'yaml';

import {
    formatMappingProblems,
    loadMappingFile,
    loadMappingFileOrThrow,
    MappingConfigError,
    parseMappingText,
    type MappingProblem
} from './load';
import type { MappingFileInput } from './schema';

const repositoryRoot = resolve(__dirname, '..', '..', '..', '..');
const shippedMappingPath = join(repositoryRoot, 'config', 'sync-mapping.yaml');

/** A small valid mapping; tests change one thing at a time. */
function minimalMapping(): MappingFileInput {
    return {
        version: 1,
        records: [
            {
                id: 'lead_to_contact',
                salesforceObject: 'Lead',
                hubspotObjectType: 'contacts',
                fields: [{ salesforce: 'Email', hubspot: 'email', rule: 'two_way' }]
            }
        ]
    };
}

function problemsOf(input: unknown): MappingProblem[] {
    const result = parseMappingText(stringify(input), 'mapping.yaml');
    if (result.ok) throw new Error('expected problems');
    return result.problems;
}

describe('the shipped mapping', () => {
    it('loads and covers the standard pairs', () => {
        const mapping = loadMappingFileOrThrow(shippedMappingPath);
        expect(mapping.records.map((record) => `${record.salesforceObject}->${record.hubspotObjectType}`)).toEqual([
            'Lead->contacts',
            'Contact->contacts',
            'Account->companies',
            'Opportunity->deals'
        ]);
        expect(mapping.associations.map((association) => association.id)).toEqual([
            'contact_company',
            'deal_company',
            'deal_contact'
        ]);
        expect(mapping.activities.map((activity) => activity.salesforceObject)).toEqual(['Task', 'Event']);
        expect(mapping.records.filter((record) => record.create.toSalesforce).map((record) => record.id)).toEqual([
            'lead_to_contact',
            'account_to_company'
        ]);
    });

    it('points editors at the generated schema', () => {
        expect(readFileSync(shippedMappingPath, 'utf8').split('\n')[0]).toBe(
            '# yaml-language-server: $schema=./sync-mapping.schema.json'
        );
    });

    it('has a committed JSON Schema identical to what `npm run mapping:schema` generates', () => {
        // A child process because Prettier (which formats the schema) needs ESM loading that Jest lacks.
        const tsxCli = join(repositoryRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs');
        const result = spawnSync(process.execPath, [tsxCli, 'server/scripts/mapping-schema-export.ts', '--check'], {
            cwd: repositoryRoot,
            encoding: 'utf8'
        });
        expect(result.stderr).toBe('');
        expect(result.status).toBe(0);
    });
});

describe('parseMappingText', () => {
    it('applies defaults', () => {
        const result = parseMappingText(stringify(minimalMapping()), 'mapping.yaml');
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        const [record] = result.mapping.records;
        expect(record.enabled).toBe(true);
        expect(record.create).toEqual({ toHubSpot: true, toSalesforce: false });
        expect(record.delete).toBe('ignore');
        expect(record.identity.match).toBe('none');
        expect(record.fields[0].owner).toBe(false);
        expect(result.mapping.identity.duplicatePolicy).toBe('most_recently_updated');
        expect(result.mapping.lifecycle.forwardOnly).toBe(true);
    });

    it('reports every problem at once, each with its line', () => {
        const text = [
            'version: 1',
            'records:',
            '  - id: lead_to_contact',
            '    salesforceObject: Lead',
            '    hubspotObjectType: contacts',
            '    delete: shred',
            '    fields:',
            '      - { salesforce: Email, hubspot: email, rule: sometimes }',
            '      - { salesforce: "Bad Name", hubspot: Email, rule: two_way }',
            ''
        ].join('\n');
        const result = parseMappingText(text, 'config/sync-mapping.yaml');
        expect(result.ok).toBe(false);
        if (result.ok) return;
        const byPath = Object.fromEntries(result.problems.map((problem) => [problem.path, problem]));
        expect(byPath['records.0.delete']).toMatchObject({ line: 6, source: 'config/sync-mapping.yaml' });
        expect(byPath['records.0.fields.0.rule']).toMatchObject({ line: 8 });
        expect(byPath['records.0.fields.1.salesforce']).toMatchObject({ line: 9 });
        expect(byPath['records.0.fields.1.hubspot']).toMatchObject({ line: 9 });
        expect(formatMappingProblems(result.problems)).toMatch(
            /^The sync mapping has 4 problems:\n {2}config\/sync-mapping\.yaml:6:13 records\.0\.delete: /
        );
    });

    it('points a missing key at its parent', () => {
        const text = 'version: 1\nrecords:\n  - id: x\n    salesforceObject: Lead\n    fields: []\n';
        const problems = parseMappingText(text, 'm.yaml');
        expect(problems.ok).toBe(false);
        if (problems.ok) return;
        expect(problems.problems.find((problem) => problem.path === 'records.0.hubspotObjectType')).toMatchObject({
            line: 3
        });
    });

    it('reports YAML syntax errors with their position', () => {
        const result = parseMappingText('version: 1\nrecords: [\n', 'broken.yaml');
        expect(result.ok).toBe(false);
        if (result.ok) return;
        expect(result.problems[0]).toMatchObject({ source: 'broken.yaml', path: '' });
        expect(result.problems[0].line).toBeGreaterThanOrEqual(2);
    });

    it('rejects duplicate keys instead of silently keeping the last', () => {
        const result = parseMappingText('version: 1\nversion: 1\nrecords: []\n', 'dup.yaml');
        expect(result.ok).toBe(false);
    });

    it('rejects unknown keys, naming them', () => {
        const input = minimalMapping();
        Object.assign(input.records[0], { fieldz: [] });
        const [problem] = problemsOf(input);
        expect(problem).toMatchObject({ path: 'records.0', message: 'unknown key fieldz' });
    });

    it('explains a filter that matches no form by its closest branch', () => {
        const input = minimalMapping();
        input.records[0].scope = { salesforce: { field: 'Email', op: 'eq' } as never };
        const [problem] = problemsOf(input);
        expect(problem.path).toBe('records.0.scope.salesforce');
        expect(problem.message).toMatch(/^does not match any allowed form/);
    });
});

describe('cross-entry rules', () => {
    const messages = (input: unknown) => problemsOf(input).map((problem) => `${problem.path}: ${problem.message}`);

    it('requires an enabled contacts mapping', () => {
        const input = minimalMapping();
        input.records[0].enabled = false;
        expect(messages(input)).toEqual(['records: at least one enabled mapping to HubSpot contacts is required']);
    });

    it('allows one HubSpot→Salesforce create target per HubSpot object type (Lead or Contact)', () => {
        const input = minimalMapping();
        input.records[0].create = { toSalesforce: true };
        input.records.push({
            id: 'contact_to_contact',
            salesforceObject: 'Contact',
            hubspotObjectType: 'contacts',
            create: { toSalesforce: true },
            fields: [{ salesforce: 'Email', hubspot: 'email', rule: 'two_way' }]
        });
        expect(messages(input)).toEqual([
            'records: HubSpot contacts can be created in Salesforce by one mapping only, but lead_to_contact, contact_to_contact all set create.toSalesforce'
        ]);
    });

    it('rejects duplicate ids, duplicate fields and references to missing mappings', () => {
        const input = minimalMapping();
        input.records[0].fields.push({ salesforce: 'Email', hubspot: 'email', rule: 'dont_sync' });
        input.associations = [
            { kind: 'lookup', id: 'lead_to_contact', from: 'nope', field: 'AccountId', to: 'also_nope' }
        ];
        expect(messages(input)).toEqual([
            'records.0.fields.1.salesforce: Email is already mapped by fields.0',
            'records.0.fields.1.hubspot: email is already mapped by fields.0',
            'associations.0.id: id "lead_to_contact" is already used by records.0.id',
            'associations.0.from: refers to record mapping "nope", which does not exist',
            'associations.0.to: refers to record mapping "also_nope", which does not exist'
        ]);
    });

    it('rejects a value map that cannot be read backwards when HubSpot may write Salesforce', () => {
        const input = minimalMapping();
        input.records[0].fields.push({
            salesforce: 'Status',
            hubspot: 'hs_lead_status',
            rule: 'two_way',
            valueMap: { Open: 'OPEN', New: 'OPEN' }
        });
        expect(messages(input)).toEqual([
            'records.0.fields.1.valueMap: HubSpot value "OPEN" comes from both "Open" and "New", so rule two_way cannot map it back'
        ]);
        input.records[0].fields[1].rule = 'always_salesforce';
        expect(parseMappingText(stringify(input), 'm.yaml').ok).toBe(true);
    });

    it('checks lifecycle stages, identity match fields and lead conversion', () => {
        const input = minimalMapping();
        input.records[0].lifecycle = { from: 'lead_status', map: { Open: 'hot' } };
        input.records[0].identity = { match: 'email' };
        input.leadConversion = { leadMapping: 'lead_to_contact', contactMapping: 'missing', lifecycleStage: 'warm' };
        expect(messages(input)).toEqual([
            'records.0.identity: match email needs salesforceMatchField and hubspotMatchProperty',
            'records.0.lifecycle: "hot" is not in lifecycle.stageOrder',
            'leadConversion.contactMapping: refers to record mapping "missing", which does not exist',
            'leadConversion.lifecycleStage: "warm" is not in lifecycle.stageOrder'
        ]);
        input.records[0].lifecycle = {
            from: 'opportunities',
            open: 'opportunity',
            closedWon: 'customer',
            otherwise: 'cold'
        };
        expect(messages(input)).toContain('records.0.lifecycle: "cold" is not in lifecycle.stageOrder');
    });

    it('checks deal pipelines', () => {
        const input = minimalMapping();
        input.records.push({
            id: 'opportunity_to_deal',
            salesforceObject: 'Opportunity',
            hubspotObjectType: 'deals',
            dealStages: {
                rule: 'two_way',
                pipelines: [
                    { pipeline: 'default', stages: { Won: 'closedwon', Done: 'closedwon' } },
                    { pipeline: 'other', stages: { Open: 'open' } },
                    { recordType: 'Renewal', pipeline: 'renewals', stages: { Open: 'open' } }
                ]
            },
            fields: [{ salesforce: 'StageName', hubspot: 'dealname', rule: 'two_way' }]
        });
        expect(messages(input)).toEqual([
            'records.1.dealStages.pipelines: only one pipeline may omit recordType',
            'records.1.dealStages.recordTypeField: pipelines name record types, so recordTypeField is required',
            'records.1.dealStages.pipelines.0.stages: deal stage "closedwon" comes from both "Won" and "Done", so rule two_way cannot map it back',
            'records.1.fields.0: StageName → dealname is already handled by dealStages'
        ]);
    });

    it('checks activity routes', () => {
        const input = minimalMapping();
        input.activities = [
            {
                id: 'tasks',
                salesforceObject: 'Task',
                direction: 'both',
                engagementIdField: 'HubSpot_Engagement_Id__c',
                timestampField: 'ActivityDate',
                hubspotTypesToSalesforce: ['notes'],
                routes: [
                    { engagementType: 'tasks', properties: [{ salesforce: 'Subject', hubspot: 'hs_task_subject' }] },
                    { engagementType: 'calls', properties: [{ salesforce: 'Subject', hubspot: 'hs_call_title' }] }
                ]
            }
        ];
        expect(messages(input)).toEqual([
            'activities.0.hubspotTypesToSalesforce.0: no route maps the properties of notes; add one with engagementType: notes',
            'activities.0.routes.0.when: only the last route may be a catch-all'
        ]);
    });
});

describe('loadMappingFile', () => {
    let directory: string;
    beforeEach(() => {
        directory = mkdtempSync(join(tmpdir(), 'mapping-'));
    });
    afterEach(() => rmSync(directory, { recursive: true, force: true }));

    it('reports an unreadable file as a problem', () => {
        const missing = join(directory, 'missing.yaml');
        const result = loadMappingFile(missing);
        expect(result).toMatchObject({ ok: false, problems: [{ source: missing, path: '' }] });
    });

    it('throws one MappingConfigError listing everything at start-up', () => {
        const file = join(directory, 'bad.yaml');
        writeFileSync(file, 'version: 2\nrecords: []\n');
        expect(() => loadMappingFileOrThrow(file)).toThrow(MappingConfigError);
        expect(() => loadMappingFileOrThrow(file)).toThrow(/version: .*\n.*records: /);
    });
});
