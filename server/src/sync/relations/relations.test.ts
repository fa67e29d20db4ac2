import { resolve } from 'node:path';

import { loadMappingFileOrThrow } from '../mapping/load';
import { standardLiveSchemas } from '../schema/standard-schemas.fixture';
import { assertMappingFitsSchemas, validateMappingAgainstSchemas } from '../schema/validate-mapping';
import type { ResolvedActivity } from '../schema/validate-relations';
import { planActivityFromEngagement, planEngagementFromActivity, routeActivity } from './activities';
import { lookupPairs, planAssociations } from './associations';

const mapping = loadMappingFileOrThrow(resolve(__dirname, '..', '..', '..', '..', 'config', 'sync-mapping.yaml'));
const validation = assertMappingFitsSchemas(validateMappingAgainstSchemas(mapping, standardLiveSchemas()));
const activity = (id: string): ResolvedActivity => {
    const resolved = validation.activities.get(id);
    if (!resolved) throw new Error(`no activity ${id}`);
    return resolved;
};
const association = (id: string) => mapping.associations.find((entry) => entry.id === id)!;

describe('associations', () => {
    const contactCompany = association('contact_company');
    if (contactCompany.kind !== 'lookup') throw new Error('contact_company is a lookup');

    it('derives pairs from lookup fields, skipping blank lookups', () => {
        expect(
            lookupPairs(contactCompany, [
                { id: '003A', values: { AccountId: '001A' } },
                { id: '003B', values: { AccountId: null } },
                { id: '003C', values: {} }
            ])
        ).toEqual([{ fromId: '003A', toId: '001A' }]);
    });

    it('creates missing HubSpot associations, removes stale ones under propagate, and waits for unsynced ends', () => {
        const contactLinks = new Map([
            ['003A', '501'],
            ['003B', '502']
        ]);
        const companyLinks = new Map([['001A', '901']]);
        const plan = planAssociations(
            contactCompany,
            [
                { fromId: '003A', toId: '001A' },
                { fromId: '003B', toId: '001B' }
            ],
            [
                { fromId: '501', toId: '901' },
                { fromId: '502', toId: '999' }
            ],
            contactLinks,
            companyLinks
        );
        expect(plan).toEqual({
            create: [],
            remove: [{ fromId: '502', toId: '999' }],
            waiting: [{ fromId: '003B', toId: '001B' }]
        });
        const keep = planAssociations(
            { ...contactCompany, delete: 'ignore' },
            [{ fromId: '003A', toId: '001A' }],
            [{ fromId: '501', toId: '999' }],
            contactLinks,
            companyLinks
        );
        expect(keep).toEqual({ create: [{ fromId: '501', toId: '901' }], remove: [], waiting: [] });
    });

    it('handles OpportunityContactRole pairs the same way', () => {
        const dealContact = association('deal_contact');
        const plan = planAssociations(
            dealContact,
            [
                { fromId: '006A', toId: '003A' },
                { fromId: '006A', toId: '003A' }
            ],
            [],
            new Map([['006A', '77']]),
            new Map([['003A', '501']])
        );
        expect(plan.create).toEqual([{ fromId: '77', toId: '501' }]);
    });
});

describe('activities', () => {
    const links = (id: string) =>
        ({
            '003A': { hubspotObjectType: 'contacts', hubspotId: '501' },
            '006A': { hubspotObjectType: 'deals', hubspotId: '77' }
        })[id];

    it('routes by the first matching condition, falling back to the catch-all', () => {
        const routes = activity('tasks').routes;
        expect(routeActivity(routes, { TaskSubtype: 'Call' })?.route.engagementType).toBe('calls');
        expect(routeActivity(routes, { TaskSubtype: 'ListEmail' })?.route.engagementType).toBe('emails');
        expect(routeActivity(routes, { TaskSubtype: 'Task' })?.route.engagementType).toBe('tasks');
        expect(routeActivity(routes, {})?.route.engagementType).toBe('tasks');
    });

    it('turns a call Task into a call engagement associated with the synced contact and deal', () => {
        expect(
            planEngagementFromActivity(
                activity('tasks'),
                {
                    id: '00TA',
                    values: {
                        TaskSubtype: 'Call',
                        Subject: 'Intro call',
                        Description: 'Talked pricing',
                        CallType: 'Outbound',
                        ActivityDate: '2026-02-03',
                        WhoId: '003A',
                        WhatId: '006A'
                    }
                },
                links
            )
        ).toEqual({
            action: 'create',
            plan: {
                engagementType: 'calls',
                properties: {
                    hs_timestamp: '2026-02-03T00:00:00.000Z',
                    hs_call_title: 'Intro call',
                    hs_call_body: 'Talked pricing',
                    hs_call_direction: 'OUTBOUND'
                },
                associations: [
                    { hubspotObjectType: 'contacts', hubspotId: '501' },
                    { hubspotObjectType: 'deals', hubspotId: '77' }
                ],
                errors: []
            }
        });
    });

    it('keeps the time of an Event and reports a value HubSpot would reject while creating the rest', () => {
        const decision = planEngagementFromActivity(
            activity('events'),
            {
                id: '00UA',
                values: {
                    Subject: 'Demo',
                    StartDateTime: '2026-02-03T15:30:00.000+0000',
                    EndDateTime: 'soon',
                    WhoId: '003X'
                }
            },
            links
        );
        expect(decision).toMatchObject({
            action: 'create',
            plan: {
                engagementType: 'meetings',
                properties: {
                    hs_timestamp: '2026-02-03T15:30:00.000Z',
                    hs_meeting_title: 'Demo',
                    hs_meeting_start_time: '2026-02-03T15:30:00.000Z'
                },
                associations: [],
                errors: [{ field: 'EndDateTime', property: 'hs_meeting_end_time', category: 'field_value' }]
            }
        });
    });

    it('never copies an activity twice and skips what it cannot place in time', () => {
        expect(
            planEngagementFromActivity(
                activity('tasks'),
                { id: '00TB', values: { HubSpot_Engagement_Id__c: '88', ActivityDate: '2026-01-01' } },
                links
            )
        ).toEqual({
            action: 'skip',
            reason: 'already_synced'
        });
        expect(planEngagementFromActivity(activity('tasks'), { id: '00TC', values: { Subject: 'x' } }, links)).toEqual({
            action: 'skip',
            reason: 'no_timestamp'
        });
    });

    it('brings configured engagement types back as Tasks carrying the engagement ID', () => {
        expect(
            planActivityFromEngagement(
                activity('tasks'),
                {
                    id: '4242',
                    type: 'calls',
                    properties: {
                        hs_timestamp: '2026-02-03T10:00:00.000Z',
                        hs_call_title: 'Follow-up',
                        hs_call_direction: 'INBOUND'
                    }
                },
                { who: '003A', what: '006A' }
            )
        ).toEqual({
            salesforceObject: 'Task',
            fields: {
                HubSpot_Engagement_Id__c: '4242',
                Subject: 'Follow-up',
                CallType: 'Inbound',
                TaskSubtype: 'Call',
                ActivityDate: '2026-02-03',
                WhoId: '003A',
                WhatId: '006A'
            },
            errors: []
        });
        expect(
            planActivityFromEngagement(activity('tasks'), { id: '1', type: 'meetings', properties: {} })
        ).toBeUndefined();
        expect(
            planActivityFromEngagement(activity('events'), { id: '1', type: 'meetings', properties: {} })
        ).toBeUndefined();
    });

    it('reports an engagement value a restricted picklist would reject; an open picklist takes it', () => {
        const plan = planActivityFromEngagement(activity('tasks'), {
            id: '4243',
            type: 'tasks',
            properties: {
                hs_timestamp: '2026-02-03T10:00:00.000Z',
                hs_task_subject: 'Send quote',
                hs_task_status: 'ARCHIVED'
            }
        });
        expect(plan?.fields).toEqual({
            HubSpot_Engagement_Id__c: '4243',
            Subject: 'Send quote',
            Status: 'ARCHIVED',
            ActivityDate: '2026-02-03'
        });
        expect(plan?.errors).toEqual([]);
        const restricted = structuredClone(activity('tasks'));
        const status = restricted.routes[2].properties.find((property) => property.salesforce.name === 'Status')!;
        status.salesforce.restrictedPicklist = true;
        const blocked = planActivityFromEngagement(restricted, {
            id: '4244',
            type: 'tasks',
            properties: { hs_timestamp: '2026-02-03T10:00:00.000Z', hs_task_status: 'ARCHIVED' }
        });
        expect(blocked?.errors).toEqual([
            {
                field: 'Status',
                property: 'hs_task_status',
                category: 'picklist',
                message: '"ARCHIVED" is not a value of the restricted picklist Status'
            }
        ]);
    });
});

describe('activity mapping validation', () => {
    it('resolves activity properties to conversions and rejects incompatible ones', () => {
        expect(activity('events').routes[0].properties.map((property) => property.conversion)).toEqual([
            'text',
            'text',
            'datetime',
            'datetime',
            'text'
        ]);
        const schemas = standardLiveSchemas();
        schemas.hubspot.meetings = schemas.hubspot.meetings.map((property) =>
            property.name === 'hs_meeting_title' ? { ...property, type: 'number', fieldType: 'number' } : property
        );
        const broken = validateMappingAgainstSchemas(mapping, schemas);
        expect(broken.fatal.map((problem) => `${problem.code} ${problem.field}`)).toEqual([
            'incompatible_types Subject'
        ]);
        expect(broken.activities.has('events')).toBe(false);
    });
});
