import { startRelay, CLIENT_SECRET, type TestRelay } from '../relay/__tests__/support';
import { startHubSpotSandbox, type RunningHubSpotSandbox } from '../sandbox/hubspot';
import { openSqliteStateStore } from '../state/sqlite-store';
import type { StateStore } from '../state/store';
import { settleEventsCoveredByRun, stateStoreWebhookSink, type StoredWebhookEvent } from './webhook-sink';

async function waitFor<T>(probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const value = probe();
        if (value !== undefined) return value;
        if (Date.now() > deadline) throw new Error('timed out waiting for the condition');
        await new Promise((resolve) => setTimeout(resolve, 25));
    }
}

describe('HubSpot webhooks into the state store', () => {
    let store: StateStore;
    let relay: TestRelay;
    let hubspot: RunningHubSpotSandbox;

    beforeEach(async () => {
        store = openSqliteStateStore({ path: ':memory:' });
        relay = await startRelay({ webhookSink: stateStoreWebhookSink(store) });
        hubspot = await startHubSpotSandbox({
            webhooks: {
                targetUrl: `${relay.url}/webhooks/hubspot`,
                clientSecret: CLIENT_SECRET,
                batchWindowMs: 10,
                duplicateRate: 1
            }
        });
    });

    afterEach(async () => {
        await hubspot.close();
        await relay.server.close();
        store.close();
    });

    it('stores each signed notification once, as pending work for the fast path', async () => {
        const contact = hubspot.handle.createAsUser('contacts', { email: 'ada@example.com', firstname: 'Ada' });
        hubspot.handle.editAsUser('contacts', contact.id, { firstname: 'Augusta' });

        const pending = await waitFor(() => {
            const events = store.pendingEvents(100);
            const types = events.map((event) => (event.payload as StoredWebhookEvent).subscriptionType);
            const edited = events.some(
                (event) => (event.payload as StoredWebhookEvent).event.propertyValue === 'Augusta'
            );
            return types.includes('contact.creation') && edited ? events : undefined;
        });
        // Every event was delivered twice (duplicateRate 1); the intake keeps one row per notification.
        await new Promise((resolve) => setTimeout(resolve, 300));
        const keys = store.pendingEvents(100).map((event) => event.eventId);
        expect(new Set(keys).size).toBe(keys.length);
        expect(keys.length).toBe(pending.length);

        const firstnameChanges = pending
            .map((event) => event.payload as StoredWebhookEvent)
            .filter(
                (event) =>
                    event.subscriptionType === 'contact.propertyChange' && event.event.propertyName === 'firstname'
            );
        expect(firstnameChanges.map((event) => event.event.propertyValue)).toContain('Augusta');
        for (const change of firstnameChanges) {
            expect(change).toMatchObject({ disposition: 'pending', objectId: Number(contact.id) });
        }
    });

    it('answers duplicates from the intake table without storing them again, and says when new ones are in', async () => {
        const appended: number[] = [];
        const sink = stateStoreWebhookSink(store, { onAppended: (accepted) => appended.push(accepted) });
        const event = {
            dedupeKey: '62515:7:1001',
            eventId: 1001,
            portalId: 62515,
            subscriptionType: 'ticket.creation',
            objectId: 5,
            occurredAt: '2026-11-27T08:00:00.000Z',
            receivedAt: '2026-11-27T08:00:01.000Z',
            disposition: 'ignored' as const,
            payload: {
                eventId: 1001,
                subscriptionId: 7,
                portalId: 62515,
                occurredAt: 1_796_371_200_000,
                subscriptionType: 'ticket.creation',
                attemptNumber: 0,
                objectId: 5
            }
        };
        expect(await sink.append([event])).toEqual({ accepted: 1, duplicates: 0, ownWrites: 0 });
        expect(await sink.append([event, { ...event, dedupeKey: '62515:7:1002', eventId: 1002 }])).toEqual({
            accepted: 1,
            duplicates: 1,
            ownWrites: 0
        });
        expect(store.pendingEvents(10).map((stored) => stored.eventId)).toEqual(['62515:7:1001', '62515:7:1002']);
        expect(await sink.append([event])).toEqual({ accepted: 0, duplicates: 1, ownWrites: 0 });
        // Only batches that added events wake the consumer.
        expect(appended).toEqual([1, 1]);
    });

    it("leaves out the relay's own writes echoed back and keeps everyone else's, per the configured app", async () => {
        /** A property change of contact 5 written by `sourceId`, notified through app 77's subscription. */
        const change = (eventId: number, changeSource: string, sourceId: string) => ({
            dedupeKey: `62515:7:${eventId}`,
            eventId,
            portalId: 62515,
            subscriptionType: 'contact.propertyChange',
            objectId: 5,
            occurredAt: '2026-11-27T08:00:00.000Z',
            receivedAt: '2026-11-27T08:00:01.000Z',
            disposition: 'pending' as const,
            payload: {
                eventId,
                subscriptionId: 7,
                portalId: 62515,
                appId: 77,
                occurredAt: 1_796_371_200_000,
                subscriptionType: 'contact.propertyChange',
                attemptNumber: 0,
                objectId: 5,
                propertyName: 'jobtitle',
                changeSource,
                sourceId
            }
        });
        const batch = [
            change(1, 'INTEGRATION', '77'), // the relay's app
            change(2, 'CRM_UI', 'userId:9'),
            change(3, 'INTEGRATION', '99') // another integration
        ];
        const stored = () => store.pendingEvents(10).map((event) => event.eventId);

        // By default the relay's app is the one whose subscription sent the notification.
        expect(await stateStoreWebhookSink(store, { ownWrites: {} }).append(batch)).toEqual({
            accepted: 2,
            duplicates: 0,
            ownWrites: 1
        });
        expect(stored()).toEqual(['62515:7:2', '62515:7:3']);

        store.markEventsProcessed(store.pendingEvents(10).map((event) => event.id));
        const configured = stateStoreWebhookSink(store, { ownWrites: { ownHubSpotAppId: 99 } });
        const later = batch.map((event) =>
            change(event.eventId + 10, event.payload.changeSource, event.payload.sourceId)
        );
        expect(await configured.append(later)).toEqual({ accepted: 2, duplicates: 0, ownWrites: 1 });
        expect(stored()).toEqual(['62515:7:11', '62515:7:12']);
    });

    it('settles the events a completed poll covered and keeps the ones that arrived during it', () => {
        let now = new Date('2026-11-27T08:00:00.000Z');
        const clocked = openSqliteStateStore({ path: ':memory:' }, () => now);
        const event = (eventId: string) => ({ source: 'hubspot' as const, eventId, payload: {} });
        clocked.enqueueEvents([event('a'), event('b')]);
        now = new Date('2026-11-27T08:10:00.000Z');
        clocked.enqueueEvents([event('c')]);

        expect(settleEventsCoveredByRun(clocked, '2026-11-27T08:05:00.000Z', 1)).toBe(2);
        expect(clocked.pendingEvents(10).map((pending) => pending.eventId)).toEqual(['c']);
        clocked.close();
    });
});
