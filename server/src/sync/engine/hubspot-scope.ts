/**
 * HubSpot-side inclusion scopes for one record group. List scopes read the list's members once per run
 * (one call per 250 members); property filters are evaluated on the records already read, at no call.
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
    const members = new Map<string, Set<string>>();
    for (const { mapping } of scoped) {
        const scope = mapping.scope.hubspot!;
        if ('listId' in scope && !members.has(scope.listId)) {
            members.set(scope.listId, await context.hubspot.listMembers(scope.listId));
        }
    }
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
