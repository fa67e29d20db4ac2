/**
 * Our own API spend per minute, pure: enough to answer "how much did we spend in the window" and "when
 * will the window have room for N more" for both window rules, in bounded memory (one entry a minute).
 */
import { nextResetMs, windowStartMs, type WindowRule } from './window';

export const bucketMs = 60_000;

export interface SpendBucket {
    /** Start of the minute, epoch ms. */
    startMs: number;
    calls: number;
}

/** Oldest first. */
export type SpendLedger = readonly SpendBucket[];

export function addSpend(ledger: SpendLedger, nowMs: number, calls: number): SpendLedger {
    const startMs = Math.floor(nowMs / bucketMs) * bucketMs;
    const last = ledger.at(-1);
    if (last && last.startMs === startMs) return [...ledger.slice(0, -1), { startMs, calls: last.calls + calls }];
    return [...ledger, { startMs, calls }];
}

/**
 * Takes back `calls` counted in advance but not made (a cached answer), from the newest minutes first:
 * that is where the advance count went.
 */
export function removeSpend(ledger: SpendLedger, calls: number): SpendLedger {
    let left = calls;
    const kept: SpendBucket[] = [];
    for (const bucket of [...ledger].reverse()) {
        const taken = Math.min(left, bucket.calls);
        left -= taken;
        if (bucket.calls > taken) kept.unshift({ startMs: bucket.startMs, calls: bucket.calls - taken });
    }
    return kept;
}

/** A bucket still counts while any part of its minute lies in the window: never under-counts. */
function inWindow(bucket: SpendBucket, windowStart: number): boolean {
    return bucket.startMs + bucketMs > windowStart;
}

export function spentInWindow(ledger: SpendLedger, rule: WindowRule, nowMs: number): number {
    const start = windowStartMs(rule, nowMs);
    return ledger.reduce((sum, bucket) => (inWindow(bucket, start) ? sum + bucket.calls : sum), 0);
}

/** Drops buckets no window can count any more. */
export function pruneLedger(ledger: SpendLedger, rule: WindowRule, nowMs: number): SpendLedger {
    const start = windowStartMs(rule, nowMs);
    return ledger.filter((bucket) => inWindow(bucket, start));
}

/**
 * How long until the calls in the window are at most `allowed` (0 when they already are). Rolling windows
 * free as old minutes age out; daily windows free all at once at the reset.
 */
export function waitUntilSpentAtMost(ledger: SpendLedger, rule: WindowRule, nowMs: number, allowed: number): number {
    if (allowed < 0) throw new RangeError(`allowed spend must not be negative, got ${allowed}`);
    let spent = spentInWindow(ledger, rule, nowMs);
    if (spent <= allowed) return 0;
    const reset = nextResetMs(rule, nowMs);
    if (reset !== undefined) return reset - nowMs;
    const start = windowStartMs(rule, nowMs);
    const windowMs = nowMs - start;
    for (const bucket of ledger) {
        if (!inWindow(bucket, start)) continue;
        spent -= bucket.calls;
        if (spent <= allowed) return bucket.startMs + bucketMs + windowMs - nowMs;
    }
    // Unreachable: with every bucket gone the spend is 0 ≤ allowed.
    return windowMs;
}
