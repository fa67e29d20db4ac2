import { BudgetConfig } from './config';
import { capFor, decideSpend, type Constraint, type SideUsage, type SpendRequest } from './decide';
import { addSpend } from './ledger';
import { addCalls, newIntervalLog } from './interval-log';
import { WindowRule } from './window';

const now = Date.parse('2026-11-27T12:00:00.000Z');
const config = BudgetConfig.parse({});
const rolling = WindowRule.parse({ kind: 'rolling' });

function usage(spent: number, overrides: Partial<SideUsage> = {}): SideUsage {
    return {
        budget: { absolute: 1_000 },
        window: rolling,
        // Spent two hours ago: it leaves the rolling day 22 h (plus the rest of its minute) from now.
        ledger: spent > 0 ? addSpend([], now - 2 * 3_600_000, spent) : [],
        ...overrides
    };
}

function request(overrides: Partial<SpendRequest> = {}): SpendRequest {
    return { calls: 1, priority: 'poll', automaticRetry: false, endpoint: 'standard', ...overrides };
}

const freesAt = 22 * 3_600_000 + 60_000;

/** What a refusal must contain; the reason wording is pinned in its own test. */
function blocked(constraint: Constraint, waitMs: number) {
    return expect.objectContaining({ allowed: false, constraint, waitMs });
}

describe('capFor', () => {
    it.each([
        [{ absolute: 20_000 }, undefined, 20_000],
        [{ share: 0.5 }, 15_000, 7_500],
        [{ share: 0.333 }, 1_000, 333],
        [{ share: 0.5, dailyLimit: 250_000 }, undefined, 125_000],
        [{ share: 0.5, dailyLimit: 250_000 }, 500_000, 250_000],
        [{ share: 0.5 }, undefined, undefined]
    ])('%j with an org limit of %p is %p', (budget, orgLimit, cap) => {
        expect(capFor({ budget, orgLimit })).toBe(cap);
    });
});

describe('decideSpend against the cap and the priority ceilings', () => {
    it.each([
        // spent of 1000, priority, automatic retry, calls, expected constraint (undefined = allowed)
        [0, 'backfill', false, 1, undefined],
        [749, 'backfill', false, 1, undefined],
        [750, 'backfill', false, 1, 'ceiling'],
        [749, 'poll', true, 1, undefined],
        [750, 'poll', true, 1, 'ceiling'],
        [750, 'poll', false, 1, undefined],
        [899, 'poll', false, 1, undefined],
        [900, 'poll', false, 1, 'ceiling'],
        [900, 'fast_path', false, 100, undefined],
        [901, 'fast_path', false, 100, 'cap'],
        [999, 'interactive', false, 1, undefined],
        [1_000, 'interactive', false, 1, 'cap'],
        [1_000, 'interactive', true, 1, 'cap']
    ] as const)('%i spent: %s (retry %p) × %i → %p', (spent, priority, automaticRetry, calls, constraint) => {
        const decision = decideSpend(usage(spent), request({ priority, automaticRetry, calls }), config, now);
        expect(decision).toEqual(constraint === undefined ? { allowed: true } : blocked(constraint, freesAt));
    });

    it('explains a pause in words', () => {
        expect(decideSpend(usage(800), request({ priority: 'backfill' }), config, now)).toMatchObject({
            reason: 'backfill pause above 75% of the cap (800 of 1000 spent)'
        });
        expect(decideSpend(usage(800), request({ automaticRetry: true }), config, now)).toMatchObject({
            reason: 'automatic retries (poll) pause above 75% of the cap (800 of 1000 spent)'
        });
    });

    it('waits for the daily reset of a portal in its own time zone', () => {
        const daily = usage(1_000, { window: WindowRule.parse({ kind: 'daily', timeZone: 'America/New_York' }) });
        // 12:00 UTC is 07:00 in New York: the next midnight there is 05:00 UTC tomorrow, 17 h away.
        expect(decideSpend(daily, request({ priority: 'interactive' }), config, now)).toMatchObject({
            constraint: 'cap',
            waitMs: 17 * 3_600_000
        });
    });

    it('applies no cap while a share has no daily limit to take a share of', () => {
        expect(decideSpend(usage(1_000_000, { budget: { share: 0.5 } }), request(), config, now)).toEqual({
            allowed: true
        });
    });

    it('refuses requests that can never be allowed', () => {
        expect(() => decideSpend(usage(0), request({ calls: 1_001 }), config, now)).toThrow(
            /exceed the whole cap of 1000/
        );
        expect(() => decideSpend(usage(0), request({ calls: 0 }), config, now)).toThrow(/positive integer/);
    });
});

describe('decideSpend against what the org reports', () => {
    it.each([
        // remaining, observed (ms before now), calls, wait (undefined = allowed)
        [10, 0, 10, undefined],
        [9, 0, 10, 300_000],
        [0, 60_000, 1, 240_000],
        // After the recheck delay one call may probe whether the org has room again.
        [0, 300_000, 1, undefined]
    ])('%i left, seen %i ms ago, %i calls → wait %p', (remaining, age, calls, wait) => {
        const decision = decideSpend(
            usage(0, { orgRemaining: { remaining, observedAtMs: now - age } }),
            request({ calls, priority: 'interactive' }),
            config,
            now
        );
        expect(decision).toEqual(wait === undefined ? { allowed: true } : blocked('org_limit', wait));
    });

    it('forgets a HubSpot remaining count from before the daily reset', () => {
        const daily = usage(0, {
            window: WindowRule.parse({ kind: 'daily', timeZone: 'UTC' }),
            orgRemaining: { remaining: 0, observedAtMs: Date.parse('2026-11-26T23:59:00.000Z') }
        });
        expect(decideSpend(daily, request(), { ...config, orgRecheckMs: 86_400_000 }, now)).toEqual({ allowed: true });
    });
});

describe('decideSpend against HubSpot interval limits', () => {
    // `taken` calls in the rolling interval, made 3 s ago: they leave it 7 s from now. The resync button
    // was used a second ago, so every priority below it keeps its whole reserve.
    const withLogs = (
        taken: number,
        searchTaken = 0,
        lastTakenAtMs: SideUsage['lastTakenAtMs'] = { interactive: now - 1_000 }
    ) =>
        usage(0, {
            intervalLog: addCalls(newIntervalLog(100, 10_000), now - 3_000, taken),
            searchLog: addCalls(newIntervalLog(5, 1_000), now - 800, searchTaken),
            lastTakenAtMs
        });

    it.each([
        // taken of 100, priority, wait (0 = allowed): backfill keeps 15 for others, poll 10, fast path 5
        [0, 'backfill', 0],
        [84, 'backfill', 0],
        [85, 'backfill', 7_000],
        [89, 'poll', 0],
        [90, 'poll', 7_000],
        [95, 'fast_path', 7_000],
        [99, 'interactive', 0],
        [100, 'interactive', 7_000]
    ] as const)('%i taken: %s waits %i ms', (taken, priority, wait) => {
        const decision = decideSpend(withLogs(taken), request({ priority }), config, now);
        expect(decision).toEqual(wait === 0 ? { allowed: true } : blocked('ten_secondly', wait));
    });

    it.each([
        // taken of 100, priority, who took calls when (ms ago), wait
        [94, 'backfill', {}, 0],
        [95, 'backfill', {}, 7_000],
        [94, 'backfill', { backfill: 100 }, 0],
        [94, 'backfill', { interactive: 9_999 }, 7_000],
        [94, 'backfill', { interactive: 10_000 }, 0],
        [94, 'backfill', { poll: 500 }, 7_000],
        [89, 'poll', { backfill: 100 }, 0],
        [94, 'poll', { backfill: 100 }, 0],
        [94, 'poll', { fast_path: 100 }, 7_000],
        [95, 'fast_path', {}, 7_000]
    ] as const)(
        'a reserve nobody above used in the interval is lent down to 5: %i taken, %s after %j waits %i ms',
        (taken, priority, agoMs, wait) => {
            const lastTakenAtMs = Object.fromEntries(Object.entries(agoMs).map(([name, ago]) => [name, now - ago]));
            const decision = decideSpend(withLogs(taken, 0, lastTakenAtMs), request({ priority }), config, now);
            expect(decision).toEqual(wait === 0 ? { allowed: true } : blocked('ten_secondly', wait));
        }
    );

    it('names the limit and what it keeps for higher priorities', () => {
        expect(decideSpend(withLogs(85), request({ priority: 'backfill' }), config, now)).toMatchObject({
            reason: 'the rolling interval allowance of 100 per 10000 ms is used up, keeping 15 for higher priorities'
        });
    });

    it('limits search separately at its own rate', () => {
        expect(decideSpend(withLogs(0, 5), request(), config, now)).toEqual({ allowed: true });
        expect(decideSpend(withLogs(0, 5), request({ endpoint: 'search' }), config, now)).toMatchObject({
            constraint: 'search',
            waitMs: 200
        });
    });

    it('returns the longest of several waits', () => {
        const decision = decideSpend(
            { ...withLogs(100, 5), ledger: addSpend([], now - 2 * 3_600_000, 1_000) },
            request({ endpoint: 'search' }),
            config,
            now
        );
        expect(decision).toMatchObject({ constraint: 'cap', waitMs: freesAt });
    });
});
