/**
 * One run over the record mappings that share a HubSpot object type (Leads and Contacts both sync
 * with HubSpot contacts, so they are decided together: one search of HubSpot changes, one duplicate
 * decision across both objects, one place where a new HubSpot contact is routed to).
 *
 * The changes of both sides are read page by page into the run's staging (run-staging.ts), then
 * decided in windows of `recordsPerWindow` changed records — each mapping's Salesforce changes, then
 * the HubSpot changes — so memory stays flat however many records change. Per window: lead
 * conversions → echo filter → counterparts and namesakes (from the staging when this run read the
 * whole side, else from the API) → duplicates → `planBatch` per mapping → writes in full batches, the
 * records short of one waiting for the next window's (see writes.ts) → state. A record decided as a
 * counterpart in an earlier window comes back unchanged in its own window and plans to nothing.
 * Cursors move once every window is written.
 */
import { resolveEmailDuplicates, type PersonRecord } from '../identity/duplicates';
import { planLeadConversion, leadOnlyFields } from '../identity/lead-conversion';
import { naturalKeyOf } from '../identity/match';
import type { HubSpotRecord, SalesforceRecord } from '../plan/plan-batch';
import type { RecordLink } from '../../state/store';
import { planBatch } from '../plan/plan-batch';
import type { ResolvedRecordMapping } from '../schema/validate-mapping';
import { isRetryable } from '../classify-error';
import { lookupFieldsOf } from './associations';
import { count, type RunContext } from './context';
import { deferConcurrentlyEdited, type FreshHubSpotReads } from './concurrent-edits';
import { collectDeletes, pendingDeleteField } from './deletes';
import { hubspotOutOfScope, listJoinStream } from './hubspot-scope';
import { hubspotUnchanged, lookupSettled, salesforceFingerprint, salesforceUnchanged, seenSnapshotKey } from './echo';
import {
    hubspotPropertiesToRead,
    readHubSpotCandidates,
    readSalesforceCandidates,
    searchableKey,
    stagedHubSpotCandidates,
    stagedSalesforceCandidates,
    stagedStreams,
    type DatedSalesforceRecord
} from './record-io';
import { readPropertyHistoryWhereTimed, writtenByIntegrationOnly } from './field-times';
import { namesUnlinkedHubSpotRecord } from './lost-links';
import type { StagedIdSet } from './run-staging';
import { WindowSnapshots } from './snapshots';
import { hubspotCursorStream, readGroupChanges, type GroupChanges } from './group-changes';
import { changeSearchStillCurrent, standsInFromSnapshots, unchangedCounterpart } from './unchanged-counterparts';
import { GroupWrites } from './writes';

const asText = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** Staged records screened at a time before they join a window (see `screenedWindows`). */
const recordsPerScreenPage = 500;

/**
 * Records the run must look at again although they did not change: Salesforce records whose last
 * failure was transient (a failed record's status write usually re-reads it anyway), and HubSpot
 * records whose Salesforce create failed transiently (nothing else would read them again). Other
 * failures wait for someone to fix the data, which changes the record and brings it back.
 */
function retryTargets(context: RunContext, mappingId: string): { salesforce: string[]; hubspot: string[] } {
    if (context.request.ids) return { salesforce: [], hubspot: [] };
    // Pending deletes are retried by collectDeletes, not by syncing the record again.
    const pendingDeletes: string[] = Object.values(pendingDeleteField);
    // A lookup association the record's last sync could not make is retried with the record too.
    const lookups = context.mapping.associations.flatMap((association) =>
        association.kind === 'lookup' && association.from === mappingId ? [association.id] : []
    );
    const open = [
        ...context.store.listErrors({ resolved: false, mappingId }),
        ...lookups.flatMap((id) =>
            context.store.listErrors({ resolved: false, mappingId: id }).filter((error) => error.salesforceId)
        )
    ].filter((error) => !pendingDeletes.includes(error.field ?? ''));
    return {
        salesforce: open.flatMap((error) =>
            error.salesforceId && isRetryable(error.category) ? [error.salesforceId] : []
        ),
        hubspot: open.flatMap((error) =>
            !error.salesforceId && error.hubspotId && isRetryable(error.category) ? [error.hubspotId] : []
        )
    };
}

/** Whether the mapping is an end of an enabled junction association (OpportunityContactRole). */
function isJunctionEnd(context: RunContext, mappingId: string): boolean {
    return context.mapping.associations.some(
        (association) =>
            association.enabled &&
            association.kind === 'junction' &&
            (association.from.mapping === mappingId || association.to.mapping === mappingId)
    );
}

/**
 * Salesforce ID → the HubSpot ID and values of the pairs of one mapping that synced this run and that the
 * association step needs (a changed lookup, a new end of a junction);
 * `newlyLinked` when the pair did not exist before (created on either side or matched).
 */
export type SyncedPairs = Map<string, SyncedPair>;

export interface SyncedPair {
    hubspotId: string;
    /**
     * The lookup fields whose value changed since their association was made (every lookup of a record
     * created this run); the association step needs nothing else of the record.
     */
    values: SalesforceRecord['values'];
    createdInHubSpot?: boolean;
    /** Lookups whose association its HubSpot create carried: settled, the association step leaves them. */
    settledLookups?: string[];
    newlyLinked?: boolean;
}

export interface GroupResult {
    /** By mapping id, for the association step. */
    synced: Map<string, SyncedPairs>;
}

export async function syncRecordGroup(
    context: RunContext,
    objectType: string,
    group: ResolvedRecordMapping[],
    /** The group's changes, when the engine started reading them ahead. */
    changes: Promise<GroupChanges> = readGroupChanges(context, objectType, group)
): Promise<GroupResult> {
    const { store } = context;
    const properties = hubspotPropertiesToRead(context, group);
    const hubspotStream = hubspotCursorStream(objectType);
    const { salesforceCursors, salesforceComplete, salesforceDeleted, hubspotRead, lists, mergedAway } = await changes;

    // Deletes on either side settle their pairs before any window: the first flush carries them.
    const writes = new GroupWrites(context, objectType, group);
    const settledSalesforce = new Set<string>();
    const settledHubSpot = new Set<string>();
    for (const [resolved, ids] of salesforceDeleted) {
        const links = store.linksBySalesforceIds(resolved.mapping.salesforceObject, ids);
        for (const [salesforceId, link] of links) {
            if (link.tombstonedAt !== null) continue;
            settledHubSpot.add(link.hubspotId);
            writes.salesforceDeleted(resolved, salesforceId, link.hubspotId);
            settledSalesforce.add(salesforceId);
        }
    }
    // Archived HubSpot records and failed deletes of earlier runs: those pairs are settled by the delete policy.
    const settled = await collectDeletes(context, objectType, group, writes, new Set(settledSalesforce));
    for (const salesforceId of settled) settledSalesforce.add(salesforceId);
    if (settled.size > 0) {
        for (const resolved of group) {
            for (const link of store.linksBySalesforceIds(resolved.mapping.salesforceObject, [...settled]).values()) {
                settledHubSpot.add(link.hubspotId);
            }
        }
    }

    // A HubSpot record merged into another is gone: HubSpot would apply a write to it to the record that
    // absorbed it, which syncs with someone else, so its pair ends before any window plans it.
    for (const [hubspotId, link] of store.linksByHubSpotIds(objectType, [...mergedAway])) {
        if (link.tombstonedAt !== null || settledSalesforce.has(link.salesforceId)) continue;
        const resolved = group.find((candidate) => candidate.mapping.salesforceObject === link.salesforceObject);
        if (!resolved) continue;
        writes.hubspotMergedAway(resolved, link.salesforceId);
        settledSalesforce.add(link.salesforceId);
        settledHubSpot.add(hubspotId);
    }

    const sides: GroupSides = {
        properties,
        salesforceComplete,
        hubspotComplete: hubspotRead.complete,
        ...(hubspotRead.everyChangeAt === undefined ? {} : { everyHubSpotChangeAt: hubspotRead.everyChangeAt }),
        withOpenErrors: new Set(
            group.flatMap((resolved) =>
                context.store
                    .listErrors({ resolved: false, mappingId: resolved.mapping.id })
                    .flatMap((error) => (error.salesforceId ? [error.salesforceId] : []))
            )
        ),
        settledSalesforce,
        settledHubSpot,
        decided: {
            salesforce: context.staging.idSet(`decided:salesforce:${objectType}`),
            hubspot: context.staging.idSet(`decided:hubspot:${objectType}`)
        },
        settledLookups: new Map()
    };
    const synced = new Map<string, SyncedPairs>(group.map((resolved) => [resolved.mapping.id, new Map()]));
    // The association step needs a pair for a lookup that changed, or as a new end of a junction (its roles
    // are read again); the rest is not kept, so what a run holds until then grows only with those.
    const keep = (result: Map<string, SyncedPairs>) => {
        for (const [mappingId, pairs] of result) {
            const kept = synced.get(mappingId)!;
            const lookups = lookupFieldsOf(context, mappingId);
            const junctionEnd = isJunctionEnd(context, mappingId);
            for (const [salesforceId, pair] of pairs) {
                const settled = new Set([
                    ...(sides.settledLookups.get(salesforceId) ?? []),
                    ...(pair.settledLookups ?? [])
                ]);
                sides.settledLookups.delete(salesforceId);
                const changed = lookups.filter((field) => !settled.has(field));
                const newEnd = junctionEnd && (pair.newlyLinked === true || pair.createdInHubSpot === true);
                if (changed.length > 0 || newEnd) kept.set(salesforceId, withValuesOf(pair, changed));
            }
        }
    };
    // One writer for every window: what a window leaves short of a full batch goes with the next one's, and a
    // window's writes land while the next window is decided (writes.ts).
    let windows = 0;
    const decide = async (window: GroupWindow) => {
        // A conversion moves a link the writes in flight may be storing (the converted Contact's).
        if (holdsConvertedLeads(window)) keep(await writes.landed());
        await decideWindow(context, objectType, group, sides, window, writes, windows === 0);
        windows += 1;
        keep(await writes.execute({ final: false }));
    };
    try {
        for (const window of screenedWindows(context, objectType, group, sides)) await decide(window);
        // A quiet run still settles deletes and retries earlier failures.
        if (windows === 0) await decide({ salesforce: new Map(), hubspot: [] });
        keep(await writes.execute({ final: true }));
    } catch (error) {
        await writes.drain();
        throw error;
    }

    // Cursors last, so a crash repeats this work instead of losing it. The HubSpot side is the whole group's:
    // a run of some of its mappings (objects: ['Contact']) reads records only another one decides (a new
    // contact becomes a Lead), so it leaves the HubSpot cursors where they are.
    const wholeGroup = [...context.validation.resolved.values()].every(
        (resolved) =>
            resolved.mapping.hubspotObjectType !== objectType ||
            group.some((member) => member.mapping.id === resolved.mapping.id)
    );
    if (context.moveCursors && !context.dryRun) {
        store.transaction(() => {
            for (const [stream, cursor] of salesforceCursors) {
                store.saveCursor({
                    stream,
                    side: 'salesforce',
                    modifiedAt: cursor.modifiedAt,
                    recordId: cursor.id,
                    lookbackSeconds: 0
                });
            }
            for (const [listId, joinedAt] of wholeGroup ? lists.positions : []) {
                store.saveCursor({
                    stream: listJoinStream(listId),
                    side: 'hubspot',
                    modifiedAt: joinedAt,
                    recordId: '',
                    lookbackSeconds: 0
                });
            }
            if (hubspotRead.cursor && wholeGroup) {
                store.saveCursor({
                    stream: hubspotStream,
                    side: 'hubspot',
                    modifiedAt: hubspotRead.cursor.modifiedAt,
                    recordId: hubspotRead.cursor.id,
                    lookbackSeconds: 0
                });
            }
        });
    }
    return { synced };
}

function holdsConvertedLeads(window: GroupWindow): boolean {
    return [...window.salesforce.values()].some((records) =>
        records.some((record) => record.values.IsConverted === true)
    );
}

/** The association step needs a pair's lookup fields only; the rest of its values is dropped. */
function withValuesOf<T extends { values: SalesforceRecord['values'] }>(pair: T, fields: string[]): T {
    return { ...pair, values: Object.fromEntries(fields.map((field) => [field, pair.values[field]])) };
}

/** What every window of a group shares. */
interface GroupSides {
    properties: string[];
    salesforceComplete: Set<string>;
    hubspotComplete: boolean;
    /** When the group's HubSpot change read began, if it read every change since the cursor. */
    everyHubSpotChangeAt?: string;
    /** Salesforce records with an unresolved sync error: their snapshots may be behind either side. */
    withOpenErrors: Set<string>;
    /** Pairs a delete settled this run: their records are not synced. */
    settledSalesforce: Set<string>;
    settledHubSpot: Set<string>;
    /**
     * Records an earlier window planned (as changes or as counterparts): a later window may use them
     * to decide identity, but never plans them again (their staged copies predate that window's writes).
     */
    decided: { salesforce: StagedIdSet; hubspot: StagedIdSet };
    /** Planned records whose lookups (these fields) hold the value their association was made for. */
    settledLookups: Map<string, Set<string>>;
}

/** One window's changed records: some of one mapping's Salesforce changes, or some HubSpot changes. */
interface GroupWindow {
    salesforce: Map<string, DatedSalesforceRecord[]>;
    hubspot: HubSpotRecord[];
}

/**
 * A group's windows of `recordsPerWindow` records that changed: each mapping's Salesforce changes, then the
 * HubSpot changes. The staged records are screened a page at a time before they join a window, and what a
 * window would drop at once (pairs settled or decided, echoes of the engine's own writes: most of a run
 * right after a large sync) is dropped there, so a window plans changes only. Converted Leads and retried
 * records always reach a window. Lazy: a page is screened after the windows before it were decided.
 */
function* screenedWindows(
    context: RunContext,
    objectType: string,
    group: ResolvedRecordMapping[],
    sides: GroupSides
): Generator<GroupWindow> {
    const { store, staging } = context;
    const size = context.recordsPerWindow;
    // A page is held with its snapshots while it is screened: smaller pages keep that transient small.
    const pageSize = Math.min(size, recordsPerScreenPage);
    const retried = new Set(group.flatMap((resolved) => retryTargets(context, resolved.mapping.id).salesforce));
    for (const resolved of group) {
        const pending: DatedSalesforceRecord[] = [];
        const window = (records: DatedSalesforceRecord[]) => ({
            salesforce: new Map([[resolved.mapping.id, records]]),
            hubspot: []
        });
        for (const page of staging.pages<DatedSalesforceRecord>(
            stagedStreams.salesforce(resolved.mapping.id),
            pageSize
        )) {
            const open = page.filter(
                (record) => !sides.settledSalesforce.has(record.id) && !sides.decided.salesforce.has(record.id)
            );
            const passing = new Set(
                open.filter((record) => record.values.IsConverted === true).map((record) => record.id)
            );
            const candidates = open.filter((record) => !passing.has(record.id));
            const snapshots = new WindowSnapshots(store);
            for (const record of withoutSalesforceEchoes(context, snapshots, resolved, candidates, retried)) {
                passing.add(record.id);
            }
            pending.push(...open.filter((record) => passing.has(record.id)));
            while (pending.length >= size) yield window(pending.splice(0, size));
        }
        if (pending.length > 0) yield window(pending);
    }
    const pending: HubSpotRecord[] = [];
    for (const page of staging.pages<HubSpotRecord>(stagedStreams.hubspot(objectType), pageSize)) {
        const open = new Map(
            page
                .filter((record) => !sides.settledHubSpot.has(record.id) && !sides.decided.hubspot.has(record.id))
                .map((record) => [record.id, record])
        );
        const links = store.linksByHubSpotIds(objectType, [...open.keys()]);
        dropHubSpotEchoes(context, objectType, group, new WindowSnapshots(store), open, links);
        pending.push(...open.values());
        while (pending.length >= size) yield { salesforce: new Map(), hubspot: pending.splice(0, size) };
    }
    if (pending.length > 0) yield { salesforce: new Map(), hubspot: pending };
}

/**
 * A mapping's Salesforce changes less the echoes of the engine's own writes (values that hash like their
 * snapshots), counted as unchanged; retried records stay, whatever they hash like.
 */
function withoutSalesforceEchoes(
    context: RunContext,
    snapshots: WindowSnapshots,
    resolved: ResolvedRecordMapping,
    records: DatedSalesforceRecord[],
    retried: ReadonlySet<string>
): DatedSalesforceRecord[] {
    const ids = records.map((record) => record.id);
    const recorded = snapshots.of(resolved.mapping.salesforceObject, ids);
    const links = context.store.linksBySalesforceIds(resolved.mapping.salesforceObject, ids);
    const lookups = lookupFieldsOf(context, resolved.mapping.id);
    const fresh = records.filter((record) => {
        if (retried.has(record.id)) return true;
        const snapshot = recorded.get(record.id);
        if (!links.has(record.id)) {
            return snapshot?.[seenSnapshotKey]?.salesforceHash !== salesforceFingerprint(resolved, record.values);
        }
        return !salesforceUnchanged(resolved, record.values, snapshot, lookups);
    });
    count(context, resolved.mapping.id, 'unchanged_salesforce', records.length - fresh.length);
    return fresh;
}

/** Drops from `changed` the HubSpot echoes (counted as unchanged) and the records of tombstoned pairs. */
function dropHubSpotEchoes(
    context: RunContext,
    objectType: string,
    group: ResolvedRecordMapping[],
    snapshots: WindowSnapshots,
    changed: Map<string, HubSpotRecord>,
    links: Map<string, RecordLink>
): void {
    for (const resolved of group) {
        const linked = [...changed.values()].filter(
            (record) => links.get(record.id)?.salesforceObject === resolved.mapping.salesforceObject
        );
        const recorded = snapshots.of(
            resolved.mapping.salesforceObject,
            linked.map((record) => links.get(record.id)!.salesforceId)
        );
        for (const record of linked) {
            if (hubspotUnchanged(resolved, record.values, recorded.get(links.get(record.id)!.salesforceId))) {
                changed.delete(record.id);
                count(context, objectType, 'unchanged_hubspot');
            }
        }
    }
    for (const [hubspotId, link] of links) {
        if (link.tombstonedAt !== null) changed.delete(hubspotId);
    }
}

async function decideWindow(
    context: RunContext,
    objectType: string,
    group: ResolvedRecordMapping[],
    sides: GroupSides,
    window: GroupWindow,
    writes: GroupWrites,
    first: boolean
): Promise<void> {
    const { store } = context;
    const { properties } = sides;
    const freshHubSpot: FreshHubSpotReads = new Set();
    const salesforceChanged = new Map<string, DatedSalesforceRecord[]>(
        group.map((resolved) => [
            resolved.mapping.id,
            (window.salesforce.get(resolved.mapping.id) ?? []).filter(
                (record) => !sides.settledSalesforce.has(record.id) && !sides.decided.salesforce.has(record.id)
            )
        ])
    );
    const hubspotChanged = new Map(
        window.hubspot
            .filter((record) => !sides.settledHubSpot.has(record.id) && !sides.decided.hubspot.has(record.id))
            .map((record) => [record.id, record])
    );

    // 2. Lead conversion: the converted Contact inherits the link; converted Leads never sync again.
    const conversion = context.mapping.leadConversion;
    const leadResolved = group.find((resolved) => resolved.mapping.id === conversion?.leadMapping);
    const contactResolved = group.find((resolved) => resolved.mapping.id === conversion?.contactMapping);
    const convertedContactIds: string[] = [];
    if (conversion && leadResolved && contactResolved) {
        const leads = salesforceChanged.get(leadResolved.mapping.id) ?? [];
        const converted = leads.filter((lead) => lead.values.IsConverted === true);
        salesforceChanged.set(
            leadResolved.mapping.id,
            leads.filter((lead) => lead.values.IsConverted !== true)
        );
        const leadLinks = store.linksBySalesforceIds(
            leadResolved.mapping.salesforceObject,
            converted.map((lead) => lead.id)
        );
        const linkedHubSpot = await hubspotCandidates(context, objectType, sides, freshHubSpot, {
            ids: [...leadLinks.values()].map((link) => link.hubspotId),
            byProperty: []
        });
        const hubspotById = new Map(linkedHubSpot.map((record) => [record.id, record]));
        for (const lead of converted) {
            const contactId = asText(lead.values.ConvertedContactId);
            const link = leadLinks.get(lead.id);
            if (!contactId || !link) continue;
            const contactLink = store.findLinkBySalesforce({
                salesforceObject: contactResolved.mapping.salesforceObject,
                salesforceId: contactId
            });
            const stage = hubspotById.get(link.hubspotId)?.values[context.mapping.lifecycle.property] ?? null;
            const plan = planLeadConversion(
                context.mapping,
                { leadId: lead.id, convertedContactId: contactId, hubspotId: link.hubspotId },
                contactLink?.hubspotId,
                stage
            );
            if (plan.status === 'relink') {
                writes.convertLead(plan, leadResolved, contactResolved);
                convertedContactIds.push(contactId);
                count(context, leadResolved.mapping.id, 'converted');
            } else if (plan.status === 'contact_linked_elsewhere') {
                writes.error(leadResolved, {
                    salesforceId: lead.id,
                    hubspotId: plan.hubspotId,
                    category: 'duplicate',
                    message: `Lead ${lead.id} converted into Contact ${contactId}, which already syncs with HubSpot record ${plan.contactHubSpotId}; merge the two HubSpot records by hand`
                });
            }
        }
        if (convertedContactIds.length > 0) context.report.leadOnlyFields = leadOnlyFields(context.mapping);
    }

    // Read once per window, after the conversions above saved the snapshots their Contacts inherit.
    const snapshots = new WindowSnapshots(store);

    // 3. Retries of earlier failures, and the Contacts that just inherited a link.
    const extraSalesforce = new Map<string, string[]>();
    const extraHubSpot: string[] = [];
    for (const resolved of group) {
        const retry = first ? retryTargets(context, resolved.mapping.id) : { salesforce: [], hubspot: [] };
        const ids = [...retry.salesforce, ...(resolved === contactResolved ? convertedContactIds : [])];
        extraSalesforce.set(resolved.mapping.id, ids);
        extraHubSpot.push(...retry.hubspot);
    }

    // 4. Echo suppression (the windows were screened already; records they held back come through here).
    for (const resolved of group) {
        const records = salesforceChanged.get(resolved.mapping.id) ?? [];
        const retried = new Set(extraSalesforce.get(resolved.mapping.id));
        salesforceChanged.set(
            resolved.mapping.id,
            withoutSalesforceEchoes(context, snapshots, resolved, records, retried)
        );
    }
    const hubspotLinks = store.linksByHubSpotIds(objectType, [...hubspotChanged.keys()]);
    dropHubSpotEchoes(context, objectType, group, snapshots, hubspotChanged, hubspotLinks);

    // Converted Leads read as counterparts: their pairs wait until the conversion moves the link to the
    // Contact (planned without the Lead, the HubSpot record would look like a deleted Lead's survivor).
    const convertedCounterparts = new Set<string>();

    // 5. Counterparts and namesakes on the Salesforce side (for the HubSpot changes) ...
    const hubspotRecords = [...hubspotChanged.values()];
    const hubspotChangesRead = new Set(hubspotChanged.keys());
    const salesforceRecords = new Map<string, Map<string, DatedSalesforceRecord>>();
    for (const resolved of group) {
        const { identity, salesforceObject, id } = resolved.mapping;
        const own = new Map((salesforceChanged.get(id) ?? []).map((record) => [record.id, record]));
        const linkedIds = hubspotRecords.flatMap((record) => {
            const link = hubspotLinks.get(record.id);
            return link && link.salesforceObject === salesforceObject ? [link.salesforceId] : [];
        });
        const unlinked = hubspotRecords.filter((record) => !hubspotLinks.has(record.id));
        const idProperty = identity.salesforceIdProperty;
        const claimedIds = idProperty ? unlinked.flatMap((record) => asText(record.values[idProperty]) ?? []) : [];
        const matchValues = new Set<string>();
        const matchProperty = identity.hubspotMatchProperty;
        if (matchProperty) {
            for (const record of unlinked) {
                const key = searchableKey(identity.match, record.values[matchProperty]);
                if (key) matchValues.add(key);
            }
        }
        // Email duplicates span the group: every Lead and Contact sharing the email of a changed record
        // that is not linked yet is read (a linked record keeps its contact, see step 6).
        if (identity.match === 'email') {
            for (const other of group) {
                const field = other.mapping.identity.salesforceMatchField;
                if (!field) continue;
                const changed = salesforceChanged.get(other.mapping.id) ?? [];
                const linked = store.linksBySalesforceIds(
                    other.mapping.salesforceObject,
                    changed.map((record) => record.id)
                );
                for (const record of changed.filter((candidate) => !linked.has(candidate.id))) {
                    const key = searchableKey('email', record.values[field]);
                    if (key) matchValues.add(key);
                }
            }
        }
        const wanted = {
            ids: [...linkedIds, ...claimedIds, ...(extraSalesforce.get(id) ?? [])].filter(
                (recordId) => !own.has(recordId)
            ),
            matchValues: [...matchValues],
            hubspotIds: unlinked.map((record) => record.id)
        };
        const needed = wanted.ids.length + wanted.matchValues.length + wanted.hubspotIds.length > 0;
        if (needed) {
            // Retried records are re-read even after a complete read: they may have failed before it.
            const retried = extraSalesforce.get(id) ?? [];
            const candidates = await salesforceCandidates(context, sides, resolved, wanted, retried.length > 0);
            for (const record of candidates) {
                if (record.values.IsConverted === true) convertedCounterparts.add(record.id);
                else if (!own.has(record.id)) own.set(record.id, record);
            }
            // A record retried for an earlier failure that is gone (deleted, merged away) or converted will
            // never sync again: its errors have nothing left to retry.
            if (!context.dryRun) {
                for (const retryId of retried.filter((retryId) => !own.has(retryId))) {
                    store.resolveErrors({ salesforceObject: resolved.mapping.salesforceObject, salesforceId: retryId });
                }
            }
        }
        salesforceRecords.set(id, own);
    }

    // A pair tombstoned by a delete stopped syncing for good: its Salesforce record is left alone (it is
    // neither paired again nor copied into a new HubSpot record).
    for (const resolved of group) {
        const records = salesforceRecords.get(resolved.mapping.id)!;
        for (const [salesforceId, link] of store.linksBySalesforceIds(resolved.mapping.salesforceObject, [
            ...records.keys()
        ])) {
            if (link.tombstonedAt === null) continue;
            records.delete(salesforceId);
            if (!sides.decided.salesforce.has(salesforceId)) count(context, resolved.mapping.id, 'tombstoned');
        }
    }

    // ... and on the HubSpot side (for the Salesforce changes).
    const allSalesforce = group.flatMap((resolved) =>
        [...salesforceRecords.get(resolved.mapping.id)!.values()].map((record) => ({ resolved, record }))
    );
    const salesforceLinks = new Map<string, string>();
    for (const resolved of group) {
        const ids = [...salesforceRecords.get(resolved.mapping.id)!.keys()];
        for (const [salesforceId, link] of store.linksBySalesforceIds(resolved.mapping.salesforceObject, ids)) {
            if (link.tombstonedAt === null) salesforceLinks.set(salesforceId, link.hubspotId);
        }
    }
    const wantedHubSpotIds = new Set<string>(extraHubSpot);
    const byProperty = new Map<string, Set<string>>();
    const want = (property: string, value: string) => {
        const values = byProperty.get(property) ?? new Set<string>();
        values.add(value);
        byProperty.set(property, values);
    };
    // A linked record HubSpot's change read did not find is as the last sync left it: its snapshots stand in.
    const unchangedKnown = changeSearchStillCurrent(context, sides.everyHubSpotChangeAt);
    const standsIn = new Map(group.map((resolved) => [resolved, standsInFromSnapshots(context, resolved)]));
    const linkedUnread = allSalesforce.filter(({ record }) => {
        const linked = salesforceLinks.get(record.id);
        return linked !== undefined && !hubspotChanged.has(linked);
    });
    const stagedLinked = new Set(
        stagedHubSpotCandidates(context, objectType, {
            ids: linkedUnread.map(({ record }) => salesforceLinks.get(record.id)!),
            byProperty: []
        }).map((record) => record.id)
    );
    // The change search's own records are as current as its stand-ins: the concurrent-edit check skips both.
    if (unchangedKnown) for (const id of [...hubspotChangesRead, ...stagedLinked]) freshHubSpot.add(id);
    const mayStandIn = linkedUnread.filter(
        ({ resolved, record }) =>
            unchangedKnown &&
            standsIn.get(resolved) === true &&
            !stagedLinked.has(salesforceLinks.get(record.id)!) &&
            !sides.withOpenErrors.has(record.id)
    );
    for (const resolved of group) {
        // One snapshot read per mapping; the planner gets the same objects later in the window.
        snapshots.of(
            resolved.mapping.salesforceObject,
            mayStandIn.filter((entry) => entry.resolved === resolved).map(({ record }) => record.id)
        );
    }
    const standIns = new Set<string>();
    for (const { resolved, record } of mayStandIn) {
        const linked = salesforceLinks.get(record.id)!;
        const recorded = snapshots.of(resolved.mapping.salesforceObject, [record.id]).get(record.id);
        const standIn = unchangedCounterpart(context, resolved, record, linked, recorded);
        if (standIn) {
            hubspotChanged.set(linked, standIn);
            standIns.add(linked);
            // As current as a read: the concurrent-edit check has nothing to add (unchanged-counterparts.ts).
            freshHubSpot.add(linked);
            count(context, objectType, 'unchanged_counterpart_hubspot');
        }
    }
    for (const { resolved, record } of allSalesforce) {
        const { identity } = resolved.mapping;
        const linked = salesforceLinks.get(record.id);
        if (linked) {
            if (!hubspotChanged.has(linked)) wantedHubSpotIds.add(linked);
            continue;
        }
        const ownHubSpotId = identity.hubspotIdField ? asText(record.values[identity.hubspotIdField]) : undefined;
        if (ownHubSpotId && !hubspotChanged.has(ownHubSpotId)) wantedHubSpotIds.add(ownHubSpotId);
        if (identity.salesforceIdProperty) want(identity.salesforceIdProperty, record.id);
        const raw = identity.salesforceMatchField ? record.values[identity.salesforceMatchField] : undefined;
        const key = searchableKey(identity.match, raw);
        // HubSpot stores emails lower-cased, so the normalised key alone finds the contact.
        if (key && identity.hubspotMatchProperty) want(identity.hubspotMatchProperty, key);
    }
    if (wantedHubSpotIds.size + byProperty.size > 0) {
        const candidates = await hubspotCandidates(context, objectType, sides, freshHubSpot, {
            ids: [...wantedHubSpotIds],
            byProperty: [...byProperty].map(([property, values]) => ({ property, values: [...values] }))
        });
        // A stand-in found as a namesake was read after all: the read says more than its snapshots.
        for (const record of candidates) {
            if (!hubspotChanged.has(record.id) || standIns.has(record.id)) hubspotChanged.set(record.id, record);
        }
    }

    // Fields decided by time (both sides changed, or a first sync): HubSpot's side needs its property history.
    await readPropertyHistoryWhereTimed(context, objectType, group, {
        salesforce: salesforceRecords,
        salesforceLinks,
        hubspot: hubspotChanged,
        properties,
        snapshots,
        fresh: freshHubSpot
    });

    // 6. One winner per email across the group.
    const excluded = new Map<string, string>();
    const emailMappings = group.filter((resolved) => resolved.mapping.identity.match === 'email');
    if (emailMappings.length > 0) {
        const people: PersonRecord[] = emailMappings.flatMap((resolved) =>
            [...salesforceRecords.get(resolved.mapping.id)!.values()].map((record) => ({
                salesforceObject: resolved.mapping.salesforceObject,
                id: record.id,
                email: record.values[resolved.mapping.identity.salesforceMatchField!],
                modifiedAt: record.modifiedAt,
                createdAt: record.createdAt
            }))
        );
        const policy = context.mapping.identity.duplicatePolicy;
        for (const loser of resolveEmailDuplicates(people, policy).excluded) {
            excluded.set(loser.record.id, loser.reason);
        }
        // The record already syncing with the HubSpot contact keeps it: the policy picks among new
        // records only, otherwise the engine's own status writes (which move SystemModstamp) would
        // hand the contact back and forth between duplicates on every run.
        const linkedWinners = resolveEmailDuplicates(
            people.filter((person) => salesforceLinks.has(person.id)),
            policy
        ).winners;
        // Without a linked record, one that names the unlinked HubSpot record by ID keeps it: the engine
        // created it for that record and a crash lost the link, so a newer namesake is the duplicate.
        const claimed = namesUnlinkedHubSpotRecord(
            context,
            objectType,
            emailMappings,
            salesforceRecords,
            hubspotChanged
        );
        const claimedWinners = resolveEmailDuplicates(
            people.filter((person) => claimed.has(person.id)),
            policy
        ).winners;
        const keptWinners = new Map([...claimedWinners, ...linkedWinners]);
        const peopleByEmail = new Map<string, PersonRecord[]>();
        for (const person of people) {
            const email = searchableKey('email', person.email);
            if (email) peopleByEmail.set(email, [...(peopleByEmail.get(email) ?? []), person]);
        }
        for (const [email, winner] of keptWinners) {
            const how = linkedWinners.has(email) ? 'linked' : 'paired by ID';
            for (const person of peopleByEmail.get(email) ?? []) {
                if (person.id === winner.id) excluded.delete(person.id);
                else {
                    excluded.set(
                        person.id,
                        `${email} syncs with ${winner.salesforceObject} ${winner.id} (${how} before this record)`
                    );
                }
            }
        }
    }

    // 6b. HubSpot inclusion scopes: a record outside is neither created nor synced, and the Salesforce
    // record that syncs (or would pair) with it is marked Excluded.
    let scopeLinks: Map<string, { salesforceObject: string }> | undefined;
    const outOfScope = await hubspotOutOfScope(context, group, [...hubspotChanged.values()], (hubspotId) => {
        scopeLinks ??= store.linksByHubSpotIds(objectType, [...hubspotChanged.keys()]);
        return scopeLinks.get(hubspotId)?.salesforceObject;
    });
    // Marked decided once this window has planned (their Salesforce pairs are marked Excluded below).
    const outOfScopeDecided: string[] = [];
    if (outOfScope.size > 0) {
        const reasonByKey = new Map<string, string>();
        for (const [hubspotId, reason] of outOfScope) {
            const record = hubspotChanged.get(hubspotId)!;
            for (const { mapping } of group) {
                const property = mapping.identity.hubspotMatchProperty;
                const key = property ? naturalKeyOf(mapping.identity.match, record.values[property]) : undefined;
                if (key) reasonByKey.set(`${mapping.id}|${key}`, reason);
            }
            hubspotChanged.delete(hubspotId);
            if (!sides.decided.hubspot.has(hubspotId)) count(context, objectType, 'out_of_scope_hubspot');
            outOfScopeDecided.push(hubspotId);
        }
        for (const resolved of group) {
            const { identity, id } = resolved.mapping;
            for (const record of salesforceRecords.get(id)!.values()) {
                const linked = salesforceLinks.get(record.id);
                const raw = identity.salesforceMatchField ? record.values[identity.salesforceMatchField] : undefined;
                const key = linked === undefined ? naturalKeyOf(identity.match, raw) : undefined;
                const reason =
                    (linked !== undefined ? outOfScope.get(linked) : undefined) ??
                    (key ? reasonByKey.get(`${id}|${key}`) : undefined);
                if (reason) excluded.set(record.id, reason);
            }
        }
    }

    // 7. Route every HubSpot record to the one mapping that decides it, then plan per mapping.
    const allHubSpot = [...hubspotChanged.values()];
    const allLinks = store.linksByHubSpotIds(
        objectType,
        allHubSpot.map((record) => record.id)
    );
    const routed = new Map<string, HubSpotRecord[]>(group.map((resolved) => [resolved.mapping.id, []]));
    const route = routingIndex(group, salesforceRecords, excluded);
    for (const record of allHubSpot) {
        const target = route(record, allLinks.get(record.id)?.salesforceObject);
        if (target) routed.get(target)!.push(record);
    }
    const byHubSpotId = new Map(
        [...allLinks].map(([hubspotId, link]) => [
            hubspotId,
            { salesforceObject: link.salesforceObject, salesforceId: link.salesforceId }
        ])
    );
    for (const resolved of group) {
        const { id, salesforceObject } = resolved.mapping;
        // A pair an earlier window decided is decided from both ends: planning one end without the other
        // would read as a deleted counterpart.
        const salesforce = [...salesforceRecords.get(id)!.values()].filter((record) => {
            const pairedWith = salesforceLinks.get(record.id);
            return (
                !sides.decided.salesforce.has(record.id) &&
                (pairedWith === undefined || !sides.decided.hubspot.has(pairedWith))
            );
        });
        for (const record of salesforce) record.writtenByIntegrationOnly = writtenByIntegrationOnly(context, record);
        const bySalesforceId = new Map<string, string>();
        for (const record of salesforce) {
            const linked = salesforceLinks.get(record.id);
            if (linked) bySalesforceId.set(record.id, linked);
        }
        // The HubSpot counterparts of this mapping's records go with them, whoever they were routed to.
        const hubspot = new Map(routed.get(id)!.map((record) => [record.id, record]));
        for (const hubspotId of bySalesforceId.values()) {
            const record = hubspotChanged.get(hubspotId);
            if (record) hubspot.set(hubspotId, record);
        }
        for (const hubspotId of hubspot.keys()) {
            const pairedWith = byHubSpotId.get(hubspotId)?.salesforceId;
            const decided =
                sides.decided.hubspot.has(hubspotId) ||
                (pairedWith !== undefined &&
                    (sides.decided.salesforce.has(pairedWith) || convertedCounterparts.has(pairedWith)));
            if (decided) hubspot.delete(hubspotId);
        }
        const planned = new Set(salesforce.map((record) => record.id));
        const ownExcluded = new Map([...excluded].filter(([salesforceId]) => planned.has(salesforceId)));
        const recorded = snapshots.of(
            salesforceObject,
            salesforce.map((record) => record.id)
        );
        const lookups = lookupFieldsOf(context, id);
        for (const record of salesforce) {
            const settled = lookups.filter((field) =>
                lookupSettled(recorded.get(record.id), field, record.values[field])
            );
            if (settled.length > 0) sides.settledLookups.set(record.id, new Set(settled));
        }
        const plan = planBatch({
            mapping: context.mapping,
            resolved,
            salesforce,
            hubspot: [...hubspot.values()],
            links: { bySalesforceId, byHubSpotId },
            snapshots: recorded,
            excluded: ownExcluded,
            context: { owners: context.owners }
        });
        // Only the HubSpot changes had their Salesforce records read (step 5). A record read later, as a
        // counterpart or namesake, may sync with a record this window never asked for — HubSpot answers a
        // merged-away ID with the record that absorbed it — which is unread, not deleted.
        plan.missingCounterparts = plan.missingCounterparts.filter(
            (missing) => missing.side === 'hubspot' || hubspotChangesRead.has(missing.id)
        );
        const salesforceById = new Map(salesforce.map((record) => [record.id, record]));
        const checked = await deferConcurrentlyEdited(context, resolved, plan, { hubspot }, freshHubSpot);
        writes.addPlan(resolved, plan, salesforceById, checked);
        // Later mappings of the group see this mapping's new pairs as taken.
        for (const link of plan.newLinks) {
            byHubSpotId.set(link.hubspotId, { salesforceObject, salesforceId: link.salesforceId });
        }
    }

    sides.decided.salesforce.addAll([...salesforceRecords.values()].flatMap((records) => [...records.keys()]));
    sides.decided.hubspot.addAll([...hubspotChanged.keys(), ...outOfScopeDecided]);
    // 8. Writes, then state: the caller flushes `writes` after each window.
}

/**
 * Salesforce counterparts and namesakes: from the staging when this run read the mapping's whole
 * object, else from the API (less what the staging holds by ID: this run's changes are current).
 */
async function salesforceCandidates(
    context: RunContext,
    sides: GroupSides,
    resolved: ResolvedRecordMapping,
    wanted: { ids: string[]; matchValues: string[]; hubspotIds: string[] },
    mustRead: boolean
): Promise<DatedSalesforceRecord[]> {
    const staged = stagedSalesforceCandidates(context, resolved, wanted);
    if (sides.salesforceComplete.has(resolved.mapping.id) && !mustRead) return staged;
    const stagedIds = new Set(staged.map((record) => record.id));
    const rest = { ...wanted, ids: wanted.ids.filter((id) => !stagedIds.has(id)) };
    if (rest.ids.length + rest.matchValues.length + rest.hubspotIds.length === 0) return staged;
    const read = await readSalesforceCandidates(context, resolved, rest);
    return [...new Map([...staged, ...read].map((record) => [record.id, record])).values()];
}

/** The same on the HubSpot side. */
async function hubspotCandidates(
    context: RunContext,
    objectType: string,
    sides: GroupSides,
    fresh: FreshHubSpotReads,
    wanted: { ids: string[]; byProperty: { property: string; values: string[] }[] }
): Promise<HubSpotRecord[]> {
    const staged = stagedHubSpotCandidates(context, objectType, wanted);
    if (sides.hubspotComplete) return staged;
    const stagedIds = new Set(staged.map((record) => record.id));
    const rest = { ...wanted, ids: wanted.ids.filter((id) => !stagedIds.has(id)) };
    if (rest.ids.length + rest.byProperty.length === 0) return staged;
    const read = await readHubSpotCandidates(context, objectType, sides.properties, rest);
    const byId = new Map(staged.map((record) => [record.id, record]));
    for (const record of read) {
        if (byId.has(record.id)) continue;
        byId.set(record.id, record);
        fresh.add(record.id);
    }
    return [...byId.values()];
}

/**
 * Linked records go to their mapping; an unlinked one to the mapping of the Salesforce record that
 * claims it (ID property, HubSpot ID field, then the email/domain winner), else to the mapping allowed
 * to create Salesforce records from it. The indexes are built once per group.
 */
function routingIndex(
    group: ResolvedRecordMapping[],
    salesforceRecords: Map<string, Map<string, SalesforceRecord>>,
    excluded: Map<string, string>
): (record: HubSpotRecord, linkedObject: string | undefined) => string | undefined {
    const byHubSpotIdField = new Map<string, string>();
    const byKey = new Map<string, string>();
    for (const resolved of group) {
        const { identity, id } = resolved.mapping;
        for (const candidate of salesforceRecords.get(id)!.values()) {
            const claimed = identity.hubspotIdField ? candidate.values[identity.hubspotIdField] : undefined;
            if (typeof claimed === 'string' && claimed !== '' && !byHubSpotIdField.has(claimed)) {
                byHubSpotIdField.set(claimed, id);
            }
            if (excluded.has(candidate.id) || !identity.salesforceMatchField) continue;
            const key = naturalKeyOf(identity.match, candidate.values[identity.salesforceMatchField]);
            if (key && !byKey.has(`${id}|${key}`)) byKey.set(`${id}|${key}`, id);
        }
    }
    const creator = group.find((resolved) => resolved.mapping.create.toSalesforce)?.mapping.id;
    return (record, linkedObject) => {
        if (linkedObject) {
            return group.find((resolved) => resolved.mapping.salesforceObject === linkedObject)?.mapping.id;
        }
        for (const resolved of group) {
            const { identity, id } = resolved.mapping;
            const claimed = identity.salesforceIdProperty
                ? asText(record.values[identity.salesforceIdProperty])
                : undefined;
            if (claimed && salesforceRecords.get(id)!.has(claimed)) return id;
        }
        const byField = byHubSpotIdField.get(record.id);
        if (byField) return byField;
        for (const resolved of group) {
            const { identity, id } = resolved.mapping;
            if (!identity.hubspotMatchProperty) continue;
            const key = naturalKeyOf(identity.match, record.values[identity.hubspotMatchProperty]);
            if (key && byKey.has(`${id}|${key}`)) return id;
        }
        return creator;
    };
}
