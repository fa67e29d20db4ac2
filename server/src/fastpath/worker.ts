/**
 * The fast-path worker: claims signals from the work queue (at most one Collections call's worth, 200),
 * groups them into engine runs (the records of one HubSpot object type per run, whole-object reconciles
 * apart), waits until no other run is in flight, runs them one after another and settles the leases.
 *
 * What is retried here is the run, not the record: a run that fails (its report says `failed`, or it
 * throws) fails every lease it covered, with back-off that waits at least until the time a 429, a request
 * limit or the API budget named (the budgeted ports note it while the run runs), and dead letters after
 * the queue's `maxAttempts`. A record that ends a completed run with its own error (a
 * validation rule, a missing required field) is completed here: the engine has put it in the error
 * table, which the dashboard shows and every scheduled poll retries; retrying it from the queue as well
 * would spend API calls on a record that needs a person, and dead-letter it for the wrong reason.
 */
import { randomUUID } from 'node:crypto';

import { RetryTimeCollector, retryTimeOf } from '../budget/retry-time';
import type { FailOptions, WorkQueue } from '../queue';
import type { RunReport, RunRequest } from '../sync/engine/context';
import { SyncAlreadyRunningError } from '../sync/engine/engine';
import { errorMessage } from '../sync/errors';
import type { FastPathLogger } from './logger';
import { planRuns, type PlannedRun } from './signals';

/** One Collections call or one batch read: the most records an ids-limited run syncs at once. */
export const maxBatchSize = 200;

export interface FastPathEngine {
    readonly running: boolean;
    run(request: RunRequest): Promise<RunReport>;
    whenIdle(): Promise<void>;
}

export interface FastPathWorkerOptions {
    engine: FastPathEngine;
    queue: Pick<WorkQueue, 'claim' | 'complete' | 'fail'>;
    runGroups: ReadonlyMap<string, string>;
    /** Signals claimed per batch, at most 200. */
    batchSize?: number;
    /** Longer than a batch's runs can take; an expired lease is taken over as if this worker had crashed. */
    leaseMs?: number;
    /** While another process runs a sync, how long to wait before asking again. */
    busyRetryMs?: number;
    workerId?: string;
    /** The clock a thrown error's `Retry-After` is counted from (the queue's, in tests). */
    now?: () => Date;
    onReport?: (report: RunReport) => void;
    logger?: FastPathLogger;
}

export interface BatchOutcome {
    claimed: number;
    completed: number;
    retried: number;
    deadLettered: number;
}

class WorkerStoppedError extends Error {
    constructor() {
        super('the relay stopped before the run could start');
        this.name = 'WorkerStoppedError';
    }
}

export class FastPathWorker {
    readonly workerId: string;
    private readonly batchSize: number;
    private readonly leaseMs: number;
    private readonly busyRetryMs: number;
    private stopping = false;
    private signalStop: () => void = () => {};
    /** Resolves on `stop()`, so waiting for another run's end does not hold up a shutdown. */
    private readonly stopped = new Promise<void>((resolve) => {
        this.signalStop = resolve;
    });

    constructor(private readonly options: FastPathWorkerOptions) {
        this.batchSize = options.batchSize ?? maxBatchSize;
        if (!Number.isInteger(this.batchSize) || this.batchSize < 1 || this.batchSize > maxBatchSize) {
            throw new RangeError(`batchSize must be an integer from 1 to ${maxBatchSize}, got ${this.batchSize}`);
        }
        this.leaseMs = options.leaseMs ?? 10 * 60_000;
        this.busyRetryMs = options.busyRetryMs ?? 1_000;
        this.workerId = options.workerId ?? `fast-path-${process.pid}-${randomUUID().slice(0, 8)}`;
    }

    /** Batches already claimed are finished; no new one is claimed. */
    stop(): void {
        this.stopping = true;
        this.signalStop();
    }

    /** Claims and works batches until the queue has nothing claimable, a run failed, or the worker is stopping. */
    async drain(): Promise<BatchOutcome> {
        const total: BatchOutcome = { claimed: 0, completed: 0, retried: 0, deadLettered: 0 };
        while (!this.stopping) {
            const outcome = await this.workBatch();
            total.claimed += outcome.claimed;
            total.completed += outcome.completed;
            total.retried += outcome.retried;
            total.deadLettered += outcome.deadLettered;
            // After a failure the next claim waits for the next tick: a jittered back-off can be near zero,
            // and a failing CRM must not see the same records again within milliseconds.
            if (outcome.claimed === 0 || outcome.retried > 0) break;
        }
        return total;
    }

    /** One claimed batch, every run of it, every lease settled. */
    async workBatch(): Promise<BatchOutcome> {
        const items = this.options.queue.claim(this.batchSize, this.leaseMs, this.workerId);
        const outcome: BatchOutcome = { claimed: items.length, completed: 0, retried: 0, deadLettered: 0 };
        if (items.length === 0) return outcome;
        const { runs, unrunnable } = planRuns(items, this.options.runGroups);
        if (unrunnable.length > 0) {
            // The mapping no longer syncs these objects: there is nothing to do for them, now or later.
            this.options.logger?.warn(
                { streams: [...new Set(unrunnable.map((item) => item.stream))] },
                'fast path: signals for objects no enabled mapping syncs were dropped'
            );
            outcome.completed += this.options.queue.complete(unrunnable).completed;
        }
        for (const run of runs) {
            const failure = await this.execute(run);
            if (failure === undefined) {
                const result = this.options.queue.complete(run.items);
                outcome.completed += result.completed + result.requeued;
                continue;
            }
            for (const item of run.items) {
                const result = this.options.queue.fail(item, failure.reason, failure.retry);
                if (result.outcome === 'retry') outcome.retried += 1;
                if (result.outcome === 'dead') outcome.deadLettered += 1;
            }
            this.options.logger?.warn(
                { objects: run.objects, records: run.items.length, reason: failure.reason },
                'fast path: the run failed; its signals will be retried with back-off'
            );
        }
        return outcome;
    }

    /** Runs one planned run; undefined when it completed, else why it failed and when it may be retried. */
    private async execute(run: PlannedRun): Promise<{ reason: string; retry: FailOptions } | undefined> {
        const request: RunRequest =
            run.kind === 'records'
                ? { mode: 'incremental', objects: run.objects, ids: run.ids }
                : { mode: 'incremental', objects: run.objects };
        // The budgeted ports note there when a failed call may be retried (429, REQUEST_LIMIT_EXCEEDED, the
        // budget's freesAt): the engine's report only keeps the message.
        const retryTimes = new RetryTimeCollector();
        const retry = (): FailOptions => {
            const notBefore = retryTimes.notBefore;
            return notBefore === undefined ? {} : { notBefore };
        };
        try {
            const report = await retryTimes.run(() => this.runWithoutOverlap(request));
            this.options.onReport?.(report);
            if (report.status === 'failed') {
                return {
                    reason: `sync run ${report.runId} failed: ${report.error ?? 'no reason given'}`,
                    retry: retry()
                };
            }
            return undefined;
        } catch (error) {
            // Not a failure of the records: their signals go back to the queue for the next start.
            if (error instanceof WorkerStoppedError) return { reason: error.message, retry: {} };
            const thrownRetryTime = retryTimeOf(error, { now: this.options.now?.() ?? new Date() });
            if (thrownRetryTime !== undefined) retryTimes.note(thrownRetryTime);
            return { reason: errorMessage(error) || String(error), retry: retry() };
        }
    }

    private async pause(ms: number): Promise<void> {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([new Promise((resolve) => (timer = setTimeout(resolve, ms))), this.stopped]);
        clearTimeout(timer);
    }

    /** Waits for the run in flight (scheduled poll, resync button) and starts ours right after it. */
    private async runWithoutOverlap(request: RunRequest): Promise<RunReport> {
        for (;;) {
            await Promise.race([this.options.engine.whenIdle(), this.stopped]);
            // Stopping while another run holds the engine: this run has not started, so give its signals back.
            if (this.stopping && this.options.engine.running) throw new WorkerStoppedError();
            try {
                return await this.options.engine.run(request);
            } catch (error) {
                if (!(error instanceof SyncAlreadyRunningError)) throw error;
                if (this.stopping) throw new WorkerStoppedError();
                // A run of another process (or one that started between whenIdle and run): ask again soon.
                if (!this.options.engine.running) await this.pause(this.busyRetryMs);
            }
        }
    }
}
