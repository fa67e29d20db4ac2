/**
 * The pure parts of the activity step: rules derived from the activity's direction, association moves
 * against their snapshot, and the batch queue that keeps batches full across pages.
 */
import type { ActivityMapping } from '../mapping/schema';
import type { SalesforceFieldSchema } from '../schema/live-schema';
import type { ResolvedActivity } from '../schema/validate-relations';
import { BatchQueue } from './activity-batches';
import {
    activityFields,
    associationSnapshot,
    hubspotMatchesSnapshot,
    planAssociationMove,
    salesforceMatchesSnapshot,
    snapshotsOfNewPair
} from './activity-fields';

const salesforceField = (name: string, type: string, extra: Partial<SalesforceFieldSchema> = {}) =>
    ({
        name,
        type,
        createable: true,
        updateable: true,
        calculated: false,
        nillable: true,
        defaultedOnCreate: false,
        ...extra
    }) as SalesforceFieldSchema;

function resolvedActivity(activity: Partial<ActivityMapping>, subjectReadOnly = false): ResolvedActivity {
    const mapping = {
        id: 'tasks',
        salesforceObject: 'Task',
        enabled: true,
        direction: 'both',
        engagementIdField: 'HubSpot_Engagement_Id__c',
        timestampField: 'ActivityDate',
        whoField: 'WhoId',
        whatField: 'WhatId',
        hubspotTypesToSalesforce: ['calls'],
        routes: [{ engagementType: 'calls', properties: [{ salesforce: 'Subject', hubspot: 'hs_call_title' }] }],
        ...activity
    } as ActivityMapping;
    return {
        activity: mapping,
        timestampField: salesforceField('ActivityDate', 'date'),
        routes: mapping.routes.map((route) => ({
            route,
            properties: [
                {
                    salesforce: salesforceField('Subject', 'string', subjectReadOnly ? { updateable: false } : {}),
                    hubspot: { name: 'hs_call_title', type: 'string', fieldType: 'text', options: [] },
                    conversion: 'text' as const
                }
            ]
        }))
    };
}

describe('activity fields', () => {
    test('direction both with the type copied back: two_way, writable on both sides, timestamp included', () => {
        const resolved = resolvedActivity({});
        const fields = activityFields(resolved, resolved.routes[0]);
        expect(fields.map((field) => [field.salesforce.name, field.hubspot.name, field.rule, field.writable])).toEqual([
            ['ActivityDate', 'hs_timestamp', 'two_way', { salesforce: true, hubspot: true }],
            ['Subject', 'hs_call_title', 'two_way', { salesforce: true, hubspot: true }]
        ]);
        expect(fields[0].conversion).toBe('date_to_datetime');
    });

    test('a type not copied back, or direction salesforce_to_hubspot: always_salesforce', () => {
        for (const activity of [
            { hubspotTypesToSalesforce: [] },
            { direction: 'salesforce_to_hubspot' as const, hubspotTypesToSalesforce: [] }
        ]) {
            const resolved = resolvedActivity(activity);
            expect(activityFields(resolved, resolved.routes[0]).map((field) => field.rule)).toEqual([
                'always_salesforce',
                'always_salesforce'
            ]);
        }
    });

    test('direction hubspot_to_salesforce: two_way that only writes Salesforce; a read-only target drops out', () => {
        const resolved = resolvedActivity({ direction: 'hubspot_to_salesforce' }, true);
        expect(
            activityFields(resolved, resolved.routes[0]).map((field) => [field.salesforce.name, field.writable])
        ).toEqual([['ActivityDate', { salesforce: true, hubspot: false }]]);
    });

    test('snapshots of a new pair keep what the copy agrees on, and compare by side afterwards', () => {
        const resolved = resolvedActivity({});
        const fields = activityFields(resolved, resolved.routes[0]);
        const salesforce = { id: '00T1', values: { ActivityDate: '2026-11-20', Subject: 'Call' }, modifiedAt: '' };
        const snapshots = snapshotsOfNewPair(
            fields,
            {
                salesforce,
                // The title was refused by HubSpot, so the copy does not hold it.
                hubspot: { id: '9', values: { hs_timestamp: '2026-11-20T00:00:00.000Z' }, modifiedAt: '' },
                snapshots: {}
            },
            [{ field: 'WhoId', salesforceId: '003A', target: { hubspotObjectType: 'contacts', hubspotId: '5' } }]
        );
        expect(Object.keys(snapshots).sort()).toEqual(['@association:WhoId', 'ActivityDate']);
        expect(salesforceMatchesSnapshot(fields.slice(0, 1), salesforce.values, snapshots)).toBe(true);
        expect(salesforceMatchesSnapshot(fields, salesforce.values, snapshots)).toBe(false);
        expect(hubspotMatchesSnapshot(fields.slice(0, 1), { hs_timestamp: '1795132800000' }, snapshots)).toBe(true);
        expect(hubspotMatchesSnapshot(fields.slice(0, 1), { hs_timestamp: '2026-11-21' }, snapshots)).toBe(false);
    });
});

describe('association moves', () => {
    const contact = (hubspotId: string) => ({ hubspotObjectType: 'contacts', hubspotId });

    test('unchanged Who and target: no move', () => {
        expect(planAssociationMove('WhoId', '003A', contact('1'), associationSnapshot('003A', contact('1')))).toBe(
            undefined
        );
    });

    test('another Who: the old association goes, the new one comes', () => {
        expect(planAssociationMove('WhoId', '003B', contact('2'), associationSnapshot('003A', contact('1')))).toEqual({
            field: 'WhoId',
            remove: contact('1'),
            add: contact('2'),
            snapshot: associationSnapshot('003B', contact('2'))
        });
    });

    test('Who cleared: only the removal; Who linked at last: only the addition', () => {
        expect(planAssociationMove('WhoId', undefined, undefined, associationSnapshot('003A', contact('1')))).toEqual({
            field: 'WhoId',
            remove: contact('1'),
            snapshot: associationSnapshot(undefined, undefined)
        });
        expect(planAssociationMove('WhoId', '003A', contact('1'), associationSnapshot('003A', undefined))).toEqual({
            field: 'WhoId',
            add: contact('1'),
            snapshot: associationSnapshot('003A', contact('1'))
        });
    });

    test('another Who linked to the same HubSpot record: the snapshot follows, no association call', () => {
        expect(planAssociationMove('WhoId', '00QB', contact('1'), associationSnapshot('003A', contact('1')))).toEqual({
            field: 'WhoId',
            snapshot: associationSnapshot('00QB', contact('1'))
        });
    });

    test('copied before associations were tracked: the current target is added, nothing removed', () => {
        expect(planAssociationMove('WhoId', '003A', contact('1'), undefined)).toEqual({
            field: 'WhoId',
            add: contact('1'),
            snapshot: associationSnapshot('003A', contact('1'))
        });
    });
});

describe('batch queue', () => {
    test('sends full batches as they fill and the partial rest on flush', async () => {
        const sent: number[][] = [];
        const queue = new BatchQueue<number>(3, async (batch) => {
            sent.push(batch);
        });
        for (let value = 1; value <= 7; value += 1) await queue.push(value);
        expect(sent).toEqual([
            [1, 2, 3],
            [4, 5, 6]
        ]);
        await queue.flush();
        await queue.flush();
        expect(sent).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
    });

    test('merges entries with the same key while they wait, so a record is sent once per batch', async () => {
        const sent: { id: string; fields: string[] }[][] = [];
        const queue = new BatchQueue<{ id: string; fields: string[] }>(
            2,
            async (batch) => {
                sent.push(batch);
            },
            {
                key: (entry) => entry.id,
                merge: (waiting, entry) => ({ id: waiting.id, fields: [...waiting.fields, ...entry.fields] })
            }
        );
        await queue.push({ id: 'a', fields: ['x'] });
        await queue.push({ id: 'a', fields: ['y'] });
        expect(queue.has('a')).toBe(true);
        await queue.push({ id: 'b', fields: ['z'] });
        expect(sent).toEqual([
            [
                { id: 'a', fields: ['x', 'y'] },
                { id: 'b', fields: ['z'] }
            ]
        ]);
        expect(queue.size).toBe(0);
    });
});
