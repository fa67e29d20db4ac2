/**
 * The durable work queue in the state database: intake → coalesce per record → batch → lease →
 * complete or fail. One row per (stream, record): a second signal for a record already waiting merges
 * into it, and a signal that arrives while the record is being worked on marks the row so completing
 * the stale work puts it back instead of dropping the change. Every operation is one `BEGIN IMMEDIATE`
 * transaction, so two connections (two workers, or a worker and the intake) never claim the same item.
 *
 * `openWorkQueue` opens its own connection to the state file (WAL lets it sit beside the state
 * store's); `new WorkQueue(database)` works on any migrated `DatabaseSync`, e.g. `:memory:` in tests.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';

import { z } from 'zod';

import { migrate } from '../state/migrations';
import { SqliteStateStoreOptions, stateFileName } from '../state/sqlite-store';
import { BackoffPolicy, backoffDelayMs } from './backoff';
import { Priority, priorities, priorityFromRank, priorityRank } from './priority';

/**
 * Twelve attempts under the default back-off (1 s doubling to 15 min, full jitter) wait about 16 minutes in all,
 * so a change outlasts a CRM outage of several minutes instead of dead-lettering in the first one or two.
 */
export const defaultMaxAttempts = 12;

export const WorkQueueOptions = z.strictObject({
    maxAttempts: z
        .number()
        .int()
        .min(1)
        .max(100)
        .default(defaultMaxAttempts)
        .meta({ description: 'Attempts (claims) before an item is dead-lettered.' }),
    backoff: BackoffPolicy.prefault({}),
    maxPayloadBytes: z
        .number()
        .int()
        .positive()
        .default(64 * 1024)
        .meta({ description: 'Signals are pointers to records, not the records: a larger payload is refused.' })
});
export type WorkQueueOptions = z.input<typeof WorkQueueOptions>;
type ResolvedOptions = z.output<typeof WorkQueueOptions>;

const maxErrorLength = 2_000;

export const Signal = z.strictObject({
    stream: z.string().min(1).max(200).meta({ description: 'What the record belongs to, e.g. a mapping id.' }),
    recordKey: z.string().min(1).max(200).meta({ description: 'The record within the stream, e.g. its id.' }),
    priority: Priority,
    reason: z.string().min(1).max(1_000).meta({ description: 'Why it was enqueued (cdc, webhook, poll, resync...).' }),
    payload: z.json().optional().meta({ description: 'Small JSON the worker needs; the latest signal wins.' }),
    availableAt: z.date().optional().meta({ description: 'Not claimable before this instant.' })
});
export type Signal = z.input<typeof Signal>;

export class WorkQueueInputError extends Error {
    override readonly name = 'WorkQueueInputError';
}

/** What a worker got from `claim`; hand it back (or just its id and token) to `complete` or `fail`. */
export interface ClaimedItem {
    id: number;
    stream: string;
    recordKey: string;
    priority: Priority;
    reason: string;
    payload: unknown;
    /** Claims so far, this one included. */
    attempts: number;
    enqueuedAt: Date;
    /** The error of the previous attempt, if it failed. */
    lastError: string | null;
    /** Identifies this lease: a worker whose lease expired and was taken over cannot complete or fail the item. */
    leaseToken: number;
    leaseExpiresAt: Date;
}

export type LeaseRef = Pick<ClaimedItem, 'id' | 'leaseToken'>;

export interface EnqueueResult {
    created: number;
    coalesced: number;
}

export interface CompleteResult {
    completed: number;
    /** A signal arrived during the lease: the item is ready again with the newer payload. */
    requeued: number;
    /** The lease was no longer this worker's (expired and taken over, or already settled). */
    stale: number;
}

/** What a failure says about its retry; both are floors under the jittered back-off, the later one wins. */
export interface FailOptions {
    /** Wait at least this long (a `Retry-After` in milliseconds). */
    retryAfterMs?: number;
    /** Not before this time (a rate limit's reset, a budget window's `freesAt`). */
    notBefore?: Date;
}

export type FailResult =
    | { outcome: 'retry'; availableAt: Date; attempts: number }
    | { outcome: 'dead'; attempts: number }
    | { outcome: 'stale' };

export interface DeadLetterListOptions {
    /** At most this many (500 by default). */
    limit?: number;
    offset?: number;
    order?: 'oldest' | 'newest';
    ids?: readonly number[];
}

export interface DeadLetter {
    id: number;
    stream: string;
    recordKey: string;
    priority: Priority;
    reason: string;
    payload: unknown;
    attempts: number;
    lastError: string | null;
    enqueuedAt: Date;
    deadAt: Date;
}

/** `ready` is claimable now (expired leases included), `delayed` waits for its `availableAt`, `leased` is held. */
export const depthStates = ['ready', 'delayed', 'leased', 'dead'] as const;
export type DepthState = (typeof depthStates)[number];

export interface QueueDepth {
    /** Every priority × state pair, zeros included, so gauges fall back to 0. */
    counts: { priority: Priority; state: DepthState; count: number }[];
    /** The oldest signal not yet done (dead letters excluded): how far behind the workers are. */
    oldestEnqueuedAt: Date | null;
}

export interface WorkQueueSettings {
    options?: WorkQueueOptions;
    now?: () => Date;
    /** In [0, 1); tests pass a seeded generator so back-off delays are reproducible. */
    random?: () => number;
}

type Row = Record<string, SQLInputValue>;

function rowNumber(row: Row, column: string): number {
    return Number(row[column]);
}

function rowText(row: Row, column: string): string {
    return String(row[column]);
}

function rowNullableText(row: Row, column: string): string | null {
    const value = row[column];
    return value === null || value === undefined ? null : String(value);
}

function positiveInteger(value: number, what: string): number {
    if (!Number.isInteger(value) || value < 1)
        throw new WorkQueueInputError(`${what} must be a positive integer, got ${value}`);
    return value;
}

export function openWorkQueue(location: SqliteStateStoreOptions, settings: WorkQueueSettings = {}): WorkQueue {
    const parsed = SqliteStateStoreOptions.parse(location);
    let path = ':memory:';
    if ('dataDir' in parsed) {
        mkdirSync(parsed.dataDir, { recursive: true });
        path = join(parsed.dataDir, stateFileName);
    }
    // A second connection to the state store's file; `timeout` makes a busy writer wait instead of failing.
    const database = new DatabaseSync(path, { timeout: 5_000 });
    try {
        if (path !== ':memory:') {
            database.exec('PRAGMA journal_mode = WAL');
            database.exec('PRAGMA synchronous = NORMAL');
        }
        migrate(database, settings.now ?? (() => new Date()));
    } catch (error) {
        database.close();
        throw error;
    }
    return new WorkQueue(database, settings, true);
}

export class WorkQueue {
    private readonly options: ResolvedOptions;
    private readonly now: () => Date;
    private readonly random: () => number;
    private readonly statements = new Map<string, StatementSync>();

    constructor(
        private readonly database: DatabaseSync,
        settings: WorkQueueSettings = {},
        private readonly ownsDatabase = false
    ) {
        this.options = WorkQueueOptions.parse(settings.options ?? {});
        this.now = settings.now ?? (() => new Date());
        this.random = settings.random ?? Math.random;
    }

    private statement(sql: string): StatementSync {
        let prepared = this.statements.get(sql);
        if (!prepared) {
            prepared = this.database.prepare(sql);
            this.statements.set(sql, prepared);
        }
        return prepared;
    }

    private transaction<T>(work: () => T): T {
        this.database.exec('BEGIN IMMEDIATE');
        try {
            const result = work();
            this.database.exec('COMMIT');
            return result;
        } catch (error) {
            this.database.exec('ROLLBACK');
            throw error;
        }
    }

    /**
     * Adds signals, merging each into the waiting item of its record: the latest payload and reason, the
     * higher priority, the earliest enqueue time. A back-off in progress is not shortened by a new signal;
     * a dead-lettered record that changes again is revived (attempts reset, the last error kept).
     * All or nothing: one invalid signal rejects the whole call.
     */
    enqueue(signals: readonly Signal[]): EnqueueResult {
        const parsed = z.array(Signal).safeParse(signals);
        if (!parsed.success) throw new WorkQueueInputError(`invalid signal: ${z.prettifyError(parsed.error)}`);
        const rows = parsed.data.map((signal, index) => {
            const payload = JSON.stringify(signal.payload ?? null);
            const bytes = Buffer.byteLength(payload);
            if (bytes > this.options.maxPayloadBytes) {
                throw new WorkQueueInputError(
                    `invalid signal: [${index}] payload is ${bytes} bytes, more than the ${this.options.maxPayloadBytes} allowed`
                );
            }
            return { signal, payload };
        });
        const now = this.now().getTime();
        const upsert = this.statement(`
            INSERT INTO work_queue (stream, record_key, priority, payload, reason, state, available_at, enqueued_at, updated_at)
            VALUES (:stream, :recordKey, :priority, :payload, :reason, 'ready', :availableAt, :now, :now)
            ON CONFLICT (stream, record_key) DO UPDATE SET
                priority = max(priority, excluded.priority),
                payload = excluded.payload,
                reason = excluded.reason,
                generation = generation + 1,
                available_at = CASE
                    WHEN state = 'dead' THEN excluded.available_at
                    WHEN state = 'ready' AND attempts = 0 THEN min(available_at, excluded.available_at)
                    ELSE available_at END,
                enqueued_at = CASE WHEN state = 'dead' THEN excluded.enqueued_at ELSE enqueued_at END,
                pending_since = CASE WHEN state = 'leased' THEN coalesce(pending_since, excluded.enqueued_at) ELSE pending_since END,
                attempts = CASE WHEN state = 'dead' THEN 0 ELSE attempts END,
                dead_at = CASE WHEN state = 'dead' THEN NULL ELSE dead_at END,
                state = CASE WHEN state = 'dead' THEN 'ready' ELSE state END,
                updated_at = excluded.updated_at
            RETURNING generation`);
        return this.transaction(() => {
            const result: EnqueueResult = { created: 0, coalesced: 0 };
            for (const { signal, payload } of rows) {
                const row = upsert.get({
                    stream: signal.stream,
                    recordKey: signal.recordKey,
                    priority: priorityRank(signal.priority),
                    payload,
                    reason: signal.reason,
                    availableAt: signal.availableAt?.getTime() ?? now,
                    now
                }) as Row;
                if (rowNumber(row, 'generation') === 1) result.created += 1;
                else result.coalesced += 1;
            }
            return result;
        });
    }

    /**
     * Leases up to `batchSize` claimable items, highest priority first then oldest: ready ones whose
     * `availableAt` has come, and leased ones whose lease expired (their worker died). An expired lease on
     * the last allowed attempt dead-letters the item instead, so a record that kills its worker cannot loop.
     */
    claim(batchSize: number, leaseMs: number, workerId: string): ClaimedItem[] {
        positiveInteger(batchSize, 'batchSize');
        positiveInteger(leaseMs, 'leaseMs');
        if (workerId.trim() === '') throw new WorkQueueInputError('workerId must not be empty');
        const now = this.now().getTime();
        return this.transaction(() => {
            this.statement(
                `
                UPDATE work_queue SET
                    state = 'dead',
                    dead_at = :now,
                    last_error = 'the lease of ' || coalesce(lease_owner, '?') || ' expired on attempt ' || attempts
                        || ' (worker crashed or stalled)' || coalesce('; previous error: ' || last_error, ''),
                    lease_owner = NULL,
                    lease_expires_at = NULL,
                    updated_at = :now
                WHERE state = 'leased' AND lease_expires_at <= :now AND attempts >= :maxAttempts`
            ).run({
                now,
                maxAttempts: this.options.maxAttempts
            });
            const claimed = this.statement(
                `
                UPDATE work_queue SET
                    state = 'leased',
                    attempts = attempts + 1,
                    lease_token = lease_token + 1,
                    lease_owner = :workerId,
                    lease_expires_at = :expiresAt,
                    claimed_generation = generation,
                    pending_since = NULL,
                    updated_at = :now
                WHERE id IN (
                    SELECT id FROM work_queue
                    WHERE (state = 'ready' AND available_at <= :now) OR (state = 'leased' AND lease_expires_at <= :now)
                    ORDER BY priority DESC, available_at, id
                    LIMIT :batchSize)
                RETURNING *`
            ).all({ workerId, expiresAt: now + leaseMs, now, batchSize }) as Row[];
            return claimed
                .sort(
                    (left, right) =>
                        rowNumber(right, 'priority') - rowNumber(left, 'priority') ||
                        rowNumber(left, 'available_at') - rowNumber(right, 'available_at') ||
                        rowNumber(left, 'id') - rowNumber(right, 'id')
                )
                .map((row) => ({
                    id: rowNumber(row, 'id'),
                    stream: rowText(row, 'stream'),
                    recordKey: rowText(row, 'record_key'),
                    priority: priorityFromRank(rowNumber(row, 'priority')),
                    reason: rowText(row, 'reason'),
                    payload: JSON.parse(rowText(row, 'payload')) as unknown,
                    attempts: rowNumber(row, 'attempts'),
                    enqueuedAt: new Date(rowNumber(row, 'enqueued_at')),
                    lastError: rowNullableText(row, 'last_error'),
                    leaseToken: rowNumber(row, 'lease_token'),
                    leaseExpiresAt: new Date(rowNumber(row, 'lease_expires_at'))
                }));
        });
    }

    /** Settles finished work. Items that received a signal during the lease go back to ready, attempts reset. */
    complete(leases: readonly LeaseRef[]): CompleteResult {
        const now = this.now().getTime();
        const remove = this.statement(`
            DELETE FROM work_queue
            WHERE id = :id AND lease_token = :leaseToken AND state = 'leased' AND generation = claimed_generation`);
        const requeue = this.statement(`
            UPDATE work_queue SET
                state = 'ready',
                attempts = 0,
                available_at = :now,
                enqueued_at = coalesce(pending_since, enqueued_at),
                pending_since = NULL,
                lease_owner = NULL,
                lease_expires_at = NULL,
                last_error = NULL,
                updated_at = :now
            WHERE id = :id AND lease_token = :leaseToken AND state = 'leased'`);
        return this.transaction(() => {
            const result: CompleteResult = { completed: 0, requeued: 0, stale: 0 };
            for (const { id, leaseToken } of leases) {
                const key = { id, leaseToken };
                if (Number(remove.run(key).changes) === 1) result.completed += 1;
                else if (Number(requeue.run({ ...key, now }).changes) === 1) result.requeued += 1;
                else result.stale += 1;
            }
            return result;
        });
    }

    /**
     * Records a failed attempt: back to ready after a capped, jittered exponential delay (at least
     * `retryAfterMs` when the server asked for it), or dead-lettered with `error` as the reason once the
     * item has used `maxAttempts`.
     */
    fail(lease: LeaseRef, error: string, options: FailOptions = {}): FailResult {
        if (error.trim() === '') throw new WorkQueueInputError('a failure needs a reason');
        const { notBefore } = options;
        if (
            options.retryAfterMs !== undefined &&
            (!Number.isFinite(options.retryAfterMs) || options.retryAfterMs < 0)
        ) {
            throw new WorkQueueInputError(`retryAfterMs must be a non-negative number, got ${options.retryAfterMs}`);
        }
        if (notBefore !== undefined && !(notBefore instanceof Date && Number.isFinite(notBefore.getTime()))) {
            throw new WorkQueueInputError(`notBefore must be a valid Date, got ${String(notBefore)}`);
        }
        const reason = error.length > maxErrorLength ? `${error.slice(0, maxErrorLength - 1)}…` : error;
        const now = this.now().getTime();
        // Whichever the failure named, the later one: a floor under the jittered back-off.
        const floors = [options.retryAfterMs, notBefore && notBefore.getTime() - now].filter(
            (ms): ms is number => ms !== undefined
        );
        const retryAfterMs = floors.length === 0 ? undefined : Math.max(0, ...floors);
        return this.transaction((): FailResult => {
            const row = this.statement(
                "SELECT attempts FROM work_queue WHERE id = ? AND lease_token = ? AND state = 'leased'"
            ).get(lease.id, lease.leaseToken) as Row | undefined;
            if (!row) return { outcome: 'stale' };
            const attempts = rowNumber(row, 'attempts');
            if (attempts >= this.options.maxAttempts) {
                this.statement(
                    `
                    UPDATE work_queue SET state = 'dead', dead_at = :now, last_error = :reason,
                        lease_owner = NULL, lease_expires_at = NULL, pending_since = NULL, updated_at = :now
                    WHERE id = :id`
                ).run({ now, reason, id: lease.id });
                return { outcome: 'dead', attempts };
            }
            const availableAt = now + backoffDelayMs(attempts, this.options.backoff, this.random, retryAfterMs);
            this.statement(
                `
                UPDATE work_queue SET state = 'ready', available_at = :availableAt, last_error = :reason,
                    pending_since = NULL, lease_owner = NULL, lease_expires_at = NULL, updated_at = :now
                WHERE id = :id`
            ).run({ availableAt, reason, now, id: lease.id });
            return { outcome: 'retry', availableAt: new Date(availableAt), attempts };
        });
    }

    /**
     * Dead letters a page at a time, by time of death (`oldest` first by default); `ids` narrows the list to
     * those letters (the ones that are not dead letters are simply absent).
     */
    deadLetters(options: DeadLetterListOptions = {}): DeadLetter[] {
        const { limit = 500, offset = 0, order = 'oldest', ids } = options;
        positiveInteger(limit, 'limit');
        if (!Number.isInteger(offset) || offset < 0)
            throw new WorkQueueInputError(`offset must be a whole number ≥ 0, got ${offset}`);
        if (ids) for (const id of ids) positiveInteger(id, 'a dead-letter id');
        const direction = order === 'newest' ? 'DESC' : 'ASC';
        const only = ids ? `AND id IN (SELECT value FROM json_each(?))` : '';
        const rows = this.statement(
            `SELECT * FROM work_queue WHERE state = 'dead' ${only} ORDER BY dead_at ${direction}, id ${direction} LIMIT ? OFFSET ?`
        ).all(...(ids ? [JSON.stringify(ids)] : []), limit, offset) as Row[];
        return rows.map((row) => ({
            id: rowNumber(row, 'id'),
            stream: rowText(row, 'stream'),
            recordKey: rowText(row, 'record_key'),
            priority: priorityFromRank(rowNumber(row, 'priority')),
            reason: rowText(row, 'reason'),
            payload: JSON.parse(rowText(row, 'payload')) as unknown,
            attempts: rowNumber(row, 'attempts'),
            lastError: rowNullableText(row, 'last_error'),
            enqueuedAt: new Date(rowNumber(row, 'enqueued_at')),
            deadAt: new Date(rowNumber(row, 'dead_at'))
        }));
    }

    /** Puts dead letters back to ready now with attempts reset; returns how many. Unknown or live ids are skipped. */
    replay(ids: readonly number[] | 'all'): number {
        if (ids !== 'all') for (const id of ids) positiveInteger(id, 'a dead-letter id');
        const now = this.now().getTime();
        const result = this.statement(
            `
            UPDATE work_queue SET state = 'ready', attempts = 0, available_at = :now, dead_at = NULL, updated_at = :now
            WHERE state = 'dead' AND (:all = 1 OR id IN (SELECT value FROM json_each(:ids)))`
        ).run({
            now,
            all: ids === 'all' ? 1 : 0,
            ids: JSON.stringify(ids === 'all' ? [] : ids)
        });
        return Number(result.changes);
    }

    /**
     * Deletes the dead letters that died before `before`, the start of a completed scheduled sync: that run
     * read every change since the last one, theirs included, and synced each record or recorded its error, so
     * nothing is left to replay. A dead letter's last signal came before it died (a newer one revives it).
     * Returns how many were deleted.
     */
    settleDeadLetters(before: Date): number {
        const result = this.statement(`DELETE FROM work_queue WHERE state = 'dead' AND dead_at < :before`).run({
            before: before.getTime()
        });
        return Number(result.changes);
    }

    depth(): QueueDepth {
        const now = this.now().getTime();
        const rows = this.statement(
            `
            SELECT priority,
                CASE
                    WHEN state = 'dead' THEN 'dead'
                    WHEN state = 'leased' AND lease_expires_at > :now THEN 'leased'
                    WHEN state = 'ready' AND available_at > :now THEN 'delayed'
                    ELSE 'ready' END AS bucket,
                count(*) AS count
            FROM work_queue GROUP BY 1, 2`
        ).all({ now }) as Row[];
        const found = new Map(rows.map((row) => [`${rowNumber(row, 'priority')}/${rowText(row, 'bucket')}`, row]));
        const counts = priorities.flatMap((priority) =>
            depthStates.map((state) => {
                const row = found.get(`${priorityRank(priority)}/${state}`);
                return { priority, state, count: row ? rowNumber(row, 'count') : 0 };
            })
        );
        const oldest = this.statement(
            "SELECT min(enqueued_at) AS oldest FROM work_queue WHERE state != 'dead'"
        ).get() as Row;
        return { counts, oldestEnqueuedAt: oldest.oldest === null ? null : new Date(rowNumber(oldest, 'oldest')) };
    }

    close(): void {
        this.statements.clear();
        if (this.ownsDatabase && this.database.isOpen) this.database.close();
    }
}
