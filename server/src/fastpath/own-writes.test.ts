/**
 * The relay's own HubSpot writes echo back as webhooks. Through the real path — the HubSpot sandbox's
 * signed webhooks, the relay's intake route and table, the pump, the work queue — the echoes are dropped
 * as no work, so the fast path spends no batch read on them, while a user's edit in the same delivery
 * still signals. Also measures the calls N Salesforce edits cost with and without the recognition.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { openWorkQueue, type WorkQueue } from '../queue';
import { CLIENT_SECRET, startRelay, type TestRelay } from '../relay/__tests__/support';
import type { ReceivedWebhookEvent, WebhookEventSink } from '../relay/webhooks/sink';
import { stateStoreWebhookSink } from '../runtime/webhook-sink';
import { startEngineWorld, type EngineWorld } from '../sync/engine/test-support';
import { loginStreamingSession, startFastPath, type RunningFastPath } from '.';
import { sandboxSalesforceLogin } from '../runtime/sandbox-connections';
import { waitFor } from '../test-support/wait-for';

/** Changes per Salesforce edit the measurement makes. */
const editedContacts = 10;

describe("the relay's own HubSpot writes, echoed back through webhooks", () => {
    let dataDir: string;
    let relay: TestRelay;
    let world: EngineWorld;
    let queue: WorkQueue;
    let fastPath: RunningFastPath | undefined;
    /** The relay starts before the world (the sandbox needs its URL) and the world's store after it. */
    let intake: WebhookEventSink | undefined;
    let runs: number;

    beforeEach(async () => {
        dataDir = mkdtempSync(join(tmpdir(), 'own-writes-'));
        relay = await startRelay({
            webhookSink: {
                append: (events: readonly ReceivedWebhookEvent[]) => {
                    if (!intake) throw new Error('the intake is not ready');
                    return intake.append(events);
                }
            }
        });
        world = await startEngineWorld({
            dataDir,
            salesforce: { streamingPollMs: 500 },
            hubspot: {
                webhooks: { targetUrl: `${relay.url}/webhooks/hubspot`, clientSecret: CLIENT_SECRET, batchWindowMs: 50 }
            }
        });
        intake = stateStoreWebhookSink(world.store, { onAppended: () => fastPath?.wakeWebhooks() });
        queue = openWorkQueue({ dataDir });
        runs = 0;
    });

    afterEach(async () => {
        await fastPath?.stop();
        fastPath = undefined;
        queue.close();
        await world.close();
        await relay.server.close();
        rmSync(dataDir, { recursive: true, force: true });
    });

    const webhooks = () => world.hubspotSandbox.handle.webhooks!;

    /** Every webhook delivered and stored, every intake event pumped, every signal worked. */
    const settled = async () => {
        expect(await webhooks().waitUntilIdle()).toBe(true);
        await waitFor('the intake to drain', () => world.store.pendingEvents(1).length === 0);
        await waitFor('the queue to empty', () => queue.depth().oldestEnqueuedAt === null);
        await world.engine.whenIdle();
    };

    /** Contacts synced by a scheduled run; the webhooks of that run's writes are settled before the fast path. */
    const linkedContacts = async (count: number) => {
        const ids = Array.from({ length: count }, (_, index) =>
            world.createInSalesforce('Contact', { LastName: `Echo ${index}`, Email: `echo${index}@own.io` })
        );
        await world.sync();
        expect(await webhooks().waitUntilIdle()).toBe(true);
        world.store.markEventsProcessed(world.store.pendingEvents(10_000).map((event) => event.id));
        return ids.map((salesforceId) => ({
            salesforceId,
            hubspotId: world.store.findLinkBySalesforce({ salesforceObject: 'Contact', salesforceId })!.hubspotId
        }));
    };

    const start = async (ownHubSpotAppId?: number) => {
        const info = world.salesforceSandbox.connection;
        fastPath = await startFastPath({
            engine: world.engine,
            store: world.store,
            queue,
            mapping: world.mapping,
            ...(ownHubSpotAppId === undefined ? {} : { ownHubSpotAppId }),
            salesforceStreaming: () => loginStreamingSession(sandboxSalesforceLogin(info), info.apiVersion),
            pollIntervalMs: 50,
            onReport: () => (runs += 1)
        });
        return fastPath;
    };

    /** N Salesforce edits synced to HubSpot by the fast path, their echoes settled; the calls both clients made. */
    const editAndMeasure = async (
        running: RunningFastPath,
        contacts: { salesforceId: string; hubspotId: string }[]
    ) => {
        const callsBefore = world.salesforce.calls() + world.hubspot.calls();
        const hubspotBefore = world.hubspot.calls();
        const runsBefore = runs;
        for (const [index, contact] of contacts.entries()) {
            world.salesforceSandbox.handle.editAsUser(contact.salesforceId, { Title: `Edited ${index}` });
        }
        await waitFor('the titles in HubSpot', () =>
            contacts.every(
                (contact, index) => world.hubspotObject('contacts', contact.hubspotId).jobtitle === `Edited ${index}`
            )
        );
        await settled();
        return {
            calls: world.salesforce.calls() + world.hubspot.calls() - callsBefore,
            hubspotCalls: world.hubspot.calls() - hubspotBefore,
            runs: runs - runsBefore,
            pump: { ...running.pump.counters }
        };
    };

    /**
     * The relay's own write (its token, so INTEGRATION by its app) and a user's edit, one batch window apart at
     * most; waits until the user's edit reached Salesforce and everything settled.
     */
    const echoBesideUserEdit = async (
        echoed: { hubspotId: string },
        edited: { hubspotId: string; salesforceId: string }
    ) => {
        await world.hubspot.update('contacts', [{ id: echoed.hubspotId, properties: { jobtitle: 'Written by us' } }]);
        world.hubspotSandbox.handle.editAsUser('contacts', edited.hubspotId, { jobtitle: 'Typed by a user' });
        await waitFor(
            'the user edit in Salesforce',
            () => world.salesforceRecord(edited.salesforceId).Title === 'Typed by a user'
        );
        await settled();
    };

    test('echoes of the fast path own writes cost no call; without the recognition each costs a run', async () => {
        const contacts = await linkedContacts(editedContacts * 2);
        const firstHalf = contacts.slice(0, editedContacts);
        const secondHalf = contacts.slice(editedContacts);

        // "Before": an app ID that is not the relay's recognises nothing, as the pump did before.
        const unrecognised = await editAndMeasure(await start(1), firstHalf);
        await fastPath!.stop();
        fastPath = undefined;
        const recognised = await editAndMeasure(await start(), secondHalf);

        expect(unrecognised.pump.ownWrites).toBe(0);
        expect(unrecognised.pump.signalled).toBeGreaterThanOrEqual(editedContacts);
        expect(recognised.pump).toMatchObject({ signalled: 0, ownWrites: expect.any(Number), invalid: 0 });
        expect(recognised.pump.ownWrites).toBeGreaterThanOrEqual(editedContacts);
        expect(recognised.calls).toBeLessThan(unrecognised.calls);
        expect(recognised.runs).toBeLessThan(unrecognised.runs);
        process.stdout.write(
            `own-write echoes, ${editedContacts} Salesforce edits: without recognition ${unrecognised.runs} runs, ` +
                `${unrecognised.calls} calls (${unrecognised.hubspotCalls} HubSpot); with it ${recognised.runs} runs, ` +
                `${recognised.calls} calls (${recognised.hubspotCalls} HubSpot), ${recognised.pump.ownWrites} echo events dropped\n`
        );
    }, 60_000);

    test("a user's edit delivered in the same batch as an echo still signals and reaches Salesforce", async () => {
        const [echoed, edited] = await linkedContacts(2);
        const running = await start();
        await echoBesideUserEdit(echoed, edited);

        const delivered = webhooks().deliveries.filter(
            (delivery) => typeof delivery.status === 'number' && delivery.status < 300
        );
        expect(delivered.some((delivery) => delivery.eventIds.length >= 2)).toBe(true);
        expect(running.pump.counters).toMatchObject({ signalled: 1, invalid: 0 });
        expect(running.pump.counters.ownWrites).toBeGreaterThanOrEqual(1);
        // The echo was not worked: the record we wrote in HubSpot was not read back into Salesforce.
        expect(world.salesforceRecord(echoed.salesforceId).Title).not.toBe('Written by us');
    }, 30_000);

    test("as the relay keeps its intake, the echo is never stored and the user's edit beside it still syncs", async () => {
        const [echoed, edited] = await linkedContacts(2);
        const recognising = stateStoreWebhookSink(world.store, {
            onAppended: () => fastPath?.wakeWebhooks(),
            ownWrites: {}
        });
        let ownWrites = 0;
        intake = {
            append: async (events) => {
                const receipt = await recognising.append(events);
                ownWrites += receipt.ownWrites ?? 0;
                return receipt;
            }
        };
        const running = await start();
        await echoBesideUserEdit(echoed, edited);

        expect(ownWrites).toBeGreaterThanOrEqual(1);
        // Nothing of the echo reached the pump: it read the user's edit alone.
        expect(running.pump.counters).toMatchObject({ signalled: 1, ownWrites: 0, invalid: 0 });
        expect(world.salesforceRecord(echoed.salesforceId).Title).not.toBe('Written by us');
    }, 30_000);
});
