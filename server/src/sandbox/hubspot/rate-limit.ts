import type { SandboxClock } from '../common/clock';
import { randomUUID } from 'node:crypto';
import { HubSpotApiError } from './errors';

/**
 * Rate-limit presets. Burst limits are HubSpot's published ones for private apps (100 per 10 s on
 * Free/Starter, 190 per 10 s on Professional/Enterprise). The daily figures are the integration's own
 * budget from the project brief (Professional 40,000 and Enterprise 120,000 calls a day); Starter gets
 * the Professional figure because the brief names none. `unlimited` turns limits off for benchmarks.
 */
export const RATE_LIMIT_TIERS = {
    starter: { tenSecondly: 100, daily: 40_000 },
    professional: { tenSecondly: 190, daily: 40_000 },
    enterprise: { tenSecondly: 190, daily: 120_000 },
    unlimited: { tenSecondly: Number.POSITIVE_INFINITY, daily: Number.POSITIVE_INFINITY }
} as const;
export type RateLimitTier = keyof typeof RATE_LIMIT_TIERS;

/** CRM search has its own limit: 5 requests per second per account (CRM search guide). */
export const SEARCH_REQUESTS_PER_SECOND = 5;

const TEN_SECONDS = 10_000;
const DAY = 86_400_000;

/** A rolling window of request instants. */
class RollingWindow {
    private readonly instants: number[] = [];
    private head = 0;

    constructor(private readonly lengthMs: number) {}

    count(now: number): number {
        while (this.head < this.instants.length && this.instants[this.head] <= now - this.lengthMs) this.head++;
        if (this.head > 1024) {
            this.instants.splice(0, this.head);
            this.head = 0;
        }
        return this.instants.length - this.head;
    }

    add(now: number): void {
        this.instants.push(now);
    }

    clear(): void {
        this.instants.length = 0;
        this.head = 0;
    }
}

export interface RateLimitOutcome {
    headers: Record<string, string>;
    error?: HubSpotApiError;
}

export class HubSpotRateLimiter {
    private readonly burst = new RollingWindow(TEN_SECONDS);
    /** Only reported (`-Secondly-Remaining`); the burst window is what HubSpot enforces. */
    private readonly second = new RollingWindow(1_000);
    private readonly search = new RollingWindow(1_000);
    private dailyUsed = 0;
    private day = -1;

    constructor(
        private readonly clock: SandboxClock,
        public tier: RateLimitTier,
        private readonly appId: number
    ) {}

    private get limits() {
        return RATE_LIMIT_TIERS[this.tier];
    }

    /** The daily counter resets at midnight (UTC here; HubSpot uses the portal's time zone). */
    private rollDay(now: number): void {
        const day = Math.floor(now / DAY);
        if (day !== this.day) {
            this.day = day;
            this.dailyUsed = 0;
        }
    }

    /** Counts one request, or answers the 429 HubSpot would send. */
    take(kind: 'standard' | 'search'): RateLimitOutcome {
        const now = this.clock.now();
        this.rollDay(now);
        const { tenSecondly, daily } = this.limits;
        if (this.dailyUsed >= daily)
            return {
                headers: this.headers(now),
                error: rateLimitError(
                    'You have reached your daily limit.',
                    'DAILY',
                    `publicapi:private-app-api-calls-daily:${this.appId}`
                )
            };
        if (kind === 'search') {
            if (this.search.count(now) >= SEARCH_REQUESTS_PER_SECOND && Number.isFinite(tenSecondly))
                return { headers: {}, error: secondlyLimitError() };
            this.search.add(now);
            this.dailyUsed++;
            // Search responses carry no rate-limit headers.
            return { headers: {} };
        }
        if (this.burst.count(now) >= tenSecondly)
            return {
                headers: this.headers(now),
                error: rateLimitError(
                    'You have reached your ten_secondly_rolling limit.',
                    'TEN_SECONDLY_ROLLING',
                    `publicapi:private-app-api-calls-ten-secondly:${this.appId}`
                )
            };
        this.burst.add(now);
        this.second.add(now);
        this.dailyUsed++;
        return { headers: this.headers(now) };
    }

    headers(now = this.clock.now()): Record<string, string> {
        const { tenSecondly, daily } = this.limits;
        if (!Number.isFinite(tenSecondly)) return {};
        this.rollDay(now);
        const used = this.burst.count(now);
        const secondly = Math.ceil(tenSecondly / 10);
        return {
            'X-HubSpot-RateLimit-Daily': String(daily),
            'X-HubSpot-RateLimit-Daily-Remaining': String(Math.max(0, daily - this.dailyUsed)),
            'X-HubSpot-RateLimit-Interval-Milliseconds': String(TEN_SECONDS),
            'X-HubSpot-RateLimit-Max': String(tenSecondly),
            'X-HubSpot-RateLimit-Remaining': String(Math.max(0, tenSecondly - used)),
            'X-HubSpot-RateLimit-Secondly': String(secondly),
            'X-HubSpot-RateLimit-Secondly-Remaining': String(Math.max(0, secondly - this.second.count(now)))
        };
    }

    /** Marks `calls` of today's budget as used (to rehearse a nearly exhausted day). */
    consumeDaily(calls: number): void {
        this.rollDay(this.clock.now());
        this.dailyUsed += calls;
    }

    usage(): { tier: RateLimitTier; dailyUsed: number; dailyLimit: number; tenSecondlyLimit: number } {
        this.rollDay(this.clock.now());
        return {
            tier: this.tier,
            dailyUsed: this.dailyUsed,
            dailyLimit: this.limits.daily,
            tenSecondlyLimit: this.limits.tenSecondly
        };
    }

    reset(): void {
        this.burst.clear();
        this.second.clear();
        this.search.clear();
        this.dailyUsed = 0;
    }
}

/**
 * The 429 bodies as HubSpot sends them (no `category`; `errorType` and `policyName` instead). The
 * client's RetryDecorator retries `TEN_SECONDLY_ROLLING` after 10 s and the secondly message after 1 s.
 */
export function rateLimitError(message: string, policyName: string, groupName: string): HubSpotApiError {
    return new HubSpotApiError(429, {
        status: 'error',
        message,
        errorType: 'RATE_LIMIT',
        correlationId: randomUUID(),
        policyName,
        groupName
    });
}

export function secondlyLimitError(): HubSpotApiError {
    return new HubSpotApiError(429, {
        status: 'error',
        message: 'You have reached your secondly limit.',
        errorType: 'RATE_LIMIT',
        correlationId: randomUUID(),
        policyName: 'SECONDLY',
        requestId: randomUUID()
    });
}
