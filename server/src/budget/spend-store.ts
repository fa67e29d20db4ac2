/**
 * The budget's own spend, kept across restarts: without it a restarted relay would count from zero and
 * could spend a window's cap a second time. One row per side and minute (the ledger's own buckets) in
 * its own SQLite file in the relay's data folder, with a versioned schema (`PRAGMA user_version`).
 *
 * Writes are batched: `persistBudget` saves what changed since the last save every few seconds (one
 * transaction, only the minutes that changed) and once more when it stops. A crash loses at most one
 * interval of calls from the count; a clean stop loses none.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

import { z } from 'zod';

import { syncSides, type SyncSide } from '../sync/errors';
import type { ApiBudget, BudgetSnapshot } from './api-budget';

export const budgetFileName = 'api-budget.sqlite';

/** Append only: each entry moves the schema from its index to the next version. */
const schemaMigrations: readonly string[] = [
    `CREATE TABLE spend_minutes (
        side TEXT NOT NULL CHECK (side IN ('salesforce', 'hubspot')),
        minute_start_ms INTEGER NOT NULL CHECK (minute_start_ms % 60000 = 0),
        calls INTEGER NOT NULL CHECK (calls > 0),
        PRIMARY KEY (side, minute_start_ms)
    ) STRICT, WITHOUT ROWID`
];

export const BudgetStoreLocation = z.union([
    z.strictObject({ path: z.literal(':memory:') }),
    z.strictObject({ dataDir: z.string().min(1) })
]);
export type BudgetStoreLocation = z.infer<typeof BudgetStoreLocation>;

const SpendRow = z.strictObject({
    side: z.enum(syncSides),
    minute_start_ms: z.number().int(),
    calls: z.number().int().positive()
});

type SavedMinutes = Record<SyncSide, Map<number, number>>;

export class BudgetStoreError extends Error {
    override readonly name = 'BudgetStoreError';
}

export class BudgetSpendStore {
    /** What the file holds, so a save writes only the differences. */
    private saved: SavedMinutes = { salesforce: new Map(), hubspot: new Map() };

    private constructor(private readonly database: DatabaseSync) {}

    static open(location: BudgetStoreLocation): BudgetSpendStore {
        const parsed = BudgetStoreLocation.parse(location);
        let path = ':memory:';
        if ('dataDir' in parsed) {
            mkdirSync(parsed.dataDir, { recursive: true });
            path = join(parsed.dataDir, budgetFileName);
        }
        const database = new DatabaseSync(path, { timeout: 5_000 });
        try {
            if (path !== ':memory:') database.exec('PRAGMA journal_mode = WAL');
            migrate(database, path);
        } catch (error) {
            database.close();
            throw error;
        }
        return new BudgetSpendStore(database);
    }

    /** The spend kept in the file, for `ApiBudget.restore`. */
    load(): BudgetSnapshot {
        const rows = this.database
            .prepare('SELECT side, minute_start_ms, calls FROM spend_minutes ORDER BY side, minute_start_ms')
            .all();
        const saved: SavedMinutes = { salesforce: new Map(), hubspot: new Map() };
        for (const raw of rows) {
            const row = SpendRow.parse({ ...raw });
            saved[row.side].set(row.minute_start_ms, row.calls);
        }
        this.saved = saved;
        return { version: 1, ledgers: toLedgers(saved) };
    }

    /** Writes the snapshot's minutes that differ from the file, in one transaction; returns the rows touched. */
    save(snapshot: BudgetSnapshot): number {
        const next: SavedMinutes = { salesforce: new Map(), hubspot: new Map() };
        for (const side of syncSides) {
            for (const bucket of snapshot.ledgers[side]) {
                if (bucket.calls > 0) next[side].set(bucket.startMs, bucket.calls);
            }
        }
        const upserts: [SyncSide, number, number][] = [];
        const deletes: [SyncSide, number][] = [];
        for (const side of syncSides) {
            for (const [minute, calls] of next[side]) {
                if (this.saved[side].get(minute) !== calls) upserts.push([side, minute, calls]);
            }
            for (const minute of this.saved[side].keys()) {
                if (!next[side].has(minute)) deletes.push([side, minute]);
            }
        }
        if (upserts.length === 0 && deletes.length === 0) return 0;
        const upsert = this.database.prepare(
            `INSERT INTO spend_minutes (side, minute_start_ms, calls) VALUES (?, ?, ?)
             ON CONFLICT (side, minute_start_ms) DO UPDATE SET calls = excluded.calls`
        );
        const remove = this.database.prepare('DELETE FROM spend_minutes WHERE side = ? AND minute_start_ms = ?');
        this.database.exec('BEGIN IMMEDIATE');
        try {
            for (const row of upserts) upsert.run(...row);
            for (const row of deletes) remove.run(...row);
            this.database.exec('COMMIT');
        } catch (error) {
            this.database.exec('ROLLBACK');
            throw error;
        }
        this.saved = next;
        return upserts.length + deletes.length;
    }

    close(): void {
        if (this.database.isOpen) this.database.close();
    }
}

function toLedgers(saved: SavedMinutes): BudgetSnapshot['ledgers'] {
    const ledger = (side: SyncSide) =>
        [...saved[side]].sort(([left], [right]) => left - right).map(([startMs, calls]) => ({ startMs, calls }));
    return { salesforce: ledger('salesforce'), hubspot: ledger('hubspot') };
}

function migrate(database: DatabaseSync, path: string): void {
    const { user_version: version } = database.prepare('PRAGMA user_version').get() as { user_version: number };
    if (version > schemaMigrations.length) {
        throw new BudgetStoreError(
            `${path} has budget schema version ${version}, newer than this relay knows (${schemaMigrations.length}): ` +
                'run the newer relay or move the file away'
        );
    }
    for (let next = version; next < schemaMigrations.length; next += 1) {
        database.exec('BEGIN IMMEDIATE');
        try {
            database.exec(schemaMigrations[next]!);
            database.exec(`PRAGMA user_version = ${next + 1}`);
            database.exec('COMMIT');
        } catch (error) {
            database.exec('ROLLBACK');
            throw error;
        }
    }
}

export interface BudgetPersistence {
    /** Saves what changed now (also done every `flushIntervalMs`); returns the rows touched. */
    flush(): number;
    /** Stops the timer and saves once more. */
    stop(): void;
}

/**
 * Restores the stored spend into `budget` and keeps the store up to date: a save every `flushIntervalMs`
 * (5 s by default) and one at `stop()`. A failed save is reported to `onError` and tried at the next tick.
 */
export function persistBudget(
    budget: ApiBudget,
    store: BudgetSpendStore,
    options: { flushIntervalMs?: number; onError?: (error: unknown) => void } = {}
): BudgetPersistence {
    const flushIntervalMs = options.flushIntervalMs ?? 5_000;
    if (!Number.isInteger(flushIntervalMs) || flushIntervalMs < 1) {
        throw new RangeError(`flushIntervalMs must be a positive integer, got ${flushIntervalMs}`);
    }
    budget.restore(store.load());
    const flush = () => store.save(budget.snapshot());
    const timer = setInterval(() => {
        try {
            flush();
        } catch (error) {
            options.onError?.(error);
        }
    }, flushIntervalMs);
    timer.unref();
    return {
        flush,
        stop() {
            clearInterval(timer);
            flush();
        }
    };
}
