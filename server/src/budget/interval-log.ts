/**
 * A rolling-window limit as the server enforces it, pure: the instants of our calls in the last
 * `intervalMs`. HubSpot counts the ten-secondly, secondly and search limits over rolling windows of
 * request instants; a refilling token bucket would let up to twice the limit through in one window
 * (a full bucket plus its refill), so a burst would still meet 429s. Memory is bounded by the limit.
 *
 * A call counts as in flight, without an instant, from when it is allowed until its answer is here (see
 * `settleLog`); only then is it stamped. The server counted it on arrival, earlier, so our copy leaves the
 * window no sooner than the server's does — stamping it when allowed could let a wait end while the
 * server, which saw it later, still counts it.
 */
export interface IntervalLog {
    limit: number;
    intervalMs: number;
    /** Answered calls, oldest first; only instants still inside the window matter. */
    instants: readonly number[];
    /** Calls allowed but not answered yet: they count and cannot leave the window. */
    inFlight: number;
}

export function newIntervalLog(limit: number, intervalMs: number): IntervalLog {
    if (!(limit > 0) || !(intervalMs > 0)) {
        throw new RangeError(`a rolling limit needs a positive limit and interval, got ${limit}/${intervalMs} ms`);
    }
    return { limit, intervalMs, instants: [], inFlight: 0 };
}

/** Drops instants that left the window (a call at `t` stops counting at `t + intervalMs`, as HubSpot counts). */
export function pruneLog(log: IntervalLog, nowMs: number): IntervalLog {
    const firstInside = log.instants.findIndex((instant) => instant > nowMs - log.intervalMs);
    if (firstInside === 0) return log;
    return { ...log, instants: firstInside === -1 ? [] : log.instants.slice(firstInside) };
}

export function usedInWindow(log: IntervalLog, nowMs: number): number {
    return pruneLog(log, nowMs).instants.length + log.inFlight;
}

/** Milliseconds until `needed` more calls fit while `reserved` of the limit stay untouched for higher priorities. */
export function waitForRoom(log: IntervalLog, nowMs: number, needed: number, reserved = 0): number {
    if (needed + reserved > log.limit) {
        throw new RangeError(
            `${needed} calls at once can never fit a limit of ${log.limit} per ${log.intervalMs} ms with ${reserved} reserved`
        );
    }
    const { instants } = pruneLog(log, nowMs);
    const mustLeave = instants.length + log.inFlight - (log.limit - reserved - needed);
    if (mustLeave <= 0) return 0;
    // A call still in flight leaves the window one interval after its answer, which is not before now.
    if (mustLeave > instants.length) return log.intervalMs;
    return instants[mustLeave - 1]! + log.intervalMs - nowMs;
}

/** Counts `count` calls at `atMs` (never before the newest instant, so the log stays ordered). */
export function addCalls(log: IntervalLog, atMs: number, count: number): IntervalLog {
    if (count <= 0) return log;
    const at = Math.max(atMs, log.instants.at(-1) ?? atMs);
    return { ...log, instants: [...log.instants, ...Array.from({ length: count }, () => at)] };
}

/** Counts `count` calls allowed now, in flight until settled. */
export function holdCalls(log: IntervalLog, count: number): IntervalLog {
    return { ...log, inFlight: log.inFlight + count };
}

/**
 * Settles calls answered by `atMs`: `release` in-flight calls end, `stamp` calls are stamped at `atMs`,
 * and `hold` more are counted in flight (made, but perhaps not answered yet).
 */
export function settleLog(
    log: IntervalLog,
    change: { release: number; stamp: number; hold: number },
    atMs: number
): IntervalLog {
    const settled = addCalls(log, atMs, change.stamp);
    return { ...settled, inFlight: Math.max(0, log.inFlight - change.release) + change.hold };
}

/**
 * Applies what the server reports: its limit and interval, and its remaining count. When the server has
 * counted more calls than we have (other integrations sharing the app, calls before a restart), the
 * difference is added as made now — conservative, since those calls were made earlier. A server count
 * below ours is ignored: ours includes calls still in flight.
 */
export function reconcileLog(
    log: IntervalLog,
    nowMs: number,
    observed: { limit?: number; intervalMs?: number; remaining?: number }
): IntervalLog {
    const resized = pruneLog(
        { ...log, limit: observed.limit ?? log.limit, intervalMs: observed.intervalMs ?? log.intervalMs },
        nowMs
    );
    return addCalls(resized, nowMs, unattributedCalls(resized, observed.remaining));
}

/** The calls the server counts in the interval beyond ours (made or in flight): someone else's. */
export function unattributedCalls(log: IntervalLog, remaining: number | undefined): number {
    if (remaining === undefined) return 0;
    return Math.max(0, Math.max(0, log.limit - remaining) - log.instants.length - log.inFlight);
}
