import { ApiBudget } from './api-budget';

function clock(startIso: string) {
    let now = Date.parse(startIso);
    return {
        now: () => new Date(now),
        advance(ms: number) {
            now += ms;
        }
    };
}

const hubspotHeaders = (overrides: Record<string, string> = {}) => ({
    'x-hubspot-ratelimit-daily': '250000',
    'x-hubspot-ratelimit-daily-remaining': '200000',
    'x-hubspot-ratelimit-interval-milliseconds': '10000',
    'x-hubspot-ratelimit-max': '190',
    'x-hubspot-ratelimit-remaining': '189',
    ...overrides
});

describe('ApiBudget configuration', () => {
    it('accepts the documented shapes and fills the defaults', () => {
        const budget = new ApiBudget({ salesforce: { share: 0.5 }, hubspot: { absolute: 20_000 } });
        expect(budget.config.ceilings).toEqual({
            backfill: 0.75,
            poll: 0.9,
            fast_path: 1,
            interactive: 1,
            retry: 0.75
        });
        expect(budget.status('hubspot').cap).toBe(20_000);
        expect(budget.status('salesforce').cap).toBeNull();
    });

    it.each([
        [{ salesforce: { share: 1.5 } }],
        [{ salesforce: { share: 0 } }],
        [{ hubspot: { absolute: -1 } }],
        [{ hubspot: { absolute: 10, share: 0.5 } }],
        [{ hubspot: { absolute: 10, window: { kind: 'daily', timeZone: 'Nowhere/City' } } }],
        [{ ceilings: { backfill: 0.95, poll: 0.9 } }],
        [{ burstReserve: { interactive: 0.5 } }],
        [{ unknown: true }]
    ])('refuses %j', (config) => {
        expect(() => new ApiBudget(config as never)).toThrow();
    });

    it('refuses an unknown side and a negative count', () => {
        const budget = new ApiBudget();
        expect(() => budget.canSpend('pipedrive' as never, 1, 'poll')).toThrow();
        expect(() => budget.record('hubspot', -1)).toThrow(/non-negative integer/);
    });
});

describe('ApiBudget on Salesforce', () => {
    it('sizes a share cap from Sforce-Limit-Info and pauses background work above 75%', () => {
        const time = clock('2026-11-27T12:00:00.000Z');
        const budget = new ApiBudget({ salesforce: { share: 0.1 } }, time.now);
        expect(budget.record('salesforce', 1, { 'Sforce-Limit-Info': 'api-usage=500/15000' })).toEqual([]);
        expect(budget.status('salesforce')).toMatchObject({
            cap: 1_500,
            spent: 1,
            orgLimit: 15_000,
            orgRemaining: 14_500
        });

        budget.record('salesforce', 1_123);
        expect(budget.canSpend('salesforce', 1, 'backfill')).toEqual({ allowed: true });
        budget.record('salesforce', 1);
        expect(budget.status('salesforce').backgroundPaused).toBe(true);
        expect(budget.canSpend('salesforce', 1, 'backfill')).toMatchObject({ allowed: false, constraint: 'ceiling' });
        expect(budget.canSpend('salesforce', 1, 'poll', { automaticRetry: true })).toMatchObject({
            constraint: 'ceiling'
        });
        expect(budget.canSpend('salesforce', 1, 'poll')).toEqual({ allowed: true });

        // The rolling window frees the first minute's calls 24 h (and that minute) later.
        time.advance(24 * 3_600_000 + 60_000);
        expect(budget.canSpend('salesforce', 1, 'backfill')).toEqual({ allowed: true });
        expect(budget.status('salesforce').spent).toBe(0);
    });

    it('reads the org limit from /limits and stops when the org has no calls left', () => {
        const time = clock('2026-11-27T12:00:00.000Z');
        const budget = new ApiBudget({ salesforce: { absolute: 10_000 } }, time.now);
        budget.record('salesforce', 1);
        budget.observeSalesforceLimits({ DailyApiRequests: { Max: 15_000, Remaining: 2 } });
        expect(budget.canSpend('salesforce', 2, 'interactive')).toEqual({ allowed: true });
        budget.record('salesforce', 2);
        expect(budget.canSpend('salesforce', 1, 'interactive')).toMatchObject({
            allowed: false,
            constraint: 'org_limit',
            waitMs: 300_000,
            reason: 'the org reports 0 API calls left'
        });
        expect(() => budget.observeSalesforceLimits({ nope: 1 })).toThrow(/DailyApiRequests/);
    });

    it('names a malformed header without failing', () => {
        const budget = new ApiBudget();
        expect(budget.record('salesforce', 1, { 'sforce-limit-info': 'api-usage=lots' })).toEqual([
            'Sforce-Limit-Info'
        ]);
        expect(budget.status('salesforce').spent).toBe(1);
    });
});

describe('ApiBudget on HubSpot', () => {
    it('keeps to the ten-secondly allowance proactively, sized from the headers', () => {
        const time = clock('2026-11-27T12:00:00.000Z');
        const budget = new ApiBudget({ hubspot: { absolute: 100_000 } }, time.now);
        budget.record('hubspot', 1, hubspotHeaders());
        expect(budget.status('hubspot').interval).toEqual({ limit: 190, intervalMs: 10_000, used: 1 });

        let sent = 1;
        while (budget.canSpend('hubspot', 1, 'interactive').allowed) {
            time.advance(1);
            budget.record('hubspot', 1, hubspotHeaders({ 'x-hubspot-ratelimit-remaining': `${190 - sent - 1}` }));
            sent += 1;
        }
        expect(sent).toBe(190);
        // The first call leaves the rolling window 10 s after it was made, 189 ms before the last one.
        const decision = budget.canSpend('hubspot', 1, 'interactive');
        expect(decision).toMatchObject({ allowed: false, constraint: 'ten_secondly', waitMs: 10_000 - 189 });
        time.advance(10_000 - 189);
        expect(budget.canSpend('hubspot', 1, 'interactive')).toEqual({ allowed: true });
        // A backfill must leave 15% of the allowance to the work above it.
        expect(budget.canSpend('hubspot', 1, 'backfill')).toMatchObject({ constraint: 'ten_secondly' });
    });

    it('lends a backfill the reserve of work that is not running, and takes it back when that work starts', () => {
        const time = clock('2026-11-27T12:00:00.000Z');
        const budget = new ApiBudget({ hubspot: { absolute: 100_000 } }, time.now);
        budget.record('hubspot', 1, hubspotHeaders());
        const spend = (priority: 'backfill' | 'interactive') => {
            const decision = budget.take('hubspot', 1, priority);
            if (decision.allowed) budget.settle('hubspot', { taken: 1, made: 1 });
            return decision.allowed;
        };
        let used = 1;
        while (spend('backfill')) used += 1;
        // 190 less the 5% kept for a sudden interactive call: the 15% reserve is lent while no one needs it.
        expect(used).toBe(181);
        time.advance(500);
        expect(spend('interactive')).toBe(true);
        // Interactive work uses the interval now: the backfill keeps its whole 15% (28) until enough calls
        // leave the window, 10 s after the first ones.
        expect(budget.canSpend('hubspot', 1, 'backfill')).toMatchObject({
            constraint: 'ten_secondly',
            waitMs: 9_500,
            reason: 'the rolling interval allowance of 190 per 10000 ms is used up, keeping 28 for higher priorities'
        });
    });

    it('keeps the whole reserve while calls it did not make show in the headers (the timeline, another app)', () => {
        const time = clock('2026-11-27T12:00:00.000Z');
        const budget = new ApiBudget({ hubspot: { absolute: 100_000 } }, time.now);
        // 170 of our own calls: a backfill alone may go on (it keeps 9 of 190).
        budget.record('hubspot', 170, hubspotHeaders({ 'x-hubspot-ratelimit-remaining': '20' }));
        expect(budget.canSpend('hubspot', 1, 'backfill')).toEqual({ allowed: true });
        // HubSpot counts 5 more than we made: someone else uses the app, so the backfill keeps 28.
        time.advance(100);
        budget.record('hubspot', 1, hubspotHeaders({ 'x-hubspot-ratelimit-remaining': '14' }));
        expect(budget.canSpend('hubspot', 1, 'backfill')).toMatchObject({ constraint: 'ten_secondly' });
        expect(budget.canSpend('hubspot', 1, 'poll')).toMatchObject({ constraint: 'ten_secondly' });
        expect(budget.canSpend('hubspot', 1, 'fast_path')).toEqual({ allowed: true });
    });

    it('trusts a lower remaining count from the server over its own bookkeeping', () => {
        const budget = new ApiBudget({}, clock('2026-11-27T12:00:00.000Z').now);
        budget.record('hubspot', 1, hubspotHeaders({ 'x-hubspot-ratelimit-remaining': '0' }));
        expect(budget.canSpend('hubspot', 1, 'interactive')).toMatchObject({ constraint: 'ten_secondly' });
    });

    it('respects the secondly limit when HubSpot reports one', () => {
        const budget = new ApiBudget({}, clock('2026-11-27T12:00:00.000Z').now);
        budget.record('hubspot', 1, {
            'X-HubSpot-RateLimit-Secondly': '10',
            'X-HubSpot-RateLimit-Secondly-Remaining': '0'
        });
        // The server's 10 calls are counted as made now: nothing says they were made earlier.
        expect(budget.canSpend('hubspot', 1, 'interactive')).toMatchObject({ constraint: 'secondly', waitMs: 1_000 });
    });

    it('paces search at five a second, apart from the other endpoints', () => {
        const time = clock('2026-11-27T12:00:00.000Z');
        const budget = new ApiBudget({}, time.now);
        for (let index = 0; index < 5; index += 1) {
            expect(budget.canSpend('hubspot', 1, 'poll', { endpoint: 'search' })).toEqual({ allowed: true });
            budget.record('hubspot', 1, undefined, { endpoint: 'search' });
        }
        expect(budget.canSpend('hubspot', 1, 'poll', { endpoint: 'search' })).toMatchObject({
            constraint: 'search',
            waitMs: 1_000
        });
        expect(budget.canSpend('hubspot', 1, 'poll')).toEqual({ allowed: true });
        time.advance(1_000);
        expect(budget.canSpend('hubspot', 1, 'poll', { endpoint: 'search' })).toEqual({ allowed: true });
    });

    it('takes a share of the daily header limit and resets at midnight in the portal time zone', () => {
        const time = clock('2026-11-27T12:00:00.000Z');
        const budget = new ApiBudget(
            { hubspot: { share: 0.001, window: { kind: 'daily', timeZone: 'America/Los_Angeles' } } },
            time.now
        );
        budget.record('hubspot', 250, hubspotHeaders());
        expect(budget.status('hubspot')).toMatchObject({ cap: 250, spent: 250, orgLimit: 250_000 });
        // 04:00 in Los Angeles: its midnight is 08:00 UTC tomorrow, 20 h away.
        expect(budget.canSpend('hubspot', 1, 'interactive')).toMatchObject({
            constraint: 'cap',
            waitMs: 20 * 3_600_000
        });
        time.advance(20 * 3_600_000);
        expect(budget.status('hubspot').spent).toBe(0);
        expect(budget.canSpend('hubspot', 1, 'backfill')).toEqual({ allowed: true });
    });

    it('counts down the daily remaining on responses without headers', () => {
        const budget = new ApiBudget({}, clock('2026-11-27T12:00:00.000Z').now);
        budget.record('hubspot', 1, hubspotHeaders({ 'x-hubspot-ratelimit-daily-remaining': '3' }));
        budget.record('hubspot', 3, undefined, { endpoint: 'search' });
        expect(budget.status('hubspot').orgRemaining).toBe(0);
        expect(budget.canSpend('hubspot', 1, 'interactive')).toMatchObject({ constraint: 'org_limit' });
    });
});

describe('ApiBudget take and settle', () => {
    it('counts taken calls at once, so concurrent askers cannot overrun the cap', () => {
        const budget = new ApiBudget({ salesforce: { absolute: 4 } }, clock('2026-11-27T12:00:00.000Z').now);
        for (let index = 0; index < 4; index += 1) {
            expect(budget.take('salesforce', 1, 'interactive')).toEqual({ allowed: true });
        }
        expect(budget.take('salesforce', 1, 'interactive')).toMatchObject({ allowed: false, constraint: 'cap' });
        expect(budget.status('salesforce').spent).toBe(4);
    });

    it('corrects the count to the calls really made: more for pages, fewer for cached answers', () => {
        const budget = new ApiBudget({ salesforce: { absolute: 100 } }, clock('2026-11-27T12:00:00.000Z').now);
        budget.take('salesforce', 1, 'poll');
        budget.settle('salesforce', { taken: 1, made: 5, headers: { 'Sforce-Limit-Info': 'api-usage=42/15000' } });
        expect(budget.status('salesforce')).toMatchObject({ spent: 5, orgLimit: 15_000, orgRemaining: 14_958 });
        budget.take('salesforce', 2, 'poll');
        budget.settle('salesforce', { taken: 2, made: 0 });
        expect(budget.status('salesforce').spent).toBe(5);
        expect(() => budget.settle('salesforce', { taken: 1, made: -1 })).toThrow(/made calls must be a non-negative/);
        expect(() => budget.settle('salesforce', { taken: 0, made: 1, inFlight: 2 })).toThrow(/2 calls in flight of 1/);
        expect(budget.status('salesforce').spent).toBe(5);
    });

    it('stamps calls in the rolling window when their answer arrives, as late as the server counted them', () => {
        const time = clock('2026-11-27T12:00:00.000Z');
        const budget = new ApiBudget({ hubspotBurst: { max: 10 } }, time.now);
        expect(budget.take('hubspot', 10, 'interactive')).toEqual({ allowed: true });
        time.advance(2_000);
        budget.settle('hubspot', { taken: 10, made: 10 });
        time.advance(9_000);
        expect(budget.canSpend('hubspot', 1, 'interactive')).toMatchObject({
            constraint: 'ten_secondly',
            waitMs: 1_000
        });
    });
});

describe('ApiBudget with concurrent work', () => {
    it('keeps calls it cannot attribute in flight until the last work lands them all', () => {
        const time = clock('2026-11-27T12:00:00.000Z');
        const budget = new ApiBudget({ hubspotBurst: { max: 10 } }, time.now);
        budget.take('hubspot', 1, 'interactive');
        budget.take('hubspot', 1, 'interactive');
        // The first work ends; the port counted both calls, and the second may still be on its way. Until
        // the second work settles its own advance count, the second call counts twice: never too few.
        time.advance(100);
        budget.settle('hubspot', { taken: 1, made: 2, inFlight: 2 });
        expect(budget.status('hubspot')).toMatchObject({ spent: 3, interval: { used: 3 } });
        time.advance(100);
        budget.settle('hubspot', { taken: 1, made: 0, landed: 2 });
        expect(budget.status('hubspot')).toMatchObject({ spent: 2, interval: { used: 2 } });
        // Both are stamped when the last answer arrived, 200 ms in.
        for (let index = 0; index < 8; index += 1) budget.record('hubspot', 1);
        expect(budget.canSpend('hubspot', 1, 'interactive')).toMatchObject({
            constraint: 'ten_secondly',
            waitMs: 10_000
        });
    });
});

describe('ApiBudget snapshots', () => {
    it('carries its own spend across a restart', () => {
        const time = clock('2026-11-27T12:00:00.000Z');
        const before = new ApiBudget({ salesforce: { absolute: 100 } }, time.now);
        before.record('salesforce', 60);
        time.advance(90_000);
        before.record('salesforce', 20);
        const saved = JSON.parse(JSON.stringify(before.snapshot())) as unknown;

        const after = new ApiBudget({ salesforce: { absolute: 100 } }, time.now);
        after.record('salesforce', 5);
        after.restore(saved);
        expect(after.status('salesforce').spent).toBe(85);
        expect(after.canSpend('salesforce', 1, 'backfill')).toMatchObject({ constraint: 'ceiling' });
        expect(() => after.restore({ version: 2 })).toThrow(/not a budget snapshot/);
        expect(after.status('salesforce').spent).toBe(85);
    });
});
