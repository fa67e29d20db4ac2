/**
 * HubSpot-side inclusion scopes for one record group. List scopes read the list's members once per run
 * (one call per 250 members, kept for the run's later windows); property filters are evaluated on the
 * records already read, at no call.
 * A linked record is judged by its pair's mapping; an unlinked one is in scope when any mapping of the
 * group takes it (Leads and Contacts share HubSpot contacts).
 */
import { describeHubSpotScope, inHubSpotScope } from '../mapping/hubspot-scope';
import type { HubSpotRecord } from '../plan/plan-batch';
import type { ResolvedRecordMapping } from '../schema/validate-mapping';
import type { RunContext } from './context';

/** HubSpot ID → why the record is out of scope; records in scope are absent. */
export async function hubspotOutOfScope(
    context: RunContext,
    group: ResolvedRecordMapping[],
    records: HubSpotRecord[],
    linkedObjectOf: (hubspotId: string) => string | undefined
): Promise<Map<string, string>> {
    const outside = new Map<string, string>();
    const scoped = group.filter((resolved) => resolved.mapping.scope.hubspot !== undefined);
    if (scoped.length === 0 || records.length === 0) return outside;
    const members = new Map<string, Map<string, string>>();
    for (const listId of scopeLists(scoped)) members.set(listId, await listMembers(context, listId));
    const takes = (resolved: ResolvedRecordMapping, record: HubSpotRecord) => {
        const scope = resolved.mapping.scope.hubspot;
        return inHubSpotScope(
            scope,
            record,
            (property) => resolved.hubspotProperties.get(property)?.type,
            scope && 'listId' in scope ? members.get(scope.listId) : undefined
        );
    };
    for (const record of records) {
        const linkedObject = linkedObjectOf(record.id);
        const judges = linkedObject
            ? group.filter((resolved) => resolved.mapping.salesforceObject === linkedObject)
            : group;
        if (judges.length === 0 || judges.some((resolved) => takes(resolved, record))) continue;
        const scopes = judges.flatMap((resolved) =>
            resolved.mapping.scope.hubspot ? [describeHubSpotScope(resolved.mapping.scope.hubspot)] : []
        );
        outside.set(record.id, `HubSpot record ${record.id} is outside ${[...new Set(scopes)].join(' and ')}`);
    }
    return outside;
}

function scopeLists(group: ResolvedRecordMapping[]): string[] {
    return [
        ...new Set(
            group.flatMap(({ mapping }) =>
                mapping.scope.hubspot && 'listId' in mapping.scope.hubspot ? [mapping.scope.hubspot.listId] : []
            )
        )
    ];
}

async function listMembers(context: RunContext, listId: string): Promise<Map<string, string>> {
    let members = context.hubspotListMembers.get(listId);
    if (!members) {
        members = await context.hubspot.listMembers(listId);
        context.hubspotListMembers.set(listId, members);
    }
    return members;
}

export const listJoinStream = (listId: string) => `hubspot-list:${listId}`;

/**
 * Records that joined a scope list since the last run that read it: joining a list does not touch the
 * record, so no change read would bring it. Read once per list per run; `positions` are the join times to
 * save as the lists' cursors once the group's work is written (the first read only sets them: it reads
 * every record anyway).
 */
export async function hubspotListJoins(
    context: RunContext,
    group: ResolvedRecordMapping[]
): Promise<{ joined: string[]; positions: Map<string, string> }> {
    const joined = new Set<string>();
    const positions = new Map<string, string>();
    if (context.request.ids) return { joined: [], positions };
    for (const listId of scopeLists(group)) {
        const members = await listMembers(context, listId);
        const since = context.store.getCursor(listJoinStream(listId), 'hubspot')?.modifiedAt;
        let latest = since ?? new Date(0).toISOString();
        for (const [recordId, joinedAt] of members) {
            if (since !== undefined && joinedAt > since) joined.add(recordId);
            if (joinedAt > latest) latest = joinedAt;
        }
        positions.set(listId, latest);
    }
    return { joined: [...joined], positions };
}
