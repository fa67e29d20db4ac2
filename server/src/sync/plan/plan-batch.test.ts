import { resolve } from 'node:path';

import { loadMappingFileOrThrow } from '../mapping/load';
import { standardLiveSchemas } from '../schema/standard-schemas.fixture';
import { assertMappingFitsSchemas, validateMappingAgainstSchemas } from '../schema/validate-mapping';
import { planBatch, type BatchInput, type HubSpotRecord, type SalesforceRecord } from './plan-batch';

const mapping = loadMappingFileOrThrow(resolve(__dirname, '..', '..', '..', '..', 'config', 'sync-mapping.yaml'));
const { resolved } = assertMappingFitsSchemas(validateMappingAgainstSchemas(mapping, standardLiveSchemas()));
const at = '2026-01-01T00:00:00.000Z';

const sf = (id: string, values: SalesforceRecord['values']): SalesforceRecord => ({ id, values, modifiedAt: at });
const hs = (id: string, values: HubSpotRecord['values']): HubSpotRecord => ({ id, values, modifiedAt: at });

function input(mappingId: string, overrides: Partial<BatchInput>): BatchInput {
    const entry = resolved.get(mappingId);
    if (!entry) throw new Error(`no mapping ${mappingId}`);
    return {
        mapping,
        resolved: entry,
        salesforce: [],
        hubspot: [],
        links: { bySalesforceId: new Map(), byHubSpotId: new Map() },
        snapshots: new Map(),
        ...overrides
    };
}

describe('planBatch for contacts', () => {
    const plan = planBatch(
        input('contact_to_contact', {
            salesforce: [
                sf('003A', { Email: 'a@x.io', Title: 'CTO' }),
                sf('003B', { Email: 'b@x.io', LastName: 'Bee' }),
                sf('003C', { Email: 'c@x.io', LastName: 'Sea' }),
                sf('003D', { Email: 'd@x.io' }),
                sf('003E', { Email: 'e@x.io' })
            ],
            hubspot: [
                hs('501', { email: 'a@x.io', jobtitle: 'CEO' }),
                hs('502', { email: ' B@x.io ' }),
                hs('503', { email: 'new@x.io' }),
                hs('504', { email: 'lead@x.io' })
            ],
            links: {
                bySalesforceId: new Map([
                    ['003A', '501'],
                    ['003E', '599']
                ]),
                byHubSpotId: new Map([
                    ['501', { salesforceObject: 'Contact', salesforceId: '003A' }],
                    ['599', { salesforceObject: 'Contact', salesforceId: '003E' }],
                    ['504', { salesforceObject: 'Lead', salesforceId: '00QZ' }]
                ])
            },
            excluded: new Map([['003D', 'd@x.io syncs with Lead 00QD (most recently updated)']])
        })
    );

    it('updates linked pairs and pairs new ones by normalised email', () => {
        expect(plan.updates.map((update) => [update.salesforceId, update.hubspotId])).toEqual([
            ['003A', '501'],
            ['003B', '502']
        ]);
        // A Contact without an open or won opportunity: the shipped mapping's `otherwise` stage.
        expect(plan.updates[0].plan.toHubSpot).toEqual({ jobtitle: 'CTO', lifecyclestage: 'salesqualifiedlead' });
        // First sync of a new pair: emails differing only in capitals are equal (HubSpot lower-cases them).
        expect(plan.updates[1].plan.toHubSpot).toEqual({ lastname: 'Bee', lifecyclestage: 'salesqualifiedlead' });
        expect(plan.newLinks).toEqual([{ salesforceId: '003B', hubspotId: '502', via: 'email' }]);
    });

    it('creates unmatched records where the create rules allow, and only there', () => {
        expect(plan.createInHubSpot.map((create) => [create.salesforceId, create.plan.toHubSpot])).toEqual([
            [
                '003C',
                { email: 'c@x.io', lastname: 'Sea', lifecyclestage: 'salesqualifiedlead', salesforcecontactid: '003C' }
            ]
        ]);
        // HubSpot contacts become Leads, not Contacts, in the shipped mapping.
        expect(plan.createInSalesforce).toEqual([]);
    });

    it('reports exclusions, and links whose counterpart was not read', () => {
        expect(plan.excluded).toEqual([
            { salesforceId: '003D', reason: 'd@x.io syncs with Lead 00QD (most recently updated)' }
        ]);
        expect(plan.missingCounterparts).toEqual([{ side: 'hubspot', id: '003E', counterpartId: '599' }]);
        expect(plan.ambiguous).toEqual([]);
    });
});

describe('planBatch for leads', () => {
    it('creates Leads from new HubSpot contacts but never for one that names a Salesforce record', () => {
        const plan = planBatch(
            input('lead_to_contact', {
                hubspot: [
                    hs('601', { email: 'n@x.io', lastname: 'New', company: 'Acme' }),
                    hs('602', { email: 'c@x.io', lastname: 'Known', company: 'Acme', salesforcecontactid: '003K' })
                ]
            })
        );
        expect(plan.createInSalesforce.map((create) => [create.hubspotId, create.plan.blocked])).toEqual([
            ['601', true]
        ]);
        expect(plan.createInSalesforce[0].plan.errors.map((error) => error.field)).toEqual(['OwnerId']);
    });

    it('does not create a second HubSpot contact for an email that already syncs with someone else', () => {
        const plan = planBatch(
            input('lead_to_contact', {
                salesforce: [sf('00QB', { Email: 'e@x.io', LastName: 'Dup' })],
                hubspot: [hs('505', { email: 'e@x.io' })],
                links: {
                    bySalesforceId: new Map(),
                    byHubSpotId: new Map([['505', { salesforceObject: 'Contact', salesforceId: '003Q' }]])
                }
            })
        );
        expect(plan.createInHubSpot).toEqual([]);
        expect(plan.ambiguous).toEqual([{ side: 'salesforce', id: '00QB', candidates: ['505'], via: 'email' }]);
    });
});

describe('planBatch for companies and deals', () => {
    it('matches companies by account ID property, reports an ambiguous domain, and never guesses', () => {
        const plan = planBatch(
            input('account_to_company', {
                salesforce: [
                    sf('001A', { Name: 'Acme', Website: 'https://www.acme.com/' }),
                    sf('001B', { Name: 'Beta', Website: 'beta.io' })
                ],
                hubspot: [
                    hs('901', { name: 'Acme US', domain: 'acme.com' }),
                    hs('902', { name: 'Acme EU', domain: 'ACME.com' }),
                    hs('903', { name: 'Beta', domain: 'beta-old.io', salesforceaccountid: '001B' })
                ]
            })
        );
        expect(plan.ambiguous).toEqual([
            { side: 'salesforce', id: '001A', candidates: ['901', '902'], via: 'domain' },
            { side: 'hubspot', id: '901', candidates: ['001A'], via: 'domain' },
            { side: 'hubspot', id: '902', candidates: ['001A'], via: 'domain' }
        ]);
        expect(plan.newLinks).toEqual([{ salesforceId: '001B', hubspotId: '903', via: 'id_field' }]);
        expect(plan.createInHubSpot).toEqual([]);
        // 901 and 902 share Acme's domain: creating an Account for either would duplicate it.
        expect(plan.createInSalesforce).toEqual([]);
        expect(plan.updates.map((update) => update.salesforceId)).toEqual(['001B']);
    });

    it('never matches deals by name', () => {
        const plan = planBatch(
            input('opportunity_to_deal', {
                salesforce: [sf('006A', { Name: 'Renewal 2026', StageName: 'Prospecting' })],
                hubspot: [hs('77', { dealname: 'Renewal 2026' })]
            })
        );
        expect(plan.updates).toEqual([]);
        expect(plan.createInHubSpot.map((create) => create.salesforceId)).toEqual(['006A']);
    });

    it('links a deal through the HubSpot ID the opportunity already stores', () => {
        const plan = planBatch(
            input('opportunity_to_deal', {
                salesforce: [sf('006B', { Name: 'Upsell', StageName: 'Closed Won', HubSpot_Id__c: '78' })],
                hubspot: [hs('78', { dealname: 'Upsell', pipeline: 'default', dealstage: 'closedwon' })]
            })
        );
        expect(plan.newLinks).toEqual([{ salesforceId: '006B', hubspotId: '78', via: 'id_field' }]);
        expect(plan.updates[0].plan.toHubSpot).toEqual({});
    });
});
