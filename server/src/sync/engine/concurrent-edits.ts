/**
 * A user's edit that lands between a run's read and its write of the same record would be overwritten by
 * the write (neither sObject Collections nor HubSpot's batch update can be made conditional). So before
 * writing, a run reads again when each record it is about to update last changed (one retrieve per 2,000, one
 * batch read per 100, only for records whose update writes a field that side's users may win: a quiet run,
 * or one writing only one-way fields and mirrors, pays nothing) and leaves a pair changed since to the next
 * run, which that edit's own change brings. A record the window itself read from the API (the counterpart of
 * a change, read moments before planning) is not read a second time: the check would only shorten the window
 * left, which is the time between the latest read and the write, by the window's planning time.
 */
import { lastModifiedProperty } from '../changes/hubspot-search';
import type { BatchPlan, HubSpotRecord, SalesforceRecord } from '../plan/plan-batch';
import type { ResolvedRecordMapping } from '../schema/validate-mapping';
import { count, type RunContext } from './context';
import { toHubSpotRecord, toSalesforceRecord } from './record-io';

const changedSince = (read: string | undefined, now: string) =>
    read !== undefined && Date.parse(now) > Date.parse(read);

/**
 * Whether an update writes, on each side, a field whose rule lets that side's own edits win: only those can
 * lose an edit to the race. The rest (one-way fields, lifecycle mirrors, status fields) is overwritten by
 * design. Such an update is written by the window that checked it, never held for a later one.
 */
export function racesUserEdits(
    resolved: ResolvedRecordMapping,
    plan: { toSalesforce: Record<string, unknown>; toHubSpot: Record<string, unknown> }
): { salesforce: boolean; hubspot: boolean } {
    return {
        salesforce: resolved.fields.some(
            (field) => field.rule !== 'always_salesforce' && field.salesforce.name in plan.toSalesforce
        ),
        hubspot: resolved.fields.some((field) => field.rule === 'two_way' && field.hubspot.name in plan.toHubSpot)
    };
}

/** Records a window read from the API itself (not from the run's staging), by side. */
export interface FreshReads {
    salesforce: Set<string>;
    hubspot: Set<string>;
}

/** Removes from `plan.updates` the pairs whose record on a side it writes changed after this run read it. */
export async function deferConcurrentlyEdited(
    context: RunContext,
    resolved: ResolvedRecordMapping,
    plan: BatchPlan,
    read: { salesforce: Map<string, SalesforceRecord>; hubspot: Map<string, HubSpotRecord> },
    fresh: FreshReads
): Promise<void> {
    if (context.dryRun) return;
    // A pair matched just now has no earlier state to protect: its first sync compares whole records.
    const matchedNow = new Set(plan.newLinks.map((link) => link.salesforceId));
    const checked = plan.updates.filter((update) => !matchedNow.has(update.salesforceId));
    const writesSalesforce = checked.filter(
        (update) => !fresh.salesforce.has(update.salesforceId) && racesUserEdits(resolved, update.plan).salesforce
    );
    const writesHubSpot = checked.filter(
        (update) => !fresh.hubspot.has(update.hubspotId) && racesUserEdits(resolved, update.plan).hubspot
    );
    if (writesSalesforce.length + writesHubSpot.length === 0) return;

    const raced = new Set<string>();
    const salesforceIds = writesSalesforce.map((update) => update.salesforceId);
    if (salesforceIds.length > 0) {
        const rows = await context.salesforce.retrieve(resolved.mapping.salesforceObject, salesforceIds, [
            'Id',
            'SystemModstamp',
            'CreatedDate'
        ]);
        for (const row of rows.map(toSalesforceRecord)) {
            if (changedSince(read.salesforce.get(row.id)?.modifiedAt, row.modifiedAt)) raced.add(row.id);
        }
    }
    const objectType = resolved.mapping.hubspotObjectType;
    const hubspotIds = writesHubSpot.map((update) => update.hubspotId);
    if (hubspotIds.length > 0) {
        const objects = await context.hubspot.read(objectType, hubspotIds, [lastModifiedProperty(objectType)]);
        const racedHubSpot = new Set(
            objects
                .map((object) => toHubSpotRecord(object, objectType))
                .filter((record) => changedSince(read.hubspot.get(record.id)?.modifiedAt, record.modifiedAt))
                .map((record) => record.id)
        );
        for (const update of writesHubSpot) if (racedHubSpot.has(update.hubspotId)) raced.add(update.salesforceId);
    }
    if (raced.size === 0) return;
    plan.updates = plan.updates.filter((update) => !raced.has(update.salesforceId));
    count(context, resolved.mapping.id, 'deferred_concurrent_edit', raced.size);
}
