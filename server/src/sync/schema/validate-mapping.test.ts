import { resolve } from 'node:path';

import { loadMappingFileOrThrow } from '../mapping/load';
import { MappingFile, type MappingFileInput } from '../mapping/schema';
import type { LiveSchemasInput } from './live-schema';
import {
    hsProperty,
    hsSelect,
    hsText,
    readOnly,
    sfField,
    sfPicklist,
    standardLiveSchemas
} from './standard-schemas.fixture';
import { MappingSchemaError, type SchemaProblem } from './problems';
import { assertMappingFitsSchemas, validateMappingAgainstSchemas } from './validate-mapping';

const shippedMapping = loadMappingFileOrThrow(
    resolve(__dirname, '..', '..', '..', '..', 'config', 'sync-mapping.yaml')
);

/** A one-object mapping around the fields under test. */
function contactMapping(fields: MappingFileInput['records'][number]['fields'], extra: object = {}): MappingFile {
    return MappingFile.parse({
        version: 1,
        records: [
            { id: 'contact_to_contact', salesforceObject: 'Contact', hubspotObjectType: 'contacts', fields, ...extra }
        ]
    });
}

/** Standard schemas with extra Contact fields and contact properties. */
function schemasWith(fields: ReturnType<typeof sfField>[], properties: ReturnType<typeof hsText>[]): LiveSchemasInput {
    const schemas = standardLiveSchemas();
    schemas.salesforce.Contact.fields.push(...fields);
    schemas.hubspot.contacts.push(...properties);
    return schemas;
}

const codes = (problems: SchemaProblem[]) => problems.map((problem) => `${problem.code} ${problem.field ?? ''}`.trim());

describe('validateMappingAgainstSchemas', () => {
    it('accepts the shipped mapping on a standard org and portal, warning only about the computed score', () => {
        const validation = validateMappingAgainstSchemas(shippedMapping, standardLiveSchemas());
        expect(validation.fatal).toEqual([]);
        expect(codes(validation.warnings)).toEqual([
            'two_way_one_direction HubSpot_Score__c',
            'two_way_one_direction HubSpot_Score__c'
        ]);
        const lead = validation.resolved.get('lead_to_contact');
        expect(lead?.fields.find((field) => field.salesforce.name === 'HubSpot_Score__c')?.writable).toEqual({
            salesforce: true,
            hubspot: false
        });
        expect(validation.resolved.get('opportunity_to_deal')?.fields.map((field) => field.conversion)).toEqual([
            'text',
            'number',
            'date_to_datetime',
            'text',
            'owner',
            'picklist'
        ]);
    });

    it('reports unknown objects, fields and properties as fatal', () => {
        const mapping = MappingFile.parse({
            version: 1,
            records: [
                {
                    id: 'contact_to_contact',
                    salesforceObject: 'Contact',
                    hubspotObjectType: 'contacts',
                    identity: { match: 'email', salesforceMatchField: 'Mail', hubspotMatchProperty: 'email' },
                    scope: {
                        salesforce: {
                            all: [
                                { field: 'Nope__c', op: 'is_null' },
                                { field: 'Account.Name', op: 'eq', value: 'x' }
                            ]
                        }
                    },
                    fields: [
                        { salesforce: 'Missing__c', hubspot: 'email', rule: 'two_way' },
                        { salesforce: 'Email', hubspot: 'missing_property', rule: 'two_way' }
                    ]
                },
                {
                    id: 'invoices',
                    salesforceObject: 'Invoice__c',
                    hubspotObjectType: 'p_invoices',
                    fields: [{ salesforce: 'Name', hubspot: 'name', rule: 'two_way' }]
                }
            ]
        });
        const validation = validateMappingAgainstSchemas(mapping, standardLiveSchemas());
        expect(codes(validation.fatal)).toEqual([
            'unknown_salesforce_field Missing__c',
            'unknown_hubspot_property missing_property',
            'unknown_salesforce_field Mail',
            'unknown_salesforce_field Nope__c',
            'unknown_salesforce_object',
            'unknown_hubspot_object_type'
        ]);
        expect(validation.fatal[4]).toMatchObject({ mapping: 'invoices', object: 'Invoice__c' });
        expect(validation.resolved.has('invoices')).toBe(false);
    });

    it('maps any custom object to any HubSpot object type by configuration alone', () => {
        const schemas = standardLiveSchemas();
        schemas.salesforce.Invoice__c = {
            name: 'Invoice__c',
            fields: [sfField('Name', 'string'), sfField('Total__c', 'currency'), sfField('Paid__c', 'boolean')]
        };
        schemas.hubspot.p_invoices = [
            hsText('name'),
            hsProperty('total', 'number', 'number'),
            hsProperty('paid', 'enumeration', 'booleancheckbox')
        ];
        const mapping = MappingFile.parse({
            version: 1,
            records: [
                ...contactMapping([{ salesforce: 'Email', hubspot: 'email', rule: 'two_way' }]).records,
                {
                    id: 'invoices',
                    salesforceObject: 'Invoice__c',
                    hubspotObjectType: 'p_invoices',
                    fields: [
                        { salesforce: 'Name', hubspot: 'name', rule: 'two_way' },
                        { salesforce: 'Total__c', hubspot: 'total', rule: 'always_salesforce' },
                        { salesforce: 'Paid__c', hubspot: 'paid', rule: 'two_way' }
                    ]
                }
            ]
        });
        const validation = validateMappingAgainstSchemas(mapping, schemas);
        expect(validation.fatal).toEqual([]);
        expect(validation.resolved.get('invoices')?.fields.map((field) => field.conversion)).toEqual([
            'text',
            'number',
            'boolean'
        ]);
    });

    it.each([
        ['a number into a text property', sfField('Score__c', 'double'), hsText('score_text'), 'two_way'],
        [
            'a checkbox into a number',
            sfField('Flag__c', 'boolean'),
            hsProperty('flag_number', 'number', 'number'),
            'two_way'
        ],
        [
            'a multi-select into a single select',
            sfPicklist('Tags__c', ['a'], { type: 'multipicklist' }),
            hsSelect('tags_one', ['a']),
            'two_way'
        ],
        ['a date into a text property', sfField('Born__c', 'date'), hsText('born_text'), 'two_way'],
        ['an address into text', sfField('Where__c', 'address'), hsText('where_text'), 'two_way'],
        ['text into a file property', sfField('Doc__c', 'string'), hsProperty('doc_file', 'string', 'file'), 'two_way']
    ])('reports %s as incompatible types', (_label, field, property, rule) => {
        const mapping = contactMapping([{ salesforce: field.name, hubspot: property.name, rule: rule as 'two_way' }]);
        const validation = validateMappingAgainstSchemas(mapping, schemasWith([field], [property]));
        expect(codes(validation.fatal)).toEqual([`incompatible_types ${field.name}`]);
    });

    it('rejects writes to formula and read-only targets, but lets two_way copy a computed value one way', () => {
        const formula = sfField('Score_Formula__c', 'double', { ...readOnly, calculated: true });
        const computed = hsProperty('computed_score', 'number', 'number', { calculated: true });
        const frozen = hsProperty('frozen_text', 'string', 'text', { modificationMetadata: { readOnlyValue: true } });
        const mapping = contactMapping([
            { salesforce: 'Score_Formula__c', hubspot: 'computed_score', rule: 'two_way' },
            { salesforce: 'Title', hubspot: 'frozen_text', rule: 'always_salesforce' },
            { salesforce: 'Phone', hubspot: 'phone', rule: 'two_way' },
            { salesforce: 'HubSpot_Score__c', hubspot: 'hubspotscore', rule: 'prefer_salesforce_unless_blank' }
        ]);
        const schemas = schemasWith([formula], [computed, frozen]);
        schemas.salesforce.Contact.fields.push(sfField('Formula_Text__c', 'string', { ...readOnly, calculated: true }));
        schemas.hubspot.contacts.push(hsText('formula_copy'));
        mapping.records[0].fields.push({
            salesforce: 'Formula_Text__c',
            hubspot: 'formula_copy',
            rule: 'prefer_salesforce_unless_blank',
            owner: false
        });
        mapping.records[0].fields.push({ salesforce: 'Email', hubspot: 'email', rule: 'two_way', owner: false });

        const validation = validateMappingAgainstSchemas(mapping, schemas);
        expect(codes(validation.fatal)).toEqual([
            'salesforce_field_read_only Score_Formula__c',
            'hubspot_property_read_only frozen_text',
            'hubspot_property_read_only hubspotscore',
            'salesforce_field_read_only Formula_Text__c'
        ]);
        expect(validation.fatal[3].message).toBe(
            'rule prefer_salesforce_unless_blank writes it but it is a formula field'
        );

        const oneWay = contactMapping([{ salesforce: 'Formula_Text__c', hubspot: 'formula_copy', rule: 'two_way' }]);
        const oneWayValidation = validateMappingAgainstSchemas(oneWay, schemas);
        expect(oneWayValidation.fatal).toEqual([]);
        expect(codes(oneWayValidation.warnings)).toEqual(['two_way_one_direction Formula_Text__c']);
        expect(oneWayValidation.resolved.get('contact_to_contact')?.fields[0].writable).toEqual({
            salesforce: false,
            hubspot: true
        });

        const alwaysFromFormula = contactMapping([
            { salesforce: 'Formula_Text__c', hubspot: 'formula_copy', rule: 'always_salesforce' }
        ]);
        expect(validateMappingAgainstSchemas(alwaysFromFormula, schemas).fatal).toEqual([]);
    });

    it('lists picklist values present on one side only, by value, and inactive Salesforce values', () => {
        const rating = sfField('Rating__c', 'picklist', {
            picklistValues: [
                { value: 'Hot', active: true },
                { value: 'Warm', active: true },
                { value: 'Cold', active: true },
                { value: 'Frozen', active: false }
            ]
        });
        const property = hsSelect('rating', ['hot', 'warm', 'frozen', 'lukewarm']);
        const mapping = contactMapping([
            {
                salesforce: 'Rating__c',
                hubspot: 'rating',
                rule: 'two_way',
                valueMap: { Hot: 'hot', Warm: 'warm', Frozen: 'frozen', Tepid: 'lukewarm' }
            }
        ]);
        const validation = validateMappingAgainstSchemas(mapping, schemasWith([rating], [property]));
        expect(validation.fatal).toEqual([]);
        expect(validation.warnings.map((problem) => [problem.code, problem.values])).toEqual([
            ['value_map_unknown_salesforce_value', ['Tepid']],
            ['picklist_values_missing_in_hubspot', ['Cold']],
            ['picklist_values_missing_in_salesforce', ['Tepid']],
            ['picklist_values_inactive_in_salesforce', ['Frozen']]
        ]);
        expect(validation.warnings[1]).toMatchObject({
            mapping: 'contact_to_contact',
            object: 'Contact',
            field: 'Rating__c'
        });
    });

    it('warns that DateTime → date loses the time, and keeps DateTime ↔ datetime silent', () => {
        const mapping = contactMapping([
            { salesforce: 'Last_Touch__c', hubspot: 'last_touch_day', rule: 'always_salesforce' },
            { salesforce: 'First_Touch__c', hubspot: 'first_touch_at', rule: 'two_way' }
        ]);
        const validation = validateMappingAgainstSchemas(
            mapping,
            schemasWith(
                [sfField('Last_Touch__c', 'datetime'), sfField('First_Touch__c', 'datetime')],
                [hsProperty('last_touch_day', 'date', 'date'), hsProperty('first_touch_at', 'datetime', 'date')]
            )
        );
        expect(codes(validation.warnings)).toEqual(['datetime_loses_time Last_Touch__c']);
        expect(validation.resolved.get('contact_to_contact')?.fields.map((field) => field.conversion)).toEqual([
            'datetime_to_date',
            'datetime'
        ]);
    });

    it('checks owner fields, engine-written package fields, pipelines, associations and activities', () => {
        const mapping = MappingFile.parse({
            ...shippedMapping,
            records: shippedMapping.records.map((record) =>
                record.id === 'contact_to_contact'
                    ? {
                          ...record,
                          fields: [
                              ...record.fields,
                              { salesforce: 'Department', hubspot: 'department_owner', rule: 'two_way', owner: true }
                          ]
                      }
                    : record
            ),
            associations: [
                ...shippedMapping.associations,
                {
                    kind: 'lookup',
                    id: 'contact_title',
                    from: 'contact_to_contact',
                    field: 'HubSpot_Record_Url__c',
                    to: 'account_to_company'
                }
            ]
        });
        const schemas = standardLiveSchemas();
        schemas.salesforce.Contact.fields.push(sfField('Department', 'string'));
        schemas.hubspot.contacts.push(hsText('department_owner'));
        const leadId = schemas.salesforce.Lead.fields.find((field) => field.name === 'HubSpot_Id__c');
        if (leadId) leadId.updateable = false;
        schemas.hubspotPipelines = [
            { id: 'default', stages: [{ id: 'appointmentscheduled' }, { id: 'closedwon' }, { id: 'closedlost' }] }
        ];
        schemas.hubspot.calls = schemas.hubspot.calls.filter((property) => property.name !== 'hs_call_direction');

        const validation = validateMappingAgainstSchemas(mapping, schemas);
        expect(codes(validation.fatal)).toEqual([
            'salesforce_field_read_only HubSpot_Id__c',
            'owner_field_not_a_reference Department',
            'unknown_hubspot_deal_stage dealstage',
            'lookup_not_a_reference HubSpot_Record_Url__c',
            'unknown_hubspot_property hs_call_direction'
        ]);
        expect(validation.fatal[2].message).toBe(
            'pipeline default has no stages qualifiedtobuy, presentationscheduled, decisionmakerboughtin, contractsent'
        );

        schemas.hubspotPipelines = [{ id: 'sales', stages: [] }];
        expect(codes(validateMappingAgainstSchemas(shippedMapping, schemas).fatal)).toContain(
            'unknown_hubspot_pipeline pipeline'
        );
    });

    it('warns about unmapped opportunity stages and missing sync status values', () => {
        const schemas = standardLiveSchemas();
        const stage = schemas.salesforce.Opportunity.fields.find((field) => field.name === 'StageName');
        stage?.picklistValues?.push({ value: 'On Hold', active: true });
        const status = schemas.salesforce.Account.fields.find((field) => field.name === 'HubSpot_Sync_Status__c');
        if (status)
            status.picklistValues = [
                { value: 'Synced', active: true },
                { value: 'Error', active: true }
            ];
        const validation = validateMappingAgainstSchemas(shippedMapping, schemas);
        expect(validation.warnings.filter((problem) => problem.code !== 'two_way_one_direction')).toEqual([
            expect.objectContaining({
                code: 'sync_status_values_missing',
                values: ['Not Synced', 'Pending', 'Excluded']
            }),
            expect.objectContaining({ code: 'deal_stages_unmapped', values: ['On Hold'] })
        ]);
    });

    it('throws one error listing every fatal problem', () => {
        const mapping = contactMapping([
            { salesforce: 'Missing__c', hubspot: 'email', rule: 'two_way' },
            { salesforce: 'Email', hubspot: 'gone', rule: 'two_way' }
        ]);
        const validation = validateMappingAgainstSchemas(mapping, standardLiveSchemas());
        expect(() => assertMappingFitsSchemas(validation)).toThrow(MappingSchemaError);
        expect(() => assertMappingFitsSchemas(validation)).toThrow(
            'The sync mapping does not fit the live schemas (2 fatal problems):\n' +
                '  [unknown_salesforce_field] contact_to_contact Contact.Missing__c: no such field\n' +
                '  [unknown_hubspot_property] contact_to_contact contacts.gone: no such property'
        );
        const clean = validateMappingAgainstSchemas(shippedMapping, standardLiveSchemas());
        expect(assertMappingFitsSchemas(clean)).toBe(clean);
    });

    it('rejects a live schema payload that is not a describe', () => {
        expect(() =>
            validateMappingAgainstSchemas(shippedMapping, {
                salesforce: { Lead: { name: 'Lead' } },
                hubspot: {}
            } as never)
        ).toThrow();
    });
});
