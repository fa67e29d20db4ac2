/**
 * The sync engine's memory, behind one small interface so another database (PostgreSQL) can be added
 * without touching the engine. The SQLite implementation is `sqlite-store.ts`.
 *
 * Every method that takes a list writes it in one transaction; the engine stores snapshots and cursors
 * only after the writes they describe have succeeded, so a crash mid-run repeats work, never loses it.
 */
import type { ErrorCategory, SyncSide } from '../sync/errors';
import type { SyncRule } from '../sync/mapping/schema';
import type { FieldSnapshot, WriteDirection } from '../sync/plan/plan-record';
import type { RuleReason } from '../sync/plan/rules';
import type { HubSpotValue, SalesforceValue } from '../sync/values/conversion';

export interface SalesforceRef {
    salesforceObject: string;
    salesforceId: string;
}

export interface HubSpotRef {
    hubspotObjectType: string;
    hubspotId: string;
}

export interface RecordLink extends SalesforceRef, HubSpotRef {
    mappingId: string;
    /** Set when the delete policy is `tombstone`: the pair stays known but no longer syncs. */
    tombstonedAt: string | null;
    createdAt: string;
    updatedAt: string;
}

export type LinkInput = Pick<
    RecordLink,
    'mappingId' | 'salesforceObject' | 'salesforceId' | 'hubspotObjectType' | 'hubspotId'
>;

export interface SnapshotEntry extends SalesforceRef {
    /** By Salesforce field name. */
    snapshots: Record<string, FieldSnapshot>;
}

/** Where incremental reads resume: the last (timestamp, id) seen, read again with a lookback window. */
export interface Cursor {
    /** What the cursor walks, e.g. a mapping id (`lead_to_contact`) or `tasks`. */
    stream: string;
    side: SyncSide;
    modifiedAt: string;
    recordId: string;
    lookbackSeconds: number;
    updatedAt: string;
}

export type CursorInput = Omit<Cursor, 'updatedAt'>;

export const runModes = ['full', 'incremental', 'manual', 'dry_run'] as const;
export type RunMode = (typeof runModes)[number];
export const runStatuses = ['running', 'completed', 'failed'] as const;
export type RunStatus = (typeof runStatuses)[number];

export interface ApiCalls {
    salesforce: number;
    hubspot: number;
}

export interface Run {
    id: number;
    mode: RunMode;
    status: RunStatus;
    startedAt: string;
    endedAt: string | null;
    /** Free-form counters (records read, created, updated, excluded, errors ...) by name. */
    counts: Record<string, number>;
    apiCalls: ApiCalls;
    error: string | null;
    /** Last sign of life of a running run's process (the start, then every heartbeat). */
    heartbeatAt: string;
    /** The process that runs it, as `host:pid`, when known. */
    owner: string | null;
}

export interface RunOutcome {
    status: Exclude<RunStatus, 'running'>;
    counts: Record<string, number>;
    apiCalls: ApiCalls;
    error?: string;
}

export interface SyncErrorInput {
    runId: number | null;
    mappingId: string;
    salesforceObject?: string;
    salesforceId?: string;
    hubspotObjectType?: string;
    hubspotId?: string;
    field?: string;
    category: ErrorCategory;
    message: string;
}

export interface SyncErrorRecord extends SyncErrorInput {
    id: number;
    /** How many runs hit the same open error; it is one row, not one per run. */
    occurrences: number;
    firstSeenAt: string;
    lastSeenAt: string;
    resolved: boolean;
    resolvedAt: string | null;
}

export interface SyncErrorFilter {
    resolved?: boolean;
    category?: ErrorCategory;
    mappingId?: string;
    salesforceId?: string;
    limit?: number;
}

export interface ConflictInput extends SalesforceRef {
    runId: number | null;
    mappingId: string;
    hubspotId: string;
    field: string;
    property: string;
    salesforceValue: SalesforceValue;
    hubspotValue: HubSpotValue;
    salesforceChangedAt: string;
    hubspotChangedAt: string;
    winner: SyncSide;
}

export interface ConflictRecord extends ConflictInput {
    id: number;
    recordedAt: string;
}

export interface AuditInput extends SalesforceRef {
    runId: number | null;
    mappingId: string;
    hubspotId: string | null;
    field: string;
    property: string;
    direction: WriteDirection;
    rule: SyncRule;
    reason: RuleReason;
    before: SalesforceValue | HubSpotValue;
    after: SalesforceValue | HubSpotValue;
}

export interface AuditRecord extends AuditInput {
    id: number;
    at: string;
}

export const eventSources = ['hubspot', 'salesforce'] as const;
export type EventSource = (typeof eventSources)[number];

export interface IntakeEventInput {
    source: EventSource;
    /** The sender's id (HubSpot eventId, Salesforce replay id); a repeat delivery is ignored. */
    eventId: string;
    payload: unknown;
    /** When the sender says it happened, if it says. */
    occurredAt?: string;
}

export interface IntakeEvent extends Required<Omit<IntakeEventInput, 'occurredAt'>> {
    id: number;
    occurredAt: string | null;
    receivedAt: string;
    processedAt: string | null;
    attempts: number;
    lastError: string | null;
}

export interface StateStore {
    /** Runs `work` in one transaction (nested calls join it); rolls back if it throws. */
    transaction<T>(work: () => T): T;

    upsertLinks(links: LinkInput[]): void;
    findLinkBySalesforce(ref: SalesforceRef): RecordLink | undefined;
    findLinkByHubSpot(ref: HubSpotRef): RecordLink | undefined;
    linksBySalesforceIds(salesforceObject: string, salesforceIds: string[]): Map<string, RecordLink>;
    linksByHubSpotIds(hubspotObjectType: string, hubspotIds: string[]): Map<string, RecordLink>;
    /** Whether any record of the HubSpot object type is linked and not tombstoned. */
    hasLiveLinks(hubspotObjectType: string): boolean;
    /** Lead conversion: the HubSpot record keeps its link, which moves to the converted record. */
    moveLink(from: SalesforceRef, to: SalesforceRef & { mappingId: string }): RecordLink;
    tombstoneLink(ref: SalesforceRef): void;
    deleteLink(ref: SalesforceRef): void;

    snapshotsFor(salesforceObject: string, salesforceIds: string[]): Map<string, Record<string, FieldSnapshot>>;
    saveSnapshots(entries: SnapshotEntry[]): void;

    getCursor(stream: string, side: SyncSide): Cursor | undefined;
    saveCursor(cursor: CursorInput): void;

    startRun(mode: RunMode, owner?: string): Run;
    finishRun(runId: number, outcome: RunOutcome): Run;
    /** Records that the run's process is alive (see `Run.heartbeatAt`). */
    touchRun(runId: number): void;
    getRun(runId: number): Run | undefined;
    recentRuns(limit: number): Run[];

    /** Open errors with the same record, field and category are counted, not duplicated. */
    recordErrors(errors: SyncErrorInput[]): void;
    listErrors(filter?: SyncErrorFilter): SyncErrorRecord[];
    /** Resolves the open errors of one record (it synced cleanly), or the given error ids. */
    resolveErrors(target: { ids: number[] } | SalesforceRef): number;

    recordConflicts(conflicts: ConflictInput[]): void;
    listConflicts(filter?: { runId?: number; salesforceId?: string; limit?: number }): ConflictRecord[];

    appendAudit(entries: AuditInput[]): void;
    auditTrail(filter: { salesforceId?: string; hubspotId?: string; runId?: number; limit?: number }): AuditRecord[];

    /** Returns how many of the events were new. */
    enqueueEvents(events: IntakeEventInput[]): number;
    pendingEvents(limit: number): IntakeEvent[];
    markEventsProcessed(ids: number[]): void;
    markEventFailed(id: number, error: string): void;

    /** Change Data Capture: the replay ID of the last event processed on `channel`, where a restart resumes. */
    cdcReplayId(channel: string): number | undefined;
    saveCdcReplayId(channel: string, replayId: number): void;
    /** Forgets the position (it fell out of the event bus's retention): the next subscription takes new events only. */
    clearCdcReplayId(channel: string): void;

    close(): void;
}
