/**
 * Activities end to end against both sandboxes: HubSpot edits of linked engagements reach their Tasks
 * under the field rules, a Who/What change moves the engagement's associations, and a run over more
 * than one query page of Tasks spends exactly the calls its page and batch sizes give.
 */
import { setTimeout as pause } from 'node:timers/promises';

import { hubspotBatchSize, salesforceBatchSize } from '../adapters/ports';
import { hubspotSearchPageSize } from '../changes/hubspot-search';
import { startEngineWorld, type EngineWorld } from './test-support';

/** Rows per query page (Salesforce's default batch size for jsforce queries). */
const salesforceQueryPageSize = 2_000;

describe('sync engine: activities', () => {
    let world: EngineWorld;
    beforeEach(async () => {
        world = await startEngineWorld();
    });
    afterEach(() => world.close());

    const hubspotIdOf = (salesforceObject: string, salesforceId: string) =>
        world.store.findLinkBySalesforce({ salesforceObject, salesforceId })!.hubspotId;

    async function syncedCall(fields: Record<string, unknown> = {}) {
        const contactId = world.createInSalesforce('Contact', { LastName: 'Doe', Email: 'doe@acme.com' });
        const taskId = world.createInSalesforce('Task', {
            Subject: 'Intro call',
            TaskSubtype: 'Call',
            CallType: 'Outbound',
            ActivityDate: '2026-11-20',
            WhoId: contactId,
            ...fields
        });
        await world.sync();
        return { contactId, taskId, callId: hubspotIdOf('Task', taskId) };
    }

    test('a HubSpot edit of a linked engagement reaches its Task once; the echo does not come back', async () => {
        const { taskId, callId } = await syncedCall();
        world.hubspotSandbox.handle.editAsUser('calls', callId, {
            hs_call_title: 'Intro call (renamed in HubSpot)',
            hs_call_body: 'Agenda agreed',
            hs_call_direction: 'INBOUND'
        });
        const report = await world.sync();
        const after = await world.sync();

        expect(world.salesforceRecord(taskId)).toMatchObject({
            Subject: 'Intro call (renamed in HubSpot)',
            Description: 'Agenda agreed',
            CallType: 'Inbound',
            HubSpot_Engagement_Id__c: callId
        });
        expect(report.counts['tasks.updated_Task']).toBe(1);
        expect(report.counts['tasks.updated_calls']).toBeUndefined();
        expect(world.store.auditTrail({ runId: report.runId })).toEqual(
            expect.arrayContaining([
                expect.objectContaining({
                    salesforceId: taskId,
                    hubspotId: callId,
                    field: 'Subject',
                    direction: 'to_salesforce',
                    rule: 'two_way',
                    reason: 'hubspot_changed',
                    before: 'Intro call',
                    after: 'Intro call (renamed in HubSpot)'
                })
            ])
        );
        expect(after.counts['tasks.updated_Task']).toBeUndefined();
        expect(after.counts['tasks.updated_calls']).toBeUndefined();
        expect(world.hubspotObjects('calls')).toHaveLength(1);
    }, 15_000);

    test('both sides changed: the newer change wins per field and the conflict keeps both values', async () => {
        const { taskId, callId } = await syncedCall();
        world.salesforceSandbox.handle.editAsUser(taskId, {
            Subject: 'Salesforce subject',
            Description: 'From Salesforce'
        });
        await pause(20);
        world.hubspotSandbox.handle.editAsUser('calls', callId, { hs_call_title: 'HubSpot title' });
        const report = await world.sync();

        // Subject changed on both sides (HubSpot later); Description only in Salesforce.
        expect(world.salesforceRecord(taskId)).toMatchObject({
            Subject: 'HubSpot title',
            Description: 'From Salesforce'
        });
        expect(world.hubspotObject('calls', callId)).toMatchObject({
            hs_call_title: 'HubSpot title',
            hs_call_body: 'From Salesforce'
        });
        expect(world.store.listConflicts({ runId: report.runId })).toEqual([
            expect.objectContaining({
                salesforceId: taskId,
                hubspotId: callId,
                field: 'Subject',
                salesforceValue: 'Salesforce subject',
                hubspotValue: 'HubSpot title',
                winner: 'hubspot'
            })
        ]);
        const quiet = await world.sync();
        expect(quiet.counts['tasks.updated_Task']).toBeUndefined();
        expect(quiet.counts['tasks.updated_calls']).toBeUndefined();
    }, 15_000);

    test('a failed Task update loses nothing: the cursor and snapshot stay, the next run applies the edit', async () => {
        const { taskId, callId } = await syncedCall();
        world.hubspotSandbox.handle.editAsUser('calls', callId, { hs_call_title: 'Renamed in HubSpot' });
        world.salesforceSandbox.handle.faults.add({
            method: 'PATCH',
            path: '^/services/data/v[\\d.]+/composite/sobjects$',
            kind: 'partial',
            failureRate: 1,
            times: 1
        });
        const failed = await world.sync({ objects: ['tasks'] });
        expect(world.salesforceRecord(taskId).Subject).toBe('Intro call');
        expect(failed.errors).toEqual([expect.objectContaining({ mappingId: 'tasks', salesforceId: taskId })]);

        const retried = await world.sync({ objects: ['tasks'] });
        expect(world.salesforceRecord(taskId).Subject).toBe('Renamed in HubSpot');
        expect(retried.counts['tasks.updated_Task']).toBe(1);
    }, 15_000);

    test('a dry run plans the HubSpot edit of a linked engagement and writes nothing', async () => {
        const { taskId, callId } = await syncedCall();
        world.hubspotSandbox.handle.editAsUser('calls', callId, { hs_call_title: 'Renamed in HubSpot' });
        const dry = await world.sync({ mode: 'dry_run', objects: ['tasks'] });

        expect(dry.counts['tasks.would_update_Task']).toBe(1);
        expect(dry.plannedWriteCalls).toEqual({ salesforce: 1, hubspot: 0 });
        expect(dry.fieldChanges).toEqual({ 'tasks Subject ↔ hs_call_title to_salesforce': 1 });
        expect(world.salesforceRecord(taskId).Subject).toBe('Intro call');

        await world.sync({ objects: ['tasks'] });
        expect(world.salesforceRecord(taskId).Subject).toBe('Renamed in HubSpot');
    }, 15_000);

    test('a one-way type: a HubSpot edit of a meeting is overwritten when its Event changes', async () => {
        const contactId = world.createInSalesforce('Contact', { LastName: 'Doe', Email: 'doe@acme.com' });
        const eventId = world.createInSalesforce('Event', {
            Subject: 'Kick-off',
            StartDateTime: '2026-11-20T09:00:00.000Z',
            EndDateTime: '2026-11-20T10:00:00.000Z',
            WhoId: contactId
        });
        await world.sync();
        const meetingId = hubspotIdOf('Event', eventId);
        world.hubspotSandbox.handle.editAsUser('meetings', meetingId, { hs_meeting_title: 'Edited in HubSpot' });
        world.salesforceSandbox.handle.editAsUser(eventId, { Location: 'Room 4' });
        const report = await world.sync();

        expect(world.salesforceRecord(eventId).Subject).toBe('Kick-off');
        expect(world.hubspotObject('meetings', meetingId)).toMatchObject({
            hs_meeting_title: 'Kick-off',
            hs_meeting_location: 'Room 4'
        });
        expect(report.counts['events.updated_meetings']).toBe(1);
    }, 15_000);

    test("a Task's Who and What changes move its engagement's associations", async () => {
        const first = world.createInSalesforce('Contact', { LastName: 'First', Email: 'first@acme.com' });
        const second = world.createInSalesforce('Contact', { LastName: 'Second', Email: 'second@acme.com' });
        const acme = world.createInSalesforce('Account', { Name: 'Acme', Website: 'acme.com' });
        const globex = world.createInSalesforce('Account', { Name: 'Globex', Website: 'globex.com' });
        const taskId = world.createInSalesforce('Task', {
            Subject: 'Intro call',
            TaskSubtype: 'Call',
            ActivityDate: '2026-11-20',
            WhoId: first,
            WhatId: acme
        });
        await world.sync();
        const callId = hubspotIdOf('Task', taskId);
        const associated = async (toType: string) =>
            (await world.hubspot.readAssociations('calls', toType, [callId])).get(callId);
        expect(await associated('contacts')).toEqual([hubspotIdOf('Contact', first)]);
        expect(await associated('companies')).toEqual([hubspotIdOf('Account', acme)]);

        world.salesforceSandbox.handle.editAsUser(taskId, { WhoId: second, WhatId: globex });
        const report = await world.sync();
        const after = await world.sync();

        expect(await associated('contacts')).toEqual([hubspotIdOf('Contact', second)]);
        expect(await associated('companies')).toEqual([hubspotIdOf('Account', globex)]);
        expect(report.counts).toMatchObject({ 'tasks.associations_removed': 2, 'tasks.associations_created': 2 });
        expect(report.counts['tasks.updated_calls']).toBeUndefined();
        expect(after.counts['tasks.associations_created']).toBeUndefined();
        expect(after.counts['tasks.associations_removed']).toBeUndefined();
    }, 20_000);

    test('a Who that syncs only later is associated once it does', async () => {
        const leadId = world.createInSalesforce('Lead', { LastName: 'Later', Company: 'Later Co' });
        const taskId = world.createInSalesforce('Task', {
            Subject: 'Call the lead',
            TaskSubtype: 'Call',
            ActivityDate: '2026-11-20',
            WhoId: leadId
        });
        await world.sync();
        const callId = hubspotIdOf('Task', taskId);
        expect((await world.hubspot.readAssociations('calls', 'contacts', [callId])).get(callId) ?? []).toEqual([]);

        // The Lead gains an email, so it syncs; the Task changes, so its Who is looked at again.
        world.salesforceSandbox.handle.editAsUser(leadId, { Email: 'later@later.co' });
        world.salesforceSandbox.handle.editAsUser(taskId, { Description: 'Now with a contact' });
        await world.sync();

        expect((await world.hubspot.readAssociations('calls', 'contacts', [callId])).get(callId)).toEqual([
            hubspotIdOf('Lead', leadId)
        ]);
    }, 15_000);

    test('more than one query page of mixed Tasks: batches stay full across pages, calls as page and batch sizes give', async () => {
        const contactId = world.createInSalesforce('Contact', { LastName: 'Doe', Email: 'doe@acme.com' });
        await world.sync();
        const quiet = await world.sync({ objects: ['tasks'] });

        // Calls, emails and tasks in turn: each query page holds all three, so batches that closed at
        // page boundaries would come out partial for every type on every page.
        const kinds = [
            { subtype: 'Call', engagementType: 'calls' },
            { subtype: 'Email', engagementType: 'emails' },
            { subtype: 'Task', engagementType: 'tasks' }
        ] as const;
        const total = salesforceQueryPageSize + 50;
        for (let index = 0; index < total; index += 1) {
            world.createInSalesforce('Task', {
                Subject: `Activity ${index}`,
                TaskSubtype: kinds[index % kinds.length].subtype,
                ActivityDate: '2026-11-20',
                WhoId: contactId
            });
        }
        const report = await world.sync({ objects: ['tasks'] });

        const calls = (records: number, size: number) => Math.max(1, Math.ceil(records / size));
        const perType = kinds.map((_, offset) => Math.ceil((total - offset) / kinds.length));
        const sum = (values: number[]) => values.reduce((left, right) => left + right, 0);
        // On top of a quiet run (one Task query, one search per type copied back): the Tasks come in two
        // query pages, each type's engagements are created 100 a call, their IDs written back 200 a call,
        // and the HubSpot step finds the new engagements in its search (200 a page) and knows them as its own.
        const expected = {
            salesforce:
                quiet.apiCalls.salesforce +
                calls(total, salesforceQueryPageSize) -
                1 +
                calls(total, salesforceBatchSize),
            hubspot:
                quiet.apiCalls.hubspot +
                sum(perType.map((count) => calls(count, hubspotBatchSize))) +
                sum(perType.map((count) => calls(count, hubspotSearchPageSize) - 1))
        };
        expect(expected).toEqual({
            salesforce: quiet.apiCalls.salesforce + 12,
            hubspot: quiet.apiCalls.hubspot + 21 + 9
        });
        expect(report.apiCalls).toEqual(expected);
        kinds.forEach(({ engagementType }, offset) => {
            expect(report.counts[`tasks.created_${engagementType}`]).toBe(perType[offset]);
            expect(world.hubspotObjects(engagementType)).toHaveLength(perType[offset]);
        });
        expect(
            world.salesforceSandbox.handle.query('SELECT Id FROM Task WHERE HubSpot_Engagement_Id__c = null')
        ).toEqual([]);

        const again = await world.sync({ objects: ['tasks'] });
        expect(Object.keys(again.counts).filter((key) => /created|updated/.test(key))).toEqual([]);
    }, 120_000);
});
