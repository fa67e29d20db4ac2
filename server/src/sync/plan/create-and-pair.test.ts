import { resolve } from 'node:path';

import { loadMappingFileOrThrow } from '../mapping/load';
import { standardLiveSchemas } from '../schema/standard-schemas.fixture';
import {
    assertMappingFitsSchemas,
    validateMappingAgainstSchemas,
    type ResolvedRecordMapping
} from '../schema/validate-mapping';
import { buildOwnerDirectory } from '../values/owners';
import { planCreateInHubSpot, planCreateInSalesforce } from './create';
import { planLinkedPair } from './record-pair';
import { syncStatusWrites, maxErrorLength } from './sync-status';

const mapping = loadMappingFileOrThrow(resolve(__dirname, '..', '..', '..', '..', 'config', 'sync-mapping.yaml'));
const { resolved } = assertMappingFitsSchemas(validateMappingAgainstSchemas(mapping, standardLiveSchemas()));
const mappingFor = (id: string): ResolvedRecordMapping => {
    const entry = resolved.get(id);
    if (!entry) throw new Error(`no resolved mapping ${id}`);
    return entry;
};
const owners = buildOwnerDirectory(
    [{ id: '005A', email: 'rep@x.io', isActive: true }],
    [{ id: '11', email: 'rep@x.io' }]
);
const at = '2026-01-01T00:00:00.000Z';

describe('planCreateInHubSpot', () => {
    it('creates a HubSpot contact from a Lead with converted values, its Lead ID and its lifecycle stage', () => {
        const plan = planCreateInHubSpot(
            mapping,
            mappingFor('lead_to_contact'),
            {
                id: '00QA',
                modifiedAt: at,
                values: {
                    FirstName: 'Ada',
                    LastName: 'Lovelace',
                    Email: 'ada@x.io',
                    Company: 'Analytical',
                    Phone: null,
                    Status: 'Working - Contacted',
                    OwnerId: '005A',
                    HubSpot_Score__c: 12,
                    HubSpot_Lifecycle_Stage__c: null
                }
            },
            { owners }
        );
        expect(plan.blocked).toBe(false);
        expect(plan.toHubSpot).toEqual({
            firstname: 'Ada',
            lastname: 'Lovelace',
            email: 'ada@x.io',
            company: 'Analytical',
            hs_lead_status: 'IN_PROGRESS',
            hubspot_owner_id: '11',
            lifecyclestage: 'salesqualifiedlead',
            salesforceleadid: '00QA'
        });
        // The HubSpot score is HubSpot's to compute: never sent, never cleared in Salesforce.
        expect(plan.toSalesforce).toEqual({ HubSpot_Lifecycle_Stage__c: 'salesqualifiedlead' });
        expect(
            plan.audit
                .filter((entry) => entry.direction === 'to_hubspot')
                .every((entry) => ['record_created', 'lifecycle_derived'].includes(entry.reason))
        ).toBe(true);
        expect(plan.snapshots.FirstName?.hubspotValue).toBe('Ada');
        expect(plan.snapshots.Phone).toMatchObject({ salesforceValue: null, hubspotValue: null });
    });

    it('creates a deal in the pipeline and stage of the opportunity', () => {
        const plan = planCreateInHubSpot(mapping, mappingFor('opportunity_to_deal'), {
            id: '006A',
            modifiedAt: at,
            values: {
                Name: 'Big deal',
                Amount: 5000,
                CloseDate: '2026-03-31',
                StageName: 'Negotiation/Review',
                Type: 'New Customer',
                OwnerId: '005Z'
            }
        });
        expect(plan.toHubSpot).toEqual({
            dealname: 'Big deal',
            amount: '5000',
            closedate: '2026-03-31T00:00:00.000Z',
            dealtype: 'newbusiness',
            pipeline: 'default',
            dealstage: 'contractsent',
            salesforceopportunityid: '006A'
        });
        // An owner without a HubSpot counterpart is an error on that field; the deal is still created.
        expect(plan.errors).toEqual([expect.objectContaining({ field: 'OwnerId', category: 'mapping' })]);
    });
});

describe('planCreateInSalesforce', () => {
    it('creates a Lead from a HubSpot contact, with its HubSpot ID and what Salesforce fills in sent back to HubSpot', () => {
        const plan = planCreateInSalesforce(
            mapping,
            mappingFor('lead_to_contact'),
            {
                id: '501',
                modifiedAt: at,
                values: {
                    firstname: 'Ada',
                    lastname: 'Lovelace',
                    email: 'ada@x.io',
                    company: 'Analytical',
                    hubspot_owner_id: '11',
                    hubspotscore: '40'
                }
            },
            { owners }
        );
        expect(plan.blocked).toBe(false);
        expect(plan.toSalesforce).toEqual({
            FirstName: 'Ada',
            LastName: 'Lovelace',
            Email: 'ada@x.io',
            Company: 'Analytical',
            OwnerId: '005A',
            HubSpot_Score__c: 40,
            HubSpot_Id__c: '501',
            // Salesforce's default status, written explicitly, and the stage derived from it.
            Status: 'Open - Not Contacted',
            HubSpot_Lifecycle_Stage__c: 'lead'
        });
        // The next run would otherwise read them back as a change of the new Lead and write both sides again.
        expect(plan.toHubSpot).toEqual({ hs_lead_status: 'NEW', lifecyclestage: 'lead' });
        expect(plan.snapshots.Status).toMatchObject({ salesforceValue: 'Open - Not Contacted', hubspotValue: 'NEW' });
        expect(plan.audit).toContainEqual(
            expect.objectContaining({
                field: 'Status',
                direction: 'to_hubspot',
                reason: 'record_created',
                after: 'NEW'
            })
        );
    });

    it('overwrites a status only Salesforce writes, and keeps a stage HubSpot already holds further on', () => {
        const plan = planCreateInSalesforce(
            mapping,
            mappingFor('lead_to_contact'),
            {
                id: '503',
                modifiedAt: at,
                values: {
                    lastname: 'Hopper',
                    company: 'Navy',
                    email: 'grace@navy.mil',
                    hubspot_owner_id: '11',
                    hs_lead_status: 'IN_PROGRESS',
                    lifecyclestage: 'customer'
                }
            },
            { owners }
        );
        // hs_lead_status is always_salesforce: HubSpot's value does not flow, so Salesforce's default applies
        // and overwrites it, as the next run would.
        expect(plan.toSalesforce).toMatchObject({
            Status: 'Open - Not Contacted',
            HubSpot_Lifecycle_Stage__c: 'customer'
        });
        expect(plan.toHubSpot).toEqual({ hs_lead_status: 'NEW' });
    });

    it('clears in HubSpot what only Salesforce writes and the new record leaves blank, unless Salesforce fills it', () => {
        const company = {
            id: '601',
            modifiedAt: at,
            values: { name: 'Analytical', domain: 'analytical.io', industry: 'COMPUTER_SOFTWARE' }
        };
        const plan = planCreateInSalesforce(mapping, mappingFor('account_to_company'), company);
        expect(plan.toSalesforce).not.toHaveProperty('Industry');
        expect(plan.toHubSpot).toEqual({ industry: '' });
        expect(plan.snapshots.Industry).toMatchObject({ salesforceValue: null, hubspotValue: null });
        expect(plan.audit).toContainEqual(
            expect.objectContaining({
                field: 'Industry',
                direction: 'to_hubspot',
                reason: 'record_created',
                before: 'COMPUTER_SOFTWARE',
                after: null
            })
        );
        // A value Salesforce gives the field itself is only known once the record is read: nothing is cleared.
        const withDefault = {
            ...mappingFor('account_to_company'),
            fields: mappingFor('account_to_company').fields.map((field) =>
                field.salesforce.name === 'Industry'
                    ? { ...field, salesforce: { ...field.salesforce, defaultedOnCreate: true } }
                    : field
            )
        };
        expect(planCreateInSalesforce(mapping, withDefault, company).toHubSpot).toEqual({});
    });

    it('blocks a create Salesforce would refuse and names the missing required fields', () => {
        const plan = planCreateInSalesforce(mapping, mappingFor('lead_to_contact'), {
            id: '502',
            modifiedAt: at,
            values: { email: 'nameless@x.io' }
        });
        expect(plan.blocked).toBe(true);
        expect(plan.errors.map((error) => error.message)).toEqual([
            'Lead.LastName is required, but HubSpot lastname is blank',
            'Lead.Company is required, but HubSpot company is blank',
            'Lead.OwnerId is required, but HubSpot hubspot_owner_id is blank'
        ]);
    });
});

describe('planLinkedPair', () => {
    it('adds the derived lifecycle stage and mirrors HubSpot’s stage into the package field', () => {
        const plan = planLinkedPair(
            mapping,
            mappingFor('contact_to_contact'),
            {
                salesforce: {
                    id: '003A',
                    modifiedAt: at,
                    values: { Email: 'ada@x.io', HubSpot_Lifecycle_Stage__c: 'lead' }
                },
                hubspot: {
                    id: '501',
                    modifiedAt: at,
                    values: { email: 'ada@x.io', lifecyclestage: 'salesqualifiedlead' }
                },
                snapshots: {}
            },
            { opportunities: [{ isClosed: true, isWon: true }] }
        );
        expect(plan.toHubSpot).toEqual({ lifecyclestage: 'customer' });
        expect(plan.toSalesforce).toEqual({ HubSpot_Lifecycle_Stage__c: 'customer' });
        expect(plan.audit.map((entry) => [entry.field, entry.reason])).toEqual([
            ['(opportunities)', 'lifecycle_derived'],
            ['HubSpot_Lifecycle_Stage__c', 'lifecycle_mirrored']
        ]);
    });

    it('asks for a clear before moving a stage backwards when forward-only is off', () => {
        const plan = planLinkedPair(
            { ...mapping, lifecycle: { ...mapping.lifecycle, forwardOnly: false } },
            mappingFor('lead_to_contact'),
            {
                salesforce: {
                    id: '00QA',
                    modifiedAt: at,
                    values: { Status: 'Open - Not Contacted', HubSpot_Lifecycle_Stage__c: 'customer' }
                },
                hubspot: { id: '501', modifiedAt: at, values: { lifecyclestage: 'customer' } },
                snapshots: {}
            }
        );
        expect(plan.toHubSpot.lifecyclestage).toBe('lead');
        expect(plan.clearBeforeWrite).toEqual(['lifecyclestage']);
    });
});

describe('syncStatusWrites', () => {
    const lead = mappingFor('lead_to_contact').mapping;

    it('writes status, time, link and clears the error on success', () => {
        expect(
            syncStatusWrites(lead, {
                status: 'Synced',
                at,
                hubspotUrl: 'https://app.hubspot.com/contacts/1/record/0-1/501'
            })
        ).toEqual({
            HubSpot_Sync_Status__c: 'Synced',
            HubSpot_Last_Synced__c: at,
            HubSpot_Last_Sync_Error__c: null,
            HubSpot_Record_Url__c: 'https://app.hubspot.com/contacts/1/record/0-1/501'
        });
    });

    it('keeps the last synced time on errors and exclusions, and cuts over-long messages', () => {
        expect(syncStatusWrites(lead, { status: 'Excluded', at, message: 'ada@x.io syncs with Contact 003A' })).toEqual(
            {
                HubSpot_Sync_Status__c: 'Excluded',
                HubSpot_Last_Sync_Error__c: 'ada@x.io syncs with Contact 003A'
            }
        );
        const long = syncStatusWrites(lead, { status: 'Error', at, message: 'x'.repeat(maxErrorLength + 10) });
        expect(String(long.HubSpot_Last_Sync_Error__c)).toHaveLength(maxErrorLength);
        expect(syncStatusWrites({ ...lead, syncStatus: undefined }, { status: 'Synced', at })).toEqual({});
    });
});
