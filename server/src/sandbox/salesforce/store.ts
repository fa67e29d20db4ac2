import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { IdAllocator, keyPrefixOf, sequenceOf } from './ids';
import type { SchemaCatalog } from './schema/catalog';

/**
 * Records keep canonical field names; datetimes are epoch milliseconds, dates `YYYY-MM-DD` strings,
 * absent keys mean null. A record object is never mutated once stored: a write stores a new object,
 * which makes rollback a matter of putting the old reference back.
 */
export type SObjectRecord = Record<string, unknown> & { Id: string };

/** Writes made by one unit of work, applied or undone together. */
interface Journal {
    before: Map<string, { object: string; record: SObjectRecord | undefined }>;
    afterCommit: (() => void)[];
}

/**
 * The sandbox's data: one table per object, secondary indexes on external-ID/unique fields and e-mail,
 * and optional write-through persistence to a `node:sqlite` file so a sandbox outlives its process.
 */
export class RecordStore {
    readonly ids: IdAllocator;
    private readonly tables = new Map<string, Map<string, SObjectRecord>>();
    /** `Object.Field` -> lower-cased value -> record ids. */
    private readonly indexes = new Map<string, Map<string, string[]>>();
    private readonly indexedFieldsByObject = new Map<string, string[]>();
    private readonly factories = new Map<string, () => SObjectRecord>();
    private journal: Journal | undefined;
    private readonly db: DatabaseSync | undefined;
    private readonly upsertRow: StatementSync | undefined;
    private readonly deleteRow: StatementSync | undefined;
    private readonly putMeta: StatementSync | undefined;

    constructor(
        private readonly catalog: SchemaCatalog,
        dataFile?: string
    ) {
        this.ids = new IdAllocator();
        for (const def of catalog.objects) {
            this.tables.set(def.name, new Map());
            this.factories.set(
                def.name,
                recordFactory(['Id', ...def.fields.map((f) => f.name), '$deletedAt', '$cascadeOf'])
            );
            const indexed = def.fields.filter((f) => f.externalId || f.unique || f.type === 'email').map((f) => f.name);
            this.indexedFieldsByObject.set(def.name, indexed);
            for (const name of indexed) this.indexes.set(`${def.name}.${name}`, new Map());
        }
        if (dataFile) {
            this.db = new DatabaseSync(dataFile);
            this.db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
                CREATE TABLE IF NOT EXISTS records (id TEXT PRIMARY KEY, object TEXT NOT NULL, data TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS change_events (replay_id INTEGER PRIMARY KEY, created_at INTEGER NOT NULL, data TEXT NOT NULL);`);
            this.upsertRow = this.db.prepare(
                'INSERT INTO records (id, object, data) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET data = excluded.data'
            );
            this.deleteRow = this.db.prepare('DELETE FROM records WHERE id = ?');
            this.putMeta = this.db.prepare(
                'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'
            );
            this.load();
        }
    }

    get persistent(): boolean {
        return this.db !== undefined;
    }

    /** Key-value state other components persist next to the records (clock, counters, events). */
    readMeta(key: string): string | undefined {
        if (!this.db) return undefined;
        const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
        return row?.value;
    }

    writeMeta(key: string, value: string): void {
        this.putMeta?.run(key, value);
    }

    /** Change events kept next to the records so CDC replay survives a restart. */
    saveEvent(replayId: number, createdAt: number, event: unknown): void {
        this.db
            ?.prepare('INSERT OR REPLACE INTO change_events (replay_id, created_at, data) VALUES (?, ?, ?)')
            .run(replayId, createdAt, JSON.stringify(event));
    }

    loadEvents(): unknown[] {
        if (!this.db) return [];
        const rows = this.db.prepare('SELECT data FROM change_events ORDER BY replay_id').all() as { data: string }[];
        return rows.map((row) => JSON.parse(row.data) as unknown);
    }

    pruneEvents(olderThan: number): void {
        this.db?.prepare('DELETE FROM change_events WHERE created_at < ?').run(olderThan);
    }

    private load(): void {
        const rows = this.db!.prepare('SELECT object, data FROM records').iterate() as Iterable<{
            object: string;
            data: string;
        }>;
        for (const row of rows) {
            if (!this.factories.has(row.object)) continue;
            const record = this.withValues(
                row.object,
                this.newRecord(row.object),
                JSON.parse(row.data) as SObjectRecord
            );
            this.putInMemory(row.object, record);
            this.ids.ensureAtLeast(sequenceOf(record.Id));
        }
    }

    /** An empty record of the object: every field present and undefined (absent = null). */
    newRecord(object: string): SObjectRecord {
        const factory = this.factories.get(object);
        if (!factory) throw new Error(`unknown object ${object}`);
        return factory();
    }

    /** A copy of `record` with `values` applied; `null` or `undefined` clears a field. */
    withValues(object: string, record: SObjectRecord, values: Record<string, unknown>): SObjectRecord {
        const next = this.newRecord(object);
        for (const key in record) if (record[key] !== undefined) next[key] = record[key];
        for (const key in values) next[key] = values[key] === null ? undefined : values[key];
        return next;
    }

    table(object: string): Map<string, SObjectRecord> {
        const table = this.tables.get(object);
        if (!table) throw new Error(`unknown object ${object}`);
        return table;
    }

    objectOfId(id: string): string | undefined {
        return this.catalog.byPrefix(keyPrefixOf(id))?.name;
    }

    get(id: string): SObjectRecord | undefined {
        const object = this.objectOfId(id);
        return object ? this.tables.get(object)?.get(id) : undefined;
    }

    /** Ids whose indexed field equals the value (case-insensitively, as external IDs match). */
    lookup(object: string, field: string, value: string): string[] {
        return this.indexes.get(`${object}.${field}`)?.get(value.toLowerCase()) ?? [];
    }

    isIndexed(object: string, field: string): boolean {
        return this.indexes.has(`${object}.${field}`);
    }

    /** Inserts or replaces a record (the caller has validated it). */
    put(object: string, record: SObjectRecord): void {
        const previous = this.table(object).get(record.Id);
        if (this.journal && !this.journal.before.has(record.Id)) {
            this.journal.before.set(record.Id, { object, record: previous });
        }
        this.putInMemory(object, record, previous);
        if (!this.journal) this.persist(object, record.Id);
    }

    /** Removes a record for good (hard delete, recycle-bin purge). */
    remove(object: string, id: string): void {
        const previous = this.table(object).get(id);
        if (!previous) return;
        if (this.journal && !this.journal.before.has(id)) this.journal.before.set(id, { object, record: previous });
        this.unindex(object, previous);
        this.table(object).delete(id);
        if (!this.journal) this.persist(object, id);
    }

    /**
     * Runs `work` as one unit: if it throws, every record it wrote is restored and the error rethrown.
     * `onCommit` callbacks registered during the unit run only once it succeeded (e.g. CDC events).
     * Units nest like savepoints: an inner unit rolls back alone and its writes join the outer unit.
     */
    transaction<T>(work: () => T): T {
        const outer = this.journal;
        const journal: Journal = { before: new Map(), afterCommit: [] };
        this.journal = journal;
        let result: T;
        try {
            result = work();
        } catch (error) {
            this.journal = outer;
            this.rollback(journal);
            throw error;
        }
        this.journal = outer;
        if (outer) {
            for (const [id, entry] of journal.before) if (!outer.before.has(id)) outer.before.set(id, entry);
            outer.afterCommit.push(...journal.afterCommit);
            return result;
        }
        this.flush(journal);
        for (const callback of journal.afterCommit) callback();
        return result;
    }

    /** Defers `callback` until the current unit of work commits (runs now outside of one). */
    onCommit(callback: () => void): void {
        if (this.journal) this.journal.afterCommit.push(callback);
        else callback();
    }

    /** Undoes a unit of work explicitly (allOrNone with per-record errors, which does not throw). */
    rollbackCurrent(): void {
        if (!this.journal) return;
        this.rollback(this.journal);
        this.journal.before.clear();
        this.journal.afterCommit.length = 0;
    }

    clear(): void {
        for (const table of this.tables.values()) table.clear();
        for (const index of this.indexes.values()) index.clear();
        this.db?.exec('DELETE FROM records; DELETE FROM meta; DELETE FROM change_events;');
    }

    /** Bulk load for seeding: no journal, one SQLite transaction per call. */
    putMany(object: string, records: SObjectRecord[]): void {
        for (const record of records) this.putInMemory(object, record, this.table(object).get(record.Id));
        if (!this.db) return;
        this.db.exec('BEGIN');
        try {
            for (const record of records) this.upsertRow!.run(record.Id, object, JSON.stringify(record));
            this.db.exec('COMMIT');
        } catch (error) {
            this.db.exec('ROLLBACK');
            throw error;
        }
    }

    close(): void {
        this.db?.close();
    }

    private rollback(journal: Journal): void {
        for (const [id, { object, record }] of [...journal.before.entries()].reverse()) {
            const current = this.table(object).get(id);
            if (current) this.unindex(object, current);
            if (record) this.putInMemory(object, record);
            else this.table(object).delete(id);
        }
    }

    private flush(journal: Journal): void {
        if (!this.db || journal.before.size === 0) return;
        this.db.exec('BEGIN');
        try {
            for (const [id, { object }] of journal.before) this.persist(object, id);
            this.db.exec('COMMIT');
        } catch (error) {
            this.db.exec('ROLLBACK');
            throw error;
        }
    }

    private persist(object: string, id: string): void {
        if (!this.db) return;
        const record = this.table(object).get(id);
        if (record) this.upsertRow!.run(id, object, JSON.stringify(record));
        else this.deleteRow!.run(id);
    }

    private putInMemory(object: string, record: SObjectRecord, previous?: SObjectRecord): void {
        if (previous) this.unindex(object, previous);
        this.table(object).set(record.Id, record);
        for (const name of this.indexedFieldsByObject.get(object) ?? []) {
            const value = record[name];
            if (typeof value !== 'string' || value === '') continue;
            const index = this.indexes.get(`${object}.${name}`)!;
            const key = value.toLowerCase();
            const ids = index.get(key);
            if (ids) ids.push(record.Id);
            else index.set(key, [record.Id]);
        }
    }

    private unindex(object: string, record: SObjectRecord): void {
        for (const name of this.indexedFieldsByObject.get(object) ?? []) {
            const value = record[name];
            if (typeof value !== 'string' || value === '') continue;
            const index = this.indexes.get(`${object}.${name}`)!;
            const key = value.toLowerCase();
            const ids = index.get(key);
            if (!ids) continue;
            const remaining = ids.filter((id) => id !== record.Id);
            if (remaining.length > 0) index.set(key, remaining);
            else index.delete(key);
        }
    }
}

/**
 * A constructor that creates every field of an object up front. Records then share one V8 hidden class
 * with in-object fields; adding fields one by one through computed keys would leave them in dictionary
 * mode at about three times the memory (which matters for a million-record sandbox).
 */
function recordFactory(fieldNames: string[]): () => SObjectRecord {
    for (const name of fieldNames) {
        if (!/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name)) throw new Error(`invalid field name ${name}`);
    }
    const body = fieldNames.map((name) => `this.${name} = undefined;`).join('\n');
    const Record = new Function(body) as unknown as new () => SObjectRecord;
    return () => new Record();
}
