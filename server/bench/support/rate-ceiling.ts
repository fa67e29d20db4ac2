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

/** HubSpot's write endpoints as its sandbox counts them: object and association batch create, update, archive. */
const hubspotWriteEndpoint = /^POST \/crm\/v[34]\/(objects|associations)\/.+\/batch\/(create|update|archive)$/;

/**
 * The HubSpot write requests served between two snapshots of the sandbox's counts by endpoint. Counted where
 * they are served, so calls in flight together (a window's writes landing while the next window reads) are
 * each counted once, and the client's own retries count too.
 */
export function hubspotWriteRequests(before: Record<string, number>, after: Record<string, number>): number {
    return Object.entries(after)
        .filter(([endpoint]) => hubspotWriteEndpoint.test(endpoint))
        .reduce((total, [endpoint, served]) => total + served - (before[endpoint] ?? 0), 0);
}
