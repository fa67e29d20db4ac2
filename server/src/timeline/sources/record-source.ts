/** The response header: display name, stage, score, owner and the link to the record in HubSpot. */
import type { TimelineRecordSource } from '../source';
import type { HubSpotSourceContext } from './context';
import { crmObjects, displayNameOf, numberOrNull, recordUrl } from './crm-objects';
import { stagesOf } from './portal-metadata';
import { withSectionErrors } from './section-errors';

export function hubspotRecordSource(
    context: HubSpotSourceContext,
    portal: { portalId: number; appBaseUrl: string }
): TimelineRecordSource {
    return {
        fetch: (request) =>
            withSectionErrors('this record', async () => {
                const { signal, objectType } = request;
                const info = crmObjects[objectType];
                // Labels and owner names only decorate the header: without them it is still worth showing.
                const [record, catalogue, owners] = await Promise.all([
                    context.records.load(request, signal),
                    context.metadata.stageCatalogue(objectType, signal).catch(() => null),
                    context.metadata.owners(signal).catch(() => null)
                ]);
                if (!record) return null;
                const stageId = record.properties[info.stageProperty] || null;
                const stage = catalogue
                    ? stagesOf(objectType, catalogue, record.properties).find((s) => s.stageId === stageId)
                    : undefined;
                const ownerId = record.properties.hubspot_owner_id;
                return {
                    hubspotUrl: recordUrl(portal.appBaseUrl, portal.portalId, objectType, record.id),
                    summary: {
                        displayName: displayNameOf(objectType, record.properties),
                        lifecycleStageId: stageId,
                        lifecycleStageLabel: stage?.label ?? null,
                        score: info.scoreProperty ? numberOrNull(record.properties[info.scoreProperty]) : null,
                        ownerName: (ownerId && owners?.byId.get(ownerId)?.name) || null
                    }
                };
            })
    };
}
