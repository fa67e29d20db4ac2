/**
 * Durable conflict acknowledgements in their own small SQLite file next to the state database (the state
 * store keeps conflicts as an append-only history and has no notion of an operator having seen one).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { ConflictInbox } from './ports';

export const conflictInboxFileName = 'ops-acknowledgements.sqlite';

export class SqliteConflictInbox implements ConflictInbox {
    private constructor(
        private readonly database: DatabaseSync,
        private readonly now: () => Date
    ) {}

    static open(location: { path: ':memory:' } | { dataDir: string }, now: () => Date = () => new Date()) {
        let path = ':memory:';
        if ('dataDir' in location) {
            mkdirSync(location.dataDir, { recursive: true });
            path = join(location.dataDir, conflictInboxFileName);
        }
        const database = new DatabaseSync(path, { timeout: 5_000 });
        database.exec(`CREATE TABLE IF NOT EXISTS conflict_acknowledgements (
            conflict_id INTEGER PRIMARY KEY,
            acknowledged_at TEXT NOT NULL,
            acknowledged_by TEXT NOT NULL
        ) STRICT`);
        return new SqliteConflictInbox(database, now);
    }

    acknowledge(ids: number[], by: string): number {
        const insert = this.database.prepare(
            'INSERT INTO conflict_acknowledgements (conflict_id, acknowledged_at, acknowledged_by) VALUES (?, ?, ?) ON CONFLICT DO NOTHING'
        );
        const at = this.now().toISOString();
        let added = 0;
        this.database.exec('BEGIN IMMEDIATE');
        try {
            for (const id of new Set(ids)) added += Number(insert.run(id, at, by).changes);
            this.database.exec('COMMIT');
        } catch (error) {
            this.database.exec('ROLLBACK');
            throw error;
        }
        return added;
    }

    acknowledged(ids: number[]): Map<number, { at: string; by: string }> {
        const found = new Map<number, { at: string; by: string }>();
        if (ids.length === 0) return found;
        const rows = this.database
            .prepare(
                'SELECT conflict_id, acknowledged_at, acknowledged_by FROM conflict_acknowledgements WHERE conflict_id IN (SELECT value FROM json_each(?))'
            )
            .all(JSON.stringify(ids));
        for (const row of rows) {
            found.set(Number(row.conflict_id), { at: String(row.acknowledged_at), by: String(row.acknowledged_by) });
        }
        return found;
    }

    close(): void {
        this.database.close();
    }
}
