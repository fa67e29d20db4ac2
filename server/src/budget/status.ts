/**
 * The budget as operators see it (dashboard, metrics): per side the cap and the spend in the window,
 * when the window resets, the org's own figures, HubSpot's rolling ten-secondly count, and for each
 * priority whether its work runs now, is being paced for seconds, or is paused and until when.
 */
import { priorities, type Priority } from '../queue/priority';
import { syncSides, type SyncSide } from '../sync/errors';
import type { ApiBudget } from './api-budget';
import { windowFor } from './config';
import { isPacing } from './decide';
import { nextResetMs, type WindowRule } from './window';

export type PriorityState = { state: 'running' } | { state: 'paced' | 'paused'; reason: string; resumesAt: string };

export interface BudgetSideReport {
    /** Calls per window this bridge may spend; null while a share has no known daily limit to take it of. */
    cap: number | null;
    spent: number;
    /** `spent / cap`, from 0 to 1; null without a cap. */
    usedShare: number | null;
    window: WindowRule;
    /** The next reset of a daily window; null for a rolling one, which frees call by call. */
    resetsAt: string | null;
    /** The org's daily limit and what is left of it for all integrations, as the API last reported. */
    org: { limit: number | null; remaining: number | null };
    /** HubSpot's rolling ten-secondly limit as the bridge counts it; null for Salesforce. */
    tenSecondly: { limit: number; intervalMs: number; used: number } | null;
    priorities: Record<Priority, PriorityState>;
}

export interface BudgetReport {
    salesforce: BudgetSideReport;
    hubspot: BudgetSideReport;
    measuredAt: string;
}

function priorityState(budget: ApiBudget, side: SyncSide, priority: Priority, nowMs: number): PriorityState {
    const decision = budget.canSpend(side, 1, priority);
    if (decision.allowed) return { state: 'running' };
    return {
        state: isPacing(decision.constraint) ? 'paced' : 'paused',
        reason: decision.reason,
        resumesAt: new Date(nowMs + decision.waitMs).toISOString()
    };
}

export function budgetSideReport(budget: ApiBudget, side: SyncSide): BudgetSideReport {
    const nowMs = budget.now().getTime();
    const status = budget.status(side);
    const window = windowFor(budget.config, side);
    const reset = nextResetMs(window, nowMs);
    return {
        cap: status.cap,
        spent: status.spent,
        usedShare: status.cap === null ? null : Math.min(1, status.spent / status.cap),
        window,
        resetsAt: reset === undefined ? null : new Date(reset).toISOString(),
        org: { limit: status.orgLimit, remaining: status.orgRemaining },
        tenSecondly: status.interval,
        priorities: Object.fromEntries(
            priorities.map((priority) => [priority, priorityState(budget, side, priority, nowMs)])
        ) as Record<Priority, PriorityState>
    };
}

/** Both sides, JSON-ready. */
export function budgetReport(budget: ApiBudget): BudgetReport {
    const [salesforce, hubspot] = syncSides.map((side) => budgetSideReport(budget, side)) as [
        BudgetSideReport,
        BudgetSideReport
    ];
    return { salesforce, hubspot, measuredAt: budget.now().toISOString() };
}
