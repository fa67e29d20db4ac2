/**
 * The spending decision, pure: given one side's known usage, may `calls` more calls of this priority go
 * now, and if not, how long until they may. Every constraint is evaluated and the longest wait is
 * returned, because time only ever frees room, so after that wait all of them hold.
 */
import { priorities, type Priority } from '../queue/priority';
import type { BudgetConfig } from './config';
import { spentInWindow, waitUntilSpentAtMost, type SpendLedger } from './ledger';
import { waitForRoom, type IntervalLog } from './interval-log';
import { nextResetMs, windowStartMs, type WindowRule } from './window';
import type { SideBudget } from './config';

export const constraints = ['cap', 'ceiling', 'org_limit', 'ten_secondly', 'secondly', 'search'] as const;
export type Constraint = (typeof constraints)[number];

/** Constraints that free within seconds (rolling per-interval limits): wait for them rather than give up. */
export function isPacing(constraint: Constraint): boolean {
    return constraint === 'ten_secondly' || constraint === 'secondly' || constraint === 'search';
}

export type SpendDecision =
    { allowed: true } | { allowed: false; waitMs: number; constraint: Constraint; reason: string };

export interface SideUsage {
    budget: SideBudget;
    window: WindowRule;
    /** Our own calls, per minute. */
    ledger: SpendLedger;
    /** The org's daily limit as the API last reported it. */
    orgLimit?: number;
    /** The org's remaining calls (all integrations together) as last reported, and when. */
    orgRemaining?: { remaining: number; observedAtMs: number };
    /** HubSpot only: its rolling limits (ten-secondly, secondly once reported, search). */
    intervalLog?: IntervalLog;
    secondlyLog?: IntervalLog;
    searchLog?: IntervalLog;
    /** When each priority last took calls on this side. */
    lastTakenAtMs?: Partial<Record<Priority, number>>;
}

export interface SpendRequest {
    calls: number;
    priority: Priority;
    automaticRetry: boolean;
    endpoint: 'standard' | 'search';
}

/** The cap in calls per window, or undefined while a share cap has no known daily limit to take a share of. */
export function capFor(usage: Pick<SideUsage, 'budget' | 'orgLimit'>): number | undefined {
    if ('absolute' in usage.budget) return usage.budget.absolute;
    const limit = usage.orgLimit ?? usage.budget.dailyLimit;
    return limit === undefined ? undefined : Math.floor(limit * usage.budget.share);
}

/** The share of the cap this request may fill. */
export function ceilingFor(request: Pick<SpendRequest, 'priority' | 'automaticRetry'>, config: BudgetConfig): number {
    const ceiling = config.ceilings[request.priority];
    return request.automaticRetry ? Math.min(ceiling, config.ceilings.retry) : ceiling;
}

interface Blocked {
    waitMs: number;
    constraint: Constraint;
    reason: string;
}

/**
 * The share of a rolling interval a request must leave to higher priorities: its priority's reserve while
 * work above it used the interval, otherwise no more than `idleBurstReserve`. A backfill alone runs close to
 * the limit; the first call of higher work finds the idle reserve free and stops lower work until the full
 * reserve is free again, which takes a moment when the lower work was paced at the limit.
 */
export function reserveShare(
    usage: Pick<SideUsage, 'lastTakenAtMs'>,
    priority: Priority,
    config: Pick<BudgetConfig, 'burstReserve' | 'idleBurstReserve'>,
    intervalMs: number,
    nowMs: number
): number {
    const kept = config.burstReserve[priority];
    const above = priorities.slice(priorities.indexOf(priority) + 1);
    const busy = above.some(
        (higher) => (usage.lastTakenAtMs?.[higher] ?? Number.NEGATIVE_INFINITY) > nowMs - intervalMs
    );
    return busy ? kept : Math.min(kept, config.idleBurstReserve);
}

function rollingBlock(
    usage: SideUsage,
    log: IntervalLog | undefined,
    constraint: Constraint,
    label: string,
    request: SpendRequest,
    config: BudgetConfig,
    nowMs: number
): Blocked | undefined {
    if (!log) return undefined;
    // Search has no reserve: its limit is the portal's, not a share of ours.
    const share = constraint === 'search' ? 0 : reserveShare(usage, request.priority, config, log.intervalMs, nowMs);
    const reserved = Math.floor(log.limit * share);
    const waitMs = waitForRoom(log, nowMs, request.calls, reserved);
    if (waitMs === 0) return undefined;
    const keeps = reserved > 0 ? `, keeping ${reserved} for higher priorities` : '';
    return {
        waitMs,
        constraint,
        reason: `${label} allowance of ${log.limit} per ${log.intervalMs} ms is used up${keeps}`
    };
}

export function decideSpend(
    usage: SideUsage,
    request: SpendRequest,
    config: BudgetConfig,
    nowMs: number
): SpendDecision {
    if (!Number.isInteger(request.calls) || request.calls < 1) {
        throw new RangeError(`calls must be a positive integer, got ${request.calls}`);
    }
    const blocks: Blocked[] = [];
    const cap = capFor(usage);
    if (cap !== undefined) {
        if (request.calls > cap) throw new RangeError(`${request.calls} calls at once exceed the whole cap of ${cap}`);
        const spent = spentInWindow(usage.ledger, usage.window, nowMs);
        if (spent + request.calls > cap) {
            blocks.push({
                waitMs: waitUntilSpentAtMost(usage.ledger, usage.window, nowMs, cap - request.calls),
                constraint: 'cap',
                reason: `the cap of ${cap} calls per window is reached (${spent} spent)`
            });
        }
        const ceilingShare = ceilingFor(request, config);
        const ceiling = Math.floor(cap * ceilingShare);
        if (ceilingShare < 1 && spent + request.calls > ceiling) {
            const what = request.automaticRetry ? `automatic retries (${request.priority})` : request.priority;
            blocks.push({
                // A ceiling below one request's size still frees at the window's next room for it.
                waitMs: waitUntilSpentAtMost(usage.ledger, usage.window, nowMs, Math.max(0, ceiling - request.calls)),
                constraint: 'ceiling',
                reason: `${what} pause above ${Math.round(ceilingShare * 100)}% of the cap (${spent} of ${cap} spent)`
            });
        }
    }

    const org = usage.orgRemaining;
    const freshOrg = org && org.observedAtMs >= windowStartMs(usage.window, nowMs) ? org : undefined;
    const probeAtMs = freshOrg ? freshOrg.observedAtMs + config.orgRecheckMs : 0;
    if (freshOrg && freshOrg.remaining < request.calls && probeAtMs > nowMs) {
        const resetMs = nextResetMs(usage.window, nowMs) ?? Number.POSITIVE_INFINITY;
        blocks.push({
            waitMs: Math.min(resetMs, probeAtMs) - nowMs,
            constraint: 'org_limit',
            reason: `the org reports ${freshOrg.remaining} API calls left`
        });
    }

    for (const block of [
        rollingBlock(usage, usage.intervalLog, 'ten_secondly', 'the rolling interval', request, config, nowMs),
        rollingBlock(usage, usage.secondlyLog, 'secondly', 'the per-second', request, config, nowMs),
        request.endpoint === 'search'
            ? rollingBlock(usage, usage.searchLog, 'search', 'the search endpoint', request, config, nowMs)
            : undefined
    ]) {
        if (block) blocks.push(block);
    }

    if (blocks.length === 0) return { allowed: true };
    const longest = blocks.reduce((worst, block) => (block.waitMs > worst.waitMs ? block : worst));
    return { allowed: false, ...longest, waitMs: Math.max(1, Math.ceil(longest.waitMs)) };
}
