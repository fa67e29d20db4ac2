import type { SandboxClock } from '../common/clock';
import type { ActiveFault, FaultInjector, FaultRuleInput } from '../common/faults';
import type { RequestCounter } from '../common/request-counter';
import type { TokenRegistry } from './auth';
import { OBJECT_TYPES, type ObjectTypeName } from './catalogue/object-types';
import type { SandboxContext } from './context';
import { notFound } from './errors';
import type { SeedSpecInput } from './options';
import type { HubSpotRateLimiter, RateLimitTier } from './rate-limit';
import { createRecord, type AssociationInput } from './routes/record-writes';
import { DEMO_SEED, seedDataset, type SeedSummary } from './seed';
import { toApiObject, type ApiObject } from './serialize';
import type { CrmStore, StoredObject, WriteSource } from './store/crm-store';
import type { TimelineStore } from './store/timeline-store';
import type { WebhookDispatcher } from './webhooks';

/** A HubSpot user editing in the CRM UI: history says `CRM_UI`, webhooks say so too. */
export const USER_SOURCE: WriteSource = { sourceType: 'CRM_UI', sourceId: 'userId:9000001', updatedByUserId: 9000001 };

export type SeedInput = 'empty' | 'demo' | SeedSpecInput;

/** The in-process control surface; `/__sandbox/*` exposes the same operations over HTTP. */
export class HubSpotSandboxHandle {
    readonly store: CrmStore;
    readonly timeline: TimelineStore;
    readonly clock: SandboxClock;
    readonly faults: FaultInjector;
    readonly counter: RequestCounter;
    readonly limiter: HubSpotRateLimiter;
    readonly tokens: TokenRegistry;
    readonly webhooks: WebhookDispatcher | undefined;

    constructor(private readonly context: SandboxContext) {
        this.store = context.store;
        this.timeline = context.timeline;
        this.clock = context.clock;
        this.faults = context.faults;
        this.counter = context.counter;
        this.limiter = context.limiter;
        this.tokens = context.tokens;
        this.webhooks = context.webhooks;
    }

    get accessToken(): string {
        return this.context.options.accessToken;
    }

    get portalId(): number {
        return this.context.options.portalId;
    }

    seed(input: SeedInput): SeedSummary {
        if (input === 'empty')
            return { contacts: 0, companies: 0, deals: 0, engagements: 0, analyticsEvents: 0, emailEvents: 0 };
        return seedDataset(this.store, this.timeline, this.clock, input === 'demo' ? DEMO_SEED : input);
    }

    /** Empties every record and timeline source, restores the catalogue; counters and limits restart. */
    reset(): void {
        this.store.reset();
        this.timeline.reset();
        this.context.lists.clear();
        this.counter.reset();
        this.limiter.reset();
        this.faults.clear();
    }

    /** Creates a static list of records of one type (HubSpot's MANUAL list); returns its id. */
    createList(name: string, type: ObjectTypeName): string {
        return this.context.lists.create(name, OBJECT_TYPES[type].objectTypeId).listId;
    }

    /** Adds records to a list, as a user would; records already in it keep their join time. */
    addToList(listId: string, type: ObjectTypeName, ids: string[]): void {
        const list = this.context.lists.get(listId);
        if (!list) throw notFound(listId);
        for (const id of ids) {
            this.record(type, id);
            if (!list.members.has(id)) list.members.set(id, this.clock.now());
        }
    }

    removeFromList(listId: string, ids: string[]): void {
        const list = this.context.lists.get(listId);
        if (!list) throw notFound(listId);
        for (const id of ids) list.members.delete(id);
    }

    private record(type: ObjectTypeName, id: string): StoredObject {
        const record = this.store.find(type, id);
        if (!record) throw notFound(id);
        return record;
    }

    /** Creates a record as a user would (validated, timestamped now, fires webhooks). */
    createAsUser(
        type: ObjectTypeName,
        properties: Record<string, string>,
        associations?: AssociationInput[]
    ): ApiObject {
        const record = createRecord(this.context, type, { properties, associations }, USER_SOURCE);
        return toApiObject(this.store, type, record, { properties: Object.keys(properties) });
    }

    /** Edits as a user: property history gets `CRM_UI` entries and webhooks fire. */
    editAsUser(type: ObjectTypeName, id: string, properties: Record<string, string>): ApiObject {
        const record = this.record(type, id);
        const values = this.store.prepareWrite(type, properties, { existing: record, allowReadOnly: true });
        this.store.transaction(() => this.store.apply(type, record, values, USER_SOURCE));
        return toApiObject(this.store, type, record, { properties: Object.keys(properties) });
    }

    archiveAsUser(type: ObjectTypeName, id: string): void {
        const record = this.record(type, id);
        this.store.transaction(() => this.store.archive(type, record, USER_SOURCE));
    }

    mergeAsUser(type: ObjectTypeName, primaryId: string, mergedId: string): ApiObject {
        return toApiObject(this.store, type, this.store.merge(type, primaryId, mergedId, USER_SOURCE));
    }

    associateAsUser(from: ObjectTypeName, fromId: string, to: ObjectTypeName, toId: string, typeIds: number[]): void {
        const a = this.record(from, fromId);
        const b = this.record(to, toId);
        this.store.transaction(() => this.store.associate(from, a.id, to, b.id, typeIds, USER_SOURCE));
    }

    addFault(rule: FaultRuleInput): ActiveFault {
        return this.faults.add(rule);
    }

    clearFaults(id?: number): void {
        this.faults.clear(id);
    }

    advanceClock(ms: number): number {
        this.clock.advance(ms);
        return this.clock.now();
    }

    setBaseLatency(ms: number): void {
        this.faults.baseLatencyMs = ms;
    }

    setTier(tier: RateLimitTier): void {
        this.limiter.tier = tier;
    }

    requestCounts(): { total: number; byEndpoint: Record<string, number> } {
        return this.counter.snapshot();
    }

    resetRequestCounts(): void {
        this.counter.reset();
    }

    /** Every record (archived included) in API shape with all set properties, plus timeline sources. */
    export() {
        const records = this.store.export();
        return {
            objects: Object.fromEntries(
                Object.entries(records).map(([type, list]) => [
                    type,
                    list.map((record) =>
                        toApiObject(this.store, type as ObjectTypeName, record, {
                            properties: [...new Set(['hs_object_id', ...Object.keys(record.properties)])]
                        })
                    )
                ])
            ),
            timeline: {
                emailEvents: this.timeline.emailEvents,
                workflowEnrollments: this.timeline.workflowEnrollments,
                sequenceEnrollments: this.timeline.sequenceEnrollments
            },
            rateLimits: this.limiter.usage(),
            webhookDeliveries: this.webhooks?.deliveries ?? []
        };
    }
}
