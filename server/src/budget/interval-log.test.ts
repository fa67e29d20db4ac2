import {
    addCalls,
    holdCalls,
    newIntervalLog,
    pruneLog,
    reconcileLog,
    settleLog,
    usedInWindow,
    waitForRoom,
    type IntervalLog
} from './interval-log';

const t0 = 1_000_000;
const tenSecondly = (instants: number[] = []): IntervalLog => ({ ...newIntervalLog(10, 10_000), instants });

describe('IntervalLog', () => {
    it('rejects a limit that cannot be', () => {
        expect(() => newIntervalLog(0, 10_000)).toThrow(/positive limit and interval/);
        expect(() => newIntervalLog(10, Number.NaN)).toThrow(/positive limit and interval/);
    });

    it('counts a call until exactly one interval after it, as HubSpot does', () => {
        const log = tenSecondly([t0]);
        expect(usedInWindow(log, t0 + 9_999)).toBe(1);
        expect(usedInWindow(log, t0 + 10_000)).toBe(0);
        expect(pruneLog(log, t0 + 10_000).instants).toEqual([]);
        expect(pruneLog(log, t0)).toBe(log);
    });

    it('waits until enough of the oldest calls leave the window, never lets more than the limit through', () => {
        const full = addCalls(tenSecondly(), t0, 10);
        expect(waitForRoom(full, t0 + 3_000, 1)).toBe(7_000);
        // A refilling bucket would allow some calls here; the server still counts all ten.
        expect(waitForRoom(full, t0 + 9_999, 1)).toBe(1);
        expect(waitForRoom(full, t0 + 10_000, 10)).toBe(0);

        const spread = tenSecondly([t0, t0 + 1_000, t0 + 2_000, t0 + 3_000, t0 + 4_000]);
        expect(waitForRoom(spread, t0 + 5_000, 5)).toBe(0);
        expect(waitForRoom(spread, t0 + 5_000, 6)).toBe(5_000);
        // Keeping 3 for higher priorities: 2 of the 5 must leave first.
        expect(waitForRoom(spread, t0 + 5_000, 4, 3)).toBe(6_000);
        expect(() => waitForRoom(spread, t0, 8, 3)).toThrow(/can never fit a limit of 10/);
    });

    it('keeps the log ordered when asked to add calls before the newest one', () => {
        expect(addCalls(tenSecondly([t0 + 500]), t0, 2).instants).toEqual([t0 + 500, t0 + 500, t0 + 500]);
        expect(addCalls(tenSecondly([t0]), t0, 0).instants).toEqual([t0]);
    });

    it('counts calls in flight until their answer, then stamps them when it arrived', () => {
        const held = holdCalls(tenSecondly([t0 - 5_000]), 2);
        expect(usedInWindow(held, t0)).toBe(3);
        // In flight calls never leave the window before an interval from now.
        expect(waitForRoom(holdCalls(tenSecondly(), 10), t0, 1)).toBe(10_000);
        expect(waitForRoom(holdCalls(tenSecondly([t0 - 4_000]), 9), t0, 1)).toBe(6_000);

        const answered = settleLog(held, { release: 2, stamp: 3, hold: 0 }, t0 + 800);
        expect(answered).toEqual({ ...held, instants: [t0 - 5_000, t0 + 800, t0 + 800, t0 + 800], inFlight: 0 });
        // Calls that other work may still await are held, and land later.
        const unsure = settleLog(held, { release: 1, stamp: 0, hold: 4 }, t0 + 800);
        expect(unsure).toMatchObject({ instants: [t0 - 5_000], inFlight: 5 });
        expect(settleLog(unsure, { release: 5, stamp: 5, hold: 0 }, t0 + 900)).toMatchObject({ inFlight: 0 });
        expect(settleLog(tenSecondly(), { release: 3, stamp: 0, hold: 0 }, t0).inFlight).toBe(0);
    });

    it("adopts the server's limit and adds the calls it counted that we did not, as made now", () => {
        const ours = holdCalls(tenSecondly([t0]), 1);
        const resized = reconcileLog(ours, t0 + 100, { limit: 190, intervalMs: 10_000, remaining: 185 });
        expect(resized.limit).toBe(190);
        expect(resized.instants).toEqual([t0, t0 + 100, t0 + 100, t0 + 100]);
        expect(usedInWindow(resized, t0 + 100)).toBe(5);
        // A lower server count predates calls still in flight: ours stands.
        expect(usedInWindow(reconcileLog(resized, t0 + 200, { remaining: 189 }), t0 + 200)).toBe(5);
        expect(reconcileLog(resized, t0 + 200, {})).toEqual(resized);
    });
});
