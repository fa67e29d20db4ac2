/**
 * The state store on Node's built-in SQLite (`node:sqlite`, no native addon): one file in the data
 * folder, WAL journal so readers (the dashboard) never block the sync, prepared statements throughout
 * and one transaction per batch. `:memory:` gives tests a throwaway database.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';

import { z } from 'zod';

import type { FieldSnapshot } from '../sync/plan/plan-record';
import { migrate } from './migrations';
import {
    auditFromRow,
    conflictFromRow,
    errorFromRow,
    eventFromRow,
    json,
    linkFromRow,
    readValue,
    runFromRow,
    text
} from './sqlite-rows';
import type {
    AuditInput,
    AuditRecord,
    ConflictInput,
    ConflictRecord,
    Cursor,
    CursorInput,
    HubSpotRef,
    IntakeEvent,
    IntakeEventInput,
    LinkInput,
    RecordLink,
    Run,
    RunMode,
    RunOutcome,
    SalesforceRef,
    SnapshotEntry,
    StateStore,
    SyncErrorFilter,
    SyncErrorInput,
    SyncErrorRecord
} from './store';

export const stateFileName = 'sync-state.sqlite';

/**
 * Rows per INSERT statement for the writes of a flush (links, snapshots, audit rows: thousands each): each
 * statement's own cost is paid once per fifty rows (a tenth off 200,000 snapshot or audit rows on disk, most of
 * the rest is the table's indexes). 13 columns × 50 stay far below SQLite's limit on parameters.
 */
const rowsPerInsert = 50;

/** Each field's snapshot of each entry, one at a time. */
function* fieldSnapshots(entries: readonly SnapshotEntry[]) {
    for (const entry of entries) {
        for (const [field, snapshot] of Object.entries(entry.snapshots)) yield { entry, field, snapshot };
    }
}

/** One multi-row INSERT: `INSERT INTO ${into} VALUES ${row}, ${row}, … ${onConflict}`. */
interface MultiRowInsert {
    into: string;
    row: string;
    onConflict?: string;
}

export const SqliteStateStoreOptions = z.union([
    z.strictObject({ path: z.literal(':memory:') }),
    z.strictObject({
        dataDir: z.string().min(1).meta({ description: 'Folder for the database file; created when missing.' })
    })
]);
export type SqliteStateStoreOptions = z.infer<typeof SqliteStateStoreOptions>;

export function openSqliteStateStore(
    options: SqliteStateStoreOptions,
    now: () => Date = () => new Date()
): SqliteStateStore {
    const parsed = SqliteStateStoreOptions.parse(options);
    let location = ':memory:';
    if ('dataDir' in parsed) {
        mkdirSync(parsed.dataDir, { recursive: true });
        location = join(parsed.dataDir, stateFileName);
    }
    const database = new DatabaseSync(location, { enableForeignKeyConstraints: true, timeout: 5_000 });
    try {
        if (location !== ':memory:') {
            database.exec('PRAGMA journal_mode = WAL');
            // WAL + NORMAL survives process crashes; only an OS crash can drop the last commits, which a re-run repeats.
            database.exec('PRAGMA synchronous = NORMAL');
        }
        migrate(database, now);
    } catch (error) {
        database.close();
        throw error;
    }
    return new SqliteStateStore(database, now);
}

export class SqliteStateStore implements StateStore {
    private transactionDepth = 0;
    private readonly statements = new Map<string, StatementSync>();

    constructor(
        private readonly database: DatabaseSync,
        private readonly now: () => Date
    ) {}

    /** Prepared once per SQL text, reused for every call. */
    private statement(sql: string): StatementSync {
        let prepared = this.statements.get(sql);
        if (!prepared) {
            prepared = this.database.prepare(sql);
            this.statements.set(sql, prepared);
        }
        return prepared;
    }

    /**
     * Inserts one row per item, `rowsPerInsert` to a statement. Rows are made as they are sent, so a flush of
     * thousands holds one statement's worth of parameters at a time.
     */
    private insertRows<T>(insert: MultiRowInsert, items: Iterable<T>, row: (item: T) => SQLInputValue[]): void {
        let parameters: SQLInputValue[] = [];
        let rows = 0;
        const send = () => {
            const values = new Array<string>(rows).fill(insert.row).join(', ');
            this.statement(`INSERT INTO ${insert.into} VALUES ${values} ${insert.onConflict ?? ''}`).run(...parameters);
            parameters = [];
            rows = 0;
        };
        for (const item of items) {
            parameters.push(...row(item));
            rows += 1;
            if (rows === rowsPerInsert) send();
        }
        if (rows > 0) send();
    }

    private timestamp(): string {
        return this.now().toISOString();
    }

    transaction<T>(work: () => T): T {
        const depth = this.transactionDepth;
        const savepoint = `nested_${depth}`;
        this.database.exec(depth === 0 ? 'BEGIN IMMEDIATE' : `SAVEPOINT ${savepoint}`);
        this.transactionDepth += 1;
        try {
            const result = work();
            this.database.exec(depth === 0 ? 'COMMIT' : `RELEASE ${savepoint}`);
            return result;
        } catch (error) {
            this.database.exec(depth === 0 ? 'ROLLBACK' : `ROLLBACK TO ${savepoint}; RELEASE ${savepoint}`);
            throw error;
        } finally {
            this.transactionDepth = depth;
        }
    }

    // Links

    upsertLinks(links: LinkInput[]): void {
        if (links.length === 0) return;
        const at = this.timestamp();
        // A HubSpot record linked elsewhere is a unique-constraint failure: the caller must move the link explicitly.
        this.transaction(() =>
            this.insertRows(
                {
                    into: 'links (mapping_id, salesforce_object, salesforce_id, hubspot_object_type, hubspot_id, tombstoned_at, created_at, updated_at)',
                    row: '(?, ?, ?, ?, ?, NULL, ?, ?)',
                    onConflict: `ON CONFLICT (salesforce_object, salesforce_id) DO UPDATE SET
                        mapping_id = excluded.mapping_id,
                        hubspot_object_type = excluded.hubspot_object_type,
                        hubspot_id = excluded.hubspot_id,
                        tombstoned_at = NULL,
                        updated_at = excluded.updated_at`
                },
                links,
                (link) => [
                    link.mappingId,
                    link.salesforceObject,
                    link.salesforceId,
                    link.hubspotObjectType,
                    link.hubspotId,
                    at,
                    at
                ]
            )
        );
    }

    findLinkBySalesforce(ref: SalesforceRef): RecordLink | undefined {
        const row = this.statement('SELECT * FROM links WHERE salesforce_object = ? AND salesforce_id = ?').get(
            ref.salesforceObject,
            ref.salesforceId
        );
        return row ? linkFromRow(row) : undefined;
    }

    findLinkByHubSpot(ref: HubSpotRef): RecordLink | undefined {
        const row = this.statement('SELECT * FROM links WHERE hubspot_object_type = ? AND hubspot_id = ?').get(
            ref.hubspotObjectType,
            ref.hubspotId
        );
        return row ? linkFromRow(row) : undefined;
    }

    linksBySalesforceIds(salesforceObject: string, salesforceIds: string[]): Map<string, RecordLink> {
        const rows = this.statement(
            'SELECT * FROM links WHERE salesforce_object = ? AND salesforce_id IN (SELECT value FROM json_each(?))'
        ).all(salesforceObject, JSON.stringify(salesforceIds));
        return new Map(rows.map((row) => [text(row.salesforce_id), linkFromRow(row)]));
    }

    linksByHubSpotIds(hubspotObjectType: string, hubspotIds: string[]): Map<string, RecordLink> {
        const rows = this.statement(
            'SELECT * FROM links WHERE hubspot_object_type = ? AND hubspot_id IN (SELECT value FROM json_each(?))'
        ).all(hubspotObjectType, JSON.stringify(hubspotIds));
        return new Map(rows.map((row) => [text(row.hubspot_id), linkFromRow(row)]));
    }

    hasLiveLinks(hubspotObjectType: string): boolean {
        return (
            this.statement('SELECT 1 FROM links WHERE hubspot_object_type = ? AND tombstoned_at IS NULL LIMIT 1').get(
                hubspotObjectType
            ) !== undefined
        );
    }

    moveLink(from: SalesforceRef, to: SalesforceRef & { mappingId: string }): RecordLink {
        return this.transaction(() => {
            const existing = this.findLinkBySalesforce(from);
            if (!existing) throw new Error(`no link for ${from.salesforceObject} ${from.salesforceId}`);
            this.deleteLink(from);
            this.upsertLinks([
                {
                    mappingId: to.mappingId,
                    salesforceObject: to.salesforceObject,
                    salesforceId: to.salesforceId,
                    hubspotObjectType: existing.hubspotObjectType,
                    hubspotId: existing.hubspotId
                }
            ]);
            // Snapshots describe the old record's fields; the new record starts from a first-sync comparison.
            this.statement('DELETE FROM snapshots WHERE salesforce_object = ? AND salesforce_id = ?').run(
                from.salesforceObject,
                from.salesforceId
            );
            const moved = this.findLinkBySalesforce(to);
            if (!moved) throw new Error(`moving the link to ${to.salesforceObject} ${to.salesforceId} failed`);
            return moved;
        });
    }

    tombstoneLink(ref: SalesforceRef): void {
        const at = this.timestamp();
        this.statement(
            'UPDATE links SET tombstoned_at = ?, updated_at = ? WHERE salesforce_object = ? AND salesforce_id = ?'
        ).run(at, at, ref.salesforceObject, ref.salesforceId);
    }

    deleteLink(ref: SalesforceRef): void {
        this.statement('DELETE FROM links WHERE salesforce_object = ? AND salesforce_id = ?').run(
            ref.salesforceObject,
            ref.salesforceId
        );
    }

    // Snapshots

    snapshotsFor(salesforceObject: string, salesforceIds: string[]): Map<string, Record<string, FieldSnapshot>> {
        const rows = this.statement(
            'SELECT * FROM snapshots WHERE salesforce_object = ? AND salesforce_id IN (SELECT value FROM json_each(?))'
        ).all(salesforceObject, JSON.stringify(salesforceIds));
        const byRecord = new Map<string, Record<string, FieldSnapshot>>();
        for (const row of rows) {
            const id = text(row.salesforce_id);
            const fields = byRecord.get(id) ?? {};
            const hubspotValue = readValue(row.hubspot_value);
            fields[text(row.field)] = {
                salesforceValue: readValue(row.salesforce_value),
                hubspotValue: hubspotValue === null ? null : String(hubspotValue),
                salesforceHash: text(row.salesforce_hash),
                hubspotHash: text(row.hubspot_hash)
            };
            byRecord.set(id, fields);
        }
        return byRecord;
    }

    saveSnapshots(entries: SnapshotEntry[]): void {
        const at = this.timestamp();
        this.transaction(() =>
            this.insertRows(
                {
                    into: 'snapshots (salesforce_object, salesforce_id, field, salesforce_value, hubspot_value, salesforce_hash, hubspot_hash, updated_at)',
                    row: '(?, ?, ?, ?, ?, ?, ?, ?)',
                    onConflict: `ON CONFLICT (salesforce_object, salesforce_id, field) DO UPDATE SET
                        salesforce_value = excluded.salesforce_value,
                        hubspot_value = excluded.hubspot_value,
                        salesforce_hash = excluded.salesforce_hash,
                        hubspot_hash = excluded.hubspot_hash,
                        updated_at = excluded.updated_at`
                },
                fieldSnapshots(entries),
                ({ entry, field, snapshot }) => [
                    entry.salesforceObject,
                    entry.salesforceId,
                    field,
                    json(snapshot.salesforceValue),
                    json(snapshot.hubspotValue),
                    snapshot.salesforceHash,
                    snapshot.hubspotHash,
                    at
                ]
            )
        );
    }

    // Cursors

    getCursor(stream: string, side: Cursor['side']): Cursor | undefined {
        const row = this.statement('SELECT * FROM cursors WHERE stream = ? AND side = ?').get(stream, side);
        if (!row) return undefined;
        return {
            stream: text(row.stream),
            side: side,
            modifiedAt: text(row.modified_at),
            recordId: text(row.record_id),
            lookbackSeconds: Number(row.lookback_seconds),
            updatedAt: text(row.updated_at)
        };
    }

    saveCursor(cursor: CursorInput): void {
        this.statement(
            `
            INSERT INTO cursors (stream, side, modified_at, record_id, lookback_seconds, updated_at) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (stream, side) DO UPDATE SET
                modified_at = excluded.modified_at,
                record_id = excluded.record_id,
                lookback_seconds = excluded.lookback_seconds,
                updated_at = excluded.updated_at`
        ).run(cursor.stream, cursor.side, cursor.modifiedAt, cursor.recordId, cursor.lookbackSeconds, this.timestamp());
    }

    // Runs

    startRun(mode: RunMode, owner?: string): Run {
        const at = this.timestamp();
        const result = this.statement(
            "INSERT INTO runs (mode, status, started_at, heartbeat_at, owner) VALUES (?, 'running', ?, ?, ?)"
        ).run(mode, at, at, owner ?? null);
        return this.requireRun(Number(result.lastInsertRowid));
    }

    touchRun(runId: number): void {
        this.statement("UPDATE runs SET heartbeat_at = ? WHERE id = ? AND status = 'running'").run(
            this.timestamp(),
            runId
        );
    }

    finishRun(runId: number, outcome: RunOutcome): Run {
        const result = this.statement(
            `
            UPDATE runs SET status = ?, ended_at = ?, counts = ?, salesforce_api_calls = ?, hubspot_api_calls = ?, error = ?
            WHERE id = ? AND status = 'running'`
        ).run(
            outcome.status,
            this.timestamp(),
            JSON.stringify(outcome.counts),
            outcome.apiCalls.salesforce,
            outcome.apiCalls.hubspot,
            outcome.error ?? null,
            runId
        );
        if (Number(result.changes) === 0) throw new Error(`run ${runId} does not exist or has already finished`);
        return this.requireRun(runId);
    }

    getRun(runId: number): Run | undefined {
        const row = this.statement('SELECT * FROM runs WHERE id = ?').get(runId);
        return row ? runFromRow(row) : undefined;
    }

    recentRuns(limit: number): Run[] {
        return this.statement('SELECT * FROM runs ORDER BY id DESC LIMIT ?').all(limit).map(runFromRow);
    }

    private requireRun(runId: number): Run {
        const run = this.getRun(runId);
        if (!run) throw new Error(`run ${runId} does not exist`);
        return run;
    }

    // Errors

    recordErrors(errors: SyncErrorInput[]): void {
        const at = this.timestamp();
        const upsert = this.statement(`
            INSERT INTO sync_errors (run_id, mapping_id, salesforce_object, salesforce_id, hubspot_object_type, hubspot_id, field,
                record_key, field_key, category, message, first_seen_at, last_seen_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (mapping_id, record_key, field_key, category) WHERE resolved = 0 DO UPDATE SET
                run_id = excluded.run_id,
                message = excluded.message,
                occurrences = occurrences + 1,
                last_seen_at = excluded.last_seen_at`);
        this.transaction(() => {
            for (const error of errors) {
                upsert.run(
                    error.runId,
                    error.mappingId,
                    error.salesforceObject ?? null,
                    error.salesforceId ?? null,
                    error.hubspotObjectType ?? null,
                    error.hubspotId ?? null,
                    error.field ?? null,
                    error.salesforceId ? `sf:${error.salesforceId}` : error.hubspotId ? `hs:${error.hubspotId}` : '',
                    error.field ?? '',
                    error.category,
                    error.message,
                    at,
                    at
                );
            }
        });
    }

    listErrors(filter: SyncErrorFilter = {}): SyncErrorRecord[] {
        return this.statement(
            `
            SELECT * FROM sync_errors
            WHERE (?1 IS NULL OR resolved = ?1)
              AND (?2 IS NULL OR category = ?2)
              AND (?3 IS NULL OR mapping_id = ?3)
              AND (?4 IS NULL OR salesforce_id = ?4)
            ORDER BY id DESC LIMIT ?5`
        )
            .all(
                filter.resolved === undefined ? null : Number(filter.resolved),
                filter.category ?? null,
                filter.mappingId ?? null,
                filter.salesforceId ?? null,
                filter.limit ?? 1000
            )
            .map(errorFromRow);
    }

    resolveErrors(target: { ids: number[] } | SalesforceRef): number {
        const at = this.timestamp();
        const result =
            'ids' in target
                ? this.statement(
                      'UPDATE sync_errors SET resolved = 1, resolved_at = ? WHERE resolved = 0 AND id IN (SELECT value FROM json_each(?))'
                  ).run(at, JSON.stringify(target.ids))
                : this.statement(
                      'UPDATE sync_errors SET resolved = 1, resolved_at = ? WHERE resolved = 0 AND salesforce_object = ? AND salesforce_id = ?'
                  ).run(at, target.salesforceObject, target.salesforceId);
        return Number(result.changes);
    }

    // Conflicts

    recordConflicts(conflicts: ConflictInput[]): void {
        const at = this.timestamp();
        const insert = this.statement(`
            INSERT INTO conflicts (run_id, mapping_id, salesforce_object, salesforce_id, hubspot_id, field, property,
                salesforce_value, hubspot_value, salesforce_changed_at, hubspot_changed_at, winner, recorded_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
        this.transaction(() => {
            for (const conflict of conflicts) {
                insert.run(
                    conflict.runId,
                    conflict.mappingId,
                    conflict.salesforceObject,
                    conflict.salesforceId,
                    conflict.hubspotId,
                    conflict.field,
                    conflict.property,
                    json(conflict.salesforceValue),
                    json(conflict.hubspotValue),
                    conflict.salesforceChangedAt,
                    conflict.hubspotChangedAt,
                    conflict.winner,
                    at
                );
            }
        });
    }

    listConflicts(filter: { runId?: number; salesforceId?: string; limit?: number } = {}): ConflictRecord[] {
        return this.statement(
            `
            SELECT * FROM conflicts WHERE (?1 IS NULL OR run_id = ?1) AND (?2 IS NULL OR salesforce_id = ?2)
            ORDER BY id DESC LIMIT ?3`
        )
            .all(filter.runId ?? null, filter.salesforceId ?? null, filter.limit ?? 1000)
            .map(conflictFromRow);
    }

    // Audit trail

    appendAudit(entries: AuditInput[]): void {
        const at = this.timestamp();
        this.transaction(() =>
            this.insertRows(
                {
                    into: `audit_trail (run_id, mapping_id, salesforce_object, salesforce_id, hubspot_id, field, property,
                        direction, rule, reason, before_value, after_value, at)`,
                    row: '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'
                },
                entries,
                (entry) => [
                    entry.runId,
                    entry.mappingId,
                    entry.salesforceObject,
                    entry.salesforceId,
                    entry.hubspotId,
                    entry.field,
                    entry.property,
                    entry.direction,
                    entry.rule,
                    entry.reason,
                    json(entry.before),
                    json(entry.after),
                    at
                ]
            )
        );
    }

    auditTrail(filter: { salesforceId?: string; hubspotId?: string; runId?: number; limit?: number }): AuditRecord[] {
        return this.statement(
            `
            SELECT * FROM audit_trail
            WHERE (?1 IS NULL OR salesforce_id = ?1) AND (?2 IS NULL OR hubspot_id = ?2) AND (?3 IS NULL OR run_id = ?3)
            ORDER BY id DESC LIMIT ?4`
        )
            .all(filter.salesforceId ?? null, filter.hubspotId ?? null, filter.runId ?? null, filter.limit ?? 1000)
            .map(auditFromRow);
    }

    // Event intake

    enqueueEvents(events: IntakeEventInput[]): number {
        const at = this.timestamp();
        const insert = this.statement(`
            INSERT INTO event_intake (source, event_id, payload, occurred_at, received_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (source, event_id) DO NOTHING`);
        return this.transaction(() =>
            events.reduce(
                (inserted, event) =>
                    inserted +
                    Number(
                        insert.run(event.source, event.eventId, json(event.payload), event.occurredAt ?? null, at)
                            .changes
                    ),
                0
            )
        );
    }

    pendingEvents(limit: number): IntakeEvent[] {
        return this.statement('SELECT * FROM event_intake WHERE processed_at IS NULL ORDER BY id LIMIT ?')
            .all(limit)
            .map(eventFromRow);
    }

    markEventsProcessed(ids: number[]): void {
        this.statement(
            'UPDATE event_intake SET processed_at = ? WHERE processed_at IS NULL AND id IN (SELECT value FROM json_each(?))'
        ).run(this.timestamp(), JSON.stringify(ids));
    }

    markEventFailed(id: number, error: string): void {
        this.statement('UPDATE event_intake SET attempts = attempts + 1, last_error = ? WHERE id = ?').run(error, id);
    }

    // Change Data Capture replay positions

    cdcReplayId(channel: string): number | undefined {
        const row = this.statement('SELECT replay_id FROM cdc_replay_positions WHERE channel = ?').get(channel);
        return row === undefined ? undefined : Number(row.replay_id);
    }

    saveCdcReplayId(channel: string, replayId: number): void {
        if (!Number.isSafeInteger(replayId)) throw new RangeError(`a replay ID must be an integer, got ${replayId}`);
        this.statement(
            `INSERT INTO cdc_replay_positions (channel, replay_id, updated_at) VALUES (?, ?, ?)
            ON CONFLICT (channel) DO UPDATE SET replay_id = excluded.replay_id, updated_at = excluded.updated_at`
        ).run(channel, replayId, this.timestamp());
    }

    clearCdcReplayId(channel: string): void {
        this.statement('DELETE FROM cdc_replay_positions WHERE channel = ?').run(channel);
    }

    close(): void {
        this.statements.clear();
        if (this.database.isOpen) this.database.close();
    }
}
