/**
 * A failed fast-path run is retried not before the time its failure named: the real engine behind the
 * budgeted ports, the real clients against the sandboxes, the real SQLite work queue. The engine reports
 * the failure as a message; the time reaches the queue through the budgeted ports' retry-time notes.
 */
import { Client } from '@hubspot/api-client';

import {
    ApiBudget,
    budgetedHubSpot,
    budgetedSalesforce,
    currentPriority,
    retryTimeOf,
    runWithPriority
} from '../budget';
import { openWorkQueue, type FailOptions, type FailResult, type WorkQueue } from '../queue';
import { SyncEngine } from '../sync/engine/engine';
import { startEngineWorld, type EngineWorld } from '../sync/engine/test-support';
import { fastPathScope } from './signals';
import { FastPathWorker } from './worker';

describe('retry times of failed fast-path runs reach the work queue', () => {
    let world: EngineWorld;
    let queue: WorkQueue;
    let failures: { options: FailOptions; result: FailResult }[];

    beforeEach(async () => {
        world = await startEngineWorld();
        // A back-off of at most 1 ms: whatever delay the queue keeps beyond that is the failure's own.
        queue = openWorkQueue({ path: ':memory:' }, { options: { backoff: { baseMs: 1, capMs: 1 } } });
        failures = [];
    });

    afterEach(async () => {
        queue.close();
        await world.close();
    });

    /** A linked Contact (synced once, unbudgeted) and a fast-path worker whose engine runs behind `budget`. */
    const setUp = async (budget: ApiBudget) => {
        const salesforceId = world.createInSalesforce('Contact', { LastName: 'Retry', Email: 'retry@time.io' });
        await world.sync();
        const engine = new SyncEngine({
            salesforce: budgetedSalesforce(world.salesforce, budget, () => currentPriority()),
            hubspot: budgetedHubSpot(world.hubspot, budget, () => currentPriority()),
            store: world.store,
            mapping: world.mapping,
            hubspotPortalId: world.hubspotSandbox.handle.portalId
        });
        const worker = new FastPathWorker({
            engine: {
                get running() {
                    return engine.running;
                },
                run: (request) => runWithPriority('fast_path', () => engine.run(request)),
                whenIdle: () => engine.whenIdle()
            },
            queue: {
                claim: (...args) => queue.claim(...args),
                complete: (leases) => queue.complete(leases),
                fail: (lease, error, options = {}) => {
                    const result = queue.fail(lease, error, options);
                    failures.push({ options, result });
                    return result;
                }
            },
            runGroups: fastPathScope(world.mapping).runGroupOf
        });
        queue.enqueue([
            { stream: 'salesforce:Contact', recordKey: salesforceId, priority: 'fast_path', reason: 'cdc UPDATE' }
        ]);
        return worker;
    };

    const retriedAt = () => {
        expect(failures).toHaveLength(1);
        const [{ result }] = failures;
        if (result.outcome !== 'retry') throw new Error(`expected a retry, got ${result.outcome}`);
        return result.availableAt.getTime();
    };

    test('a budget refusal retries at its freesAt, not after the back-off', async () => {
        const budget = new ApiBudget({ salesforce: { absolute: 1 } });
        const worker = await setUp(budget);
        const startedAt = Date.now();

        expect(await worker.drain()).toMatchObject({ claimed: 1, retried: 1 });

        const { notBefore } = failures[0].options;
        // The rolling 24 h window frees the call a day after it was made.
        expect(notBefore!.getTime()).toBeGreaterThanOrEqual(startedAt + 24 * 3_600_000 - 60_000);
        expect(retriedAt()).toBeGreaterThanOrEqual(notBefore!.getTime());
    });

    test("Salesforce's REQUEST_LIMIT_EXCEEDED (it names no time) retries when the org may be probed again", async () => {
        const budget = new ApiBudget({ orgRecheckMs: 120_000 });
        const worker = await setUp(budget);
        // The org's daily allowance is used up (by other integrations too): every call answers 403.
        world.salesforceSandbox.handle.setApiUsage(world.salesforceSandbox.handle.apiUsage().max);
        const startedAt = Date.now();

        expect(await worker.drain()).toMatchObject({ claimed: 1, retried: 1 });

        expect(retriedAt()).toBeGreaterThanOrEqual(startedAt + 120_000);
        expect(retriedAt()).toBeLessThan(Date.now() + 120_000 + 1_000);
    });

    test("the HubSpot client's 429 carries its Retry-After to the retry time", async () => {
        const client = new Client({
            accessToken: world.hubspotSandbox.connection.accessToken,
            basePath: world.hubspotSandbox.connection.basePath
        });
        world.hubspotSandbox.handle.addFault({
            path: '/crm/v3/objects/contacts',
            kind: 'status',
            status: 429,
            retryAfterSeconds: 30
        });
        const now = new Date();
        const error = await client.crm.contacts.basicApi.getPage(1).then(
            () => undefined,
            (failure: unknown) => failure
        );
        expect(error).toMatchObject({ code: 429 });
        expect(retryTimeOf(error, { now })).toEqual(new Date(now.getTime() + 30_000));
    });
});
