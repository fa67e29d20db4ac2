/**
 * Step 1 of a record group (record-group.ts): the changes of both sides, read page by page into the run's
 * staging, the two sides at the same time. The HubSpot half (search pages come 5 a second at most) reads
 * nothing another group writes, so the engine reads a group's HubSpot changes while the group before it is
 * decided (engine.ts).
 */
import type { CursorPosition } from '../changes/cursor';
import { lastModifiedProperty } from '../changes/hubspot-search';
import type { ResolvedRecordMapping } from '../schema/validate-mapping';
import { count, type RunContext } from './context';
import { hubspotListJoins } from './hubspot-scope';
import {
    hubspotPropertiesToRead,
    hubspotStagingKeys,
    mergedAwayIds,
    readHubSpotChangePages,
    readSalesforceChangePages,
    salesforceStagingKeys,
    stagedStreams,
    toHubSpotRecord
} from './record-io';
import { together } from './together';

export const hubspotCursorStream = (objectType: string) => `hubspot:${objectType}`;

/** A group's changes on both sides, staged (see `readGroupChanges`). */
export interface GroupChanges extends HubSpotGroupChanges {
    salesforceCursors: Map<string, CursorPosition>;
    /** Mappings whose every record was just read: their namesakes and counterparts come from the staging. */
    salesforceComplete: Set<string>;
    salesforceDeleted: Map<ResolvedRecordMapping, string[]>;
}

export interface HubSpotGroupChanges {
    hubspotRead: Awaited<ReturnType<typeof readHubSpotChangePages>>;
    lists: Awaited<ReturnType<typeof hubspotListJoins>>;
    /** The IDs the changed records absorbed in merges: those records are gone, their pairs end. */
    mergedAway: Set<string>;
}

/**
 * The HubSpot half of step 1: changes searched page by page (5 pages a second at most), and the records that
 * joined a scope list. It depends on nothing another group writes, so the engine reads a group's HubSpot
 * changes while the group before it is decided (engine.ts); its pages are small, unlike Bulk API pages.
 */
export async function readHubSpotGroupChanges(
    context: RunContext,
    objectType: string,
    group: ResolvedRecordMapping[]
): Promise<HubSpotGroupChanges> {
    const { staging } = context;
    const properties = hubspotPropertiesToRead(context, group);
    const hubspotStaged = stagedStreams.hubspot(objectType);
    const mergedAway = new Set<string>();
    const hubspotRead = await readHubSpotChangePages(
        context,
        objectType,
        properties,
        hubspotCursorStream(objectType),
        (records) => {
            staging.put(
                hubspotStaged,
                records.map((record) => ({ id: record.id, keys: hubspotStagingKeys(group, record), record }))
            );
            for (const record of records) for (const id of mergedAwayIds(record)) mergedAway.add(id);
        }
    );
    // Records that joined a scope list are changes too, although the join did not touch them.
    const lists = await hubspotListJoins(context, group);
    count(context, objectType, 'joined_list_hubspot', lists.joined.length);
    const unread = lists.joined.filter((id) => staging.byIds(hubspotStaged, [id]).length === 0);
    if (unread.length > 0) {
        const objects = await context.hubspot.read(objectType, unread, [
            ...properties,
            lastModifiedProperty(objectType)
        ]);
        staging.put(
            hubspotStaged,
            objects.map((object) => {
                const record = toHubSpotRecord(object, objectType);
                return { id: record.id, keys: hubspotStagingKeys(group, record), record };
            })
        );
    }
    count(context, objectType, 'read_hubspot', staging.count(hubspotStaged));
    return { hubspotRead, lists, mergedAway };
}

/** 1. Changes on both sides, staged page by page; the two sides are read at the same time. */
export async function readGroupChanges(
    context: RunContext,
    objectType: string,
    group: ResolvedRecordMapping[],
    /** The HubSpot half, when the engine started it ahead. */
    hubspot: Promise<HubSpotGroupChanges> = readHubSpotGroupChanges(context, objectType, group)
): Promise<GroupChanges> {
    const { staging } = context;
    const salesforceCursors = new Map<string, CursorPosition>();
    const salesforceComplete = new Set<string>();
    const salesforceDeleted = new Map<ResolvedRecordMapping, string[]>();
    const readSalesforce = async () => {
        for (const resolved of group) {
            const stream = stagedStreams.salesforce(resolved.mapping.id);
            const deleted: string[] = [];
            const read = await readSalesforceChangePages(context, resolved, resolved.mapping.id, (records, gone) => {
                staging.put(
                    stream,
                    records.map((record) => ({ id: record.id, keys: salesforceStagingKeys(resolved, record), record }))
                );
                deleted.push(...gone);
            });
            if (read.complete) salesforceComplete.add(resolved.mapping.id);
            if (deleted.length > 0) salesforceDeleted.set(resolved, deleted);
            if (read.cursor) salesforceCursors.set(resolved.mapping.id, read.cursor);
            count(context, resolved.mapping.id, 'read_salesforce', staging.count(stream));
        }
    };
    const [, hubspotChanges] = await together([readSalesforce(), hubspot]);
    return { salesforceCursors, salesforceComplete, salesforceDeleted, ...hubspotChanges };
}
