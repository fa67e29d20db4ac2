/**
 * Carries one group's plans to both CRMs in the fewest batched calls, in the order the IDs need:
 * HubSpot creates (their IDs go to Salesforce), Salesforce creates (their IDs go to HubSpot), HubSpot
 * updates, then Salesforce updates that carry the data and the sync status fields together. Each
 * record's outcome decides what the state store keeps: snapshots and audit entries only for writes that
 * landed, errors with their category for the rest (the next run retries them), links for new pairs.
 *
 * One `GroupWrites` serves every window of a group. A window's writes go out in full batches; the records
 * that would leave a batch part-full wait (a few hundred at most) and go with the next window's, so a group
 * costs the calls of one pass however many windows it is decided in. The last flush sends what is left.
 * Updates that may overwrite a HubSpot user's edit never wait (see `holdable`).
 *
 * A flush's HubSpot creates go out while the flush before it still lands; then, once that one landed, the
 * rest of the flush (Salesforce writes, HubSpot updates, state) lands in the background while the caller
 * decides the next window. Each flush keeps what it settled apart and stores it once its own writes landed.
 */
import type { AuditInput, ConflictInput, LinkInput, SnapshotEntry, SyncErrorInput } from '../../state/store';
import { hubspotBatchSize, salesforceBatchSize, type HubSpotCreateInput, type WriteResult } from '../adapters/ports';
import type { ErrorCategory } from '../errors';
import { salesforceIdPropertyWrites } from '../identity/id-properties';
import type { ConversionPlan } from '../identity/lead-conversion';
import type { CreatePlan } from '../plan/create';
import type { BatchPlan, SalesforceRecord } from '../plan/plan-batch';
import type { FieldSnapshot, RecordPlan } from '../plan/plan-record';
import { syncStatusWrites, type SyncStatus } from '../plan/sync-status';
import type { ResolvedRecordMapping } from '../schema/validate-mapping';
import type { SalesforceValue } from '../values/conversion';
import { createTimeAssociations, lookupFieldsOf, type CreateTimeAssociation } from './associations';
import { count, recordErrors, type RunContext } from './context';
import { salesforceEditedSinceRead } from './concurrent-edits';
import { pendingDeleteField } from './deletes';
import { fingerprintSnapshot, lookupSnapshot, lookupSnapshotKey, salesforceFingerprint, seenSnapshotKey } from './echo';
import type { SyncedPairs } from './record-group';
import { sendParentSafe } from './parent-safe-batches';
import { together } from './together';
import { WriteLane } from './write-lane';

type RecordRef = {
    salesforceId?: string;
    hubspotId?: string;
    category: ErrorCategory;
    message: string;
    field?: string;
};

interface Pair {
    resolved: ResolvedRecordMapping;
    salesforceId: string;
    hubspotId: string;
    plan: RecordPlan;
    newLink: boolean;
    record: SalesforceRecord;
    hubspotFailed?: string;
    salesforceFailed?: string;
    /** Edited in Salesforce since this run read it: the Salesforce half waits for the next run. */
    salesforceHeld?: boolean;
    /** Its HubSpot record was read again for concurrent edits just before this window's writes. */
    hubspotChecked: boolean;
}

interface PendingHubSpotCreate {
    resolved: ResolvedRecordMapping;
    record: SalesforceRecord;
    plan: CreatePlan;
}

interface PendingSalesforceCreate {
    resolved: ResolvedRecordMapping;
    hubspotId: string;
    plan: CreatePlan;
}

interface PendingDelete {
    resolved: ResolvedRecordMapping;
    ref: { salesforceObject: string; salesforceId: string };
    hubspotId: string;
}

interface StatusOnly {
    resolved: ResolvedRecordMapping;
    record: SalesforceRecord;
    status: SyncStatus;
    message: string;
}

const hubspotTypeIds: Record<string, string> = { contacts: '0-1', companies: '0-2', deals: '0-3' };

/** Where a HubSpot record opens in the web app; undefined when the portal (Hub ID) is not known. */
export function hubspotRecordUrl(
    portal: { portalId?: number; appBaseUrl?: string },
    objectType: string,
    id: string
): string | undefined {
    const typeId = hubspotTypeIds[objectType] ?? (/^\d+-\d+$/.test(objectType) ? objectType : undefined);
    if (portal.portalId === undefined || typeId === undefined) return undefined;
    const base = (portal.appBaseUrl ?? 'https://app.hubspot.com').replace(/\/+$/, '');
    return `${base}/contacts/${portal.portalId}/record/${typeId}/${id}`;
}

const batches = (items: number, size: number) => Math.ceil(items / size);

/**
 * Salesforce write batches in flight at once. Its limit is per day, not per second, so a second batch only
 * fills the round trip; more would mostly queue on the org's locks and connection limits.
 */
const salesforceWriteConcurrency = 2;

/** What one flush sends; the rest waits in the `GroupWrites` for the next. */
interface ReadyWrites {
    archives: PendingDelete[];
    salesforceDeletes: PendingDelete[];
    hubspotCreates: PendingHubSpotCreate[];
    salesforceCreates: PendingSalesforceCreate[];
    pairs: Pair[];
    statusOnly: StatusOnly[];
    extraHubSpot: Map<string, Record<string, string>>;
}

/** What one flush settled: stored once every write of the flush landed (or failed). */
interface FlushOutcome {
    errors: SyncErrorInput[];
    links: LinkInput[];
    snapshots: SnapshotEntry[];
    audit: AuditInput[];
    conflicts: ConflictInput[];
    clean: { salesforceObject: string; salesforceId: string }[];
    /**
     * HubSpot records now synced with a Salesforce record (created there, or paired cleanly): their earlier
     * errors recorded without a Salesforce record (a failed create) are resolved.
     */
    settledHubSpot: Set<string>;
    /** The pairs that synced, by mapping, for the association step. */
    synced: Map<string, SyncedPairs>;
}

/** One flush under way: its writes, the updates its earlier steps add for the later ones, what it settled. */
interface Flush {
    ready: ReadyWrites;
    outcome: FlushOutcome;
    /** Salesforce ID → object and fields: data and status go in one write per record. */
    salesforceUpdates: Map<
        string,
        { object: string; parents: readonly string[]; fields: Record<string, SalesforceValue> }
    >;
    /** HubSpot ID → properties. */
    hubspotUpdates: Map<string, Record<string, string>>;
    /** Records created in Salesforce: what Salesforce filled in goes to HubSpot with the new ID. */
    createdInSalesforce: CreatedInSalesforce[];
}

interface CreatedInSalesforce {
    resolved: ResolvedRecordMapping;
    salesforceId: string;
    hubspotId: string;
    plan: RecordPlan;
}

function addSalesforceUpdate(
    flush: Flush,
    object: string,
    record: { id: string; parents: readonly string[] },
    fields: Record<string, SalesforceValue>
): void {
    if (Object.keys(fields).length === 0) return;
    const entry = flush.salesforceUpdates.get(record.id) ?? { object, parents: record.parents, fields: {} };
    Object.assign(entry.fields, fields);
    flush.salesforceUpdates.set(record.id, entry);
}

function addHubSpotUpdate(flush: Flush, id: string, properties: Record<string, string>): void {
    if (Object.keys(properties).length === 0) return;
    flush.hubspotUpdates.set(id, { ...flush.hubspotUpdates.get(id), ...properties });
}

/** The synced pairs of two flushes together, by mapping. */
function mergeSynced(earlier: Map<string, SyncedPairs>, later: Map<string, SyncedPairs>): Map<string, SyncedPairs> {
    const merged = new Map([...earlier].map(([mappingId, pairs]) => [mappingId, new Map(pairs)]));
    for (const [mappingId, pairs] of later) {
        const into = merged.get(mappingId) ?? new Map();
        for (const [salesforceId, pair] of pairs) into.set(salesforceId, pair);
        merged.set(mappingId, into);
    }
    return merged;
}

/** Removes and returns the items `picked` selects; the others stay, in their order. */
function extract<T>(items: T[], picked: (item: T) => boolean): T[] {
    const taken = items.filter(picked);
    const kept = items.filter((item) => !picked(item));
    items.splice(0, items.length, ...kept);
    return taken;
}

/** How many of `count` writes would be left over past full batches of `size`. */
const partial = (count: number, size: number) => count % size;

/**
 * HubSpot refuses a contact whose email another contact has (409, `Existing ID: N`). The identity step
 * searched by email first, so that contact appeared since (a concurrent create, or HubSpot's search index
 * trailing its writes): the record is retried next run, which finds the contact by email and pairs with it
 * (or marks the record Excluded when that contact syncs with another record) instead of failing for good.
 */
function createConflictToRetry(
    result: Extract<WriteResult, { ok: false }>
): Extract<WriteResult, { ok: false }> | undefined {
    const existing = /Existing ID: (\d+)/.exec(result.message)?.[1];
    if (result.category !== 'duplicate' || existing === undefined) return undefined;
    return {
        ok: false,
        category: 'transient',
        message: `${result.message} (HubSpot record ${existing} has this email; the next run pairs by email)`
    };
}

export class GroupWrites {
    private readonly pairs: Pair[] = [];
    private readonly hubspotCreates: PendingHubSpotCreate[] = [];
    private readonly salesforceCreates: PendingSalesforceCreate[] = [];
    private readonly statusOnly: StatusOnly[] = [];
    /** HubSpot records to archive because their Salesforce record was deleted (policy `propagate`). */
    private readonly archives: PendingDelete[] = [];
    /** Salesforce records to delete because their HubSpot record was archived (policy `propagate`). */
    private readonly salesforceDeletes: PendingDelete[] = [];
    /** HubSpot ID → properties from outside the pair plans (lead conversion). */
    private readonly extraHubSpot = new Map<string, Record<string, string>>();
    /** Errors found while planning (blocked creates, ambiguities): stored with the next flush. */
    private readonly planErrors: SyncErrorInput[] = [];
    /** The flush landing while the next window is decided (flushes run one after another). */
    private readonly lane = new WriteLane<Map<string, SyncedPairs>>();

    constructor(
        private readonly context: RunContext,
        private readonly objectType: string,
        private readonly group: ResolvedRecordMapping[]
    ) {}

    error(resolved: ResolvedRecordMapping, ref: RecordRef): void {
        this.errorInto(this.planErrors, resolved, ref);
    }

    private errorInto(errors: SyncErrorInput[], resolved: ResolvedRecordMapping, ref: RecordRef): void {
        errors.push({
            runId: this.context.runId,
            mappingId: resolved.mapping.id,
            salesforceObject: resolved.mapping.salesforceObject,
            hubspotObjectType: this.objectType,
            ...ref
        });
        count(this.context, resolved.mapping.id, 'errors');
    }

    convertLead(
        plan: Extract<ConversionPlan, { status: 'relink' }>,
        lead: ResolvedRecordMapping,
        contact: ResolvedRecordMapping
    ): void {
        if (!this.context.dryRun) {
            const { store } = this.context;
            const leadRef = { salesforceObject: lead.mapping.salesforceObject, salesforceId: plan.leadId };
            const leadSnapshots = store.snapshotsFor(leadRef.salesforceObject, [plan.leadId]).get(plan.leadId) ?? {};
            // A converted Lead never syncs again, so an error it still had cannot be retried or fixed.
            store.resolveErrors(leadRef);
            store.moveLink(leadRef, {
                salesforceObject: contact.mapping.salesforceObject,
                salesforceId: plan.contactId,
                mappingId: contact.mapping.id
            });
            // Salesforce copies the Lead's values into the Contact, so the Lead's snapshots carry over to the
            // Contact field that syncs with the same HubSpot property: the pair keeps its three-way
            // comparison instead of a first sync, where the newer record would win every field.
            const leadFieldOf = new Map(lead.fields.map((field) => [field.hubspot.name, field.salesforce.name]));
            const carried = Object.fromEntries(
                contact.fields.flatMap((field) => {
                    const snapshot = leadSnapshots[leadFieldOf.get(field.hubspot.name) ?? ''];
                    return snapshot ? [[field.salesforce.name, snapshot]] : [];
                })
            );
            store.saveSnapshots([
                { salesforceObject: contact.mapping.salesforceObject, salesforceId: plan.contactId, snapshots: carried }
            ]);
        }
        this.extraHubSpot.set(plan.hubspotId, { ...this.extraHubSpot.get(plan.hubspotId), ...plan.hubspotWrites });
    }

    addPlan(
        resolved: ResolvedRecordMapping,
        plan: BatchPlan,
        records: Map<string, SalesforceRecord>,
        /** The HubSpot IDs the window read again for concurrent edits (`deferConcurrentlyEdited`). */
        checkedHubSpot: ReadonlySet<string> = new Set()
    ): void {
        const mappingId = resolved.mapping.id;
        const newLinks = new Set(plan.newLinks.map((link) => link.salesforceId));
        for (const update of plan.updates) {
            this.pairs.push({
                resolved,
                salesforceId: update.salesforceId,
                hubspotId: update.hubspotId,
                plan: update.plan,
                newLink: newLinks.has(update.salesforceId),
                record: records.get(update.salesforceId)!,
                hubspotChecked: checkedHubSpot.has(update.hubspotId)
            });
        }
        for (const create of plan.createInHubSpot) {
            if (create.plan.blocked) continue;
            this.hubspotCreates.push({ resolved, record: records.get(create.salesforceId)!, plan: create.plan });
        }
        for (const create of plan.createInSalesforce) {
            if (create.plan.blocked) {
                for (const problem of create.plan.errors) {
                    this.error(resolved, {
                        hubspotId: create.hubspotId,
                        field: problem.field,
                        category: problem.category,
                        message: problem.message
                    });
                }
                continue;
            }
            this.salesforceCreates.push({ resolved, hubspotId: create.hubspotId, plan: create.plan });
        }
        for (const excluded of plan.excluded) {
            count(this.context, mappingId, 'excluded');
            this.statusOnly.push({
                resolved,
                record: records.get(excluded.salesforceId)!,
                status: 'Excluded',
                message: excluded.reason
            });
        }
        for (const ambiguity of plan.ambiguous) {
            count(this.context, mappingId, 'ambiguous');
            const message = `several ${ambiguity.side === 'salesforce' ? 'HubSpot' : 'Salesforce'} records match by ${ambiguity.via}: ${ambiguity.candidates.join(', ')}; not linked`;
            if (ambiguity.side === 'salesforce') {
                this.error(resolved, { salesforceId: ambiguity.id, category: 'duplicate', message });
                this.statusOnly.push({ resolved, record: records.get(ambiguity.id)!, status: 'Error', message });
            } else {
                this.error(resolved, { hubspotId: ambiguity.id, category: 'duplicate', message });
            }
        }
        for (const missing of plan.missingCounterparts) this.handleMissing(resolved, missing);
    }

    /** A linked Salesforce record was deleted: the mapping's delete policy decides about its HubSpot record. */
    salesforceDeleted(resolved: ResolvedRecordMapping, salesforceId: string, hubspotId: string): void {
        count(this.context, resolved.mapping.id, 'deleted_salesforce');
        const ref = { salesforceObject: resolved.mapping.salesforceObject, salesforceId };
        if (resolved.mapping.delete === 'propagate') {
            this.archives.push({ resolved, ref, hubspotId });
            return;
        }
        if (this.context.dryRun) return;
        this.endPair(resolved, ref);
    }

    /** A linked HubSpot record was archived: the mapping's delete policy decides about its Salesforce record. */
    hubspotDeleted(resolved: ResolvedRecordMapping, salesforceId: string, hubspotId: string): void {
        count(this.context, resolved.mapping.id, 'deleted_hubspot');
        const ref = { salesforceObject: resolved.mapping.salesforceObject, salesforceId };
        if (resolved.mapping.delete === 'propagate') {
            this.salesforceDeletes.push({ resolved, ref, hubspotId });
            return;
        }
        if (this.context.dryRun) return;
        this.endPair(resolved, ref);
    }

    /** A linked HubSpot record was merged into another: the pair ends (a merge deletes no person). */
    hubspotMergedAway(resolved: ResolvedRecordMapping, salesforceId: string): void {
        count(this.context, resolved.mapping.id, 'merged_away_hubspot');
        if (this.context.dryRun) return;
        this.endPair(resolved, { salesforceObject: resolved.mapping.salesforceObject, salesforceId });
    }

    /**
     * A pair ends without propagating the delete: `ignore` forgets the link, `tombstone` keeps it marked.
     * Errors still open on the record have nothing left to retry.
     */
    private endPair(resolved: ResolvedRecordMapping, ref: { salesforceObject: string; salesforceId: string }): void {
        const { store } = this.context;
        if (resolved.mapping.delete === 'ignore') store.deleteLink(ref);
        else store.tombstoneLink(ref);
        store.resolveErrors(ref);
    }

    /** Both records of a pair are gone: the link and the pending delete's error go. */
    pairGone(resolved: ResolvedRecordMapping, salesforceId: string): void {
        if (this.context.dryRun) return;
        const ref = { salesforceObject: resolved.mapping.salesforceObject, salesforceId };
        this.context.store.deleteLink(ref);
        this.context.store.resolveErrors(ref);
    }

    /** A linked counterpart that no longer exists: the mapping's delete policy applies to the link. */
    private handleMissing(resolved: ResolvedRecordMapping, missing: BatchPlan['missingCounterparts'][number]): void {
        count(this.context, resolved.mapping.id, `deleted_${missing.side}`);
        if (this.context.dryRun) return;
        const ref = {
            salesforceObject: resolved.mapping.salesforceObject,
            salesforceId: missing.side === 'hubspot' ? missing.id : missing.counterpartId
        };
        this.endPair(resolved, ref);
    }

    /**
     * A propagated delete landed: the link and the record's open errors go. It failed: the error keeps the
     * pending-delete marker and the link stays, so the next run tries again.
     */
    private settleDelete(
        outcome: FlushOutcome,
        entry: PendingDelete,
        result: WriteResult | undefined,
        sideToDelete: 'hubspot' | 'salesforce'
    ): void {
        if (result?.ok) {
            this.context.store.deleteLink(entry.ref);
            this.context.store.resolveErrors(entry.ref);
            return;
        }
        this.errorInto(outcome.errors, entry.resolved, {
            salesforceId: entry.ref.salesforceId,
            hubspotId: entry.hubspotId,
            field: pendingDeleteField[sideToDelete],
            category: result?.category ?? 'transient',
            message: `the ${sideToDelete === 'hubspot' ? 'HubSpot' : 'Salesforce'} record could not be deleted: ${result?.message ?? 'no answer'}`
        });
    }

    private statusWrites(
        resolved: ResolvedRecordMapping,
        record: SalesforceRecord | undefined,
        status: SyncStatus,
        message: string | undefined,
        hubspotId: string | undefined
    ): Record<string, SalesforceValue> {
        const fields = resolved.mapping.syncStatus;
        const writes = syncStatusWrites(resolved.mapping, {
            status,
            at: this.context.now().toISOString(),
            ...(message === undefined ? {} : { message }),
            ...(hubspotId === undefined
                ? {}
                : { hubspotUrl: hubspotRecordUrl(this.context.hubspotPortal, this.objectType, hubspotId) })
        });
        const idField = resolved.mapping.identity.hubspotIdField;
        if (idField && hubspotId !== undefined) writes[idField] = hubspotId;
        if (fields?.recordUrlField && writes[fields.recordUrlField] === undefined) delete writes[fields.recordUrlField];
        if (!record) return writes;
        // Nothing to say when the record already shows this state.
        const same = Object.entries(writes).every(
            ([field, value]) => field === fields?.lastSyncedField || (record.values[field] ?? null) === value
        );
        return same ? {} : writes;
    }

    /**
     * Sends the writes that are ready (all of them when `final`), then stores what they settled. The writes
     * that depend on nothing an earlier flush still writes go first and may overlap the previous flush's
     * rest: HubSpot archives and creates, and the Salesforce creates of records with no lookup parent (no lock
     * to share with the Salesforce writes in flight). Then this call waits for that flush to land and returns
     * the pairs it synced, by mapping, for the association step. The rest of a flush that is not the last
     * (the other Salesforce writes, HubSpot updates, state) lands in the background while the caller decides
     * the next window: one flush is in flight at most. The last flush is awaited and returns its pairs too. A
     * flush that failed fails the call that waits for it; what this flush's first writes made is stored then.
     */
    async execute(options: { final: boolean }): Promise<Map<string, SyncedPairs>> {
        const flush = this.startFlush(options.final);
        await this.sendFirst(flush);
        let before: Map<string, SyncedPairs>;
        try {
            before = await this.landed();
        } catch (error) {
            this.persist(flush.outcome);
            throw error;
        }
        const rest = this.sendRest(flush);
        if (options.final) return mergeSynced(before, await rest);
        this.lane.carry(rest);
        return before;
    }

    /** Waits for the flush in flight, if any, and returns what it synced; its failure is thrown here. */
    async landed(): Promise<Map<string, SyncedPairs>> {
        return (await this.lane.landed()) ?? new Map();
    }

    /** For a caller that is failing: lets the flush in flight land (or fail) before the error goes on. */
    drain(): Promise<void> {
        return this.lane.drain();
    }

    /** The writes ready now and what they settle; plans decided after this wait for the next flush. */
    private startFlush(final: boolean): Flush {
        const ready = this.takeReady(final);
        const outcome: FlushOutcome = {
            errors: this.planErrors.splice(0),
            links: [],
            snapshots: [],
            audit: [],
            conflicts: [],
            clean: [],
            settledHubSpot: new Set(),
            synced: new Map(this.group.map((resolved) => [resolved.mapping.id, new Map()]))
        };
        return {
            ready,
            outcome,
            salesforceUpdates: new Map(),
            hubspotUpdates: new Map(ready.extraHubSpot),
            createdInSalesforce: []
        };
    }

    /** The writes that depend on nothing an earlier flush still writes, both sides at the same time. */
    private async sendFirst(flush: Flush): Promise<void> {
        const parentless = extract(
            flush.ready.salesforceCreates,
            (create) => this.lockRef(create.resolved, { id: '', values: create.plan.toSalesforce }).parents.length === 0
        );
        await together([this.sendHubSpotFirst(flush), this.createInSalesforce(flush, parentless)]);
    }

    /** Archives and creates in HubSpot. */
    private async sendHubSpotFirst(flush: Flush): Promise<void> {
        const { context } = this;
        const { ready, outcome } = flush;
        const { synced } = outcome;

        // 0. Deletes that propagate: the HubSpot record is archived, the link dropped once it is.
        if (ready.archives.length > 0) {
            if (context.dryRun) {
                context.report.plannedWriteCalls.hubspot += batches(ready.archives.length, hubspotBatchSize);
            } else {
                const archived = await context.hubspot.archive(
                    this.objectType,
                    ready.archives.map((entry) => entry.hubspotId)
                );
                ready.archives.forEach((entry, index) => this.settleDelete(outcome, entry, archived[index], 'hubspot'));
            }
        }
        // 1. HubSpot creates. Taken out of the flush: once settled, their plans need not outlive this step
        // while the rest of the flush lands (most of an initial load's plans are creates).
        const creates = ready.hubspotCreates.splice(0);
        const associations = this.createTimeAssociations(creates);
        const created = await this.createInHubSpot(
            creates.map((create) => ({
                properties: create.plan.toHubSpot,
                associations: associations.get(create.record.id) ?? []
            }))
        );
        creates.forEach((create, index) => {
            const { resolved, record, plan } = create;
            const { result, associated } = created[index] ?? {};
            const object = resolved.mapping.salesforceObject;
            if (!result) return this.recordPlanned(resolved, record.id, null, plan, 'would_create_in_hubspot');
            if (!result.ok) {
                const failure = createConflictToRetry(result) ?? result;
                this.errorInto(outcome.errors, resolved, {
                    salesforceId: record.id,
                    category: failure.category,
                    message: failure.message
                });
                addSalesforceUpdate(
                    flush,
                    object,
                    this.lockRef(resolved, record),
                    this.statusWrites(resolved, record, 'Error', failure.message, undefined)
                );
                return;
            }
            count(context, resolved.mapping.id, 'created_in_hubspot');
            const carried = associated ? (associations.get(record.id) ?? []) : [];
            for (const made of carried) count(context, made.associationId, 'created');
            // Settled now: the lookups the create carried, and the empty ones (a new record has nothing to
            // remove). A lookup whose target is not linked yet is left to the association step.
            const settledLookups = lookupFieldsOf(context, resolved.mapping.id).filter(
                (field) =>
                    carried.some((made) => made.field === field) ||
                    lookupSnapshot(record.values[field]).salesforceValue === null
            );
            if (settledLookups.length > 0) {
                outcome.snapshots.push({
                    salesforceObject: object,
                    salesforceId: record.id,
                    snapshots: Object.fromEntries(
                        settledLookups.map((field) => [lookupSnapshotKey(field), lookupSnapshot(record.values[field])])
                    )
                });
            }
            outcome.links.push(this.link(resolved, record.id, result.id));
            this.keep(outcome, resolved, record.id, result.id, plan, { hubspot: true, salesforce: true });
            addSalesforceUpdate(flush, object, this.lockRef(resolved, record), {
                ...plan.toSalesforce,
                ...this.statusWrites(
                    resolved,
                    record,
                    plan.errors.length ? 'Error' : 'Synced',
                    plan.errors[0]?.message,
                    result.id
                )
            });
            this.fieldErrors(outcome, resolved, record.id, result.id, plan);
            if (plan.errors.length === 0) outcome.clean.push({ salesforceObject: object, salesforceId: record.id });
            synced.get(resolved.mapping.id)!.set(record.id, {
                hubspotId: result.id,
                values: record.values,
                createdInHubSpot: true,
                ...(settledLookups.length > 0 ? { settledLookups } : {}),
                newlyLinked: true
            });
        });
    }

    /** Creates records in Salesforce, per object; what they settle joins the flush. */
    private async createInSalesforce(flush: Flush, pending: PendingSalesforceCreate[]): Promise<void> {
        const { context } = this;
        const { outcome } = flush;
        for (const resolved of this.group) {
            const creates = pending.filter((create) => create.resolved === resolved);
            if (creates.length === 0) continue;
            const object = resolved.mapping.salesforceObject;
            const results = await this.sendSalesforce(
                'create',
                object,
                creates.map((create) => ({
                    ...create.plan.toSalesforce,
                    ...this.statusWrites(resolved, undefined, 'Synced', undefined, create.hubspotId)
                }))
            );
            creates.forEach((create, index) => {
                const result = results[index];
                if (!result)
                    return this.recordPlanned(
                        resolved,
                        '(new)',
                        create.hubspotId,
                        create.plan,
                        'would_create_in_salesforce'
                    );
                if (!result.ok) {
                    this.errorInto(outcome.errors, resolved, {
                        hubspotId: create.hubspotId,
                        category: result.category,
                        message: result.message
                    });
                    return;
                }
                count(context, resolved.mapping.id, 'created_in_salesforce');
                outcome.settledHubSpot.add(create.hubspotId);
                outcome.links.push(this.link(resolved, result.id, create.hubspotId));
                // What Salesforce filled in goes to HubSpot with the new ID; kept once that update is answered.
                flush.createdInSalesforce.push({
                    resolved,
                    salesforceId: result.id,
                    hubspotId: create.hubspotId,
                    plan: create.plan
                });
                addHubSpotUpdate(flush, create.hubspotId, {
                    ...create.plan.toHubSpot,
                    ...salesforceIdPropertyWrites(context.mapping, resolved.mapping.id, result.id)
                });
                outcome.synced.get(resolved.mapping.id)!.set(result.id, {
                    hubspotId: create.hubspotId,
                    values: create.plan.toSalesforce,
                    newlyLinked: true
                });
            });
        }
    }

    /** Salesforce deletes and the remaining creates, HubSpot updates, Salesforce updates, then the state they settled. */
    private async sendRest(flush: Flush): Promise<Map<string, SyncedPairs>> {
        const { context } = this;
        const { ready, outcome } = flush;
        const { synced } = outcome;
        const { salesforceUpdates, hubspotUpdates } = flush;

        // Deletes that propagate the other way: the Salesforce record is deleted, per object.
        const deletesByObject = new Map<string, typeof ready.salesforceDeletes>();
        for (const entry of ready.salesforceDeletes) {
            const entries = deletesByObject.get(entry.ref.salesforceObject) ?? [];
            entries.push(entry);
            deletesByObject.set(entry.ref.salesforceObject, entries);
        }
        for (const [object, entries] of deletesByObject) {
            if (context.dryRun) {
                context.report.plannedWriteCalls.salesforce += batches(entries.length, salesforceBatchSize);
                continue;
            }
            const deleted = await context.salesforce.destroy(
                object,
                entries.map((entry) => entry.ref.salesforceId)
            );
            entries.forEach((entry, index) => this.settleDelete(outcome, entry, deleted[index], 'salesforce'));
        }

        // 2. Salesforce creates, per object (those without a lookup parent went first).
        await this.createInSalesforce(flush, ready.salesforceCreates.splice(0));
        const { createdInSalesforce } = flush;

        // 3. HubSpot updates: the pairs' properties plus the ID properties of new links.
        for (const pair of ready.pairs) {
            addHubSpotUpdate(flush, pair.hubspotId, pair.plan.toHubSpot);
            if (pair.newLink) {
                addHubSpotUpdate(
                    flush,
                    pair.hubspotId,
                    salesforceIdPropertyWrites(context.mapping, pair.resolved.mapping.id, pair.salesforceId)
                );
            }
        }
        // HubSpot ignores a lifecycle stage set backwards; cleared first, it takes the earlier stage.
        const clears = [
            ...ready.pairs.map((pair) => ({ id: pair.hubspotId, plan: pair.plan })),
            ...createdInSalesforce.map((created) => ({ id: created.hubspotId, plan: created.plan }))
        ].flatMap(({ id, plan }) =>
            plan.clearBeforeWrite?.length
                ? [{ id, properties: Object.fromEntries(plan.clearBeforeWrite.map((property) => [property, ''])) }]
                : []
        );
        const clearFailures = new Map<string, Extract<WriteResult, { ok: false }>>();
        if (clears.length > 0) {
            const cleared = await this.sendHubSpot('update', clears);
            clears.forEach((clear, index) => {
                const result = cleared[index];
                if (result && !result.ok) clearFailures.set(clear.id, result);
            });
            // Their stage would be ignored: the whole update waits for the next run, which clears again.
            for (const id of clearFailures.keys()) hubspotUpdates.delete(id);
        }
        const hubspotIds = [...hubspotUpdates.keys()];
        const updated = await this.sendHubSpot(
            'update',
            hubspotIds.map((id) => ({ id, properties: hubspotUpdates.get(id)! }))
        );
        const hubspotFailures = new Map(clearFailures);
        hubspotIds.forEach((id, index) => {
            const result = updated[index];
            if (result && !result.ok) hubspotFailures.set(id, result);
        });
        for (const created of createdInSalesforce) {
            const failure = hubspotFailures.get(created.hubspotId);
            if (failure) {
                this.errorInto(outcome.errors, created.resolved, {
                    salesforceId: created.salesforceId,
                    hubspotId: created.hubspotId,
                    category: failure.category,
                    message: failure.message
                });
            }
            this.keep(outcome, created.resolved, created.salesforceId, created.hubspotId, created.plan, {
                hubspot: failure === undefined,
                salesforce: true
            });
        }

        // 4. Salesforce updates: data and status in one write per record, none over an edit made since the read.
        const held = await salesforceEditedSinceRead(context, ready.pairs);
        for (const pair of ready.pairs) {
            const failure = hubspotFailures.get(pair.hubspotId);
            if (failure) {
                pair.hubspotFailed = failure.message;
                this.errorInto(outcome.errors, pair.resolved, {
                    salesforceId: pair.salesforceId,
                    hubspotId: pair.hubspotId,
                    category: failure.category,
                    message: failure.message
                });
            }
            if (held.has(pair.salesforceId)) {
                pair.salesforceHeld = true;
                continue;
            }
            const problem = pair.hubspotFailed ?? pair.plan.errors[0]?.message;
            const status = problem === undefined ? 'Synced' : 'Error';
            const data = pair.plan.toSalesforce;
            // Status rides along with data written to Salesforce. A change that only flows to HubSpot writes
            // the status (and HubSpot link) only when it differs from what the record shows: a write for the time
            // alone would cost a call per 200 records, come back as a change, and move SystemModstamp, which times
            // the record's next conflict as if it had been edited now. A record whose link never reached it (its
            // write-back failed after the HubSpot create) gets it here.
            const statusFields = this.statusWrites(
                pair.resolved,
                Object.keys(data).length > 0 ? undefined : pair.record,
                status,
                problem,
                pair.hubspotId
            );
            addSalesforceUpdate(
                flush,
                pair.resolved.mapping.salesforceObject,
                this.lockRef(pair.resolved, pair.record),
                {
                    ...data,
                    ...statusFields
                }
            );
        }
        for (const entry of ready.statusOnly) {
            addSalesforceUpdate(
                flush,
                entry.resolved.mapping.salesforceObject,
                this.lockRef(entry.resolved, entry.record),
                this.statusWrites(entry.resolved, entry.record, entry.status, entry.message, undefined)
            );
        }
        const salesforceFailures = new Map<string, Extract<WriteResult, { ok: false }>>();
        for (const resolved of this.group) {
            const object = resolved.mapping.salesforceObject;
            const ids = [...salesforceUpdates].filter(([, entry]) => entry.object === object).map(([id]) => id);
            const results = await this.sendSalesforce(
                'update',
                object,
                ids.map((id) => ({ ...salesforceUpdates.get(id)!.fields, Id: id })),
                (record) => salesforceUpdates.get(record.Id as string)!.parents
            );
            ids.forEach((id, index) => {
                const result = results[index];
                if (result && !result.ok) salesforceFailures.set(id, result);
            });
        }

        // 5. What landed is remembered; what failed is an error the next run retries.
        for (const pair of ready.pairs) {
            const failure = salesforceFailures.get(pair.salesforceId);
            if (failure) {
                pair.salesforceFailed = failure.message;
                this.errorInto(outcome.errors, pair.resolved, {
                    salesforceId: pair.salesforceId,
                    hubspotId: pair.hubspotId,
                    category: failure.category,
                    message: failure.message
                });
            }
            const hubspotOk = pair.hubspotFailed === undefined;
            const salesforceOk = pair.salesforceFailed === undefined && pair.salesforceHeld !== true;
            if (pair.newLink && hubspotOk && salesforceOk)
                outcome.links.push(this.link(pair.resolved, pair.salesforceId, pair.hubspotId));
            if (context.dryRun) {
                this.recordPlanned(
                    pair.resolved,
                    pair.salesforceId,
                    pair.hubspotId,
                    pair.plan,
                    pair.plan.audit.length > 0 ? 'would_update' : 'unchanged'
                );
                continue;
            }
            if (!pair.newLink || (hubspotOk && salesforceOk)) {
                this.keep(outcome, pair.resolved, pair.salesforceId, pair.hubspotId, pair.plan, {
                    hubspot: hubspotOk,
                    salesforce: salesforceOk
                });
            }
            this.fieldErrors(outcome, pair.resolved, pair.salesforceId, pair.hubspotId, pair.plan);
            if (Object.keys(pair.plan.toHubSpot).length > 0 && hubspotOk)
                count(context, pair.resolved.mapping.id, 'updated_hubspot');
            if (Object.keys(pair.plan.toSalesforce).length > 0 && salesforceOk)
                count(context, pair.resolved.mapping.id, 'updated_salesforce');
            count(context, pair.resolved.mapping.id, 'conflicts', pair.plan.conflicts.length);
            if (hubspotOk && salesforceOk && pair.plan.errors.length === 0) {
                outcome.clean.push({
                    salesforceObject: pair.resolved.mapping.salesforceObject,
                    salesforceId: pair.salesforceId
                });
                outcome.settledHubSpot.add(pair.hubspotId);
            }
            if (hubspotOk && salesforceOk) {
                synced.get(pair.resolved.mapping.id)!.set(pair.salesforceId, {
                    hubspotId: pair.hubspotId,
                    values: pair.record.values,
                    newlyLinked: pair.newLink
                });
            }
        }
        // A record just created in HubSpot whose write-back (status, HubSpot ID) failed: the error brings it
        // back next run (a transient one) or shows it to the admin, and the link is written then.
        for (const resolved of this.group) {
            for (const [salesforceId, pair] of synced.get(resolved.mapping.id)!) {
                const failure = pair.createdInHubSpot ? salesforceFailures.get(salesforceId) : undefined;
                if (!failure) continue;
                this.errorInto(outcome.errors, resolved, {
                    salesforceId,
                    hubspotId: pair.hubspotId,
                    category: failure.category,
                    message: failure.message
                });
            }
        }
        for (const entry of ready.statusOnly) {
            const failure = salesforceFailures.get(entry.record.id);
            if (failure) {
                this.errorInto(outcome.errors, entry.resolved, {
                    salesforceId: entry.record.id,
                    category: failure.category,
                    message: failure.message
                });
                continue;
            }
            // An Excluded record does not sync: what failed for it earlier has nothing left to retry.
            if (entry.status === 'Excluded') {
                outcome.clean.push({
                    salesforceObject: entry.resolved.mapping.salesforceObject,
                    salesforceId: entry.record.id
                });
            }
            // Remembered as decided, so its own status write does not bring it back next run.
            outcome.snapshots.push({
                salesforceObject: entry.resolved.mapping.salesforceObject,
                salesforceId: entry.record.id,
                snapshots: {
                    [seenSnapshotKey]: fingerprintSnapshot(salesforceFingerprint(entry.resolved, entry.record.values))
                }
            });
        }
        this.persist(outcome);
        return synced;
    }

    /**
     * The pending writes that go out now: all of them on the last flush. Otherwise each kind of write goes
     * in full batches and the records past the last full batch of a kind wait, whole (a waiting record's
     * later writes wait with it). Deletes, lead conversions and the writes that follow from a create sent
     * now are never held back.
     */
    private takeReady(final: boolean): ReadyWrites {
        const extraHubSpot = new Map(this.extraHubSpot);
        this.extraHubSpot.clear();
        const everything = {
            archives: this.archives.splice(0),
            salesforceDeletes: this.salesforceDeletes.splice(0),
            extraHubSpot
        };
        if (final) {
            return {
                ...everything,
                hubspotCreates: this.hubspotCreates.splice(0),
                salesforceCreates: this.salesforceCreates.splice(0),
                pairs: this.pairs.splice(0),
                statusOnly: this.statusOnly.splice(0)
            };
        }
        const hubspotCreates = this.hubspotCreates.splice(
            0,
            this.hubspotCreates.length - partial(this.hubspotCreates.length, hubspotBatchSize)
        );
        const salesforceCreates: PendingSalesforceCreate[] = [];
        for (const resolved of this.group) {
            const ofObject = this.salesforceCreates.filter((create) => create.resolved === resolved);
            const going = new Set(ofObject.slice(0, ofObject.length - partial(ofObject.length, salesforceBatchSize)));
            salesforceCreates.push(...extract(this.salesforceCreates, (create) => going.has(create)));
        }

        // HubSpot updates: pairs that write HubSpot are held from the end until the updates fill batches.
        const updatedHubSpot = new Set(extraHubSpot.keys());
        for (const create of salesforceCreates) {
            if (this.writesIdProperties(create.resolved)) updatedHubSpot.add(create.hubspotId);
        }
        const writingHubSpot = this.pairs.filter((pair) => this.writesHubSpot(pair));
        const holdableForHubSpot = writingHubSpot.filter(
            (pair) => !updatedHubSpot.has(pair.hubspotId) && this.holdable(pair)
        );
        const heldForHubSpot = Math.min(
            partial(updatedHubSpot.size + holdableForHubSpot.length, hubspotBatchSize),
            holdableForHubSpot.length
        );
        const held = new Set<Pair | StatusOnly>(holdableForHubSpot.slice(holdableForHubSpot.length - heldForHubSpot));

        // Salesforce updates, per object: pairs that write Salesforce only and status writes are held likewise.
        for (const resolved of this.group) {
            const sent =
                hubspotCreates.filter((create) => create.resolved === resolved).length +
                writingHubSpot.filter((pair) => pair.resolved === resolved && !held.has(pair)).length;
            const holdable: (Pair | StatusOnly)[] = [
                ...this.pairs.filter(
                    (pair) =>
                        pair.resolved === resolved &&
                        !this.writesHubSpot(pair) &&
                        this.writesSalesforce(pair) &&
                        this.holdable(pair)
                ),
                ...this.statusOnly.filter(
                    (entry) =>
                        entry.resolved === resolved &&
                        Object.keys(this.statusWrites(resolved, entry.record, entry.status, entry.message, undefined))
                            .length > 0
                )
            ];
            const hold = Math.min(partial(sent + holdable.length, salesforceBatchSize), holdable.length);
            for (const item of holdable.slice(holdable.length - hold)) held.add(item);
        }
        return {
            ...everything,
            hubspotCreates,
            salesforceCreates,
            pairs: extract(this.pairs, (pair) => !held.has(pair)),
            statusOnly: extract(this.statusOnly, (entry) => !held.has(entry))
        };
    }

    /** The mapping writes the Salesforce ID into HubSpot ID properties when a pair is made. */
    private writesIdProperties(resolved: ResolvedRecordMapping): boolean {
        return Object.keys(salesforceIdPropertyWrites(this.context.mapping, resolved.mapping.id, '')).length > 0;
    }

    /**
     * An update that may overwrite a HubSpot user's edit goes out with the window that checked HubSpot for
     * edits made since the read (`concurrent-edits.ts`), so the time between that check and its write stays
     * short. One the check skipped (its record was read, or found unchanged, by the change search seconds
     * before) may wait for a fuller batch like the rest: a batch fills within a few windows when updates are
     * many, and few updates make short runs. Salesforce is checked when its updates are sent.
     */
    private holdable(pair: Pair): boolean {
        return !pair.hubspotChecked;
    }

    private writesHubSpot(pair: Pair): boolean {
        return Object.keys(pair.plan.toHubSpot).length > 0 || (pair.newLink && this.writesIdProperties(pair.resolved));
    }

    /** A pair without HubSpot writes writes Salesforce when it carries data or its status changes. */
    private writesSalesforce(pair: Pair): boolean {
        if (pair.newLink || Object.keys(pair.plan.toSalesforce).length > 0) return true;
        const problem = pair.plan.errors[0]?.message;
        const status = problem === undefined ? 'Synced' : 'Error';
        return Object.keys(this.statusWrites(pair.resolved, pair.record, status, problem, undefined)).length > 0;
    }

    private link(resolved: ResolvedRecordMapping, salesforceId: string, hubspotId: string): LinkInput {
        return {
            mappingId: resolved.mapping.id,
            salesforceObject: resolved.mapping.salesforceObject,
            salesforceId,
            hubspotObjectType: this.objectType,
            hubspotId
        };
    }

    /** Snapshots, audit entries and conflicts of the directions whose write landed. */
    private keep(
        outcome: FlushOutcome,
        resolved: ResolvedRecordMapping,
        salesforceId: string,
        hubspotId: string,
        plan: RecordPlan,
        landed: { hubspot: boolean; salesforce: boolean }
    ): void {
        const object = resolved.mapping.salesforceObject;
        const failedFields = new Set(
            plan.audit
                .filter((entry) => (entry.direction === 'to_hubspot' ? !landed.hubspot : !landed.salesforce))
                .map((entry) => entry.field)
        );
        const snapshots: Record<string, FieldSnapshot> = {};
        for (const [field, snapshot] of Object.entries(plan.snapshots))
            if (!failedFields.has(field)) snapshots[field] = snapshot;
        if (Object.keys(snapshots).length > 0)
            outcome.snapshots.push({ salesforceObject: object, salesforceId, snapshots });
        for (const entry of plan.audit) {
            if (failedFields.has(entry.field)) continue;
            outcome.audit.push({
                ...entry,
                runId: this.context.runId,
                mappingId: resolved.mapping.id,
                salesforceObject: object,
                salesforceId,
                hubspotId
            });
            this.countField(resolved, entry.field, entry.property, entry.direction);
        }
        for (const conflict of plan.conflicts) {
            outcome.conflicts.push({
                ...conflict,
                runId: this.context.runId,
                mappingId: resolved.mapping.id,
                salesforceObject: object,
                salesforceId,
                hubspotId
            });
        }
    }

    private fieldErrors(
        outcome: FlushOutcome,
        resolved: ResolvedRecordMapping,
        salesforceId: string,
        hubspotId: string,
        plan: RecordPlan
    ): void {
        for (const problem of plan.errors) {
            this.errorInto(outcome.errors, resolved, {
                salesforceId,
                hubspotId,
                field: problem.field,
                category: problem.category,
                message: problem.message
            });
        }
    }

    /** Dry run: what the plan would write, counted per field. */
    private recordPlanned(
        resolved: ResolvedRecordMapping,
        salesforceId: string,
        hubspotId: string | null,
        plan: RecordPlan,
        counter: string
    ): void {
        count(this.context, resolved.mapping.id, counter);
        for (const entry of plan.audit) this.countField(resolved, entry.field, entry.property, entry.direction);
        for (const problem of plan.errors) {
            this.context.report.errors.push({
                runId: this.context.runId,
                mappingId: resolved.mapping.id,
                salesforceObject: resolved.mapping.salesforceObject,
                salesforceId,
                ...(hubspotId === null ? {} : { hubspotId }),
                field: problem.field,
                category: problem.category,
                message: problem.message
            });
        }
        count(this.context, resolved.mapping.id, 'conflicts', plan.conflicts.length);
    }

    private countField(resolved: ResolvedRecordMapping, field: string, property: string, direction: string): void {
        const key = `${resolved.mapping.id} ${field} ↔ ${property} ${direction}`;
        this.context.report.fieldChanges[key] = (this.context.report.fieldChanges[key] ?? 0) + 1;
    }

    /** The lookups each create can carry (`createTimeAssociations`), by Salesforce ID. */
    private createTimeAssociations(creates: PendingHubSpotCreate[]): Map<string, CreateTimeAssociation[]> {
        const byRecord = new Map<string, CreateTimeAssociation[]>();
        for (const resolved of this.group) {
            const records = creates.filter((create) => create.resolved === resolved).map((create) => create.record);
            if (records.length === 0) continue;
            for (const [id, list] of createTimeAssociations(this.context, resolved.mapping, records))
                byRecord.set(id, list);
        }
        return byRecord;
    }

    /**
     * Creates carrying associations save the association step a call per 100 records. HubSpot refuses the
     * whole input when one of them cannot be made (its target was deleted since it was linked), so a refused
     * input that carried some is sent once more without them: the record is created, and the association
     * step makes what it can and reports the rest. A duplicate email is refused either way.
     */
    private async createInHubSpot(
        inputs: HubSpotCreateInput[]
    ): Promise<({ result: WriteResult; associated: boolean } | undefined)[]> {
        const first = await this.sendHubSpot('create', inputs);
        const retry = inputs.flatMap((input, index) => {
            const result = first[index];
            return result && !result.ok && result.category !== 'duplicate' && input.associations?.length ? [index] : [];
        });
        const second = await this.sendHubSpot(
            'create',
            retry.map((index) => ({ properties: inputs[index]!.properties }))
        );
        const outcomes = first.map((result, index) =>
            result ? { result, associated: (inputs[index]!.associations?.length ?? 0) > 0 } : undefined
        );
        retry.forEach((index, position) => {
            outcomes[index] = { result: second[position]!, associated: false };
        });
        return outcomes;
    }

    private async sendHubSpot(
        kind: 'create' | 'update',
        inputs: (HubSpotCreateInput & { id?: string })[]
    ): Promise<(WriteResult | undefined)[]> {
        if (inputs.length === 0) return [];
        if (this.context.dryRun) {
            this.context.report.plannedWriteCalls.hubspot += batches(inputs.length, hubspotBatchSize);
            return inputs.map(() => undefined);
        }
        return kind === 'create'
            ? this.context.hubspot.create(this.objectType, inputs)
            : this.context.hubspot.update(
                  this.objectType,
                  inputs as { id: string; properties: Record<string, string> }[]
              );
    }

    /**
     * Batches of one object go out side by side (`sendParentSafe`), so a flush's Salesforce writes take the
     * time of half its round trips: `parentsOf` names the records whose lock a write takes (an update's
     * Account; a create from HubSpot sets no lookup).
     */
    private async sendSalesforce(
        kind: 'create' | 'update',
        object: string,
        records: Record<string, SalesforceValue>[],
        parentsOf: (record: Record<string, SalesforceValue>) => readonly string[] = () => []
    ): Promise<(WriteResult | undefined)[]> {
        if (records.length === 0) return [];
        if (this.context.dryRun) {
            this.context.report.plannedWriteCalls.salesforce += batches(records.length, salesforceBatchSize);
            return records.map(() => undefined);
        }
        const { salesforce } = this.context;
        return sendParentSafe(
            records,
            parentsOf,
            { batchSize: salesforceBatchSize, concurrency: salesforceWriteConcurrency },
            (batch) =>
                kind === 'create'
                    ? salesforce.create(object, batch)
                    : salesforce.update(object, batch as (Record<string, SalesforceValue> & { Id: string })[])
        );
    }

    /** A record with the parents its write locks: the values of the mapping's lookups. */
    private lockRef(
        resolved: ResolvedRecordMapping,
        record: { id: string; values: SalesforceRecord['values'] }
    ): { id: string; parents: string[] } {
        const parents = lookupFieldsOf(this.context, resolved.mapping.id).flatMap((field) => {
            const value = record.values[field];
            return typeof value === 'string' && value !== '' ? [value] : [];
        });
        return { id: record.id, parents };
    }

    /** Stores what the flush settled. */
    private persist(outcome: FlushOutcome): void {
        const { context } = this;
        if (context.dryRun) {
            context.report.errors.push(...outcome.errors);
            return;
        }
        const { store } = context;
        store.transaction(() => {
            store.upsertLinks(outcome.links);
            store.saveSnapshots(outcome.snapshots);
            store.appendAudit(outcome.audit);
            store.recordConflicts(outcome.conflicts);
            for (const ref of outcome.clean) store.resolveErrors(ref);
            if (outcome.settledHubSpot.size > 0) {
                const ids = this.group.flatMap((resolved) =>
                    store
                        .listErrors({ resolved: false, mappingId: resolved.mapping.id })
                        .filter((error) => !error.salesforceId && outcome.settledHubSpot.has(error.hubspotId ?? ''))
                        .map((error) => error.id)
                );
                if (ids.length > 0) store.resolveErrors({ ids });
            }
            recordErrors(context, outcome.errors);
        });
    }
}
