/**
 * The fast path end to end: both sandboxes over real HTTP, the real jsforce streaming client (faye with
 * jsforce's Replay and AuthFailure extensions) on the Salesforce sandbox's CometD endpoint, the real
 * @hubspot/api-client, the engine, and the work queue on the same SQLite file as the state store.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { openWorkQueue, type WorkQueue } from '../queue';
import type { ReceivedWebhookEvent } from '../relay/webhooks/sink';
import { stateStoreWebhookSink } from '../runtime/webhook-sink';
import type { RunReport } from '../sync/engine/context';
import { startEngineWorld, type EngineWorld } from '../sync/engine/test-support';
import {
    CdcSubscriber,
    changeEventChannel,
    fastPathScope,
    FastPathWorker,
    loginStreamingSession,
    startFastPath,
    WebhookSignalPump,
    type FastPathEngine,
    type RunningFastPath
} from '.';
import { sandboxSalesforceLogin } from '../runtime/sandbox-connections';
import { waitFor } from '../test-support/wait-for';

let nextEventId = 1;

/** A HubSpot notification as the relay hands it to the sink after verifying its signature. */
function webhookEvent(subscriptionType: string, objectId: number, occurredAt = Date.now()): ReceivedWebhookEvent {
    const eventId = nextEventId++;
    return {
        dedupeKey: `1:7:${eventId}`,
        eventId,
        portalId: 1,
        subscriptionType,
        objectId,
        occurredAt: new Date(occurredAt).toISOString(),
        receivedAt: new Date().toISOString(),
        disposition: 'pending',
        payload: {
            eventId,
            subscriptionId: 7,
            portalId: 1,
            occurredAt,
            subscriptionType,
            attemptNumber: 0,
            objectId
        }
    };
}

describe('fast path: CDC and webhooks through the work queue into ID-limited runs', () => {
    let dataDir: string;
    let world: EngineWorld;
    let queue: WorkQueue;
    let fastPath: RunningFastPath | undefined;
    let reports: RunReport[];

    const start = async () => {
        const info = world.salesforceSandbox.connection;
        fastPath = await startFastPath({
            engine: world.engine,
            store: world.store,
            queue,
            mapping: world.mapping,
            salesforceStreaming: () => loginStreamingSession(sandboxSalesforceLogin(info), info.apiVersion),
            pollIntervalMs: 50,
            onReport: (report) => reports.push(report)
        });
        return fastPath;
    };

    const stop = async () => {
        await fastPath?.stop();
        fastPath = undefined;
    };

    beforeEach(async () => {
        dataDir = mkdtempSync(join(tmpdir(), 'fastpath-'));
        // Short long-polls: faye's request timers (a multiple of the poll) end soon after a test.
        world = await startEngineWorld({ dataDir, salesforce: { streamingPollMs: 500 } });
        queue = openWorkQueue({ dataDir }, { options: { backoff: { baseMs: 10, capMs: 50 } } });
        reports = [];
    });

    afterEach(async () => {
        await stop();
        queue.close();
        await world.close();
        rmSync(dataDir, { recursive: true, force: true });
    });

    /** A Contact synced once by a scheduled run, so it has a HubSpot twin and a link. */
    const linkedContact = async () => {
        const salesforceId = world.createInSalesforce('Contact', { LastName: 'Fast', Email: 'fast@path.io' });
        await world.sync();
        const link = world.store.findLinkBySalesforce({ salesforceObject: 'Contact', salesforceId })!;
        return { salesforceId, hubspotId: link.hubspotId };
    };

    test('a Salesforce edit reaches HubSpot through CDC, without a scheduled run', async () => {
        const { salesforceId, hubspotId } = await linkedContact();
        const running = await start();

        world.salesforceSandbox.handle.editAsUser(salesforceId, { Title: 'Head of Speed' });
        await waitFor(
            'the title in HubSpot',
            () => world.hubspotObject('contacts', hubspotId).jobtitle === 'Head of Speed'
        );
        // HubSpot shows the title before the run ends (its status write-back and bookkeeping come after).
        await waitFor('the run report', () => reports.length > 0);

        expect(reports.map((report) => report.status)).toEqual(['completed']);
        expect(world.store.getRun(reports[0].runId)?.mode).toBe('manual');
        expect(running.cdc?.counters).toMatchObject({ signalled: 1, duplicates: 0 });
        expect(world.store.cdcReplayId(changeEventChannel('Contact'))).toBe(
            world.salesforceSandbox.handle.changeEvents().at(-1)!.replayId
        );
    });

    // How fast (p50/p95) is measured by `npm run bench` (event mode), not asserted here: timings on a
    // loaded test machine say little. This pins that every edit arrives through the fast path alone.
    test('20 alternating edits on both sides each reach the other CRM through the fast path alone', async () => {
        const { salesforceId, hubspotId } = await linkedContact();
        const running = await start();
        const sink = stateStoreWebhookSink(world.store, { onAppended: () => running.wakeWebhooks() });
        const runsBefore = world.store.recentRuns(100).filter((run) => run.mode !== 'manual').length;
        for (let round = 0; round < 20; round += 1) {
            const salesforceTitle = `Salesforce ${round}`;
            world.salesforceSandbox.handle.editAsUser(salesforceId, { Title: salesforceTitle });
            await waitFor(
                'the HubSpot title',
                () => world.hubspotObject('contacts', hubspotId).jobtitle === salesforceTitle
            );

            const hubspotTitle = `HubSpot ${round}`;
            world.hubspotSandbox.handle.editAsUser('contacts', hubspotId, { jobtitle: hubspotTitle });
            await sink.append([webhookEvent('contact.propertyChange', Number(hubspotId))]);
            await waitFor('the Salesforce title', () => world.salesforceRecord(salesforceId).Title === hubspotTitle);
        }
        expect(world.store.recentRuns(100).filter((run) => run.mode !== 'manual')).toHaveLength(runsBefore);
        expect(reports.every((report) => report.status === 'completed')).toBe(true);
    }, 30_000);

    test('webhook events, duplicated and shuffled, are one signal per record; the HubSpot change reaches Salesforce and its echo is no work', async () => {
        const { salesforceId, hubspotId } = await linkedContact();
        const other = world.hubspotSandbox.handle.createAsUser('contacts', {
            email: 'other@path.io',
            lastname: 'Other'
        });
        const running = await start();
        const sink = stateStoreWebhookSink(world.store);
        const contactId = Number(hubspotId);
        world.hubspotSandbox.handle.editAsUser('contacts', hubspotId, { jobtitle: 'From HubSpot' });
        const events = [
            webhookEvent('contact.propertyChange', contactId, Date.now()),
            webhookEvent('contact.propertyChange', contactId, Date.now() - 5_000),
            webhookEvent('contact.creation', Number(other.id)),
            webhookEvent('contact.propertyChange', contactId, Date.now() - 1_000)
        ];
        // Out of order, and the first one delivered twice: the intake keeps one, the queue one per record.
        await sink.append([events[1], events[3]]);
        await sink.append([events[0], events[1], events[2]]);
        expect(world.store.pendingEvents(10)).toHaveLength(4);
        expect(running.pump.drain()).toMatchObject({ signalled: 4, signals: 4 });
        expect(world.store.pendingEvents(10)).toEqual([]);

        await waitFor('the title in Salesforce', () => world.salesforceRecord(salesforceId).Title === 'From HubSpot');
        await waitFor('the queue to empty', () => queue.depth().oldestEnqueuedAt === null);
        const recordRuns = reports.filter((report) => report.status === 'completed');
        expect(recordRuns).toHaveLength(1);
        expect(recordRuns[0].counts['contact_to_contact.updated_salesforce']).toBe(1);
        // The bridge's own write comes back through CDC and is recognised by its changeOrigin.
        await waitFor('the echo', () => (running.cdc?.counters.ownWrites ?? 0) >= 1);
        expect(running.cdc?.counters.signalled).toBe(0);
        expect(queue.depth().counts.every((entry) => entry.count === 0)).toBe(true);
    });

    test('a restart resumes from the stored replay ID: changes made while stopped arrive, none is worked twice', async () => {
        const { salesforceId, hubspotId } = await linkedContact();
        await start();
        world.salesforceSandbox.handle.editAsUser(salesforceId, { Title: 'Before restart' });
        await waitFor('the first edit', () => world.hubspotObject('contacts', hubspotId).jobtitle === 'Before restart');
        await stop();

        world.salesforceSandbox.handle.editAsUser(salesforceId, { Phone: '+1 555 0100' });
        world.salesforceSandbox.handle.editAsUser(salesforceId, { Title: 'While stopped' });
        const running = await start();
        await waitFor('the edits made while stopped', () => {
            const contact = world.hubspotObject('contacts', hubspotId);
            return contact.jobtitle === 'While stopped' && contact.phone === '+1 555 0100';
        });
        await waitFor('the run after the restart', () =>
            reports.some((report, index) => index > 0 && report.counts['contact_to_contact.updated_hubspot'])
        );
        // Only the two events after the stored position became signals (coalesced into the record's item).
        expect(running.cdc?.counters).toMatchObject({ signalled: 2, duplicates: 0 });
    });

    test('gap events reconcile the records they name, or the whole object when they name none', async () => {
        const { salesforceId, hubspotId } = await linkedContact();
        // An edit whose event the bus could not deliver: its position is taken as processed, a gap names it.
        world.salesforceSandbox.handle.editAsUser(salesforceId, { Title: 'Behind a gap' });
        const lost = world.salesforceSandbox.handle.changeEvents().at(-1)!.replayId;
        world.store.saveCdcReplayId(changeEventChannel('Contact'), lost);
        const running = await start();
        world.salesforceSandbox.handle.publishGap('Contact', [salesforceId], 'GAP_UPDATE');
        await waitFor('the gap record', () => world.hubspotObject('contacts', hubspotId).jobtitle === 'Behind a gap');

        world.salesforceSandbox.handle.publishGap('Account', [], 'GAP_OVERFLOW');
        await waitFor('the reconcile run', () => reports.length === 2);
        expect(world.store.getRun(reports[1].runId)?.mode).toBe('manual');
        expect(Object.keys(reports[1].counts).every((key) => key.startsWith('account_to_company.'))).toBe(true);
        expect(running.cdc?.counters.signalled).toBe(2);
    });

    test('a stored replay ID out of retention reconciles the object and restarts with new events only', async () => {
        const { salesforceId, hubspotId } = await linkedContact();
        await start();
        world.salesforceSandbox.handle.editAsUser(salesforceId, { Title: 'Stored' });
        await waitFor('the edit', () => world.hubspotObject('contacts', hubspotId).jobtitle === 'Stored');
        await stop();
        reports = [];

        world.salesforceSandbox.handle.editAsUser(salesforceId, { Title: 'Lost to retention' });
        world.salesforceSandbox.handle.clock.advance(73 * 3_600_000);
        const running = await start();
        expect(running.cdc?.counters.outOfRetention).toBe(1);
        expect(world.store.cdcReplayId(changeEventChannel('Contact'))).toBeUndefined();
        // The reconcile is an incremental run of Contact: it reads every change since the cursor.
        await waitFor(
            'the reconcile',
            () => world.hubspotObject('contacts', hubspotId).jobtitle === 'Lost to retention'
        );
        await waitFor('the reconcile report', () => reports.length === 1);
        expect(reports[0].counts['contact_to_contact.read_salesforce']).toBeGreaterThanOrEqual(1);

        world.salesforceSandbox.handle.editAsUser(salesforceId, { Title: 'After the reconcile' });
        await waitFor(
            'new events',
            () => world.hubspotObject('contacts', hubspotId).jobtitle === 'After the reconcile'
        );
        expect(running.cdc?.counters).toMatchObject({ signalled: 1, outOfRetention: 1 });
    }, 15_000);

    test('an expired streaming session logs in again and resumes from the stored position', async () => {
        const { salesforceId, hubspotId } = await linkedContact();
        const running = await start();
        world.salesforceSandbox.handle.editAsUser(salesforceId, { Title: 'Before expiry' });
        await waitFor('the first edit', () => world.hubspotObject('contacts', hubspotId).jobtitle === 'Before expiry');
        world.salesforceSandbox.handle.expireSessions();
        // The held long poll returns after streamingPollMs; the next connect is refused and AuthFailure fires.
        await waitFor('a new login', () => running.cdc?.counters.sessionRenewals === 1);
        world.salesforceSandbox.handle.editAsUser(salesforceId, { Title: 'After expiry' });
        await waitFor(
            'the edit after the new login',
            () => world.hubspotObject('contacts', hubspotId).jobtitle === 'After expiry'
        );
        expect(running.cdc?.counters).toMatchObject({ signalled: 2, duplicates: 0 });
    }, 15_000);

    test('a failed streaming login is logged and tried again; the subscription then starts', async () => {
        const { salesforceId } = await linkedContact();
        const info = world.salesforceSandbox.connection;
        const errors: string[] = [];
        let logins = 0;
        const cdc = new CdcSubscriber({
            connect: () => {
                logins += 1;
                return loginStreamingSession(
                    {
                        loginUrl: info.loginUrl,
                        clientId: info.clientId,
                        username: info.username,
                        auth: {
                            kind: 'password',
                            clientSecret: info.clientSecret,
                            password: logins === 1 ? 'wrong password' : info.password
                        }
                    },
                    info.apiVersion
                );
            },
            store: world.store,
            queue,
            objects: ['Contact'],
            clientName: 'hubspot-bridge',
            loginRetryMs: 20,
            logger: {
                info: () => undefined,
                warn: () => undefined,
                error: (_context: unknown, message?: string) => void errors.push(String(message))
            } as never
        });
        await cdc.start();
        expect(errors[0]).toContain('the streaming login failed');
        await waitFor('the second login', () => cdc.counters.sessionRenewals === 1);
        world.salesforceSandbox.handle.editAsUser(salesforceId, { Title: 'Signalled' });
        await waitFor('the signal', () => cdc.counters.signalled === 1);
        await cdc.stop();
        // The channel had no stored position, so the object is reconciled for what changed while CDC was down.
        expect(queue.claim(10, 60_000, 'test').map((item) => [item.stream, item.recordKey])).toEqual([
            ['reconcile', 'Contact'],
            ['salesforce:Contact', salesforceId]
        ]);
    });

    test('a run that keeps failing dead-letters its signal; replaying it syncs the record once, with no duplicate', async () => {
        const salesforceId = world.createInSalesforce('Contact', { LastName: 'Flaky', Email: 'flaky@path.io' });
        const deadQueue = openWorkQueue({ dataDir }, { options: { maxAttempts: 2, backoff: { baseMs: 1, capMs: 1 } } });
        // The first runs write, then report failure (a crash after the writes): the retry must not write twice.
        let failuresLeft = 2;
        const flakyEngine: FastPathEngine = {
            get running() {
                return world.engine.running;
            },
            whenIdle: () => world.engine.whenIdle(),
            async run(request) {
                const report = await world.engine.run(request);
                if (failuresLeft-- <= 0) return report;
                return { ...report, status: 'failed', error: 'the connection reset after the writes' };
            }
        };
        const worker = new FastPathWorker({
            engine: flakyEngine,
            queue: deadQueue,
            runGroups: fastPathScope(world.mapping).runGroupOf
        });
        deadQueue.enqueue([
            { stream: 'salesforce:Contact', recordKey: salesforceId, priority: 'fast_path', reason: 'cdc CREATE' }
        ]);
        expect(await worker.workBatch()).toMatchObject({ claimed: 1, retried: 1 });
        await new Promise((resolve) => setTimeout(resolve, 5));
        expect(await worker.workBatch()).toMatchObject({ claimed: 1, deadLettered: 1 });
        expect(deadQueue.deadLetters()).toEqual([
            expect.objectContaining({
                recordKey: salesforceId,
                attempts: 2,
                lastError: expect.stringContaining('connection reset')
            })
        ]);

        expect(deadQueue.replay('all')).toBe(1);
        expect(await worker.drain()).toMatchObject({ claimed: 1, completed: 1 });
        const twins = world
            .hubspotObjects('contacts')
            .filter((contact) => contact.properties.email === 'flaky@path.io');
        expect(twins).toHaveLength(1);
        expect(deadQueue.deadLetters()).toEqual([]);
        deadQueue.close();
    });

    test('a malformed intake event is marked failed and processed, and the events around it still signal', async () => {
        const { hubspotId } = await linkedContact();
        world.store.enqueueEvents([
            {
                source: 'hubspot',
                eventId: 'bad-1',
                payload: { disposition: 'pending', subscriptionType: 'contact.creation' }
            },
            {
                source: 'hubspot',
                eventId: 'good-1',
                payload: {
                    disposition: 'pending',
                    subscriptionType: 'contact.propertyChange',
                    objectId: Number(hubspotId)
                }
            }
        ]);
        const pump = new WebhookSignalPump({
            store: world.store,
            queue,
            runGroups: fastPathScope(world.mapping).runGroupOf
        });
        expect(pump.drain()).toEqual({ signalled: 1, noWork: 0, ownWrites: 0, invalid: 1, signals: 1 });
        expect(world.store.pendingEvents(10)).toEqual([]);
        expect(
            queue.depth().counts.find((entry) => entry.priority === 'fast_path' && entry.state === 'ready')?.count
        ).toBe(1);
    });

    test('an ID-limited run of a record deleted on both sides completes without touching anything', async () => {
        const { salesforceId, hubspotId } = await linkedContact();
        world.salesforceSandbox.handle.deleteAsUser(salesforceId);
        world.hubspotSandbox.handle.archiveAsUser('contacts', hubspotId);
        const report = await world.engine.run({
            mode: 'incremental',
            objects: ['contacts'],
            ids: [salesforceId, hubspotId]
        });
        expect(report.status).toBe('completed');
        expect(report.errors).toEqual([]);
    });
});
