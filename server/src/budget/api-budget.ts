/**
 * The stateful side of the budget: keeps each side's usage from what the engine records and what the
 * APIs report, and answers `canSpend` through the pure `decideSpend`. Callers `take` before each call
 * (counting it at once, so concurrent callers see it) and `settle` after it with the calls really made and
 * the response headers, so the rolling limits follow the server. `record` counts calls made without `take`.
 *
 * Own spend survives a restart through `snapshot()` / `restore()` (`spend-store.ts` keeps it in the data
 * folder); the org's figures come back with the first response after a restart.
 */
import { z } from 'zod';

import type { Priority } from '../queue/priority';
import { SyncSide, syncSides } from '../sync/errors';
import { BudgetConfig, windowFor, type BudgetConfigInput } from './config';
import { capFor, decideSpend, type SideUsage, type SpendDecision } from './decide';
import { parseHubSpotRateLimitHeaders, parseSalesforceLimits, parseSforceLimitInfo, type HeaderBag } from './headers';
import {
    holdCalls,
    newIntervalLog,
    reconcileLog,
    settleLog,
    unattributedCalls,
    usedInWindow,
    type IntervalLog
} from './interval-log';
import { addSpend, pruneLedger, removeSpend, spentInWindow, type SpendLedger } from './ledger';

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
    /** HubSpot's rolling ten-secondly limit as we count it; null for Salesforce. */
    interval: { limit: number; intervalMs: number; used: number } | null;
}

export interface Settlement {
    /** Calls counted by `take` for this work (0 when it did not `take`): they end now. */
    taken: number;
    /** HTTP calls made since the last settlement. */
    made: number;
    /**
     * Of `made`, how many may still await their answer (other work sharing the port is still running):
     * they count without leaving the rolling windows until a later settlement reports them `landed`.
     */
    inFlight?: number;
    /** Calls an earlier settlement left in flight that are all answered now. */
    landed?: number;
    /** The latest response's headers, if any. */
    headers?: HeaderBag;
    endpoint?: SpendOptions['endpoint'];
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
        /** The budget's clock (tests share one with the sandboxes). */
        readonly now: () => Date = () => new Date()
    ) {
        this.config = BudgetConfig.parse(config);
        const side = (name: SyncSide): SideUsage => ({
            budget: this.config[name],
            window: windowFor(this.config, name),
            ledger: []
        });
        this.usage = {
            salesforce: side('salesforce'),
            hubspot: {
                ...side('hubspot'),
                intervalLog: newIntervalLog(this.config.hubspotBurst.max, this.config.hubspotBurst.intervalMs),
                searchLog: newIntervalLog(this.config.hubspotSearchPerSecond, 1_000)
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
     * `canSpend`, and when allowed counts the calls at once, before they are made: concurrent callers then
     * see them and a burst cannot overrun a limit between asking and answering. Follow with `settle`.
     */
    take(side: SyncSide, calls: number, priority: Priority, options: SpendOptions = {}): SpendDecision {
        const decision = this.canSpend(side, calls, priority, options);
        if (decision.allowed) {
            const usage = this.usage[side];
            const nowMs = this.now().getTime();
            usage.ledger = addSpend(pruneLedger(usage.ledger, usage.window, nowMs), nowMs, calls);
            usage.lastTakenAtMs = { ...usage.lastTakenAtMs, [priority]: nowMs };
            this.updateLogs(usage, options.endpoint, (log) => holdCalls(log, calls));
        }
        return decision;
    }

    /**
     * Corrects what `take` counted to the calls really made (more for paged answers, fewer for cached ones,
     * stamped now that the answer is here) and applies the limit figures of the response. Returns the names
     * of headers that were present but unreadable, for the caller to log; they never fail the call.
     */
    settle(side: SyncSide, settlement: Settlement): string[] {
        const { taken, made, inFlight = 0, landed = 0 } = settlement;
        for (const [name, value] of Object.entries({ taken, made, inFlight, landed })) {
            if (!Number.isInteger(value) || value < 0)
                throw new RangeError(`${name} calls must be a non-negative integer, got ${value}`);
        }
        if (inFlight > made) throw new RangeError(`${inFlight} calls in flight of ${made} made`);
        const usage = this.usage[SyncSide.parse(side)];
        const nowMs = this.now().getTime();
        const ledger = pruneLedger(usage.ledger, usage.window, nowMs);
        usage.ledger = made >= taken ? addSpend(ledger, nowMs, made - taken) : removeSpend(ledger, taken - made);
        this.updateLogs(
            usage,
            settlement.endpoint,
            (log) =>
                settleLog(log, { release: taken + landed, stamp: made - inFlight + landed, hold: inFlight }, nowMs),
            // A search request is one call, answered now that its work is settled.
            (log) => settleLog(log, { release: taken, stamp: Math.max(taken, made - inFlight), hold: 0 }, nowMs)
        );
        return side === 'salesforce'
            ? this.applySalesforceHeaders(usage, made, settlement.headers, nowMs)
            : this.applyHubSpotHeaders(usage, made, settlement.headers, nowMs);
    }

    /** Counts `calls` just made without `take` (e.g. the `/limits` read); see `settle`. */
    record(side: SyncSide, calls: number, headers?: HeaderBag, options: Pick<SpendOptions, 'endpoint'> = {}): string[] {
        if (!Number.isInteger(calls) || calls < 0)
            throw new RangeError(`calls must be a non-negative integer, got ${calls}`);
        return this.settle(side, {
            taken: 0,
            made: calls,
            ...(headers === undefined ? {} : { headers }),
            ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint })
        });
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
            interval: usage.intervalLog
                ? {
                      limit: usage.intervalLog.limit,
                      intervalMs: usage.intervalLog.intervalMs,
                      used: usedInWindow(usage.intervalLog, nowMs)
                  }
                : null
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

    /** Search counts against its own limit and, conservatively, the interval ones too. */
    private updateLogs(
        usage: SideUsage,
        endpoint: SpendOptions['endpoint'],
        update: (log: IntervalLog) => IntervalLog,
        updateSearch: (log: IntervalLog) => IntervalLog = update
    ): void {
        if (usage.intervalLog) usage.intervalLog = update(usage.intervalLog);
        if (usage.secondlyLog) usage.secondlyLog = update(usage.secondlyLog);
        if (usage.searchLog && endpoint === 'search') usage.searchLog = updateSearch(usage.searchLog);
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
        if (usage.intervalLog) {
            const interval = { limit: figures.intervalMax, intervalMs: figures.intervalMs };
            // Calls the bridge did not make on its app (the relay's timeline reads, another integration) are
            // treated as interactive work: lower priorities keep their whole reserve while they come.
            if (unattributedCalls(reconcileLog(usage.intervalLog, nowMs, interval), figures.intervalRemaining) > 0)
                usage.lastTakenAtMs = { ...usage.lastTakenAtMs, interactive: nowMs };
            usage.intervalLog = reconcileLog(usage.intervalLog, nowMs, {
                ...interval,
                remaining: figures.intervalRemaining
            });
        }
        if (figures.secondly !== undefined) {
            usage.secondlyLog = reconcileLog(usage.secondlyLog ?? newIntervalLog(figures.secondly, 1_000), nowMs, {
                limit: figures.secondly,
                remaining: figures.secondlyRemaining
            });
        }
        return malformed;
    }
}
