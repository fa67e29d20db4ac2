/**
 * Versioned schema migrations for the SQLite state store. Each migration runs once, in its own
 * transaction, and is recorded in `schema_migrations`; append new ones, never edit an applied one.
 */
import type { DatabaseSync } from 'node:sqlite';

import { errorCategories, errorMessage } from '../sync/errors';

export interface Migration {
    version: number;
    name: string;
    sql: string;
}

const categoryList = errorCategories.map((category) => `'${category}'`).join(', ');

export const migrations: readonly Migration[] = [
    {
        version: 1,
        name: 'initial state: links, snapshots, cursors, runs, errors, conflicts, audit trail, event intake',
        sql: `
            CREATE TABLE links (
                mapping_id TEXT NOT NULL,
                salesforce_object TEXT NOT NULL,
                salesforce_id TEXT NOT NULL,
                hubspot_object_type TEXT NOT NULL,
                hubspot_id TEXT NOT NULL,
                tombstoned_at TEXT,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                PRIMARY KEY (salesforce_object, salesforce_id),
                UNIQUE (hubspot_object_type, hubspot_id)
            );

            CREATE TABLE snapshots (
                salesforce_object TEXT NOT NULL,
                salesforce_id TEXT NOT NULL,
                field TEXT NOT NULL,
                salesforce_value TEXT NOT NULL,
                hubspot_value TEXT NOT NULL,
                salesforce_hash TEXT NOT NULL,
                hubspot_hash TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                PRIMARY KEY (salesforce_object, salesforce_id, field)
            );

            CREATE TABLE cursors (
                stream TEXT NOT NULL,
                side TEXT NOT NULL CHECK (side IN ('salesforce', 'hubspot')),
                modified_at TEXT NOT NULL,
                record_id TEXT NOT NULL,
                lookback_seconds INTEGER NOT NULL CHECK (lookback_seconds >= 0),
                updated_at TEXT NOT NULL,
                PRIMARY KEY (stream, side)
            );

            CREATE TABLE runs (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                mode TEXT NOT NULL CHECK (mode IN ('full', 'incremental', 'manual', 'dry_run')),
                status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
                started_at TEXT NOT NULL,
                ended_at TEXT,
                counts TEXT NOT NULL DEFAULT '{}',
                salesforce_api_calls INTEGER NOT NULL DEFAULT 0,
                hubspot_api_calls INTEGER NOT NULL DEFAULT 0,
                error TEXT
            );

            CREATE TABLE sync_errors (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                run_id INTEGER REFERENCES runs (id),
                mapping_id TEXT NOT NULL,
                salesforce_object TEXT,
                salesforce_id TEXT,
                hubspot_object_type TEXT,
                hubspot_id TEXT,
                field TEXT,
                -- One open error per record, field and category: repeats count up instead of piling up.
                record_key TEXT NOT NULL,
                field_key TEXT NOT NULL,
                category TEXT NOT NULL CHECK (category IN (${categoryList})),
                message TEXT NOT NULL,
                occurrences INTEGER NOT NULL DEFAULT 1,
                first_seen_at TEXT NOT NULL,
                last_seen_at TEXT NOT NULL,
                resolved INTEGER NOT NULL DEFAULT 0 CHECK (resolved IN (0, 1)),
                resolved_at TEXT
            );
            CREATE UNIQUE INDEX sync_errors_open_key
                ON sync_errors (mapping_id, record_key, field_key, category) WHERE resolved = 0;
            CREATE INDEX sync_errors_by_state ON sync_errors (resolved, category);
            CREATE INDEX sync_errors_by_record ON sync_errors (salesforce_object, salesforce_id);

            CREATE TABLE conflicts (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                run_id INTEGER REFERENCES runs (id),
                mapping_id TEXT NOT NULL,
                salesforce_object TEXT NOT NULL,
                salesforce_id TEXT NOT NULL,
                hubspot_id TEXT NOT NULL,
                field TEXT NOT NULL,
                property TEXT NOT NULL,
                salesforce_value TEXT NOT NULL,
                hubspot_value TEXT NOT NULL,
                salesforce_changed_at TEXT NOT NULL,
                hubspot_changed_at TEXT NOT NULL,
                winner TEXT NOT NULL CHECK (winner IN ('salesforce', 'hubspot')),
                recorded_at TEXT NOT NULL
            );
            CREATE INDEX conflicts_by_record ON conflicts (salesforce_id);
            CREATE INDEX conflicts_by_run ON conflicts (run_id);

            CREATE TABLE audit_trail (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                run_id INTEGER REFERENCES runs (id),
                mapping_id TEXT NOT NULL,
                salesforce_object TEXT NOT NULL,
                salesforce_id TEXT NOT NULL,
                hubspot_id TEXT,
                field TEXT NOT NULL,
                property TEXT NOT NULL,
                direction TEXT NOT NULL CHECK (direction IN ('to_salesforce', 'to_hubspot')),
                rule TEXT NOT NULL,
                reason TEXT NOT NULL,
                before_value TEXT NOT NULL,
                after_value TEXT NOT NULL,
                at TEXT NOT NULL
            );
            CREATE INDEX audit_trail_by_record ON audit_trail (salesforce_id, id);
            CREATE INDEX audit_trail_by_hubspot ON audit_trail (hubspot_id, id);
            CREATE INDEX audit_trail_by_run ON audit_trail (run_id);

            CREATE TABLE event_intake (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                source TEXT NOT NULL CHECK (source IN ('hubspot', 'salesforce')),
                event_id TEXT NOT NULL,
                payload TEXT NOT NULL,
                occurred_at TEXT,
                received_at TEXT NOT NULL,
                processed_at TEXT,
                attempts INTEGER NOT NULL DEFAULT 0,
                last_error TEXT,
                UNIQUE (source, event_id)
            );
            CREATE INDEX event_intake_pending ON event_intake (processed_at, id);
        `
    },
    {
        version: 2,
        name: 'durable work queue: one item per (stream, record), leases, back-off, dead letters',
        sql: `
            CREATE TABLE work_queue (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                stream TEXT NOT NULL,
                record_key TEXT NOT NULL,
                priority INTEGER NOT NULL CHECK (priority BETWEEN 0 AND 3),
                payload TEXT NOT NULL,
                reason TEXT NOT NULL,
                state TEXT NOT NULL CHECK (state IN ('ready', 'leased', 'dead')),
                attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
                -- Bumped by every signal; a completion only removes the item if no signal arrived during its lease.
                generation INTEGER NOT NULL DEFAULT 1,
                claimed_generation INTEGER,
                lease_token INTEGER NOT NULL DEFAULT 0,
                lease_owner TEXT,
                lease_expires_at INTEGER,
                -- Epoch milliseconds, so ordering and comparisons are numeric.
                available_at INTEGER NOT NULL,
                enqueued_at INTEGER NOT NULL,
                pending_since INTEGER,
                updated_at INTEGER NOT NULL,
                last_error TEXT,
                dead_at INTEGER,
                UNIQUE (stream, record_key)
            );
            CREATE INDEX work_queue_ready ON work_queue (state, priority DESC, available_at, id);
            CREATE INDEX work_queue_leases ON work_queue (state, lease_expires_at);
        `
    },
    {
        version: 3,
        name: 'change data capture: the replay ID of the last processed event per channel',
        sql: `
            CREATE TABLE cdc_replay_positions (
                channel TEXT PRIMARY KEY,
                replay_id INTEGER NOT NULL,
                updated_at TEXT NOT NULL
            );
        `
    },
    {
        version: 4,
        name: 'runs: the process that runs them and its heartbeat, so a run whose process died is known',
        sql: `
            ALTER TABLE runs ADD COLUMN heartbeat_at TEXT;
            ALTER TABLE runs ADD COLUMN owner TEXT;
        `
    }
];

/**
 * Applies the migrations `database` has not seen, in order, each in its own transaction. Returns the
 * versions applied now (empty when the schema was current). Refuses a database from a newer release.
 */
export function migrate(database: DatabaseSync, now: () => Date, pending: readonly Migration[] = migrations): number[] {
    database.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        applied_at TEXT NOT NULL
    )`);
    const applied = new Set(
        database
            .prepare('SELECT version FROM schema_migrations')
            .all()
            .map((row) => Number(row.version))
    );
    const known = Math.max(0, ...pending.map((migration) => migration.version));
    const newest = Math.max(0, ...applied);
    if (newest > known) {
        throw new Error(`the state database is at schema version ${newest}, newer than this release knows (${known})`);
    }
    const record = database.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    const isApplied = database.prepare('SELECT 1 AS applied FROM schema_migrations WHERE version = ?');
    const appliedNow: number[] = [];
    for (const migration of [...pending].sort((left, right) => left.version - right.version)) {
        if (applied.has(migration.version)) continue;
        database.exec('BEGIN IMMEDIATE');
        try {
            // Another process opening the same file may have applied it since the read above; the
            // write lock taken by BEGIN IMMEDIATE makes this second look final.
            if (isApplied.get(migration.version)) {
                database.exec('COMMIT');
                continue;
            }
            database.exec(migration.sql);
            record.run(migration.version, migration.name, now().toISOString());
            database.exec('COMMIT');
        } catch (error) {
            database.exec('ROLLBACK');
            throw new Error(`state migration ${migration.version} (${migration.name}) failed: ${errorMessage(error)}`, {
                cause: error
            });
        }
        appliedNow.push(migration.version);
    }
    return appliedNow;
}
