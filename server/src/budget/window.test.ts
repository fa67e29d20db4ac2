import { addSpend, spentInWindow, waitUntilSpentAtMost, pruneLedger } from './ledger';
import { nextResetMs, startOfLocalDate, windowStartMs, WindowRule } from './window';

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

describe('startOfLocalDate', () => {
    it.each([
        ['2026-11-27', 'UTC', '2026-11-27T00:00:00.000Z'],
        ['2026-11-27', 'America/New_York', '2026-11-27T05:00:00.000Z'],
        ['2026-07-01', 'America/New_York', '2026-07-01T04:00:00.000Z'],
        ['2026-11-27', 'Asia/Kolkata', '2026-11-26T18:30:00.000Z'],
        ['2026-11-27', 'Asia/Kathmandu', '2026-11-26T18:15:00.000Z'],
        ['2026-11-27', 'Pacific/Kiritimati', '2026-11-26T10:00:00.000Z'],
        // Auckland leaves DST at 03:00 that day: its midnight is still +13.
        ['2026-04-05', 'Pacific/Auckland', '2026-04-04T11:00:00.000Z'],
        // Santiago enters DST at midnight: the day starts at 01:00 local, one hour after 00:00 would have been.
        ['2026-09-06', 'America/Santiago', '2026-09-06T04:00:00.000Z']
    ])('%s in %s starts at %s', (date, timeZone, expected) => {
        expect(iso(startOfLocalDate(date, timeZone))).toBe(expected);
    });
});

describe('window rules', () => {
    const now = Date.parse('2026-11-27T03:30:00.000Z');

    it.each([
        [{ kind: 'rolling', hours: 24 }, '2026-11-26T03:30:00.000Z', undefined],
        [{ kind: 'rolling', hours: 1 }, '2026-11-27T02:30:00.000Z', undefined],
        [{ kind: 'daily', timeZone: 'UTC' }, '2026-11-27T00:00:00.000Z', '2026-11-28T00:00:00.000Z'],
        // 22:30 on the 26th in New York: the portal's day began at its own midnight.
        [{ kind: 'daily', timeZone: 'America/New_York' }, '2026-11-26T05:00:00.000Z', '2026-11-27T05:00:00.000Z'],
        [{ kind: 'daily', timeZone: 'Asia/Tokyo' }, '2026-11-26T15:00:00.000Z', '2026-11-27T15:00:00.000Z']
    ] as const)('%j starts at %s and resets at %s', (rule, start, reset) => {
        const parsed = WindowRule.parse(rule);
        expect(iso(windowStartMs(parsed, now))).toBe(start);
        expect(iso(nextResetMs(parsed, now))).toBe(reset);
    });

    it('defaults a rolling window to 24 hours and refuses unknown zones', () => {
        expect(WindowRule.parse({ kind: 'rolling' })).toEqual({ kind: 'rolling', hours: 24 });
        expect(() => WindowRule.parse({ kind: 'daily', timeZone: 'Mars/Olympus' })).toThrow(/not an IANA time zone/);
        expect(() => WindowRule.parse({ kind: 'weekly' })).toThrow();
    });
});

describe('spend ledger', () => {
    const minute = 60_000;
    const t0 = Date.parse('2026-11-27T00:00:00.000Z');
    const rolling = WindowRule.parse({ kind: 'rolling', hours: 1 });
    const daily = WindowRule.parse({ kind: 'daily', timeZone: 'UTC' });
    let ledger = addSpend([], t0 + 10_000, 5);
    ledger = addSpend(ledger, t0 + 50_000, 5);
    ledger = addSpend(ledger, t0 + 10 * minute, 20);
    ledger = addSpend(ledger, t0 + 30 * minute, 30);

    it('buckets calls by minute', () => {
        expect(ledger).toEqual([
            { startMs: t0, calls: 10 },
            { startMs: t0 + 10 * minute, calls: 20 },
            { startMs: t0 + 30 * minute, calls: 30 }
        ]);
    });

    it.each([
        // now (minutes after t0), rule, spent
        [30, rolling, 60],
        [60, rolling, 60],
        [61, rolling, 50],
        [71, rolling, 30],
        [91, rolling, 0],
        [30, daily, 60]
    ])('at t0+%i min spends %#: %i', (minutes, rule, spent) => {
        expect(spentInWindow(ledger, rule, t0 + minutes * minute)).toBe(spent);
    });

    it.each([
        // allowed, wait in ms from t0+40 min on a rolling hour
        [60, 0],
        [55, 21 * minute],
        [50, 21 * minute],
        [30, 31 * minute],
        [0, 51 * minute]
    ])('has room for at most %i after %i ms (rolling)', (allowed, wait) => {
        expect(waitUntilSpentAtMost(ledger, rolling, t0 + 40 * minute, allowed)).toBe(wait);
    });

    it('frees a daily window at the reset, all at once', () => {
        expect(waitUntilSpentAtMost(ledger, daily, t0 + 40 * minute, 10)).toBe(24 * 60 * minute - 40 * minute);
        expect(() => waitUntilSpentAtMost(ledger, daily, t0, -1)).toThrow(RangeError);
    });

    it('prunes what no window counts', () => {
        expect(pruneLedger(ledger, rolling, t0 + 71 * minute)).toEqual([{ startMs: t0 + 30 * minute, calls: 30 }]);
    });
});
