/**
 * A run's scratch space for change sets. A first or full sync reads every record of an object; held
 * on the heap that is hundreds of megabytes at 200k records, so each page is spilled here as it
 * arrives and the group is then processed window by window. Lookups by ID and by natural key let a
 * window find the counterparts and namesakes this run already read instead of asking the API again.
 *
 * One scratch SQLite file per run in the OS temp folder, written without a journal (it is thrown away
 * when the run ends, and a crashed run's cursors never moved, so nothing in it needs to survive).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';

/** A set of record IDs kept in the run's scratch file, so its size does not count against the heap. */
export interface StagedIdSet {
    has(id: string): boolean;
    /** Adds the IDs in one transaction. */
    addAll(ids: Iterable<string>): void;
}

export interface StagedEntry<T> {
    id: string;
    /** Natural keys the record can be found by (e.g. `email:ann@example.com`). */
    keys: string[];
    record: T;
}

/** SQLite's default limit on host parameters is 32,766; lookups stay far below it. */
const parametersPerLookup = 500;

export class RunStaging {
    private readonly folder: string;
    private readonly database: DatabaseSync;
    private readonly insert: StatementSync;
    private readonly dropKeys: StatementSync;
    private readonly insertKey: StatementSync;
    private readonly page: StatementSync;
    private readonly counter: StatementSync;
    private readonly idSetHas: StatementSync;
    private readonly idSetAdd: StatementSync;

    constructor() {
        this.folder = mkdtempSync(join(tmpdir(), 'hubspot-bridge-run-'));
        this.database = new DatabaseSync(join(this.folder, 'staging.sqlite'));
        this.database.exec(`
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            CREATE TABLE staged (
                seq INTEGER PRIMARY KEY,
                stream TEXT NOT NULL,
                id TEXT NOT NULL,
                json TEXT NOT NULL,
                UNIQUE (stream, id)
            );
            CREATE TABLE staged_keys (stream TEXT NOT NULL, key TEXT NOT NULL, id TEXT NOT NULL);
            CREATE INDEX staged_keys_by_key ON staged_keys (stream, key);
            CREATE INDEX staged_keys_by_id ON staged_keys (stream, id);
            CREATE TABLE id_sets (name TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (name, id)) WITHOUT ROWID;
        `);
        this.idSetHas = this.database.prepare('SELECT 1 FROM id_sets WHERE name = ? AND id = ?');
        this.idSetAdd = this.database.prepare('INSERT OR IGNORE INTO id_sets (name, id) VALUES (?, ?)');
        // A record read twice (HubSpot's search windows overlap at their edges) keeps its latest copy.
        this.insert = this.database.prepare('INSERT OR REPLACE INTO staged (stream, id, json) VALUES (?, ?, ?)');
        this.dropKeys = this.database.prepare('DELETE FROM staged_keys WHERE stream = ? AND id = ?');
        this.insertKey = this.database.prepare('INSERT INTO staged_keys (stream, key, id) VALUES (?, ?, ?)');
        this.page = this.database.prepare(
            'SELECT seq, json FROM staged WHERE stream = ? AND seq > ? ORDER BY seq LIMIT ?'
        );
        this.counter = this.database.prepare('SELECT COUNT(*) AS n FROM staged WHERE stream = ?');
    }

    put<T>(stream: string, entries: readonly StagedEntry<T>[]): void {
        this.database.exec('BEGIN');
        try {
            for (const entry of entries) {
                this.insert.run(stream, entry.id, JSON.stringify(entry.record));
                this.dropKeys.run(stream, entry.id);
                for (const key of new Set(entry.keys)) this.insertKey.run(stream, key, entry.id);
            }
            this.database.exec('COMMIT');
        } catch (error) {
            this.database.exec('ROLLBACK');
            throw error;
        }
    }

    count(stream: string): number {
        return Number((this.counter.get(stream) as { n: number }).n);
    }

    /** The stream's records in the order they were staged, `size` at a time. */
    *pages<T>(stream: string, size: number): Generator<T[]> {
        let after = 0;
        for (;;) {
            const rows = this.page.all(stream, after, size) as { seq: number; json: string }[];
            if (rows.length === 0) return;
            after = Number(rows[rows.length - 1].seq);
            yield rows.map((row) => JSON.parse(row.json) as T);
        }
    }

    byIds<T>(stream: string, ids: Iterable<string>): T[] {
        return this.lookup<T>(
            stream,
            [...new Set(ids)],
            (marks) => `SELECT json FROM staged WHERE stream = ? AND id IN (${marks})`
        );
    }

    byKeys<T>(stream: string, keys: Iterable<string>): T[] {
        return this.lookup<T>(
            stream,
            [...new Set(keys)],
            (marks) =>
                `SELECT DISTINCT s.json FROM staged_keys k JOIN staged s ON s.stream = k.stream AND s.id = k.id
                 WHERE k.stream = ? AND k.key IN (${marks})`
        );
    }

    /**
     * The ID set `name` (empty at first): the IDs a run has decided grow with the run (200,000 records are
     * tens of megabytes as a JavaScript Set) while each window asks only about its own records.
     */
    idSet(name: string): StagedIdSet {
        return {
            has: (id) => this.idSetHas.get(name, id) !== undefined,
            addAll: (ids) => {
                this.database.exec('BEGIN');
                try {
                    for (const id of ids) this.idSetAdd.run(name, id);
                    this.database.exec('COMMIT');
                } catch (error) {
                    this.database.exec('ROLLBACK');
                    throw error;
                }
            }
        };
    }

    /** Removes the folder; the run's staged records are gone. */
    close(): void {
        if (!this.database.isOpen) return;
        this.database.close();
        rmSync(this.folder, { recursive: true, force: true });
    }

    private lookup<T>(stream: string, values: string[], sql: (marks: string) => string): T[] {
        const found: T[] = [];
        for (let start = 0; start < values.length; start += parametersPerLookup) {
            const slice = values.slice(start, start + parametersPerLookup);
            const rows = this.database.prepare(sql(slice.map(() => '?').join(', '))).all(stream, ...slice) as {
                json: string;
            }[];
            for (const row of rows) found.push(JSON.parse(row.json) as T);
        }
        return found;
    }
}
