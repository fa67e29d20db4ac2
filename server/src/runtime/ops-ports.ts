/**
 * The operator API's ports implemented by the running bridge: the sync engine and scheduler, the two
 * CRM adapters, the state store's links and the HubSpot timeline.
 */
import type { TimelineObjectType } from '../contract/timeline';
import {
    type ApiUsageProvider,
    type MappingProvider,
    type RecordLookup,
    type RecordValue,
    RunInProgressError,
    type SyncController,
    type TimelinePreview
} from '../ops/ports';
import type { HubSpotPort, SalesforcePort } from '../sync/adapters/ports';
import type { SyncEngine } from '../sync/engine/engine';
import type { MappingFile } from '../sync/mapping/schema';
import type { MappingValidation } from '../sync/schema/validate-mapping';
import type { StateStore } from '../state/store';
import type { TimelineService } from '../timeline/service';
import type { EngineResyncQueue } from '../sync/engine/resync-queue';
import { runWithPriority, type ApiBudget } from '../budget';

export interface BridgeParts {
    environment: 'sandbox' | 'live';
    intervalMinutes: number;
    engine: SyncEngine;
    /** When the scheduler starts its next run (the previous run's end plus the interval). */
    nextRunAt: () => Date | null;
    resync: Pick<EngineResyncQueue, 'depth' | 'enqueue'>;
    store: StateStore;
    salesforce: SalesforcePort;
    hubspot: HubSpotPort;
    mapping: MappingFile;
    /** The latest validation of the mapping against both live schemas. */
    validation: () => MappingValidation;
    timeline: TimelineService;
    /** The admin's API caps, when the bridge spends through them. */
    budget?: ApiBudget;
}

export function syncController(parts: BridgeParts): SyncController {
    return {
        schedule: () => ({
            environment: parts.environment,
            intervalSeconds: parts.intervalMinutes * 60,
            nextRunAt: parts.nextRunAt()?.toISOString() ?? null,
            queueDepth: parts.resync.depth + parts.store.pendingEvents(10_000).length
        }),
        startRun: async (request) => {
            if (parts.engine.running) throw new RunInProgressError(runningRunId(parts.store));
            // An operator's run is interactive work for the API budget.
            const finished = runWithPriority('interactive', () =>
                parts.engine.run({
                    mode: request.dryRun ? 'dry_run' : 'incremental',
                    ...(request.objects ? { objects: request.objects } : {}),
                    ...(request.ids ? { ids: request.ids } : {}),
                    ...(request.limit ? { limit: request.limit } : {})
                })
            );
            // The run row is written before the engine's first await, so it is the newest running one.
            finished.catch(() => undefined);
            const runId = runningRunId(parts.store);
            if (runId === null) {
                await finished;
                throw new Error('the sync run ended before it was recorded');
            }
            return { runId };
        },
        resync: async (refs) => {
            const requestedAt = new Date().toISOString();
            for (const ref of refs) {
                await parts.resync.enqueue({
                    sfObject: ref.salesforceObject,
                    sfId: ref.salesforceId,
                    requestedAt,
                    requestId: 'dashboard'
                });
            }
            return { queued: refs.length };
        }
    };
}

function runningRunId(store: StateStore): number | null {
    return store.recentRuns(5).find((run) => run.status === 'running')?.id ?? null;
}

export function apiUsageProvider(parts: Pick<BridgeParts, 'salesforce' | 'hubspot' | 'budget'>): ApiUsageProvider {
    return {
        usage: async () => {
            const salesforce = parts.salesforce.usage() ?? { used: 0, limit: 0 };
            const hubspot = parts.hubspot.rateLimit();
            const meter = (limit: number | undefined, remaining: number | undefined) => ({
                used: limit !== undefined && remaining !== undefined ? Math.max(0, limit - remaining) : 0,
                limit: limit ?? 0
            });
            return {
                salesforce: { ...salesforce, adminCap: parts.budget?.status('salesforce').cap ?? null },
                hubspot: {
                    daily: meter(hubspot.dailyLimit, hubspot.dailyRemaining),
                    tenSecondly: meter(hubspot.intervalLimit, hubspot.intervalRemaining)
                },
                measuredAt: new Date().toISOString()
            };
        }
    };
}

export function mappingProvider(parts: Pick<BridgeParts, 'mapping' | 'validation'>): MappingProvider {
    return {
        current: async () => {
            const validation = parts.validation();
            return { mapping: parts.mapping, problems: [...validation.fatal, ...validation.warnings] };
        }
    };
}

const objectName = /^[A-Za-z][A-Za-z0-9_]{0,79}$/;

/** Reads the mapped fields of one record on each side (the record lookup of the dashboard). */
export function recordLookup(parts: Pick<BridgeParts, 'salesforce' | 'hubspot' | 'validation'>): RecordLookup {
    const resolved = () => [...parts.validation().resolved.values()];
    return {
        lookup: async (target, counterpart) => {
            const sides = [target, counterpart];
            const sfRef = sides.find((side) => side?.side === 'salesforce');
            const hsRef = sides.find((side) => side?.side === 'hubspot');
            let salesforce = null;
            if (sfRef?.side === 'salesforce') {
                const { salesforceObject, salesforceId } = sfRef.ref;
                if (!objectName.test(salesforceObject) || !/^[a-zA-Z0-9]{18}$/.test(salesforceId)) {
                    throw new RangeError('not a Salesforce object name and record ID');
                }
                const fields = new Set(['Id']);
                for (const entry of resolved()) {
                    if (entry.mapping.salesforceObject !== salesforceObject) continue;
                    for (const field of entry.fields) fields.add(field.salesforce.name);
                }
                const rows = await parts.salesforce.query(
                    `SELECT ${[...fields].join(', ')} FROM ${salesforceObject} WHERE Id = '${salesforceId}'`
                );
                salesforce = rows[0] ? { ...sfRef.ref, values: recordValues(rows[0].values) } : null;
            }
            let hubspot = null;
            if (hsRef?.side === 'hubspot') {
                const { hubspotObjectType, hubspotId } = hsRef.ref;
                const properties = new Set(['hs_object_id']);
                for (const entry of resolved()) {
                    if (entry.mapping.hubspotObjectType !== hubspotObjectType) continue;
                    for (const field of entry.fields) properties.add(field.hubspot.name);
                }
                const [object] = await parts.hubspot.read(hubspotObjectType, [hubspotId], [...properties]);
                hubspot = object ? { ...hsRef.ref, values: recordValues(object.properties) } : null;
            }
            return { salesforce, hubspot };
        }
    };
}

function recordValues(values: Record<string, RecordValue | undefined>): Record<string, RecordValue> {
    return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, value ?? null]));
}

const timelineObjectTypes: Record<string, TimelineObjectType> = {
    contacts: 'contact',
    companies: 'company',
    deals: 'deal'
};

/** The dashboard's timeline preview: a Salesforce record is followed to its HubSpot link first. */
export function timelinePreview(parts: Pick<BridgeParts, 'store' | 'timeline'>): TimelinePreview {
    return async (target) => {
        let subject: { objectType: TimelineObjectType; hubspotId: string } | undefined;
        if (target.side === 'hubspot') {
            subject = { objectType: target.objectType, hubspotId: target.hubspotId };
        } else {
            const link = parts.store.findLinkBySalesforce({
                salesforceObject: salesforceObjectOfId(target.salesforceId),
                salesforceId: target.salesforceId
            });
            const objectType = link ? timelineObjectTypes[link.hubspotObjectType] : undefined;
            if (link && objectType) subject = { objectType, hubspotId: link.hubspotId };
        }
        if (!subject) return null;
        return parts.timeline.getTimeline(subject, { pageSize: 25 });
    };
}

const keyPrefixes: Record<string, string> = { '00Q': 'Lead', '003': 'Contact', '001': 'Account', '006': 'Opportunity' };

function salesforceObjectOfId(id: string): string {
    return keyPrefixes[id.slice(0, 3)] ?? '';
}
