/**
 * A `two_way` field both sides hold different values for is decided by when each side set it. Salesforce
 * times a record (SystemModstamp); HubSpot times each property, but only in its property history, which
 * search does not return. So a window reads the history again (one batch read per 100 records, the
 * `two_way` properties only) for the HubSpot records whose planning needs it:
 *
 * - linked pairs both of whose sides changed since the snapshot (a conflict is possible), and
 * - pairs about to be linked (an ID field or the natural key pairs two records that both exist already)
 *   whose first sync has a field both sides hold a different value for. Without the history the side
 *   modified last would win every such field, an older edit on it beating a newer one on the other side;
 *   with it, each field is timed on its own and a Salesforce value HubSpot held earlier is the base of a
 *   three-way comparison (see `planRecord`).
 *
 * Records the engine creates need none: the other side has nothing yet.
 */
import { naturalKeyOf } from '../identity/match';
import type { HubSpotRecord, SalesforceRecord } from '../plan/plan-batch';
import { planRecord } from '../plan/plan-record';
import type { ResolvedRecordMapping } from '../schema/validate-mapping';
import type { FreshHubSpotReads } from './concurrent-edits';
import { count, type RunContext } from './context';
import { bothSidesChanged } from './echo';
import { toHubSpotRecord } from './record-io';
import type { WindowSnapshots } from './snapshots';

const asText = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/**
 * Created and last modified by the integration user: the values are what the engine copied there, and the
 * record's SystemModstamp (the engine's write) says nothing about when they were current.
 */
export function writtenByIntegrationOnly(context: RunContext, record: SalesforceRecord): boolean {
    const integrationUser = context.salesforce.userId;
    return (
        integrationUser !== undefined &&
        record.values.CreatedById === integrationUser &&
        record.values.LastModifiedById === integrationUser
    );
}

export interface WindowRecords {
    /** By mapping id: the window's Salesforce records (changes, counterparts and namesakes). */
    salesforce: Map<string, Map<string, SalesforceRecord>>;
    /** Salesforce ID → the HubSpot ID of its live link. */
    salesforceLinks: Map<string, string>;
    /** The window's HubSpot records by ID; those read again with history are replaced in place. */
    hubspot: Map<string, HubSpotRecord>;
    /** The HubSpot properties the group reads. */
    properties: string[];
    /** The window's snapshots (read once per window). */
    snapshots: WindowSnapshots;
    /** HubSpot records the window read from the API itself: those read here join them. */
    fresh: FreshHubSpotReads;
}

/** Reads the property history of the HubSpot records that need it and puts them in `window.hubspot`. */
export async function readPropertyHistoryWhereTimed(
    context: RunContext,
    objectType: string,
    group: ResolvedRecordMapping[],
    window: WindowRecords
): Promise<void> {
    const { bothChanged, firstSync } = recordsToTime(context, objectType, group, window);
    const ids = new Set([...bothChanged, ...firstSync]);
    if (ids.size === 0) return;
    const history = group.flatMap((resolved) =>
        resolved.fields.filter((field) => field.rule === 'two_way').map((field) => field.hubspot.name)
    );
    const objects = await context.hubspot.read(objectType, [...ids], window.properties, {
        history: [...new Set(history)]
    });
    for (const object of objects) {
        window.hubspot.set(object.id, toHubSpotRecord(object, objectType));
        window.fresh.add(object.id);
    }
    count(context, objectType, 'first_sync_history', firstSync.size);
}

function recordsToTime(
    context: RunContext,
    objectType: string,
    group: ResolvedRecordMapping[],
    window: WindowRecords
): { bothChanged: Set<string>; firstSync: Set<string> } {
    const bothChanged = new Set<string>();
    const firstSync = new Set<string>();
    // Already read with history (this window's earlier read): nothing more to learn.
    const untimed = [...window.hubspot.values()].filter((record) => record.propertyChangedAt === undefined);
    const linked = context.store.linksByHubSpotIds(
        objectType,
        untimed.map((record) => record.id)
    );
    const unlinked = untimed.filter((record) => !linked.has(record.id));
    const unlinkedById = new Map(unlinked.map((record) => [record.id, record]));

    for (const resolved of group) {
        const { identity, salesforceObject, id } = resolved.mapping;
        const records = [...window.salesforce.get(id)!.values()];
        const snapshots = window.snapshots.of(
            salesforceObject,
            records.map((record) => record.id)
        );
        const byKey = new Map<string, HubSpotRecord[]>();
        const byClaimedId = new Map<string, HubSpotRecord[]>();
        const add = (index: Map<string, HubSpotRecord[]>, key: string | undefined, record: HubSpotRecord) => {
            if (key !== undefined) index.set(key, [...(index.get(key) ?? []), record]);
        };
        for (const record of unlinked) {
            add(
                byKey,
                naturalKeyOf(
                    identity.match,
                    identity.hubspotMatchProperty && record.values[identity.hubspotMatchProperty]
                ),
                record
            );
            add(
                byClaimedId,
                asText(identity.salesforceIdProperty && record.values[identity.salesforceIdProperty]),
                record
            );
        }
        const timedFields = resolved.fields.filter((field) => field.rule === 'two_way');

        for (const record of records) {
            const linkedTo = window.salesforceLinks.get(record.id);
            if (linkedTo !== undefined) {
                const hubspot = window.hubspot.get(linkedTo);
                if (hubspot && bothSidesChanged(resolved, record.values, hubspot.values, snapshots.get(record.id))) {
                    bothChanged.add(hubspot.id);
                }
                continue;
            }
            // Values the engine copied into Salesforce lose to HubSpot's whenever they differ: no time to compare.
            if (writtenByIntegrationOnly(context, record)) continue;
            const ownHubSpotId = asText(identity.hubspotIdField && record.values[identity.hubspotIdField]);
            const candidates = new Set([
                ...(byClaimedId.get(record.id) ?? []),
                ...(ownHubSpotId === undefined ? [] : [unlinkedById.get(ownHubSpotId)]),
                ...(byKey.get(
                    naturalKeyOf(
                        identity.match,
                        identity.salesforceMatchField && record.values[identity.salesforceMatchField]
                    ) ?? ''
                ) ?? [])
            ]);
            for (const hubspot of candidates) {
                if (hubspot === undefined || firstSync.has(hubspot.id)) continue;
                // The first sync's plan says whether any field is decided by time (it then records a conflict).
                const plan = planRecord(
                    timedFields,
                    { salesforce: record, hubspot, snapshots: {} },
                    { owners: context.owners }
                );
                if (plan.conflicts.length > 0) firstSync.add(hubspot.id);
            }
        }
    }
    return { bothChanged, firstSync };
}
