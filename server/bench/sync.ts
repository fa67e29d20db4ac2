/**
 * Sync engine benchmark: seeds both sandboxes (scaled from 20k Leads/Contacts with duplicate emails,
 * 5k Accounts, 8k Opportunities, 40k Tasks and an overlapping HubSpot side), then runs the initial
 * sync, an incremental sync with 1% of the records changed on each side, and a no-change sync. For
 * each phase, object and side it prints the API calls made against the lower bound from page and
 * batch sizes (goal ≤ 1.15×), records/s and peak RSS (sandboxes included: they run in this process).
 *
 *   npm run bench:sync                      # --scale 0.1
 *   npm run bench:sync -- --scale 1 --json bench-sync.json
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { z } from 'zod';

import { salesforceBatchSize, type HubSpotPort, type SalesforcePort } from '../src/sync/adapters/ports';
import { SyncEngine } from '../src/sync/engine/engine';
import { startEngineWorld, type EngineWorld } from '../src/sync/engine/test-support';

const salesforceQueryPage = 2000;
const hubspotPage = 100;

const Options = z.object({
    scale: z.coerce.number().positive().max(1).default(0.1),
    json: z.string().min(1).optional()
});

/** Calls and records per object and operation, as the adapters spend them. */
class Ledger {
    readonly entries = new Map<string, { calls: number; records: number; pageSize: number }>();

    add(side: 'salesforce' | 'hubspot', object: string, operation: string, calls: number, records: number): void {
        const pageSize =
            operation === 'query' ? salesforceQueryPage : side === 'salesforce' ? salesforceBatchSize : hubspotPage;
        const key = `${side}|${object}|${operation}`;
        const entry = this.entries.get(key) ?? { calls: 0, records: 0, pageSize };
        entry.calls += calls;
        entry.records += records;
        this.entries.set(key, entry);
    }

    clear(): void {
        this.entries.clear();
    }
}

function countingSalesforce(inner: SalesforcePort, ledger: Ledger): SalesforcePort {
    const measured = async <T extends unknown[]>(object: string, operation: string, work: () => Promise<T>) => {
        const before = inner.calls();
        const result = await work();
        ledger.add('salesforce', object, operation, inner.calls() - before, result.length);
        return result;
    };
    return {
        get instanceUrl() {
            return inner.instanceUrl;
        },
        get userId() {
            return inner.userId;
        },
        describe: (name) => inner.describe(name),
        users: () => inner.users(),
        query: (soql, options) =>
            measured(/\bFROM\s+(\w+)/i.exec(soql)?.[1] ?? '?', 'query', () => inner.query(soql, options)),
        create: (object, records) => measured(object, 'create', () => inner.create(object, records)),
        update: (object, records) => measured(object, 'update', () => inner.update(object, records)),
        calls: () => inner.calls(),
        usage: () => inner.usage()
    };
}

function countingHubSpot(inner: HubSpotPort, ledger: Ledger): HubSpotPort {
    const measured = async <T>(
        object: string,
        operation: string,
        size: (result: T) => number,
        work: () => Promise<T>
    ) => {
        const before = inner.calls();
        const result = await work();
        ledger.add('hubspot', object, operation, inner.calls() - before, size(result));
        return result;
    };
    const length = (result: unknown[]) => result.length;
    return {
        properties: (type) => inner.properties(type),
        pipelines: (type) => inner.pipelines(type),
        owners: () => inner.owners(),
        search: (type, request) =>
            measured(
                type,
                'search',
                (page) => page.results.length,
                () => inner.search(type, request)
            ),
        read: (type, ids, properties, options) =>
            measured(type, 'read', length, () => inner.read(type, ids, properties, options)),
        create: (type, inputs) => measured(type, 'create', length, () => inner.create(type, inputs)),
        update: (type, inputs) => measured(type, 'update', length, () => inner.update(type, inputs)),
        archive: (type, ids) => measured(type, 'archive', length, () => inner.archive(type, ids)),
        readAssociations: (from, to, ids) =>
            measured(
                `${from}→${to}`,
                'read',
                () => ids.length,
                () => inner.readAssociations(from, to, ids)
            ),
        createAssociations: (from, to, pairs, typeId) =>
            measured(`${from}→${to}`, 'create', length, () => inner.createAssociations(from, to, pairs, typeId)),
        archiveAssociations: (from, to, pairs) =>
            measured(
                `${from}→${to}`,
                'archive',
                () => pairs.length,
                () => inner.archiveAssociations(from, to, pairs)
            ),
        calls: () => inner.calls(),
        rateLimit: () => inner.rateLimit()
    };
}

interface PhaseRow {
    phase: string;
    side: string;
    object: string;
    calls: number;
    lowerBound: number;
    ratio: number;
    records: number;
}

function summarise(phase: string, ledger: Ledger): PhaseRow[] {
    const byObject = new Map<string, PhaseRow>();
    for (const [key, entry] of ledger.entries) {
        const [side, object, operation] = key.split('|');
        const row = byObject.get(`${side}|${object}`) ?? {
            phase,
            side,
            object,
            calls: 0,
            lowerBound: 0,
            ratio: 0,
            records: 0
        };
        row.calls += entry.calls;
        row.records += entry.records;
        // One change read per object and run is the floor even when nothing changed.
        const isChangeRead = operation === 'query' || operation === 'search';
        row.lowerBound += isChangeRead
            ? Math.max(1, Math.ceil(entry.records / entry.pageSize))
            : Math.ceil(entry.records / entry.pageSize);
        byObject.set(`${side}|${object}`, row);
    }
    return [...byObject.values()]
        .map((row) => ({ ...row, ratio: row.lowerBound === 0 ? 0 : row.calls / row.lowerBound }))
        .sort((left, right) => `${left.side}${left.object}`.localeCompare(`${right.side}${right.object}`));
}

/** Every 100th record of each synced object is edited by a user, on both sides. */
function changeOnePercent(world: EngineWorld): void {
    const salesforce = world.salesforceSandbox.handle;
    for (const object of ['Account', 'Contact', 'Lead', 'Opportunity']) {
        const rows = salesforce.query(`SELECT Id FROM ${object}`);
        for (let index = 0; index < rows.length; index += 100) {
            salesforce.editAsUser(String(rows[index].Id), { Description: `changed in the benchmark ${index}` });
        }
    }
    const hubspot = world.hubspotSandbox.handle;
    for (const type of ['contacts', 'companies'] as const) {
        const objects = world.hubspotObjects(type).filter((object) => object.archived !== true);
        for (let index = 0; index < objects.length; index += 100) {
            hubspot.editAsUser(type, objects[index].id, { phone: `+1 555 ${String(index).padStart(4, '0')}` });
        }
    }
}

async function main(): Promise<void> {
    const { values } = parseArgs({ options: { scale: { type: 'string' }, json: { type: 'string' } } });
    const options = Options.parse(values);
    const scale = options.scale;
    const world = await startEngineWorld();
    const ledger = new Ledger();
    const engine = new SyncEngine({
        salesforce: countingSalesforce(world.salesforce, ledger),
        hubspot: countingHubSpot(world.hubspot, ledger),
        store: world.store,
        mapping: world.mapping,
        hubspotPortalId: world.hubspotSandbox.handle.portalId
    });
    try {
        const people = Math.round(20_000 * scale);
        const accounts = Math.round(5_000 * scale);
        world.salesforceSandbox.handle.seed({
            accounts,
            contacts: people / 2,
            leads: people / 2,
            opportunitiesPerAccount: 1.6,
            activitiesPerRecord: 2,
            duplicateEmailShare: 0.1,
            sharedDomainShare: 0.2,
            seed: 7
        });
        const leadEmails = world.salesforceSandbox.handle
            .query(`SELECT Email FROM Lead WHERE Email != null LIMIT ${Math.round(people * 0.1)}`)
            .map((row) => String(row.Email));
        world.hubspotSandbox.handle.seed({
            contacts: Math.round(people * 0.3),
            companies: Math.round(accounts * 0.3),
            dealsPerCompany: 0,
            engagementsPerContact: 0,
            leadEmails
        });
        const seeded = {
            Account: world.salesforceSandbox.handle.count('Account'),
            Contact: world.salesforceSandbox.handle.count('Contact'),
            Lead: world.salesforceSandbox.handle.count('Lead'),
            Opportunity: world.salesforceSandbox.handle.count('Opportunity'),
            Task: world.salesforceSandbox.handle.count('Task'),
            hubspotContacts: world.hubspotObjects('contacts').length,
            hubspotCompanies: world.hubspotObjects('companies').length
        };
        console.log(`Seeded (scale ${scale}):`, seeded);

        const rows: PhaseRow[] = [];
        const phases: { phase: string; seconds: number; records: number; apiCalls: object; errors: number }[] = [];
        const run = async (phase: string) => {
            ledger.clear();
            const started = performance.now();
            const report = await engine.run({ mode: 'incremental' });
            const seconds = (performance.now() - started) / 1000;
            if (report.status !== 'completed') throw new Error(`${phase} failed: ${report.error}`);
            const phaseRows = summarise(phase, ledger);
            rows.push(...phaseRows);
            const records = phaseRows.reduce((total, row) => total + row.records, 0);
            phases.push({ phase, seconds, records, apiCalls: report.apiCalls, errors: report.errors.length });
            const kinds = new Map<string, number>();
            for (const error of report.errors) {
                const kind = `${error.mappingId} ${error.category}: ${error.message.replace(/[0-9A-Za-z]{15,18}|\d+/g, '#').slice(0, 90)}`;
                kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
            }
            for (const [kind, total] of kinds) console.log(`  ${phase} error ×${total} ${kind}`);
        };
        await run('initial');
        changeOnePercent(world);
        await run('incremental 1%');
        await run('no change');

        const peakRssMb = process.resourceUsage().maxRSS / 1024;
        console.log('\nphase           side        object                        calls  bound  ratio  records');
        for (const row of rows) {
            console.log(
                `${row.phase.padEnd(15)} ${row.side.padEnd(11)} ${row.object.padEnd(28)} ${String(row.calls).padStart(6)} ${String(row.lowerBound).padStart(6)} ${row.ratio.toFixed(2).padStart(6)} ${String(row.records).padStart(8)}`
            );
        }
        console.log('\nphase           seconds  records/s  errors');
        for (const phase of phases) {
            console.log(
                `${phase.phase.padEnd(15)} ${phase.seconds.toFixed(1).padStart(7)} ${(phase.records / phase.seconds).toFixed(0).padStart(10)} ${String(phase.errors).padStart(7)}`
            );
        }
        console.log(`\npeak RSS ${peakRssMb.toFixed(0)} MB (both sandboxes run in this process)`);
        if (options.json) {
            writeFileSync(options.json, JSON.stringify({ scale, seeded, phases, rows, peakRssMb }, null, 2));
            console.log(`wrote ${options.json}`);
        }
    } finally {
        await world.close();
    }
}

main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
});
