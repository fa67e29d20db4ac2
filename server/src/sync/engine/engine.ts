/**
 * `SyncEngine.run()`: one sync of every enabled mapping (or the chosen subset) from the adapters'
 * changes to both CRMs and the state store. The mapping is checked against both live schemas first
 * (fatal problems fail the run with one message listing all of them); then record groups run in
 * dependency order (companies, contacts, deals, other objects), then associations, then activities.
 * One run at a time: an in-process lock plus the runs table, where a run still marked running by
 * another process blocks new ones until it is older than `staleRunAfterMs`.
 */
import { hostname } from 'node:os';

import { z } from 'zod';

import type { StateStore } from '../../state/store';
import type { HubSpotPort, SalesforcePort } from '../adapters/ports';
import { errorMessage } from '../errors';
import type { MappingFile } from '../mapping/schema';
import { MappingSchemaError } from '../schema/problems';
import {
    validateMappingAgainstSchemas,
    type MappingValidation,
    type ResolvedRecordMapping
} from '../schema/validate-mapping';
import { buildOwnerDirectory, type OwnerDirectory } from '../values/owners';
import { syncActivities } from './activities';
import { syncAssociations } from './associations';
import {
    runKinds,
    selects,
    selectsRecordMapping,
    type RunContext,
    type RunReport,
    type RunRequest,
    type SyncProgress
} from './context';
import { readLiveSchemas } from './live-schemas';
import { readGroupChanges, readHubSpotGroupChanges, type HubSpotGroupChanges } from './group-changes';
import { syncRecordGroup, type SyncedPairs } from './record-group';
import { RunStaging } from './run-staging';

export const RunRequestSchema = z.strictObject({
    mode: z.enum(runKinds),
    objects: z.array(z.string().min(1)).min(1).optional(),
    ids: z
        .array(
            z
                .string()
                .regex(/^([a-zA-Z0-9]{15}|[a-zA-Z0-9]{18}|\d+)$/, 'must be a Salesforce ID or a HubSpot record ID')
        )
        .min(1)
        .optional(),
    limit: z.number().int().positive().max(50_000).optional()
});

export class SyncAlreadyRunningError extends Error {
    constructor(detail: string) {
        super(`a sync is already running (${detail}); runs never overlap`);
        this.name = 'SyncAlreadyRunningError';
    }
}

export interface SyncEngineOptions {
    salesforce: SalesforcePort;
    hubspot: HubSpotPort;
    store: StateStore;
    mapping: MappingFile;
    /** The Hub ID for the record URL written to Salesforce; without it the URL field is left alone. */
    hubspotPortalId?: number;
    /** HubSpot's web app, `https://app.hubspot.com` unless the portal lives elsewhere (EU: app-eu1). */
    hubspotAppBaseUrl?: string;
    now?: () => Date;
    /**
     * A run marked running whose process has sent no heartbeat for this long (default 2 minutes) was cut
     * off by a crash or a kill: it is marked failed and the new run repeats its work.
     */
    staleRunAfterMs?: number;
    /**
     * Told when each step of a run starts and finishes (the CLI's progress bar). It only observes: an
     * exception it throws is dropped, so a display problem never fails or alters a sync.
     */
    onProgress?: (progress: SyncProgress) => void;
    /**
     * Changed records of one side a record group plans at a time (default 2,000): memory stays flat
     * however large the change set (a window's plans are most of the engine's heap at its peak), and
     * writes still go in full batches (records short of one wait for the next window).
     */
    recordsPerWindow?: number;
    /**
     * Minutes between two reads of HubSpot's archived lists on scheduled runs (default 60; 0 = every run;
     * full runs always read them). Deletion webhooks bring HubSpot deletes in between.
     */
    archivedScanMinutes?: number;
    /**
     * A first or full read of an object with at least this many records in scope goes through Bulk API 2.0
     * (default 10,000; `null` never uses it).
     */
    bulkReadThreshold?: number | null;
}

/** Two windows are held while one's writes land as the next is decided: their size sets the heap's peak. */
const defaultRecordsPerWindow = 1_500;
/** A running run whose process has been silent this long was cut off (heartbeats come 4 times as often). */
const defaultStaleRunAfterMs = 2 * 60_000;
const defaultArchivedScanMinutes = 60;
const defaultBulkReadThreshold = 10_000;

const thisProcess = `${hostname()}:${process.pid}`;

/** A run owned by a process of this host that no longer exists was cut off; others are judged by heartbeat. */
function ownerIsGone(owner: string | null): boolean {
    const [host, pid] = owner?.split(':') ?? [];
    if (host !== hostname() || !/^\d+$/.test(pid ?? '') || Number(pid) === process.pid) return false;
    try {
        process.kill(Number(pid), 0);
        return false;
    } catch (error) {
        return (error as NodeJS.ErrnoException).code === 'ESRCH';
    }
}

/** Dependency order: the records associations point at sync first. */
const objectTypeOrder = ['companies', 'contacts', 'deals'];

function groupsInOrder(resolved: ResolvedRecordMapping[]): [string, ResolvedRecordMapping[]][] {
    const groups = new Map<string, ResolvedRecordMapping[]>();
    for (const entry of resolved) {
        const list = groups.get(entry.mapping.hubspotObjectType) ?? [];
        list.push(entry);
        groups.set(entry.mapping.hubspotObjectType, list);
    }
    const rank = (type: string) => {
        const index = objectTypeOrder.indexOf(type);
        return index === -1 ? objectTypeOrder.length : index;
    };
    return [...groups].sort(([left], [right]) => rank(left) - rank(right));
}

interface ProgressReporter {
    step(where: Pick<SyncProgress, 'phase' | 'objectType' | 'mappingIds'>, state: SyncProgress['state']): void;
}

export class SyncEngine {
    private current: Promise<RunReport> | undefined;
    private stopRequested = false;
    private validation: MappingValidation | undefined;
    private owners: OwnerDirectory | undefined;

    constructor(private readonly options: SyncEngineOptions) {}

    get running(): boolean {
        return this.current !== undefined;
    }

    /** Resolves when no run is in flight (immediately when idle). */
    async whenIdle(): Promise<void> {
        while (this.current) {
            try {
                await this.current;
            } catch {
                // The run's own report carries its failure.
            }
        }
    }

    /** The run in flight finishes the group it is writing, then ends; later runs start normally. */
    async stop(): Promise<void> {
        this.stopRequested = true;
        try {
            await this.current;
        } catch {
            // The run's own report carries its failure.
        } finally {
            this.stopRequested = false;
        }
    }

    /** Re-syncs the given records now (the relay's resync queue hands Salesforce or HubSpot IDs). */
    resync(ids: string[]): Promise<RunReport> {
        return this.run({ mode: 'incremental', ids });
    }

    run(input: RunRequest): Promise<RunReport> {
        const request = RunRequestSchema.parse(input);
        if (this.current) throw new SyncAlreadyRunningError('in this process');
        const run = this.execute(request).finally(() => {
            this.current = undefined;
        });
        this.current = run;
        return run;
    }

    private async execute(request: RunRequest): Promise<RunReport> {
        const { store, salesforce, hubspot } = this.options;
        const now = this.options.now ?? (() => new Date());
        const staleAfter = this.options.staleRunAfterMs ?? defaultStaleRunAfterMs;
        for (const other of store.recentRuns(5).filter((run) => run.status === 'running')) {
            if (!ownerIsGone(other.owner) && now().getTime() - Date.parse(other.heartbeatAt) < staleAfter) {
                throw new SyncAlreadyRunningError(`run ${other.id} started at ${other.startedAt} by another process`);
            }
            // Its process died mid-run (killed, crashed): the run ends as failed and this one repeats its work.
            store.finishRun(other.id, {
                status: 'failed',
                counts: other.counts,
                apiCalls: other.apiCalls,
                error: `cut off: no sign of life since ${other.heartbeatAt} (its process ended during the run)`
            });
        }
        const restricted = request.ids !== undefined || request.limit !== undefined || request.objects !== undefined;
        const run = store.startRun(
            request.mode === 'dry_run' ? 'dry_run' : restricted ? 'manual' : request.mode,
            thisProcess
        );
        const heartbeat = setInterval(() => store.touchRun(run.id), Math.max(1_000, Math.floor(staleAfter / 4)));
        heartbeat.unref();
        const callsBefore = { salesforce: salesforce.calls(), hubspot: hubspot.calls() };
        const report: RunReport = {
            runId: run.id,
            mode: request.mode,
            status: 'completed',
            startedAt: run.startedAt,
            endedAt: run.startedAt,
            counts: {},
            fieldChanges: {},
            apiCalls: { salesforce: 0, hubspot: 0 },
            plannedWriteCalls: { salesforce: 0, hubspot: 0 },
            errors: [],
            warnings: [],
            leadOnlyFields: []
        };
        // The record groups are those of the enabled, selected mappings (validation resolves exactly those or fails).
        const recordGroups = new Set(
            this.options.mapping.records
                .filter((record) => record.enabled)
                .filter((record) => selectsRecordMapping(request, this.options.mapping, record))
                .map((record) => record.hubspotObjectType)
        );
        // Schemas, each record group, associations, then activities unless the run syncs chosen ids only.
        const progress = this.progressReporter(run.id, report, 1 + recordGroups.size + (request.ids ? 1 : 2));
        const staging = new RunStaging();
        try {
            progress.step({ phase: 'schemas' }, 'started');
            const validation = await this.validate(request.mode === 'full');
            progress.step({ phase: 'schemas' }, 'finished');
            report.warnings = validation.warnings;
            const context: RunContext = {
                runId: run.id,
                request,
                dryRun: request.mode === 'dry_run',
                moveCursors: request.ids === undefined && request.limit === undefined,
                salesforce,
                hubspot,
                store,
                mapping: this.options.mapping,
                validation,
                owners: await this.ownerDirectory(request.mode === 'full'),
                hubspotPortal: {
                    ...(this.options.hubspotPortalId === undefined ? {} : { portalId: this.options.hubspotPortalId }),
                    ...(this.options.hubspotAppBaseUrl === undefined
                        ? {}
                        : { appBaseUrl: this.options.hubspotAppBaseUrl })
                },
                now,
                report,
                staging,
                recordsPerWindow: this.options.recordsPerWindow ?? defaultRecordsPerWindow,
                archivedScanMinutes: this.options.archivedScanMinutes ?? defaultArchivedScanMinutes,
                hubspotListMembers: new Map(),
                bulkReadThreshold:
                    this.options.bulkReadThreshold === null
                        ? undefined
                        : (this.options.bulkReadThreshold ?? defaultBulkReadThreshold)
            };
            await this.syncAll(context, progress);
        } catch (error) {
            report.status = 'failed';
            report.error = errorMessage(error) || String(error);
            if (process.env.DEBUG_SYNC) console.error(error);
        } finally {
            clearInterval(heartbeat);
            staging.close();
        }
        report.apiCalls = {
            salesforce: salesforce.calls() - callsBefore.salesforce,
            hubspot: hubspot.calls() - callsBefore.hubspot
        };
        const finished = store.finishRun(run.id, {
            status: report.status,
            counts: { ...report.counts, errors: report.errors.length },
            apiCalls: report.apiCalls,
            ...(report.error === undefined ? {} : { error: report.error })
        });
        report.endedAt = finished.endedAt ?? now().toISOString();
        return report;
    }

    private async syncAll(context: RunContext, progress: ProgressReporter): Promise<void> {
        const { request } = context;
        const selectedRecords = [...context.validation.resolved.values()].filter((resolved) =>
            selectsRecordMapping(request, context.mapping, resolved.mapping)
        );
        const synced = new Map<string, SyncedPairs>();
        const stopped = () => {
            if (this.stopRequested) context.report.counts['run.stopped_early'] = 1;
            return this.stopRequested;
        };
        const groups = [...groupsInOrder(selectedRecords)];
        // Each group's HubSpot changes (search pages come 5 a second) are read while the group before it is
        // decided: a group reads nothing another one writes. The read ahead starts once the group before it
        // read its own changes, so the search pages go first to the group that waits for them. It is always
        // waited for, so nothing reads after the run.
        let readAhead: Promise<HubSpotGroupChanges> | undefined;
        try {
            for (const [index, [objectType, group]] of groups.entries()) {
                if (stopped()) return;
                const changes = readGroupChanges(context, objectType, group, readAhead);
                const following = groups[index + 1];
                readAhead = following ? changes.then(() => readHubSpotGroupChanges(context, ...following)) : undefined;
                // Its failure surfaces when its group awaits it; until then it must not count as unhandled.
                readAhead?.catch(() => undefined);
                const step = {
                    phase: 'records' as const,
                    objectType,
                    mappingIds: group.map((entry) => entry.mapping.id)
                };
                progress.step(step, 'started');
                const result = await syncRecordGroup(context, objectType, group, changes);
                for (const [mappingId, pairs] of result.synced) synced.set(mappingId, pairs);
                progress.step(step, 'finished');
            }
        } finally {
            await readAhead?.catch(() => undefined);
        }
        if (stopped()) return;
        progress.step({ phase: 'associations' }, 'started');
        // A run of chosen records (the fast path, the resync button) moves their lookups too; junction
        // rows and activities have cursors of their own, which only a polling run moves. An association
        // runs with either of its mappings (the fast path names a HubSpot object type, `contacts`).
        const selectedMappings = new Set(selectedRecords.map((resolved) => resolved.mapping.id));
        const associationSelected = (id: string, ends: string[]) =>
            selects(request, [id, ...ends]) || ends.some((end) => selectedMappings.has(end));
        await syncAssociations(context, synced, associationSelected, { lookupsOnly: request.ids !== undefined });
        progress.step({ phase: 'associations' }, 'finished');
        if (stopped() || request.ids) return;
        progress.step({ phase: 'activities' }, 'started');
        await syncActivities(context, (id, object) => selects(request, [id, object]));
        progress.step({ phase: 'activities' }, 'finished');
    }

    /** Numbers the steps for `onProgress`; a run stopped early simply reports no further steps. */
    private progressReporter(runId: number, report: RunReport, totalSteps: number): ProgressReporter {
        const onProgress = this.options.onProgress;
        let step = 0;
        return {
            step(where, state) {
                if (!onProgress) return;
                if (state === 'started') step += 1;
                const recordsRead = Object.entries(report.counts)
                    .filter(([key]) => key.endsWith('.read_salesforce') || key.endsWith('.read_hubspot'))
                    .reduce((sum, [, n]) => sum + n, 0);
                try {
                    onProgress({ runId, state, ...where, step, totalSteps, recordsRead });
                } catch {
                    // Progress is a display concern; see SyncEngineOptions.onProgress.
                }
            }
        };
    }

    /** Live schemas are read once and kept; a full run reads them again. */
    private async validate(refresh: boolean): Promise<MappingValidation> {
        if (!this.validation || refresh) {
            const live = await readLiveSchemas(this.options.mapping, this.options.salesforce, this.options.hubspot);
            const validation = validateMappingAgainstSchemas(this.options.mapping, live);
            if (validation.fatal.length > 0) throw new MappingSchemaError(validation.fatal);
            this.validation = validation;
        }
        return this.validation;
    }

    private async ownerDirectory(refresh: boolean): Promise<OwnerDirectory> {
        if (!this.owners || refresh) {
            const integrationUser = this.options.salesforce.userId;
            this.owners = buildOwnerDirectory(
                await this.options.salesforce.users(),
                await this.options.hubspot.owners(),
                {
                    unassignedUserIds: integrationUser ? [integrationUser] : []
                }
            );
        }
        return this.owners;
    }
}
