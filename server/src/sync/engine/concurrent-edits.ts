/**
 * A user's edit that lands between a run's read and its write of the same record would be overwritten by
 * the write (neither sObject Collections nor HubSpot's batch update can be made conditional). So right
 * before writing a side, a run reads again when each record it is about to update there last changed (one
 * batch read per 100 on HubSpot, one retrieve per 2,000 on Salesforce, only for records whose update writes
 * a field that side's users may win: a quiet run, or one writing only one-way fields and mirrors, pays
 * nothing) and leaves a pair changed since to the next run, which that edit's own change brings. HubSpot is
 * checked before any write of the window (its updates come first), Salesforce just before its updates,
 * after the HubSpot writes, so the window left is the milliseconds between check and write on each side.
 * A HubSpot record the window itself read from the API moments before (the counterpart of a Salesforce
 * change) is not read a second time: the check would only shorten that window by the planning time. Nor is
 * one the run's change search read, or found unchanged, seconds before (unchanged-counterparts.ts): reading
 * it again would cost a batch read per 100 to shorten the window by those seconds.
 */
import { lastModifiedProperty } from '../changes/hubspot-search';
import type { BatchPlan, HubSpotRecord, SalesforceRecord } from '../plan/plan-batch';
import type { RecordPlan } from '../plan/plan-record';
import type { ResolvedRecordMapping } from '../schema/validate-mapping';
import { count, type RunContext } from './context';
import { toHubSpotRecord, toSalesforceRecord } from './record-io';

const changedSince = (read: string | undefined, now: string) =>
    read !== undefined && Date.parse(now) > Date.parse(read);

/**
 * Whether an update writes, on each side, a field whose rule lets that side's own edits win: only those can
 * lose an edit to the race. The rest (one-way fields, lifecycle mirrors, status fields) is overwritten by
 * design and needs no check.
 */
export function racesUserEdits(
    resolved: ResolvedRecordMapping,
    plan: Pick<RecordPlan, 'toSalesforce' | 'toHubSpot'>
): { salesforce: boolean; hubspot: boolean } {
    return {
        salesforce: resolved.fields.some(
            (field) => field.rule !== 'always_salesforce' && field.salesforce.name in plan.toSalesforce
        ),
        hubspot: resolved.fields.some((field) => field.rule === 'two_way' && field.hubspot.name in plan.toHubSpot)
    };
}

/**
 * HubSpot records whose state the window knows as of moments ago: read from the API by the window itself
 * (not from the run's staging), or read or found unchanged by a change search of seconds ago.
 */
export type FreshHubSpotReads = Set<string>;

/**
 * Removes from `plan.updates` the pairs whose HubSpot record changed after this run read it. A pair matched
 * just now has no earlier state to protect: its first sync decides per field from both records as read.
 * Returns the HubSpot IDs it read again: their updates must go out with this window (writes.ts).
 */
export async function deferConcurrentlyEdited(
    context: RunContext,
    resolved: ResolvedRecordMapping,
    plan: BatchPlan,
    read: { hubspot: Map<string, HubSpotRecord> },
    fresh: FreshHubSpotReads
): Promise<Set<string>> {
    if (context.dryRun) return new Set();
    const matchedNow = new Set(plan.newLinks.map((link) => link.salesforceId));
    const writesHubSpot = plan.updates.filter(
        (update) =>
            !matchedNow.has(update.salesforceId) &&
            !fresh.has(update.hubspotId) &&
            racesUserEdits(resolved, update.plan).hubspot
    );
    if (writesHubSpot.length === 0) return new Set();
    const objectType = resolved.mapping.hubspotObjectType;
    const objects = await context.hubspot.read(
        objectType,
        writesHubSpot.map((update) => update.hubspotId),
        [lastModifiedProperty(objectType)]
    );
    const raced = new Set(
        objects
            .map((object) => toHubSpotRecord(object, objectType))
            .filter((record) => changedSince(read.hubspot.get(record.id)?.modifiedAt, record.modifiedAt))
            .map((record) => record.id)
    );
    const checked = new Set(writesHubSpot.map((update) => update.hubspotId));
    if (raced.size === 0) return checked;
    plan.updates = plan.updates.filter((update) => !raced.has(update.hubspotId));
    count(context, resolved.mapping.id, 'deferred_concurrent_edit', raced.size);
    return checked;
}

/** A pair about to be written to Salesforce, as the window read it. */
export interface SalesforceUpdate {
    resolved: ResolvedRecordMapping;
    plan: Pick<RecordPlan, 'toSalesforce' | 'toHubSpot'>;
    record: SalesforceRecord;
    /** Matched in this run: nothing of it was synced before, so there is no earlier state to protect. */
    newLink: boolean;
}

/**
 * The Salesforce IDs of the updates to hold back: their record changed after this run read it. Their HubSpot
 * half may have landed; the Salesforce half waits for the next run, which that edit's own change brings.
 */
export async function salesforceEditedSinceRead(
    context: RunContext,
    updates: readonly SalesforceUpdate[]
): Promise<Set<string>> {
    const raced = new Set<string>();
    if (context.dryRun) return raced;
    const byObject = new Map<ResolvedRecordMapping, SalesforceUpdate[]>();
    for (const update of updates) {
        if (update.newLink || !racesUserEdits(update.resolved, update.plan).salesforce) continue;
        byObject.set(update.resolved, [...(byObject.get(update.resolved) ?? []), update]);
    }
    for (const [resolved, objectUpdates] of byObject) {
        const readAt = new Map(objectUpdates.map((update) => [update.record.id, update.record.modifiedAt]));
        const rows = await context.salesforce.retrieve(
            resolved.mapping.salesforceObject,
            [...readAt.keys()],
            ['Id', 'SystemModstamp', 'CreatedDate']
        );
        for (const row of rows.map(toSalesforceRecord)) {
            if (changedSince(readAt.get(row.id), row.modifiedAt)) raced.add(row.id);
        }
        const held = objectUpdates.filter((update) => raced.has(update.record.id)).length;
        count(context, resolved.mapping.id, 'deferred_concurrent_edit', held);
    }
    return raced;
}
