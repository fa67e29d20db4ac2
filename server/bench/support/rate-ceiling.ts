/** HubSpot's rolling rate limit as a throughput ceiling (pure arithmetic). */

/**
 * The calls a rolling limit of `limit` per `windowMs` admits in `seconds`, starting from a fresh window:
 * the whole window's allowance at once, then the sustained rate.
 */
export function allowedCalls(seconds: number, limit: number, windowMs: number): number {
    if (!(seconds >= 0) || !(limit > 0) || !(windowMs > 0)) throw new RangeError('seconds ≥ 0, limit and window > 0');
    return Math.max(limit, (limit * seconds * 1000) / windowMs);
}

/** Records per second the limit admits when every call carries a full batch. */
export function ceilingRecordsPerSecond(limit: number, windowMs: number, batchSize: number): number {
    return (limit * 1000 * batchSize) / windowMs;
}
