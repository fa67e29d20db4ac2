/**
 * One HubSpot read shared by every source that needs it: concurrent callers join the same request, a
 * success is kept for `ttlMs`, a failure is forgotten at once so the next caller retries. The shared
 * read runs under its own deadline, so one caller giving up does not cancel it for the others.
 */
import { withDeadline } from '../deadline';
import { TtlCache } from '../ttl-cache';
import { untilAborted } from './hubspot-call';

export class SharedLoader<V> {
    private readonly settled: TtlCache<V>;
    private readonly inFlight = new Map<string, Promise<V>>();
    private readonly timeoutMs: number;

    constructor(
        private readonly load: (key: string, signal: AbortSignal) => Promise<V>,
        options: { ttlMs: number; timeoutMs: number; maxEntries?: number; now?: () => number }
    ) {
        this.timeoutMs = options.timeoutMs;
        this.settled = new TtlCache(options.ttlMs, options.maxEntries ?? 1000, options.now);
    }

    get(key: string, signal: AbortSignal): Promise<V> {
        const cached = this.settled.get(key);
        if (cached !== undefined) return Promise.resolve(cached);
        let pending = this.inFlight.get(key);
        if (!pending) {
            pending = withDeadline(this.timeoutMs, (own) => this.load(key, own))
                .then((value) => {
                    this.settled.set(key, value);
                    return value;
                })
                .finally(() => this.inFlight.delete(key));
            this.inFlight.set(key, pending);
        }
        return untilAborted(signal, pending);
    }
}
