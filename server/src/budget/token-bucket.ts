/**
 * A token bucket, pure, for per-interval limits (HubSpot's ten-secondly and secondly limits, the search
 * endpoint's 5 per second). Tokens may go negative: calls made concurrently past a check are debt that
 * later waits pay back, so the bucket never drifts optimistic.
 */
export interface TokenBucket {
    capacity: number;
    intervalMs: number;
    tokens: number;
    updatedAtMs: number;
}

export function newBucket(capacity: number, intervalMs: number, nowMs: number): TokenBucket {
    if (!(capacity > 0) || !(intervalMs > 0)) {
        throw new RangeError(`a token bucket needs a positive capacity and interval, got ${capacity}/${intervalMs} ms`);
    }
    return { capacity, intervalMs, tokens: capacity, updatedAtMs: nowMs };
}

export function refill(bucket: TokenBucket, nowMs: number): TokenBucket {
    const elapsed = Math.max(0, nowMs - bucket.updatedAtMs);
    const tokens = Math.min(bucket.capacity, bucket.tokens + (elapsed * bucket.capacity) / bucket.intervalMs);
    return { ...bucket, tokens, updatedAtMs: Math.max(nowMs, bucket.updatedAtMs) };
}

/** Milliseconds until `needed` tokens are there while `reserved` stay untouched for higher priorities. */
export function waitForTokens(bucket: TokenBucket, nowMs: number, needed: number, reserved = 0): number {
    if (needed + reserved > bucket.capacity) {
        throw new RangeError(
            `${needed} calls at once can never fit a bucket of ${bucket.capacity} per ${bucket.intervalMs} ms with ${reserved} reserved`
        );
    }
    const current = refill(bucket, nowMs).tokens;
    const missing = needed + reserved - current;
    return missing <= 0 ? 0 : Math.ceil((missing * bucket.intervalMs) / bucket.capacity);
}

export function takeTokens(bucket: TokenBucket, nowMs: number, count: number): TokenBucket {
    const refilled = refill(bucket, nowMs);
    return { ...refilled, tokens: refilled.tokens - count };
}

/**
 * Applies what the server reports: a new size (adopting its remaining count), or else its remaining count
 * when lower than ours — a higher one may predate calls we already counted.
 */
export function reconcile(
    bucket: TokenBucket,
    nowMs: number,
    observed: { capacity?: number; intervalMs?: number; remaining?: number }
): TokenBucket {
    const refilled = refill(bucket, nowMs);
    const capacity = observed.capacity ?? refilled.capacity;
    const intervalMs = observed.intervalMs ?? refilled.intervalMs;
    const resized = capacity !== refilled.capacity;
    // A new size keeps what was used; the server's count then replaces our estimate, which was of another size.
    let tokens = Math.min(capacity, refilled.tokens + capacity - refilled.capacity);
    if (observed.remaining !== undefined) {
        tokens = resized ? Math.min(capacity, observed.remaining) : Math.min(tokens, observed.remaining);
    }
    return { capacity, intervalMs, tokens, updatedAtMs: refilled.updatedAtMs };
}
