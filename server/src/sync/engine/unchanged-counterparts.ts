/**
 * The HubSpot half of a pair whose Salesforce record changed, without reading it. When the run's change
 * search read every HubSpot record changed since the cursor and this one was not among them, HubSpot still
 * holds what the last sync left there — the pair's snapshots — so the three-way comparison gets its HubSpot
 * side from them, and a Salesforce change costs only its write (the bound the batch sizes allow) instead of a
 * batch read per 100 as well.
 *
 * The stand-in is used only when the snapshots say everything the planner reads of the record: every synced
 * field has one, the lifecycle stage is mirrored on the Salesforce record (the package's read-only field),
 * the deal's pipeline and stage are in the stage snapshot, and no HubSpot scope needs the record's other
 * properties. A stand-in is linked, so only the matching of unlinked records could look at its other
 * properties (its email or domain): the search for their namesakes reads it, and that read replaces it. A pair with an unresolved sync error is read, since its
 * snapshots may be behind what either side holds. So is any pair once the search is older than
 * `unchangedForMs`: the stand-in is as current as the search (less HubSpot's few seconds of indexing lag),
 * and a HubSpot edit to the same field after it loses to the Salesforce change, as one made between a read
 * and a write always could.
 */
import type { HubSpotRecord, SalesforceRecord } from '../plan/plan-batch';
import type { FieldSnapshot } from '../plan/plan-record';
import type { HubSpotValue } from '../values/conversion';
import type { ResolvedRecordMapping } from '../schema/validate-mapping';
import type { RunContext } from './context';

/** How long after the change search a record it did not find stands in for a read. */
export const unchangedForMs = 30_000;

/** The search found every change since the cursor, and recently enough to stand in for a read. */
export function changeSearchStillCurrent(context: Pick<RunContext, 'now'>, everyChangeAt: string | undefined): boolean {
    return everyChangeAt !== undefined && context.now().getTime() - Date.parse(everyChangeAt) <= unchangedForMs;
}

/** Whether the mapping's HubSpot records can stand in from snapshots at all (checked once per mapping). */
export function standsInFromSnapshots(context: Pick<RunContext, 'mapping'>, resolved: ResolvedRecordMapping): boolean {
    const { mapping } = resolved;
    if (mapping.scope.hubspot !== undefined) return false;
    return !mapping.lifecycle || context.mapping.lifecycle.salesforceField !== undefined;
}

/**
 * The HubSpot record `hubspotId` as the last sync left it, for the Salesforce record that syncs with it; or
 * undefined when the snapshots do not say all the planner needs (the record is then read).
 */
export function unchangedCounterpart(
    context: Pick<RunContext, 'mapping'>,
    resolved: ResolvedRecordMapping,
    salesforce: SalesforceRecord,
    hubspotId: string,
    snapshots: Record<string, FieldSnapshot> | undefined
): HubSpotRecord | undefined {
    if (!snapshots) return undefined;
    const values: Record<string, HubSpotValue | undefined> = {};
    for (const field of resolved.fields) {
        if (field.rule === 'dont_sync') continue;
        const snapshot = snapshots[field.salesforce.name];
        if (!snapshot) return undefined;
        values[field.hubspot.name] = snapshot.hubspotValue;
    }
    const stages = resolved.mapping.dealStages;
    if (stages) {
        const composite = snapshots[stages.salesforceStageField]?.hubspotValue;
        const slash = typeof composite === 'string' ? composite.indexOf('/') : -1;
        if (typeof composite !== 'string' || slash <= 0) return undefined;
        values[stages.pipelineProperty] = composite.slice(0, slash);
        values[stages.stageProperty] = composite.slice(slash + 1);
    }
    if (resolved.mapping.lifecycle) {
        const { property, salesforceField } = context.mapping.lifecycle;
        const mirrored = salesforceField ? salesforce.values[salesforceField] : undefined;
        if (mirrored === undefined || (mirrored !== null && typeof mirrored !== 'string')) return undefined;
        values[property] = mirrored;
    }
    // Nothing of it changed since the last sync, so no time of HubSpot's takes part in any decision.
    return { id: hubspotId, values, modifiedAt: new Date(0).toISOString() };
}
