import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCustomFields, parseCustomFieldXml } from './custom-fields';
import { buildCatalog } from './catalog';

const xml = (body: string) =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">${body}</CustomField>`;

describe('custom fields from SFDX metadata', () => {
    test('maps metadata types to describe types', () => {
        const cases: [string, string, Record<string, unknown>][] = [
            [
                '<type>Text</type><length>64</length><externalId>true</externalId><unique>true</unique>',
                'string',
                { length: 64, externalId: true, unique: true }
            ],
            [
                '<type>LongTextArea</type><length>32768</length><visibleLines>3</visibleLines>',
                'textarea',
                { length: 32768 }
            ],
            [
                '<type>DateTime</type><inlineHelpText>When it synced</inlineHelpText>',
                'datetime',
                { inlineHelpText: 'When it synced' }
            ],
            ['<type>Date</type>', 'date', {}],
            ['<type>Url</type>', 'url', { length: 255 }],
            ['<type>Number</type><precision>6</precision><scale>2</scale>', 'double', { precision: 6, scale: 2 }],
            ['<type>Checkbox</type><defaultValue>false</defaultValue>', 'boolean', { nillable: false }]
        ];
        for (const [body, type, expected] of cases) {
            const field = parseCustomFieldXml(xml(`<fullName>F__c</fullName><label>F</label>${body}`));
            expect(field).toMatchObject({ name: 'F__c', type, custom: true, ...expected });
        }
    });

    test('reads picklist values with defaults, inactive values and the restricted flag', () => {
        const field = parseCustomFieldXml(
            xml(`<fullName>Stage__c</fullName><label>Stage</label><type>Picklist</type><valueSet><restricted>true</restricted>
            <valueSetDefinition><value><fullName>A</fullName><default>true</default><label>Alpha</label></value>
            <value><fullName>B</fullName><default>false</default><isActive>false</isActive><label>B</label></value></valueSetDefinition></valueSet>`)
        );
        expect(field.restrictedPicklist).toBe(true);
        expect(field.picklistValues).toEqual([
            { value: 'A', label: 'Alpha', active: true, defaultValue: true },
            { value: 'B', label: 'B', active: false, defaultValue: false }
        ]);
        expect(field.defaultedOnCreate).toBe(true);
    });

    test('half-written and unsupported files are reported, the rest still load, Activity fields go to Task and Event', () => {
        const root = mkdtempSync(join(tmpdir(), 'sf-objects-'));
        const folder = (object: string) => {
            mkdirSync(join(root, object, 'fields'), { recursive: true });
            return join(root, object, 'fields');
        };
        writeFileSync(
            join(folder('Lead'), 'Good__c.field-meta.xml'),
            xml('<fullName>Good__c</fullName><type>Text</type><length>10</length>')
        );
        writeFileSync(
            join(folder('Lead'), 'Half__c.field-meta.xml'),
            '<?xml version="1.0"?><CustomField><fullName>Half__c</fullN'
        );
        writeFileSync(
            join(folder('Lead'), 'Geo__c.field-meta.xml'),
            xml('<fullName>Geo__c</fullName><type>Location</type>')
        );
        writeFileSync(join(folder('Lead'), 'notes.txt'), 'ignored');
        writeFileSync(
            join(folder('Activity'), 'Eng__c.field-meta.xml'),
            xml('<fullName>Eng__c</fullName><type>Text</type><length>20</length>')
        );
        const loaded = loadCustomFields(root);
        expect(loaded.fieldsByObject.get('Lead')?.map((f) => f.name)).toEqual(['Good__c']);
        expect(loaded.fieldsByObject.get('Task')?.map((f) => f.name)).toEqual(['Eng__c']);
        expect(loaded.fieldsByObject.get('Event')?.map((f) => f.name)).toEqual(['Eng__c']);
        expect(loaded.problems.map((p) => p.file.split('/').pop())).toEqual([
            'Geo__c.field-meta.xml',
            'Half__c.field-meta.xml'
        ]);
        const catalog = buildCatalog(root);
        expect(catalog.find('lead')?.fieldsByLowerName.get('good__c')?.length).toBe(10);
        expect(catalog.customFieldProblems).toHaveLength(2);
    });

    test('a missing or empty metadata folder gives the standard objects only', () => {
        expect(loadCustomFields('/nonexistent/folder').fieldsByObject.size).toBe(0);
        const catalog = buildCatalog(mkdtempSync(join(tmpdir(), 'sf-empty-')));
        expect(catalog.find('Lead')?.fields.some((f) => f.custom)).toBe(false);
    });
});
