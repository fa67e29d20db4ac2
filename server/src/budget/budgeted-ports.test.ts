/**
 * The budgeted ports over the real jsforce and @hubspot/api-client adapters against both sandboxes.
 * Waits move the HubSpot sandbox's clock, which its rate limiter and the budget share, so a burst that
 * must wait out a ten-second window finishes in a moment of real time.
 */
import { setTimeout as pause } from 'node:timers/promises';

import { connectHubSpot } from '../sync/adapters/connect';
import type { HubSpotPort } from '../sync/adapters/ports';
import { SyncEngine } from '../sync/engine/engine';
import { startEngineWorld, type EngineWorld } from '../sync/engine/test-support';
import { ApiBudget } from './api-budget';
import { BudgetExhaustedError, budgetedHubSpot, budgetedSalesforce } from './budgeted-ports';
import type { BudgetConfigInput } from './config';
import { currentPriority, runWithPriority } from './priority-scope';

describe('budgeted ports against the sandboxes', () => {
    let world: EngineWorld;
    let contactIds: string[];

    beforeAll(async () => {
        world = await startEngineWorld({
            salesforce: { seed: { accounts: 4_100 }, dailyApiLimit: 15_000 },
            hubspot: { seed: { contacts: 3 }, tier: 'starter' }
        });
        contactIds = world.hubspotObjects('contacts').map((contact) => contact.id);
    });
    afterAll(() => world.close());

    const clock = () => world.hubspotSandbox.handle.clock;
    /**
     * Sleeping lets answers in flight arrive, then moves the shared clock to the end of the wait
     * (concurrent sleepers to the same instant move it once).
     */
    const sleep = async (ms: number) => {
        const until = clock().now() + ms;
        await pause(10);
        clock().set(until);
    };
    const newBudget = (config: BudgetConfigInput = {}) => new ApiBudget(config, () => clock().date());
    const hubspotRequests = () => world.hubspotSandbox.handle.requestCounts().total;

    test('a burst of reads beyond the ten-secondly limit is paced and meets no 429', async () => {
        const budget = newBudget();
        const hubspot = budgetedHubSpot(world.hubspot, budget, () => 'interactive', { sleep });
        world.hubspotSandbox.handle.resetRequestCounts();
        const callsBefore = world.hubspot.calls();
        const startedAt = clock().now();

        const burst = 150;
        const results = await Promise.all(
            Array.from({ length: burst }, (_, index) =>
                hubspot.read('contacts', [contactIds[index % contactIds.length]!], ['email'])
            )
        );

        expect(results.every((objects) => objects.length === 1)).toBe(true);
        expect(world.hubspot.calls() - callsBefore).toBe(burst);
        // Every request the sandbox saw was one of ours: the client retried none after a 429.
        expect(hubspotRequests()).toBe(burst);
        // Starter allows 100 per rolling 10 s: the last 50 had to wait for the first calls to leave the window.
        expect(clock().now() - startedAt).toBeGreaterThanOrEqual(10_000);
        expect(budget.status('hubspot').interval).toMatchObject({ limit: 100, intervalMs: 10_000 });
    });

    test('a read of many ids asks once per batch of 100, duplicates removed first', async () => {
        const budget = newBudget({ hubspot: { absolute: 3 } });
        const hubspot = budgetedHubSpot(world.hubspot, budget, () => 'interactive', { sleep });
        world.hubspotSandbox.handle.resetRequestCounts();
        const missing = Array.from({ length: 247 }, (_, index) => String(900_000 + index));

        const objects = await hubspot.read('contacts', [...contactIds, ...missing, ...contactIds], ['email']);

        expect(objects.map((object) => object.id).sort()).toEqual([...contactIds].sort());
        expect(hubspotRequests()).toBe(3);
        expect(budget.status('hubspot')).toMatchObject({ cap: 3, spent: 3 });
        await expect(hubspot.owners()).rejects.toMatchObject({ name: 'BudgetExhaustedError', constraint: 'cap' });
    });

    /** Twelve searches at once: none meets a 429 (the client would retry it), and they take over two seconds. */
    async function expectSearchesPaced(hubspot: HubSpotPort): Promise<void> {
        world.hubspotSandbox.handle.resetRequestCounts();
        const startedAt = clock().now();

        const pages = await Promise.all(
            Array.from({ length: 12 }, () =>
                hubspot.search('contacts', { filterGroups: [], sorts: [], properties: ['email'], limit: 10 })
            )
        );

        expect(pages.every((page) => page.results.length === 3)).toBe(true);
        expect(hubspotRequests()).toBe(12);
        expect(clock().now() - startedAt).toBeGreaterThanOrEqual(2_000);
    }

    test('searches keep to five a second', async () => {
        await expectSearchesPaced(budgetedHubSpot(world.hubspot, newBudget(), () => 'poll', { sleep }));
    });

    test('searches keep to five a second when the budget alone spaces them, as in the bridge', async () => {
        const unpaced = connectHubSpot(
            {
                baseUrl: world.hubspotSandbox.connection.basePath,
                accessToken: world.hubspotSandbox.connection.accessToken
            },
            { paceSearches: false }
        );
        // A new budget knows nothing of the searches the test before made: they leave HubSpot's second first.
        await sleep(1_000);
        await expectSearchesPaced(budgetedHubSpot(unpaced, newBudget(), () => 'poll', { sleep }));
    });

    test('backfill stops above 75% of the cap while interactive work goes on', async () => {
        const budget = newBudget({ hubspot: { absolute: 8 } });
        const hubspot = budgetedHubSpot(world.hubspot, budget, () => currentPriority(), { sleep });
        for (let index = 0; index < 6; index += 1) await hubspot.read('contacts', [contactIds[0]!], ['email']);
        world.hubspotSandbox.handle.resetRequestCounts();

        const refused = runWithPriority('backfill', () => hubspot.read('contacts', [contactIds[0]!], ['email']));
        await expect(refused).rejects.toThrow(BudgetExhaustedError);
        const error = (await refused.catch((caught: unknown) => caught)) as BudgetExhaustedError;
        expect(error).toMatchObject({ side: 'hubspot', priority: 'backfill', constraint: 'ceiling', cap: 8, spent: 6 });
        // HubSpot's daily window frees at the next midnight (UTC by default); the clock ran on a little.
        const midnight = new Date(clock().now());
        midnight.setUTCHours(24, 0, 0, 0);
        expect(Math.abs(error.freesAt.getTime() - midnight.getTime())).toBeLessThan(1_000);
        expect(error.message).toMatch(
            /^API budget for hubspot: backfill work is paused, backfill pause above 75% of the cap \(6 of 8 spent\); it resumes at \d{4}-\d\d-\d\dT/
        );
        expect(hubspotRequests()).toBe(0);

        const interactive = runWithPriority('interactive', () => hubspot.read('contacts', [contactIds[0]!], ['email']));
        await expect(interactive).resolves.toHaveLength(1);
        expect(hubspotRequests()).toBe(1);
    });

    test("Salesforce's Sforce-Limit-Info sets the org figures, and each page and batch is one counted call", async () => {
        const budget = newBudget({ salesforce: { share: 0.5 } });
        const salesforce = budgetedSalesforce(world.salesforce, budget, () => 'poll', { sleep });
        expect(budget.status('salesforce').cap).toBeNull();

        const pages: number[] = [];
        for await (const page of salesforce.queryPages('SELECT Id, Name FROM Account')) pages.push(page.length);
        expect(pages).toEqual([2_000, 2_000, 100]);

        const created = await salesforce.create(
            'Account',
            Array.from({ length: 450 }, (_, index) => ({ Name: `Budgeted ${index}` }))
        );
        expect(created.filter((result) => result.ok)).toHaveLength(450);

        const { used, max } = world.salesforceSandbox.handle.apiUsage();
        expect(budget.status('salesforce')).toMatchObject({
            spent: 3 + 3,
            orgLimit: 15_000,
            orgRemaining: max - used,
            cap: 7_500
        });
    });

    /** The real adapter, watched: how many of its batched creates are in flight, and one batch made to fail. */
    const watchedCreates = (failOnBatch?: number) => {
        const watch = { inFlight: 0, peak: 0, started: 0, inFlightAtFailure: -1 };
        const create: HubSpotPort['create'] = async (objectType, inputs) => {
            const batch = ++watch.started;
            watch.inFlight += 1;
            watch.peak = Math.max(watch.peak, watch.inFlight);
            try {
                if (batch === failOnBatch) {
                    await pause(5);
                    throw new Error(`batch ${batch} failed`);
                }
                return await world.hubspot.create(objectType, inputs);
            } finally {
                watch.inFlight -= 1;
            }
        };
        const port = new Proxy(world.hubspot, {
            get: (target, name) =>
                name === 'create' ? create : (Reflect.get(target, name) as (...args: unknown[]) => unknown).bind(target)
        });
        return { port, watch };
    };
    const newContacts = (prefix: string, count: number) =>
        Array.from({ length: count }, (_, index) => ({ properties: { email: `${prefix}${index}@batches.example` } }));

    test('the batches of one HubSpot write are in flight together, paced, and answered in input order', async () => {
        const { port, watch } = watchedCreates();
        const hubspot = budgetedHubSpot(port, newBudget(), () => 'backfill', { sleep });
        world.hubspotSandbox.handle.setBaseLatency(30);
        try {
            const results = await hubspot.create('contacts', newContacts('order', 450));

            expect(watch).toMatchObject({ started: 5, peak: 4 });
            expect(results).toHaveLength(450);
            expect(results.every((result) => result.ok)).toBe(true);
            const emails = world.hubspotObjects('contacts');
            const emailOf = new Map(emails.map((contact) => [contact.id, contact.properties.email]));
            expect(results.map((result) => emailOf.get(result.ok ? result.id : ''))).toEqual(
                newContacts('order', 450).map((input) => input.properties.email)
            );
        } finally {
            world.hubspotSandbox.handle.setBaseLatency(0);
        }
    });

    test('a failed batch stops the batches not yet started and is thrown once those in flight have landed', async () => {
        const { port, watch } = watchedCreates(2);
        const hubspot = budgetedHubSpot(port, newBudget(), () => 'backfill', { sleep });
        world.hubspotSandbox.handle.setBaseLatency(30);
        try {
            const write = hubspot.create('contacts', newContacts('stop', 450));
            await expect(write).rejects.toThrow('batch 2 failed');
            watch.inFlightAtFailure = watch.inFlight;

            expect(watch).toMatchObject({ started: 4, inFlightAtFailure: 0 });
            expect(
                world.hubspotObjects('contacts').filter((contact) => /^stop/.test(contact.properties.email ?? ''))
            ).toHaveLength(300);
        } finally {
            world.hubspotSandbox.handle.setBaseLatency(0);
        }
    });

    test('one batch at a time when asked, and a concurrency that is not a positive integer is refused', async () => {
        const { port, watch } = watchedCreates();
        const hubspot = budgetedHubSpot(port, newBudget(), () => 'backfill', { sleep, batchConcurrency: 1 });
        await hubspot.create('contacts', newContacts('serial', 250));
        expect(watch).toMatchObject({ started: 3, peak: 1 });
        expect(() => budgetedHubSpot(port, newBudget(), () => 'backfill', { batchConcurrency: 0 })).toThrow(
            'batchConcurrency must be an integer ≥ 1, not 0'
        );
    });

    test('the engine ends a run the budget refuses as failed, naming the budget', async () => {
        const budget = newBudget({ salesforce: { absolute: 4 } });
        const engine = new SyncEngine({
            salesforce: budgetedSalesforce(world.salesforce, budget, () => currentPriority(), { sleep }),
            hubspot: budgetedHubSpot(world.hubspot, budget, () => currentPriority(), { sleep }),
            store: world.store,
            mapping: world.mapping,
            hubspotPortalId: world.hubspotSandbox.handle.portalId
        });

        const report = await runWithPriority('backfill', () => engine.run({ mode: 'full' }));

        expect(report.status).toBe('failed');
        expect(report.error).toMatch(/^API budget for salesforce: backfill work is paused, backfill pause above 75%/);
        expect(budget.status('salesforce').spent).toBe(3);
    });
});
