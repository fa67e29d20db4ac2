/**
 * When failed work may be tried again, as the APIs (and the budget) said: a `Retry-After` header, HubSpot's
 * 429 policy, Salesforce's REQUEST_LIMIT_EXCEEDED, or the `freesAt` of a `BudgetExhaustedError`.
 *
 * The engine turns a failure into a run report with a message, so the time would be lost on the way to the
 * work queue. The budgeted ports see every failed call: they note its time in the `RetryTimeCollector` the
 * caller runs the work in (AsyncLocalStorage carries it through the engine), and the caller reads the latest
 * time noted when the work failed.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

import { parseRetryAfter } from '../queue/backoff';

export interface RetryTimeContext {
    now: Date;
    /** After Salesforce's REQUEST_LIMIT_EXCEEDED (which names no time), when the org may be probed again. */
    orgRecheckMs?: number;
    /** After HubSpot's daily limit: the reset of the budget's HubSpot window. */
    hubspotDailyResetAt?: Date;
    /** After HubSpot's ten-secondly limit without a `Retry-After`: its interval. */
    hubspotIntervalMs?: number;
}

interface ErrorShape {
    name?: unknown;
    errorCode?: unknown;
    code?: unknown;
    body?: { policyName?: unknown };
    retryAfterMs?: unknown;
    freesAt?: unknown;
    headers?: unknown;
    response?: { headers?: unknown };
    cause?: unknown;
}

/** HubSpot's 429 `policyName` → how long its limit takes to free, when no `Retry-After` says. */
function hubspotPolicyWaitMs(policy: unknown, context: RetryTimeContext): number | undefined {
    if (policy === 'DAILY')
        return context.hubspotDailyResetAt && context.hubspotDailyResetAt.getTime() - context.now.getTime();
    if (policy === 'SECONDLY') return 1_000;
    return context.hubspotIntervalMs;
}

/** The time the error says to wait for, or undefined when it says nothing (plain back-off applies). */
export function retryTimeOf(error: unknown, context: RetryTimeContext): Date | undefined {
    if (typeof error !== 'object' || error === null) return undefined;
    const shape = error as ErrorShape;
    const after = (ms: number | undefined) =>
        ms === undefined || !Number.isFinite(ms) ? undefined : new Date(context.now.getTime() + Math.max(0, ms));
    if (shape.name === 'BudgetExhaustedError' && shape.freesAt instanceof Date) return shape.freesAt;
    if (typeof shape.retryAfterMs === 'number') return after(shape.retryAfterMs);
    for (const headers of [shape.headers, shape.response?.headers]) {
        const value = headerValue(headers, 'retry-after');
        if (value !== undefined) return after(parseRetryAfter(value, context.now));
    }
    if (shape.code === 429 && typeof shape.body === 'object' && shape.body !== null) {
        return after(hubspotPolicyWaitMs(shape.body.policyName, context));
    }
    // jsforce names its errors after Salesforce's errorCode.
    if (shape.errorCode === 'REQUEST_LIMIT_EXCEEDED' || shape.name === 'REQUEST_LIMIT_EXCEEDED') {
        return after(context.orgRecheckMs);
    }
    return shape.cause === undefined ? undefined : retryTimeOf(shape.cause, context);
}

function headerValue(headers: unknown, name: string): string | undefined {
    if (typeof headers !== 'object' || headers === null) return undefined;
    if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
    for (const [key, value] of Object.entries(headers)) {
        if (key.toLowerCase() === name && (typeof value === 'string' || typeof value === 'number'))
            return String(value);
    }
    return undefined;
}

const scope = new AsyncLocalStorage<RetryTimeCollector>();

/** Collects the retry times noted while its work runs; the latest one is the one that matters. */
export class RetryTimeCollector {
    private latestMs: number | undefined;

    run<T>(work: () => T): T {
        return scope.run(this, work);
    }

    note(at: Date): void {
        this.latestMs = Math.max(this.latestMs ?? at.getTime(), at.getTime());
    }

    /** The latest time noted, or undefined when no failure named one. */
    get notBefore(): Date | undefined {
        return this.latestMs === undefined ? undefined : new Date(this.latestMs);
    }
}

/** Notes a failure's retry time in the enclosing collector, if any. */
export function noteRetryTime(at: Date | undefined): void {
    if (at !== undefined) scope.getStore()?.note(at);
}
