/**
 * What the relay's own state says after the soak (read from its SQLite file once it has stopped): open
 * sync errors, dead-lettered work, recorded conflicts and the runs.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { stateFileName } from '../src/state/sqlite-store';

export interface OpenSyncError {
    category: string;
    mappingId: string;
    salesforceId: string | null;
    hubspotId: string | null;
    field: string | null;
    message: string;
}

export interface RelayStateSummary {
    openErrors: OpenSyncError[];
    deadLetters: number;
    conflictsRecorded: number;
    /** `recovered`: runs a SIGKILL cut off that the relay itself then marked failed (see SyncEngine). */
    runs: { completed: number; failed: number; interrupted: number; recovered: number };
    pendingIntakeEvents: number;
}

export function readRelayState(dataDir: string): RelayStateSummary {
    const file = join(dataDir, stateFileName);
    if (!existsSync(file)) throw new Error(`the relay left no state database at ${file}`);
    const database = new DatabaseSync(file, { readOnly: true });
    try {
        const tables = new Set(
            (database.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map(
                (row) => row.name
            )
        );
        const count = (sql: string) => Number((database.prepare(sql).get() as { n: number }).n);
        const openErrors = (
            database
                .prepare(
                    `SELECT category, mapping_id AS mappingId, salesforce_id AS salesforceId, hubspot_id AS hubspotId,
                            field, message FROM sync_errors WHERE resolved = 0 ORDER BY id`
                )
                .all() as unknown as OpenSyncError[]
        ).map((row) => ({ ...row }));
        const runStatus = (status: string) => count(`SELECT count(*) AS n FROM runs WHERE status = '${status}'`);
        return {
            openErrors,
            deadLetters: tables.has('work_queue')
                ? count("SELECT count(*) AS n FROM work_queue WHERE state = 'dead'")
                : 0,
            conflictsRecorded: count('SELECT count(*) AS n FROM conflicts'),
            // A run still "running" after the relay stopped was cut off by a SIGKILL.
            runs: {
                completed: runStatus('completed'),
                failed: runStatus('failed'),
                interrupted: runStatus('running'),
                recovered: count("SELECT count(*) AS n FROM runs WHERE status = 'failed' AND error LIKE 'cut off:%'")
            },
            pendingIntakeEvents: count('SELECT count(*) AS n FROM event_intake WHERE processed_at IS NULL')
        };
    } finally {
        database.close();
    }
}
