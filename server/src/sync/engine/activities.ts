/**
 * Activities: Salesforce Tasks/Events ⇄ HubSpot engagements (calls, emails, meetings, tasks, notes).
 * Each activity mapping runs Salesforce → HubSpot first (activity-to-hubspot.ts), then HubSpot →
 * Salesforce for the engagement types it copies back (activity-to-salesforce.ts). Both read their
 * changes page by page and hold one page plus one batch per write kind in memory; both are idempotent
 * through the link table and the package's engagement ID field, and plan linked pairs with the record
 * planner against the last synced snapshot.
 */
import { flowsToHubSpot } from './activity-fields';
import { syncActivitiesToHubSpot } from './activity-to-hubspot';
import { syncEngagementsToSalesforce } from './activity-to-salesforce';
import type { RunContext } from './context';

export async function syncActivities(
    context: RunContext,
    selected: (id: string, object: string) => boolean
): Promise<void> {
    for (const resolved of context.validation.activities.values()) {
        if (!selected(resolved.activity.id, resolved.activity.salesforceObject)) continue;
        if (flowsToHubSpot(resolved)) await syncActivitiesToHubSpot(context, resolved);
        if (resolved.activity.direction !== 'salesforce_to_hubspot')
            await syncEngagementsToSalesforce(context, resolved);
    }
}
