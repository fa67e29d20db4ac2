/**
 * What one run carries through its steps: the adapters, the store, the validated mapping, the owner
 * directory, and the run's report (counts, planned field changes, errors it met, calls it would spend).
 */
import type { StateStore, SyncErrorInput } from '../../state/store';
import type { HubSpotPort, SalesforcePort } from '../adapters/ports';
import type { MappingFile, RecordMapping } from '../mapping/schema';
import type { SchemaProblem } from '../schema/problems';
import type { MappingValidation } from '../schema/validate-mapping';
import type { OwnerDirectory } from '../values/owners';
import type { RunStaging } from './run-staging';

export const runKinds = ['full', 'incremental', 'dry_run'] as const;
export type RunKind = (typeof runKinds)[number];

export interface RunRequest {
    mode: RunKind;
    /** Record mapping, association or activity ids, or Salesforce object / HubSpot object type names. */
    objects?: string[];
    /** Salesforce record IDs and/or HubSpot record IDs: only these records sync. */
    ids?: string[];
    /** At most this many changed records per object and side. */
    limit?: number;
}

export interface RunReport {
    runId: number;
    mode: RunKind;
    status: 'completed' | 'failed';
    startedAt: string;
    endedAt: string;
    /** `mapping.counter` → n (read_salesforce, created_in_hubspot, updated_salesforce, excluded, errors, ...). */
    counts: Record<string, number>;
    /** What was (or, in a dry run, would be) written: `mapping.field → property: direction` → n. */
    fieldChanges: Record<string, number>;
    apiCalls: { salesforce: number; hubspot: number };
    /** Dry run: the write calls it would have spent on top of the reads it made. */
    plannedWriteCalls: { salesforce: number; hubspot: number };
    errors: SyncErrorInput[];
    warnings: SchemaProblem[];
    /** Lead fields whose values stop syncing once their Lead converts (named when a conversion happened). */
    leadOnlyFields: string[];
    error?: string;
}

/** The steps of a run, in order: live schemas, each record group, then associations and activities. */
export const syncPhases = ['schemas', 'records', 'associations', 'activities'] as const;
export type SyncPhase = (typeof syncPhases)[number];

/**
 * One step of a run starting or finishing, for progress displays. The number of steps is known when the
 * run starts; the number of changed records is not (changes are read page by page), so `recordsRead`
 * counts the records read from both CRMs so far.
 */
export interface SyncProgress {
    runId: number;
    state: 'started' | 'finished';
    phase: SyncPhase;
    /** For `records`: the HubSpot object type of the group and its mapping ids (Lead + Contact share contacts). */
    objectType?: string;
    mappingIds?: string[];
    /** 1-based position of this step and how many the run has. */
    step: number;
    totalSteps: number;
    recordsRead: number;
}

export interface RunContext {
    runId: number;
    request: RunRequest;
    dryRun: boolean;
    /** Cursors move only on runs that read everything that changed (no ids, no limit). */
    moveCursors: boolean;
    salesforce: SalesforcePort;
    hubspot: HubSpotPort;
    store: StateStore;
    mapping: MappingFile;
    validation: MappingValidation;
    owners: OwnerDirectory;
    hubspotPortal: { portalId?: number; appBaseUrl?: string };
    now: () => Date;
    report: RunReport;
    /** Change sets spill here as they are read; see run-staging.ts. */
    staging: RunStaging;
    /** How many changed records of one side a record group plans and writes at a time. */
    recordsPerWindow: number;
    /** A scheduled run reads HubSpot's archived lists when the last read is older than this. */
    archivedScanMinutes: number;
    /** A whole-object Salesforce read of at least this many records uses Bulk API 2.0; undefined: never. */
    bulkReadThreshold: number | undefined;
    /** List memberships read this run, by list ID (one read per list per run). */
    hubspotListMembers: Map<string, Map<string, string>>;
}

export function count(context: RunContext, mappingId: string, counter: string, by = 1): void {
    if (by === 0) return;
    const key = `${mappingId}.${counter}`;
    context.report.counts[key] = (context.report.counts[key] ?? 0) + by;
}

export function recordErrors(context: RunContext, errors: SyncErrorInput[]): void {
    if (errors.length === 0) return;
    context.report.errors.push(...errors);
    if (!context.dryRun) context.store.recordErrors(errors);
}

/** Whether the run covers an entry (record mapping, association, activity) given `objects`. */
export function selects(request: RunRequest, names: string[]): boolean {
    if (!request.objects || request.objects.length === 0) return true;
    const wanted = new Set(request.objects.map((name) => name.toLowerCase()));
    return names.some((name) => wanted.has(name.toLowerCase()));
}

/**
 * Whether the run syncs a record mapping. The two mappings of the lead conversion go together: a converted
 * Lead hands its link to its Contact, and a run of the Lead mapping alone would take the converted Lead for
 * a live pair and write it (Salesforce refuses), then move its cursor past the conversion for good.
 */
export function selectsRecordMapping(request: RunRequest, mapping: MappingFile, record: RecordMapping): boolean {
    const names = (entry: RecordMapping) => [entry.id, entry.salesforceObject, entry.hubspotObjectType];
    if (selects(request, names(record))) return true;
    const conversion = mapping.leadConversion;
    const partnerId =
        conversion?.leadMapping === record.id
            ? conversion.contactMapping
            : conversion?.contactMapping === record.id
              ? conversion.leadMapping
              : undefined;
    const partner = mapping.records.find((entry) => entry.id === partnerId);
    return partner !== undefined && selects(request, names(partner));
}
