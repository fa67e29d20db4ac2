/**
 * The small interfaces the operator API needs besides the state store. Each is implemented by the part
 * of the relay that owns the data (the sync orchestrator, the CRM adapters, the timeline service), so
 * the API stays testable with plain in-memory implementations and knows nothing about jsforce or HubSpot.
 */
import type { TimelineResponse } from '../contract/timeline';
import type { WorkQueue } from '../queue';
import type { MappingFile } from '../sync/mapping/schema';
import type { SchemaProblem } from '../sync/schema/problems';
import type { HubSpotRef, SalesforceRef } from '../state/store';

/** Where the sync is now; the run history itself comes from the state store. */
export interface SyncSchedule {
    /** `sandbox` when `npm start` runs against the built-in sandboxes, `live` against real orgs. */
    environment: 'sandbox' | 'live';
    /** Seconds between scheduled runs; null when only manual runs happen. */
    intervalSeconds: number | null;
    /** ISO time of the next scheduled run; null when none is scheduled. */
    nextRunAt: string | null;
    /** Records waiting to sync (resync requests plus webhook events not yet processed). */
    queueDepth: number;
}

export interface StartRunRequest {
    dryRun: boolean;
    /** Mapping ids to run (`lead_to_contact`); all enabled mappings when absent. */
    objects?: string[];
    /** Salesforce or HubSpot record ids to limit the run to. */
    ids?: string[];
    /** At most this many records per mapping. */
    limit?: number;
}

export interface StartedRun {
    /** The state store's run id, so the caller can follow it in the runs list. */
    runId: number;
}

/** Drives the sync orchestrator. */
export interface SyncController {
    schedule(): SyncSchedule;
    /**
     * Starts a run in the background and resolves once it has a run id. Rejects with `RunInProgressError`
     * when a run is already going; other rejections are reported as 500.
     */
    startRun(request: StartRunRequest): Promise<StartedRun>;
    /** Queues the records for the next run (or an immediate one); resolves with how many were queued. */
    resync(refs: SalesforceRef[]): Promise<{ queued: number }>;
}

/** Thrown by `SyncController.startRun` while another run holds the lock; the API answers 409. */
export class RunInProgressError extends Error {
    constructor(readonly runningRunId: number | null) {
        super(
            runningRunId === null ? 'A sync run is already in progress.' : `Sync run ${runningRunId} is in progress.`
        );
        this.name = 'RunInProgressError';
    }
}

export interface UsageMeter {
    used: number;
    limit: number;
}

export interface ApiUsage {
    salesforce: UsageMeter & {
        /** The admin's own daily ceiling for this bridge (below the org limit); null when unset. */
        adminCap: number | null;
    };
    hubspot: {
        daily: UsageMeter;
        /** The rolling ten-second window HubSpot enforces per app. */
        tenSecondly: UsageMeter;
    };
    /** When these numbers were read (the Salesforce figure comes from the `/limits` resource or a response header). */
    measuredAt: string;
}

export interface ApiUsageProvider {
    usage(): Promise<ApiUsage>;
}

/** The mapping in force and every problem found validating it against the live schemas. */
export interface MappingSource {
    mapping: MappingFile;
    /** `validateMappingAgainstSchemas(...)`: its `fatal` and `warnings` together. */
    problems: SchemaProblem[];
}

export interface MappingProvider {
    current(): Promise<MappingSource>;
}

export type RecordValue = string | number | boolean | null;

export interface SalesforceRecordValues extends SalesforceRef {
    values: Record<string, RecordValue>;
}

export interface HubSpotRecordValues extends HubSpotRef {
    values: Record<string, RecordValue>;
}

export type RecordLookupTarget = { side: 'salesforce'; ref: SalesforceRef } | { side: 'hubspot'; ref: HubSpotRef };

/** Reads the current values of the mapped fields on both sides (one call per side). */
export interface RecordLookup {
    /**
     * `counterpart` is the linked record on the other side, when the state store knows it. A side that
     * does not exist (deleted, wrong id) is null.
     */
    lookup(
        target: RecordLookupTarget,
        counterpart: RecordLookupTarget | null
    ): Promise<{ salesforce: SalesforceRecordValues | null; hubspot: HubSpotRecordValues | null }>;
}

export type TimelineTarget =
    | { side: 'salesforce'; salesforceId: string }
    | { side: 'hubspot'; objectType: TimelineResponse['objectType']; hubspotId: string };

/** The same timeline the Salesforce component shows; null when the record is unknown or not linked. */
export type TimelinePreview = (target: TimelineTarget) => Promise<TimelineResponse | null>;

/**
 * Operator acknowledgements of conflicts. The conflict itself was already settled by the rule (the later
 * change won); acknowledging takes it out of the inbox.
 */
export interface ConflictInbox {
    /** Acknowledges the given conflicts; returns how many were not acknowledged before. */
    acknowledge(ids: number[], by: string): number;
    /** Acknowledgement times (ISO) of the given ids that have one. */
    acknowledged(ids: number[]): Map<number, { at: string; by: string }>;
}

/** The fast path's dead letters (the work queue's `deadLetters` and `replay`; `depth` counts them). */
export type DeadLetterQueue = Pick<WorkQueue, 'deadLetters' | 'replay' | 'depth'>;
