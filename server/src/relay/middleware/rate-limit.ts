import type { NextFunction, Request, Response } from 'express';
import { HttpError } from '../http-error';

export interface TokenBucketOptions {
    /** Sustained rate. */
    perMinute: number;
    /** Requests allowed in a burst above the sustained rate. */
    burst: number;
    /** Bound on remembered clients; the least recently seen are forgotten first. */
    maxClients?: number;
    now?: () => number;
}

interface Bucket {
    tokens: number;
    updatedAt: number;
}

/** A token bucket per client key: `burst` requests at once, refilled at `perMinute`. Pure, clock injected. */
export class TokenBucketLimiter {
    private readonly buckets = new Map<string, Bucket>();
    private readonly refillPerMs: number;
    private readonly maxClients: number;
    private readonly now: () => number;

    constructor(private readonly options: TokenBucketOptions) {
        this.refillPerMs = options.perMinute / 60_000;
        this.maxClients = options.maxClients ?? 10_000;
        this.now = options.now ?? Date.now;
    }

    /** Takes one token; returns 0 when allowed, otherwise the milliseconds until a token is available. */
    take(key: string): number {
        const now = this.now();
        const bucket = this.buckets.get(key) ?? { tokens: this.options.burst, updatedAt: now };
        bucket.tokens = Math.min(this.options.burst, bucket.tokens + (now - bucket.updatedAt) * this.refillPerMs);
        bucket.updatedAt = now;
        // Re-insert so Map order is least-recently-seen first, which is what eviction drops.
        this.buckets.delete(key);
        this.buckets.set(key, bucket);
        if (this.buckets.size > this.maxClients) this.buckets.delete(this.buckets.keys().next().value!);
        if (bucket.tokens >= 1) {
            bucket.tokens -= 1;
            return 0;
        }
        return Math.ceil((1 - bucket.tokens) / this.refillPerMs);
    }
}

/** Rejects with 429 + Retry-After when the client (by address, as trusted-proxy settings resolve it) is over its rate. */
export function rateLimit(limiter: TokenBucketLimiter) {
    return (req: Request, _res: Response, next: NextFunction): void => {
        const waitMs = limiter.take(req.ip ?? 'unknown');
        if (waitMs === 0) {
            next();
            return;
        }
        const retryAfter = String(Math.max(1, Math.ceil(waitMs / 1000)));
        throw new HttpError(429, 'RATE_LIMITED', `Too many requests. Try again in ${retryAfter} s.`, undefined, {
            'Retry-After': retryAfter
        });
    };
}
