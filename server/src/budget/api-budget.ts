/**
 * The stateful side of the budget: keeps each side's usage from what the engine records and what the
 * APIs report, and answers `canSpend` through the pure `decideSpend`. The engine asks before each call
 * (or batch of calls) and records after it with the response headers, so the buckets follow the server.
 *
 * Own spend survives a restart only through `snapshot()` / `restore()`; the org's figures come back with
 * the first response after a restart.
 */
import { z } from 'zod';

import type { Priority } from '../queue/priority';
import { SyncSide, syncSides } from '../sync/errors';
import { BudgetConfig, windowFor, type BudgetConfigInput } from './config';
import { capFor, decideSpend, type SideUsage, type SpendDecision } from './decide';
import { parseHubSpotRateLimitHeaders, parseSalesforceLimits, parseSforceLimitInfo, type HeaderBag } from './headers';
import { addSpend, pruneLedger, spentInWindow, type SpendLedger } from './ledger';
import { newBucket, reconcile, refill, takeTokens } from './token-bucket';

export interface SpendOptions {
    /** A retry the engine decided on by itself (not a user's or a fresh signal's): paused above the retry ceiling. */
    automaticRetry?: boolean;
    /** HubSpot CRM search has its own per-second limit. */
    endpoint?: 'standard' | 'search';
}

export interface BudgetStatus {
    cap: number | null;
    spent: number;
    orgLimit: number | null;
    orgRemaining: number | null;
    /** Whether backfill and automatic retries are paused right now. */
    backgroundPaused: boolean;
    intervalTokens: number | null;
}

const BudgetSnapshot = z.strictObject({
    version: z.literal(1),
    ledgers: z.record(
        SyncSide,
        z.array(z.strictObject({ startMs: z.number().int(), calls: z.number().int().nonnegative() }))
    )
});
export type BudgetSnapshot = z.infer<typeof BudgetSnapshot>;

export class ApiBudget {
    readonly config: BudgetConfig;
    private readonly usage: Record<SyncSide, SideUsage>;

    constructor(
        config: BudgetConfigInput = {},
        private readonly now: () => Date = () => new Date()
    ) {
        this.config = BudgetConfig.parse(config);
        const nowMs = this.now().getTime();
        const side = (name: SyncSide): SideUsage => ({
            budget: this.config[name],
            window: windowFor(this.config, name),
            ledger: []
        });
        this.usage = {
            salesforce: side('salesforce'),
            hubspot: {
                ...side('hubspot'),
                intervalBucket: newBucket(this.config.hubspotBurst.max, this.config.hubspotBurst.intervalMs, nowMs),
                searchBucket: newBucket(this.config.hubspotSearchPerSecond, 1_000, nowMs)
            }
        };
    }

    canSpend(side: SyncSide, calls: number, priority: Priority, options: SpendOptions = {}): SpendDecision {
        return decideSpend(
            this.usage[SyncSide.parse(side)],
            {
                calls,
                priority,
                automaticRetry: options.automaticRetry ?? false,
                endpoint: options.endpoint ?? 'standard'
            },
            this.config,
            this.now().getTime()
        );
    }

    /**
     * Counts `calls` just made and applies the limit figures of the response. Returns the names of headers
     * that were present but unreadable, for the caller to log; they never fail the call.
     */
    record(side: SyncSide, calls: number, headers?: HeaderBag, options: Pick<SpendOptions, 'endpoint'> = {}): string[] {
        if (!Number.isInteger(calls) || calls < 0)
            throw new RangeError(`calls must be a non-negative integer, got ${calls}`);
        const usage = this.usage[SyncSide.parse(side)];
        const nowMs = this.now().getTime();
        usage.ledger = addSpend(pruneLedger(usage.ledger, usage.window, nowMs), nowMs, calls);
        if (usage.intervalBucket) usage.intervalBucket = takeTokens(usage.intervalBucket, nowMs, calls);
        if (usage.secondlyBucket) usage.secondlyBucket = takeTokens(usage.secondlyBucket, nowMs, calls);
        if (usage.searchBucket && options.endpoint === 'search') {
            usage.searchBucket = takeTokens(usage.searchBucket, nowMs, calls);
        }
        return side === 'salesforce'
            ? this.applySalesforceHeaders(usage, calls, headers, nowMs)
            : this.applyHubSpotHeaders(usage, calls, headers, nowMs);
    }

    /** The body of Salesforce `GET /limits` (record the call itself with `record`). */
    observeSalesforceLimits(body: unknown): void {
        const { max, remaining } = parseSalesforceLimits(body);
        const usage = this.usage.salesforce;
        usage.orgLimit = max;
        usage.orgRemaining = { remaining, observedAtMs: this.now().getTime() };
    }

    status(side: SyncSide): BudgetStatus {
        const usage = this.usage[SyncSide.parse(side)];
        const nowMs = this.now().getTime();
        const cap = capFor(usage);
        return {
            cap: cap ?? null,
            spent: spentInWindow(usage.ledger, usage.window, nowMs),
            orgLimit: usage.orgLimit ?? null,
            orgRemaining: usage.orgRemaining?.remaining ?? null,
            backgroundPaused: !this.canSpend(side, 1, 'backfill', { automaticRetry: true }).allowed,
            intervalTokens: usage.intervalBucket ? Math.floor(refill(usage.intervalBucket, nowMs).tokens) : null
        };
    }

    snapshot(): BudgetSnapshot {
        return {
            version: 1,
            ledgers: {
                salesforce: [...this.usage.salesforce.ledger],
                hubspot: [...this.usage.hubspot.ledger]
            }
        };
    }

    /** Adds a snapshot's spend to what this tracker counted (normally nothing yet, right after start). */
    restore(snapshot: unknown): void {
        const parsed = BudgetSnapshot.safeParse(snapshot);
        if (!parsed.success) throw new Error(`not a budget snapshot: ${z.prettifyError(parsed.error)}`);
        const nowMs = this.now().getTime();
        for (const side of syncSides) {
            const usage = this.usage[side];
            const combined = [...usage.ledger, ...parsed.data.ledgers[side]].sort(
                (left, right) => left.startMs - right.startMs
            );
            const merged = combined.reduce<SpendLedger>(
                (ledger, bucket) => addSpend(ledger, bucket.startMs, bucket.calls),
                []
            );
            usage.ledger = pruneLedger(merged, usage.window, nowMs);
        }
    }

    private applySalesforceHeaders(usage: SideUsage, calls: number, headers: HeaderBag | undefined, nowMs: number) {
        const { figures, malformed } = parseSforceLimitInfo(headers);
        if (figures.used !== undefined && figures.limit !== undefined) {
            usage.orgLimit = figures.limit;
            usage.orgRemaining = { remaining: figures.limit - figures.used, observedAtMs: nowMs };
        } else if (usage.orgRemaining) {
            usage.orgRemaining = { ...usage.orgRemaining, remaining: usage.orgRemaining.remaining - calls };
        }
        return malformed;
    }

    private applyHubSpotHeaders(usage: SideUsage, calls: number, headers: HeaderBag | undefined, nowMs: number) {
        const { figures, malformed } = parseHubSpotRateLimitHeaders(headers);
        if (figures.daily !== undefined) usage.orgLimit = figures.daily;
        if (figures.dailyRemaining !== undefined) {
            usage.orgRemaining = { remaining: figures.dailyRemaining, observedAtMs: nowMs };
        } else if (usage.orgRemaining) {
            usage.orgRemaining = { ...usage.orgRemaining, remaining: usage.orgRemaining.remaining - calls };
        }
        if (usage.intervalBucket) {
            usage.intervalBucket = reconcile(usage.intervalBucket, nowMs, {
                capacity: figures.intervalMax,
                intervalMs: figures.intervalMs,
                remaining: figures.intervalRemaining
            });
        }
        if (figures.secondly !== undefined) {
            usage.secondlyBucket = reconcile(usage.secondlyBucket ?? newBucket(figures.secondly, 1_000, nowMs), nowMs, {
                capacity: figures.secondly,
                remaining: figures.secondlyRemaining
            });
        }
        return malformed;
    }
}
