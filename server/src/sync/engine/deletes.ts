/**
 * Deletes that no change read brings: HubSpot search never returns archived records. The archived list
 * (`GET /crm/v3/objects/{type}?archived=true`, one call per 100 archived records; HubSpot purges them after
 * 90 days, which bounds the list) is matched against the live links on a full run and whenever the last
 * scan is older than `archivedScanMinutes`, once any record of the type is linked; in between, HubSpot's
 * deletion webhooks bring the IDs through the fast path, and a run limited to IDs reads those archived
 * records by ID. A propagated delete that failed is tried again: its open error carries a pending-delete
 * marker as field.
 */
import type { ResolvedRecordMapping } from '../schema/validate-mapping';
import type { RunContext } from './context';
import type { GroupWrites } from './writes';

/** The `field` of the open error that keeps a failed propagated delete pending, by the side still to delete. */
export const pendingDeleteField = { hubspot: '@delete:hubspot', salesforce: '@delete:salesforce' } as const;

/**
 * Applies the delete policy to every live pair whose HubSpot record is archived, and queues again the
 * HubSpot archives that failed in an earlier run. Returns the Salesforce IDs whose pair is settled, so the
 * rest of the run leaves them alone.
 */
export async function collectDeletes(
    context: RunContext,
    objectType: string,
    group: ResolvedRecordMapping[],
    writes: GroupWrites,
    alreadyDeleted: ReadonlySet<string>
): Promise<Set<string>> {
    const settled = new Set<string>();
    const { store } = context;
    const archivedIds = await archivedHubSpotIds(context, objectType);
    // A run limited to some IDs touches those records only.
    if (context.request.ids) {
        for (const [hubspotId, link] of store.linksByHubSpotIds(objectType, archivedIds)) {
            const resolved = group.find((candidate) => candidate.mapping.salesforceObject === link.salesforceObject);
            if (!resolved || link.tombstonedAt !== null || alreadyDeleted.has(link.salesforceId)) continue;
            writes.hubspotDeleted(resolved, link.salesforceId, hubspotId);
            settled.add(link.salesforceId);
        }
        return settled;
    }
    const pendingArchives = new Map(
        group.map((resolved) => [
            resolved,
            resolved.mapping.delete === 'propagate'
                ? store
                      .listErrors({ resolved: false, mappingId: resolved.mapping.id })
                      .filter(
                          (error) => error.field === pendingDeleteField.hubspot && error.salesforceId && error.hubspotId
                      )
                : []
        ])
    );
    const awaitingArchive = new Set([...pendingArchives.values()].flat().map((error) => error.salesforceId!));
    for (const [hubspotId, link] of store.linksByHubSpotIds(objectType, archivedIds)) {
        if (link.tombstonedAt !== null || alreadyDeleted.has(link.salesforceId)) continue;
        const resolved = group.find((candidate) => candidate.mapping.salesforceObject === link.salesforceObject);
        if (!resolved) continue;
        // Both records are gone (a Salesforce delete whose archive failed, then archived by hand): the pair ends.
        if (awaitingArchive.has(link.salesforceId)) writes.pairGone(resolved, link.salesforceId);
        else writes.hubspotDeleted(resolved, link.salesforceId, hubspotId);
        settled.add(link.salesforceId);
    }
    for (const [resolved, pending] of pendingArchives) {
        const links = store.linksBySalesforceIds(
            resolved.mapping.salesforceObject,
            pending.map((error) => error.salesforceId!)
        );
        for (const error of pending) {
            const salesforceId = error.salesforceId!;
            const link = links.get(salesforceId);
            if (!link || link.hubspotId !== error.hubspotId || alreadyDeleted.has(salesforceId)) continue;
            if (settled.has(salesforceId)) continue;
            writes.salesforceDeleted(resolved, salesforceId, link.hubspotId);
            settled.add(salesforceId);
        }
    }
    return settled;
}

const archivedScanStream = (objectType: string) => `hubspot:${objectType}:archived`;

/**
 * The archived HubSpot records this run must judge: those of the run's IDs that are linked (read by ID
 * with `archived=true`), else the archived list when a scan is due, else none.
 */
async function archivedHubSpotIds(context: RunContext, objectType: string): Promise<string[]> {
    const { store, request } = context;
    if (request.ids) {
        const linked = [
            ...store
                .linksByHubSpotIds(
                    objectType,
                    request.ids.filter((id) => /^\d+$/.test(id))
                )
                .keys()
        ];
        if (linked.length === 0) return [];
        const objects = await context.hubspot.read(objectType, linked, [], { archived: true });
        return objects.filter((object) => object.archived === true).map((object) => object.id);
    }
    const stream = archivedScanStream(objectType);
    const last = store.getCursor(stream, 'hubspot');
    const startedAt = context.now();
    const due =
        request.mode === 'full' ||
        !last ||
        startedAt.getTime() - Date.parse(last.modifiedAt) >= context.archivedScanMinutes * 60_000;
    if (!due) return [];
    // An archived record matters only through a live link: with none (a first load), the scan is skipped.
    const ids = store.hasLiveLinks(objectType) ? await context.hubspot.listArchived(objectType) : [];
    if (!context.dryRun) {
        store.saveCursor({
            stream,
            side: 'hubspot',
            modifiedAt: startedAt.toISOString(),
            recordId: '',
            lookbackSeconds: 0
        });
    }
    return ids;
}
