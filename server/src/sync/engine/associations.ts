/**
 * Associations follow the records. Lookups (Contact.AccountId, Opportunity.AccountId) are checked for
 * the pairs that synced in this run, and only when the lookup changed since it last synced (its value
 * is kept as a snapshot under `@lookup:<field>`). Junctions (OpportunityContactRole) are read through
 * their own change cursor, deleted rows included (queryAll), and every affected deal is reconciled.
 */
import type { AssociationMapping, MappingFile, RecordMapping } from '../mapping/schema';
import { buildSalesforceChangesQuery } from '../changes/salesforce-query';
import { advanceCursor, settledCursor } from '../changes/cursor';
import type { SalesforceRecord } from '../plan/plan-batch';
import { lookupPairs, planAssociations, type SalesforcePair } from '../relations/associations';
import { hubspotBatchSize } from '../adapters/ports';
import { chunk } from '../adapters/salesforce';
import { count, recordErrors, type RunContext } from './context';
import { lookupSnapshot, lookupSnapshotKey } from './echo';
import { toSalesforceRecord } from './record-io';
import type { SyncedPair, SyncedPairs } from './record-group';

/** HubSpot's default (unlabelled) association type IDs for the standard pairs. */
const defaultAssociationTypes: Record<string, number> = {
    'contacts→companies': 279,
    'companies→contacts': 280,
    'deals→companies': 341,
    'companies→deals': 342,
    'deals→contacts': 3,
    'contacts→deals': 4
};

function recordMapping(mapping: MappingFile, id: string) {
    return mapping.records.find((record) => record.id === id)!;
}

function associationTypeId(association: AssociationMapping, fromType: string, toType: string): number | undefined {
    return association.hubspotAssociationTypeId ?? defaultAssociationTypes[`${fromType}→${toType}`];
}

/** The lookup fields of a mapping that sync as associations (Contact.AccountId). */
export function lookupFieldsOf(context: RunContext, mappingId: string): string[] {
    return context.mapping.associations.flatMap((association) =>
        association.enabled && association.kind === 'lookup' && association.from === mappingId
            ? [association.field]
            : []
    );
}

/** An association a HubSpot create carries, so the record needs no association write of its own. */
export interface CreateTimeAssociation {
    associationId: string;
    /** The lookup field it follows (Contact.AccountId). */
    field: string;
    toId: string;
    associationTypeId: number;
}

/**
 * The associations new HubSpot records of `mapping` can be created with: each enabled lookup the mapping
 * holds, to a record already linked (an initial load syncs companies before contacts and deals). By
 * Salesforce ID of the records. A lookup whose target is not linked yet is left to the association step.
 */
export function createTimeAssociations(
    context: RunContext,
    mapping: RecordMapping,
    records: SalesforceRecord[]
): Map<string, CreateTimeAssociation[]> {
    const byRecord = new Map<string, CreateTimeAssociation[]>();
    if (context.dryRun) return byRecord;
    for (const association of context.mapping.associations) {
        if (association.kind !== 'lookup' || !association.enabled || association.from !== mapping.id) continue;
        const to = recordMapping(context.mapping, association.to);
        const typeId = associationTypeId(association, mapping.hubspotObjectType, to.hubspotObjectType);
        if (typeId === undefined) continue;
        const desired = lookupPairs(association, records);
        const targets = context.store.linksBySalesforceIds(to.salesforceObject, [
            ...new Set(desired.map((pair) => pair.toId))
        ]);
        for (const pair of desired) {
            const target = targets.get(pair.toId);
            if (!target || target.tombstonedAt !== null) continue;
            const list = byRecord.get(pair.fromId) ?? [];
            list.push({
                associationId: association.id,
                field: association.field,
                toId: target.hubspotId,
                associationTypeId: typeId
            });
            byRecord.set(pair.fromId, list);
        }
    }
    return byRecord;
}

/** Reconciles the desired pairs of some `from` records with HubSpot's pairs for them. */
async function reconcile(
    context: RunContext,
    association: AssociationMapping,
    ends: { fromObject: string; fromType: string; toObject: string; toType: string },
    fromSalesforceIds: string[],
    desired: SalesforcePair[],
    /** HubSpot records created in this run: they have no associations yet, so none are read. */
    createdNow: Set<string> = new Set()
): Promise<{
    waiting: SalesforcePair[];
    /** The `from` records (Salesforce IDs) an association of which could not be made. */
    failed: Set<string>;
    done: boolean;
}> {
    const typeId = associationTypeId(association, ends.fromType, ends.toType);
    if (typeId === undefined) {
        recordErrors(context, [
            {
                runId: context.runId,
                mappingId: association.id,
                category: 'mapping',
                message: `no default HubSpot association type for ${ends.fromType} → ${ends.toType}; set hubspotAssociationTypeId`
            }
        ]);
        return { waiting: [], failed: new Set(), done: false };
    }
    const fromLinks = new Map(
        [...context.store.linksBySalesforceIds(ends.fromObject, fromSalesforceIds)].map(([id, link]) => [
            id,
            link.hubspotId
        ])
    );
    const toLinks = new Map(
        [...context.store.linksBySalesforceIds(ends.toObject, [...new Set(desired.map((pair) => pair.toId))])].map(
            ([id, link]) => [id, link.hubspotId]
        )
    );
    const fromHubSpotIds = [...new Set(fromSalesforceIds.flatMap((id) => fromLinks.get(id) ?? []))];
    if (fromHubSpotIds.length === 0) return { waiting: desired, failed: new Set(), done: true };
    const toRead = fromHubSpotIds.filter((id) => !createdNow.has(id));
    const present =
        toRead.length > 0
            ? await context.hubspot.readAssociations(ends.fromType, ends.toType, toRead)
            : new Map<string, string[]>();
    const existing = [...present].flatMap(([fromId, toIds]) => toIds.map((toId) => ({ fromId, toId })));
    const plan = planAssociations(association, desired, existing, fromLinks, toLinks);
    count(context, association.id, 'waiting', plan.waiting.length);
    if (context.dryRun) {
        context.report.plannedWriteCalls.hubspot +=
            Math.ceil(plan.create.length / hubspotBatchSize) + Math.ceil(plan.remove.length / hubspotBatchSize);
        count(context, association.id, 'would_create', plan.create.length);
        count(context, association.id, 'would_remove', plan.remove.length);
        return { waiting: plan.waiting, failed: new Set(), done: true };
    }
    const results = await context.hubspot.createAssociations(ends.fromType, ends.toType, plan.create, typeId);
    const failures = results.flatMap((result, index) => (result.ok ? [] : [{ result, pair: plan.create[index] }]));
    // Named by the Salesforce record too: a transient failure is then retried with that record (its next run
    // reads it again by ID), and the error resolves once the record syncs cleanly.
    const salesforceIdOf = new Map([...fromLinks].map(([salesforceId, hubspotId]) => [hubspotId, salesforceId]));
    recordErrors(
        context,
        failures.map(({ result, pair }) => ({
            runId: context.runId,
            mappingId: association.id,
            ...(salesforceIdOf.has(pair.fromId)
                ? { salesforceObject: ends.fromObject, salesforceId: salesforceIdOf.get(pair.fromId)! }
                : {}),
            hubspotObjectType: ends.fromType,
            hubspotId: pair.fromId,
            category: result.category === 'field_value' ? 'association' : result.category,
            message: `association ${ends.fromType} ${pair.fromId} → ${ends.toType} ${pair.toId}: ${result.message}`
        }))
    );
    count(context, association.id, 'created', plan.create.length - failures.length);
    if (plan.remove.length > 0) await context.hubspot.archiveAssociations(ends.fromType, ends.toType, plan.remove);
    count(context, association.id, 'removed', plan.remove.length);
    return {
        waiting: plan.waiting,
        failed: new Set(failures.flatMap(({ pair }) => salesforceIdOf.get(pair.fromId) ?? [])),
        done: failures.length === 0
    };
}

async function syncLookup(
    context: RunContext,
    association: Extract<AssociationMapping, { kind: 'lookup' }>,
    results: Map<string, SyncedPairs>
): Promise<void> {
    const from = recordMapping(context.mapping, association.from);
    const to = recordMapping(context.mapping, association.to);
    const synced = results.get(from.id);
    if (!synced || synced.size === 0) return;
    const key = lookupSnapshotKey(association.field);
    // The record group kept a pair's lookup values only where they changed since the association was made.
    const changed = [...synced].filter(([, pair]) => association.field in pair.values);
    // A first sync changes every record's lookup: reconciled a slice at a time, so what the plan, the
    // association reads and the answers hold at once does not grow with the run (2,000: whole batches of 100).
    for (const slice of chunk(changed, lookupSlice)) {
        await reconcileLookups(context, association, { from, to, key }, slice);
    }
}

const lookupSlice = 2_000;

async function reconcileLookups(
    context: RunContext,
    association: Extract<AssociationMapping, { kind: 'lookup' }>,
    ends: { from: RecordMapping; to: RecordMapping; key: string },
    changed: [string, SyncedPair][]
): Promise<void> {
    const { from, to, key } = ends;
    const desired = lookupPairs(
        association,
        changed.map(([id, pair]) => ({ id, values: pair.values }))
    );
    const outcome = await reconcile(
        context,
        association,
        {
            fromObject: from.salesforceObject,
            fromType: from.hubspotObjectType,
            toObject: to.salesforceObject,
            toType: to.hubspotObjectType
        },
        changed.map(([id]) => id),
        desired,
        new Set(changed.flatMap(([, pair]) => (pair.createdInHubSpot ? [pair.hubspotId] : [])))
    );
    if (context.dryRun) return;
    // No association type to make them with: nothing was made, so nothing is settled.
    if (!outcome.done && outcome.failed.size === 0) return;
    // A pair still waiting for its account, or whose association failed, keeps no snapshot, so the next sync
    // of the record tries again (a transient failure brings the record back by itself: see its error).
    const waiting = new Set(outcome.waiting.map((pair) => pair.fromId));
    context.store.saveSnapshots(
        changed
            .filter(([id]) => !waiting.has(id) && !outcome.failed.has(id))
            .map(([id, pair]) => ({
                salesforceObject: from.salesforceObject,
                salesforceId: id,
                snapshots: { [key]: lookupSnapshot(pair.values[association.field]) }
            }))
    );
}

async function syncJunction(
    context: RunContext,
    association: Extract<AssociationMapping, { kind: 'junction' }>,
    results: Map<string, SyncedPairs>
): Promise<void> {
    const from = recordMapping(context.mapping, association.from.mapping);
    const to = recordMapping(context.mapping, association.to.mapping);
    const fields = ['Id', 'SystemModstamp', 'IsDeleted', association.from.field, association.to.field];
    const createdNow = new Set(
        [...(results.get(from.id)?.values() ?? [])].flatMap((pair) => (pair.createdInHubSpot ? [pair.hubspotId] : []))
    );
    const readAt = context.now();
    const saved = context.store.getCursor(association.id, 'salesforce');
    const since =
        context.request.mode === 'full' || !saved ? undefined : { modifiedAt: saved.modifiedAt, id: saved.recordId };
    const changes = (
        await context.salesforce.query(
            buildSalesforceChangesQuery({
                object: association.salesforceObject,
                fields,
                ...(association.scope ? { scope: association.scope } : {}),
                ...(since ? { since } : {})
            }),
            { all: true }
        )
    ).map(toSalesforceRecord);
    count(context, association.id, 'read_salesforce', changes.length);
    const fromIdsOf = (rows: SalesforceRecord[]) =>
        rows.flatMap((row) =>
            typeof row.values[association.from.field] === 'string' ? [row.values[association.from.field] as string] : []
        );
    const affected = new Set(fromIdsOf(changes));
    if (since) {
        // Roles that waited for a record not synced then: the records linked this run bring their roles
        // back although the roles themselves did not change (a read from the beginning holds them already).
        const newlyLinked = (mappingId: string) =>
            [...(results.get(mappingId) ?? [])].flatMap(([salesforceId, pair]) =>
                pair.newlyLinked ? [salesforceId] : []
            );
        for (const id of newlyLinked(from.id)) affected.add(id);
        for (const ids of chunk(newlyLinked(to.id), 200)) {
            const rows = await context.salesforce.query(
                buildSalesforceChangesQuery({
                    object: association.salesforceObject,
                    fields,
                    scope: association.scope
                        ? { all: [association.scope, { field: association.to.field, op: 'in', value: ids }] }
                        : { field: association.to.field, op: 'in', value: ids }
                })
            );
            for (const id of fromIdsOf(rows.map(toSalesforceRecord))) affected.add(id);
        }
    }
    let complete = true;
    for (const ids of chunk([...affected], 200)) {
        // A read from the beginning already holds every role of these records; otherwise read them all.
        const wanted = new Set(ids);
        const rows = since
            ? await context.salesforce.query(
                  buildSalesforceChangesQuery({
                      object: association.salesforceObject,
                      fields,
                      scope: association.scope
                          ? { all: [association.scope, { field: association.from.field, op: 'in', value: ids }] }
                          : { field: association.from.field, op: 'in', value: ids }
                  })
              )
            : changes.filter(
                  (row) => row.values.IsDeleted !== true && wanted.has(row.values[association.from.field] as string)
              );
        const desired = rows.flatMap((row) => {
            const fromId = row.values[association.from.field];
            const toId = row.values[association.to.field];
            return typeof fromId === 'string' && typeof toId === 'string' ? [{ fromId, toId }] : [];
        });
        const outcome = await reconcile(
            context,
            association,
            {
                fromObject: from.salesforceObject,
                fromType: from.hubspotObjectType,
                toObject: to.salesforceObject,
                toType: to.hubspotObjectType
            },
            ids,
            desired,
            createdNow
        );
        complete &&= outcome.done;
    }
    const read = advanceCursor(since, changes);
    const cursor = read && settledCursor(read, readAt);
    // A failed association write keeps the cursor, so the roles are read again. Roles waiting for a
    // record that has not synced (Excluded, out of scope) are counted as waiting and do not hold it.
    if (cursor && complete && context.moveCursors && !context.dryRun) {
        context.store.saveCursor({
            stream: association.id,
            side: 'salesforce',
            modifiedAt: cursor.modifiedAt,
            recordId: cursor.id,
            lookbackSeconds: 0
        });
    }
}

export async function syncAssociations(
    context: RunContext,
    results: Map<string, SyncedPairs>,
    selected: (id: string, mappings: string[]) => boolean,
    options: { lookupsOnly?: boolean } = {}
): Promise<void> {
    for (const association of context.mapping.associations) {
        if (!association.enabled || (options.lookupsOnly && association.kind !== 'lookup')) continue;
        const ends =
            association.kind === 'lookup'
                ? [association.from, association.to]
                : [association.from.mapping, association.to.mapping, association.salesforceObject];
        if (!selected(association.id, ends)) continue;
        if (association.kind === 'lookup') await syncLookup(context, association, results);
        else await syncJunction(context, association, results);
    }
}
