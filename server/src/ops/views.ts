/**
 * The JSON shapes the operator API answers with. The dashboard imports these types (type-only), so the
 * browser code and the API cannot drift apart.
 */
import type { ErrorCategory } from '../sync/errors';
import type { SchemaProblem } from '../sync/schema/problems';
import type { SyncRule } from '../sync/mapping/schema';
import type { AuditRecord, ConflictRecord, RecordLink, RunMode, RunStatus, SyncErrorRecord } from '../state/store';
import type { ApiUsage, HubSpotRecordValues, SalesforceRecordValues, SyncSchedule } from './ports';
import type { Priority } from '../queue';

export interface RunView {
    id: number;
    mode: RunMode;
    status: RunStatus;
    startedAt: string;
    endedAt: string | null;
    /** Until now for a run still going. */
    durationSeconds: number;
    counts: Record<string, number>;
    /** Counters named `<object>.<outcome>` regrouped: `{ Contact: { created: 3, updated: 9 } }`. */
    byObject: Record<string, Record<string, number>>;
    /** Records with an outcome, all objects together. */
    records: number;
    recordsPerSecond: number | null;
    apiCalls: { salesforce: number; hubspot: number };
    error: string | null;
}

export interface StatusView extends SyncSchedule {
    currentRun: RunView | null;
    lastRun: RunView | null;
    /** Fast-path work that used every retry and waits for a replay; null when the relay has no work queue. */
    deadLetters: number | null;
}

export interface RunsView {
    runs: RunView[];
}

export interface Page<T> {
    items: T[];
    total: number;
    offset: number;
    limit: number;
}

export type ErrorsView = Page<SyncErrorRecord>;

export interface CategorySummary {
    category: ErrorCategory;
    errors: number;
    /** Distinct records with at least one open error of the category. */
    records: number;
}

export interface ErrorSummaryView {
    categories: CategorySummary[];
    totalErrors: number;
    totalRecords: number;
}

export interface ConflictView extends ConflictRecord {
    acknowledgedAt: string | null;
    acknowledgedBy: string | null;
}

export type ConflictsView = Page<ConflictView>;

export interface AuditView {
    entries: AuditRecord[];
}

export interface MappedFieldView {
    salesforceField: string;
    hubspotProperty: string;
    rule: SyncRule;
    /** Salesforce value → HubSpot value pairs spelled differently on the two sides. */
    valueMap: Record<string, string> | null;
    owner: boolean;
    problems: SchemaProblem[];
}

export interface RecordMappingView {
    id: string;
    salesforceObject: string;
    hubspotObjectType: string;
    enabled: boolean;
    fields: MappedFieldView[];
    /** Problems of the mapping that are not about one mapped field (pipelines, lifecycle, status fields). */
    problems: SchemaProblem[];
}

export interface MappingsView {
    records: RecordMappingView[];
    /** Problems of associations and activities, and of mapping ids no record mapping has. */
    otherProblems: SchemaProblem[];
    fatalCount: number;
    warningCount: number;
}

export interface RecordView {
    link: RecordLink | null;
    salesforce: SalesforceRecordValues | null;
    hubspot: HubSpotRecordValues | null;
    audit: AuditRecord[];
    errors: SyncErrorRecord[];
}

export interface UsageView extends ApiUsage {
    runs: { id: number; startedAt: string; mode: RunMode; salesforce: number; hubspot: number }[];
}

/** One dead letter of the fast path's work queue. */
export interface DeadLetterView {
    id: number;
    /** `salesforce:<Object>`, `hubspot:<objectType>` or `reconcile`. */
    stream: string;
    /** The record ID (or, for a reconcile, the object). */
    recordKey: string;
    priority: Priority;
    /** Why it was queued (`cdc UPDATE`, `webhook contact.propertyChange` ...). */
    reason: string;
    attempts: number;
    /** Why the last attempt failed. */
    lastError: string | null;
    enqueuedAt: string;
    deadAt: string;
}

/** `total` counts every dead letter in the queue; the pages cover them all, in the order asked for. */
export type DeadLettersView = Page<DeadLetterView>;
