/**
 * The two CRM ports with the API budget in front: every call asks the budget first and is counted after.
 * A refusal because a rolling limit (ten-secondly, secondly, search) is full waits the time the budget
 * names and asks again, so HubSpot's 429s stay rare; a refusal because the cap, the priority's ceiling or
 * the org's own allowance is reached throws `BudgetExhaustedError`, which ends the engine's run as failed.
 *
 * Batched writes and reads are split here into the adapters' batch sizes so each HTTP call asks on its
 * own; paged reads ask before each page. Calls the inner port makes beyond what was asked (more pages,
 * a batch split after a rejected input) are counted when the work settles, from the port's `calls()`.
 */
import { setTimeout as sleepFor } from 'node:timers/promises';

import type { Priority } from '../queue/priority';
import type { SyncSide } from '../sync/errors';
import {
    hubspotBatchSize,
    salesforceBatchSize,
    salesforceRetrieveSize,
    type ApiUsage,
    type HubSpotPort,
    type HubSpotRateLimit,
    type SalesforcePort
} from '../sync/adapters/ports';
import { chunk } from '../sync/adapters/salesforce';
import type { ApiBudget, SpendOptions } from './api-budget';
import { windowFor } from './config';
import { isPacing, type Constraint } from './decide';
import type { HeaderBag } from './headers';
import { noteRetryTime, retryTimeOf } from './retry-time';
import { nextResetMs } from './window';

export class BudgetExhaustedError extends Error {
    override readonly name = 'BudgetExhaustedError';

    constructor(
        readonly side: SyncSide,
        readonly priority: Priority,
        readonly constraint: Constraint,
        /** The cap in calls per window; null while a share cap has no known daily limit. */
        readonly cap: number | null,
        readonly spent: number,
        /** When this priority may spend again (the window frees or the org figure may be probed). */
        readonly freesAt: Date,
        reason: string
    ) {
        super(`API budget for ${side}: ${priority} work is paused, ${reason}; it resumes at ${freesAt.toISOString()}`);
    }
}

export interface BudgetedPortOptions {
    /** How to wait for a rolling limit (tests move a shared clock instead); it must let the event loop run. */
    sleep?: (ms: number) => Promise<void>;
    /** Batches of one batched call in flight at once (default `defaultBatchConcurrency`; 1 = one after another). */
    batchConcurrency?: number;
}

type Endpoint = NonNullable<SpendOptions['endpoint']>;

/**
 * One side's admission: ask, wait or refuse, run, settle. The port counts calls for all work together, so
 * while other work is still running through the gate, the calls seen cannot be told apart and are settled
 * as possibly in flight; when the gate falls idle every call has its answer and all of them land.
 */
class BudgetGate {
    private settledCalls: number;
    private running = 0;
    private held = 0;
    private lastFigures = '';

    constructor(
        private readonly side: SyncSide,
        private readonly budget: ApiBudget,
        private readonly priority: () => Priority,
        private readonly innerCalls: () => number,
        /** The latest limit figures of the port as headers, or undefined when it has none. */
        private readonly figures: () => HeaderBag | undefined,
        private readonly sleep: (ms: number) => Promise<void>
    ) {
        this.settledCalls = innerCalls();
    }

    async spend<T>(calls: number, work: () => Promise<T>, endpoint: Endpoint = 'standard'): Promise<T> {
        try {
            await this.admit(calls, endpoint);
        } catch (error) {
            this.noteRetryTime(error);
            throw error;
        }
        this.running += 1;
        try {
            return await work();
        } catch (error) {
            this.noteRetryTime(error);
            throw error;
        } finally {
            this.running -= 1;
            this.settle(calls, endpoint);
        }
    }

    /** Tells the caller's `RetryTimeCollector` when this failure says the work may be tried again. */
    private noteRetryTime(error: unknown): void {
        const now = this.budget.now();
        const { config } = this.budget;
        const dailyReset = nextResetMs(windowFor(config, 'hubspot'), now.getTime());
        noteRetryTime(
            retryTimeOf(error, {
                now,
                orgRecheckMs: config.orgRecheckMs,
                hubspotIntervalMs: config.hubspotBurst.intervalMs,
                ...(dailyReset === undefined ? {} : { hubspotDailyResetAt: new Date(dailyReset) })
            })
        );
    }

    private async admit(calls: number, endpoint: Endpoint): Promise<void> {
        const priority = this.priority();
        for (;;) {
            const decision = this.budget.take(this.side, calls, priority, { endpoint });
            if (decision.allowed) return;
            if (!isPacing(decision.constraint)) {
                const status = this.budget.status(this.side);
                throw new BudgetExhaustedError(
                    this.side,
                    priority,
                    decision.constraint,
                    status.cap,
                    status.spent,
                    new Date(this.budget.now().getTime() + decision.waitMs),
                    decision.reason
                );
            }
            await this.sleep(decision.waitMs);
        }
    }

    private settle(taken: number, endpoint: Endpoint): void {
        const calls = this.innerCalls();
        const made = Math.max(0, calls - this.settledCalls);
        this.settledCalls = calls;
        const idle = this.running === 0;
        const landed = idle ? this.held : 0;
        this.held = idle ? 0 : this.held + made;
        // Search answers carry no limit headers: the port's figures are then an older answer's.
        const figures = endpoint === 'search' ? undefined : this.figures();
        const serialized = JSON.stringify(figures ?? null);
        const fresh = figures !== undefined && serialized !== this.lastFigures;
        if (fresh) this.lastFigures = serialized;
        this.budget.settle(this.side, {
            taken,
            made,
            inFlight: idle ? 0 : made,
            landed,
            endpoint,
            ...(fresh ? { headers: figures } : {})
        });
    }
}

function salesforceFigures(usage: ApiUsage | undefined): HeaderBag | undefined {
    return usage ? { 'Sforce-Limit-Info': `api-usage=${usage.used}/${usage.limit}` } : undefined;
}

function hubspotFigures(limit: HubSpotRateLimit): HeaderBag | undefined {
    const headers: Record<string, string> = {};
    const put = (name: string, value: number | undefined) => {
        if (value !== undefined) headers[name] = String(value);
    };
    put('X-HubSpot-RateLimit-Daily', limit.dailyLimit);
    put('X-HubSpot-RateLimit-Daily-Remaining', limit.dailyRemaining);
    put('X-HubSpot-RateLimit-Max', limit.intervalLimit);
    put('X-HubSpot-RateLimit-Remaining', limit.intervalRemaining);
    return Object.keys(headers).length > 0 ? headers : undefined;
}

/**
 * Batches in flight at once per batched call. HubSpot's limit is calls per rolling interval, which the gate
 * paces, so batches in flight only fill the round trips. Salesforce batches of one call go one at a time:
 * concurrent updates of children lock their shared parent (UNABLE_TO_LOCK_ROW), and only the caller knows the
 * parents (the engine sends calls whose records share none side by side, `parent-safe-batches.ts`).
 */
export const defaultBatchConcurrency: Record<SyncSide, number> = { salesforce: 1, hubspot: 4 };

/**
 * Runs `send` once per batch, each batch asking the budget for its call, up to `concurrency` at a time, and
 * joins the results in input order. After a failure no further batch starts, the ones in flight are
 * awaited (nothing keeps writing after the caller has its error), and the first error is thrown.
 */
async function inBatches<T, R>(
    gate: BudgetGate,
    items: T[],
    size: number,
    concurrency: number,
    send: (batch: T[]) => Promise<R[]>
): Promise<R[]> {
    const batches = chunk(items, size);
    const results: R[][] = new Array<R[]>(batches.length);
    let next = 0;
    let failure: { error: unknown } | undefined;
    const worker = async () => {
        while (failure === undefined && next < batches.length) {
            const index = next++;
            try {
                results[index] = await gate.spend(1, () => send(batches[index]!));
            } catch (error) {
                failure ??= { error };
            }
        }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, batches.length) }, worker));
    if (failure) throw failure.error;
    return results.flat();
}

function batchConcurrency(side: SyncSide, options: BudgetedPortOptions): number {
    const concurrency = options.batchConcurrency ?? defaultBatchConcurrency[side];
    if (!Number.isInteger(concurrency) || concurrency < 1)
        throw new RangeError(`batchConcurrency must be an integer ≥ 1, not ${concurrency}`);
    return concurrency;
}

export function budgetedSalesforce(
    port: SalesforcePort,
    budget: ApiBudget,
    priority: () => Priority,
    options: BudgetedPortOptions = {}
): SalesforcePort {
    const gate = new BudgetGate(
        'salesforce',
        budget,
        priority,
        () => port.calls(),
        () => salesforceFigures(port.usage()),
        options.sleep ?? ((ms) => sleepFor(ms))
    );
    const concurrency = batchConcurrency('salesforce', options);
    const budgeted: SalesforcePort = {
        get instanceUrl() {
            return port.instanceUrl;
        },
        get userId() {
            return port.userId;
        },
        describe: (objectName) => gate.spend(1, () => port.describe(objectName)),
        users: () => gate.spend(1, () => port.users()),
        countRows: (soql) => gate.spend(1, () => port.countRows(soql)),
        retrieve: (objectName, ids, fields) =>
            inBatches(gate, [...new Set(ids)], salesforceRetrieveSize, concurrency, (batch) =>
                port.retrieve(objectName, batch, fields)
            ),
        async query(soql, queryOptions) {
            const rows = [];
            for await (const page of budgeted.queryPages(soql, queryOptions)) rows.push(...page);
            return rows;
        },
        async *queryPages(soql, queryOptions) {
            const pages = port.queryPages(soql, queryOptions)[Symbol.asyncIterator]();
            try {
                for (;;) {
                    const next = await gate.spend(1, () => pages.next());
                    if (next.done) return;
                    yield next.value;
                }
            } finally {
                await pages.return?.();
            }
        },
        // A bulk job's calls (create, polls, result pages) happen inside one page step, so each asks on its own.
        bulkQueryPages(soql, queryOptions = {}) {
            const outer = queryOptions.eachCall ?? ((call) => call());
            return port.bulkQueryPages(soql, {
                ...queryOptions,
                eachCall: (call) => gate.spend(1, () => outer(call))
            });
        },
        create: (objectName, records) =>
            inBatches(gate, records, salesforceBatchSize, concurrency, (batch) => port.create(objectName, batch)),
        update: (objectName, records) =>
            inBatches(gate, records, salesforceBatchSize, concurrency, (batch) => port.update(objectName, batch)),
        destroy: (objectName, ids) =>
            inBatches(gate, ids, salesforceBatchSize, concurrency, (batch) => port.destroy(objectName, batch)),
        calls: () => port.calls(),
        usage: () => port.usage()
    };
    return budgeted;
}

export function budgetedHubSpot(
    port: HubSpotPort,
    budget: ApiBudget,
    priority: () => Priority,
    options: BudgetedPortOptions = {}
): HubSpotPort {
    const gate = new BudgetGate(
        'hubspot',
        budget,
        priority,
        () => port.calls(),
        () => hubspotFigures(port.rateLimit()),
        options.sleep ?? ((ms) => sleepFor(ms))
    );
    const concurrency = batchConcurrency('hubspot', options);
    return {
        properties: (objectType) => gate.spend(1, () => port.properties(objectType)),
        pipelines: (objectType) => gate.spend(1, () => port.pipelines(objectType)),
        owners: () => gate.spend(1, () => port.owners()),
        search: (objectType, request) => gate.spend(1, () => port.search(objectType, request), 'search'),
        // Deduplicated first, as the adapter does, so batches stay full.
        read: (objectType, ids, properties, readOptions) =>
            inBatches(gate, [...new Set(ids)], hubspotBatchSize, concurrency, (batch) =>
                port.read(objectType, batch, properties, readOptions)
            ),
        create: (objectType, inputs) =>
            inBatches(gate, inputs, hubspotBatchSize, concurrency, (batch) => port.create(objectType, batch)),
        update: (objectType, inputs) =>
            inBatches(gate, inputs, hubspotBatchSize, concurrency, (batch) => port.update(objectType, batch)),
        listArchived: (objectType) => gate.spend(1, () => port.listArchived(objectType)),
        listMembers: (listId) => gate.spend(1, () => port.listMembers(listId)),
        archive: (objectType, ids) =>
            inBatches(gate, ids, hubspotBatchSize, concurrency, (batch) => port.archive(objectType, batch)),
        async readAssociations(fromType, toType, fromIds) {
            const pairs = await inBatches(gate, [...new Set(fromIds)], hubspotBatchSize, concurrency, async (batch) => [
                ...(await port.readAssociations(fromType, toType, batch))
            ]);
            return new Map(pairs);
        },
        createAssociations: (fromType, toType, pairs, associationTypeId) =>
            inBatches(gate, pairs, hubspotBatchSize, concurrency, (batch) =>
                port.createAssociations(fromType, toType, batch, associationTypeId)
            ),
        archiveAssociations: async (fromType, toType, pairs) => {
            await inBatches(gate, pairs, hubspotBatchSize, concurrency, async (batch) => {
                await port.archiveAssociations(fromType, toType, batch);
                return [];
            });
        },
        calls: () => port.calls(),
        rateLimit: () => port.rateLimit()
    };
}
