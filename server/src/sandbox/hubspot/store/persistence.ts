import { DatabaseSync, type StatementSync } from 'node:sqlite';

/**
 * Where the sandbox's state lives beyond memory. The in-memory model is always the source of truth
 * while the process runs; a persistence writes every change through so a restarted sandbox (same
 * `dataFile`) loads exactly the state the previous process left, even after a crash.
 */
export interface Persistence {
    readonly durable: boolean;
    put(kind: string, id: string, data: unknown): void;
    remove(kind: string, id: string): void;
    /** Every stored document of one kind, in insertion order, streamed (a large file never sits in memory twice). */
    load(kind: string): Iterable<{ id: string; data: unknown }>;
    /** Runs `work` atomically (one SQLite transaction); nested calls join the outer one. */
    transaction<T>(work: () => T): T;
    clear(): void;
    close(): void;
}

export class MemoryPersistence implements Persistence {
    readonly durable = false;
    put(): void {}
    remove(): void {}
    load(): Iterable<{ id: string; data: unknown }> {
        return [];
    }
    transaction<T>(work: () => T): T {
        return work();
    }
    clear(): void {}
    close(): void {}
}

export class SqlitePersistence implements Persistence {
    readonly durable = true;
    private readonly db: DatabaseSync;
    private readonly putStatement: StatementSync;
    private readonly removeStatement: StatementSync;
    private readonly loadStatement: StatementSync;
    private depth = 0;

    constructor(file: string) {
        this.db = new DatabaseSync(file);
        // WAL + NORMAL: every committed transaction survives a process crash, and writes stay fast.
        this.db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;');
        this.db.exec(
            'CREATE TABLE IF NOT EXISTS documents (seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, id TEXT NOT NULL, data TEXT NOT NULL);' +
                'CREATE UNIQUE INDEX IF NOT EXISTS documents_kind_id ON documents (kind, id);'
        );
        this.putStatement = this.db.prepare(
            'INSERT INTO documents (kind, id, data) VALUES (?, ?, ?) ON CONFLICT (kind, id) DO UPDATE SET data = excluded.data'
        );
        this.removeStatement = this.db.prepare('DELETE FROM documents WHERE kind = ? AND id = ?');
        this.loadStatement = this.db.prepare('SELECT id, data FROM documents WHERE kind = ? ORDER BY seq');
    }

    put(kind: string, id: string, data: unknown): void {
        this.putStatement.run(kind, id, JSON.stringify(data));
    }

    remove(kind: string, id: string): void {
        this.removeStatement.run(kind, id);
    }

    *load(kind: string): Iterable<{ id: string; data: unknown }> {
        for (const row of this.loadStatement.iterate(kind) as Iterable<{ id: string; data: string }>)
            yield { id: row.id, data: JSON.parse(row.data) as unknown };
    }

    transaction<T>(work: () => T): T {
        if (this.depth > 0) return work();
        this.depth++;
        this.db.exec('BEGIN');
        try {
            const result = work();
            this.db.exec('COMMIT');
            return result;
        } catch (error) {
            this.db.exec('ROLLBACK');
            throw error;
        } finally {
            this.depth--;
        }
    }

    clear(): void {
        this.db.exec('DELETE FROM documents');
    }

    close(): void {
        if (this.db.isOpen) this.db.close();
    }
}
