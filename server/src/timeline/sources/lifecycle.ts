/**
 * Lifecycle stages in pipeline order with when each was first reached, and one timeline item per stage
 * change. Deals use the stages of their pipeline (their `dealstage` history) in the same shape.
 */
import type { TimelineEvent, TimelineObjectType } from '../../contract/timeline';
import type { SectionPayloads, TimelineSource } from '../source';
import type { HubSpotSourceContext } from './context';
import { crmObjects, isoOf } from './crm-objects';
import { type Owners, type StageOption, stagesOf } from './portal-metadata';
import type { StageChange } from './record-loader';
import { withSectionErrors } from './section-errors';

/** Stages in order; a current value the catalogue does not list (e.g. a hidden stage) is appended. */
export function buildLifecycle(
    stages: readonly StageOption[],
    currentStageId: string | null,
    history: readonly StageChange[]
): SectionPayloads['lifecycle'] {
    const firstReached = new Map<string, number>();
    for (const change of history) {
        if (change.value && !firstReached.has(change.value)) firstReached.set(change.value, change.at);
    }
    const listed = [...stages];
    if (currentStageId && !listed.some((stage) => stage.stageId === currentStageId)) {
        listed.push({ stageId: currentStageId, label: currentStageId });
    }
    return {
        currentStageId,
        stages: listed.map((stage) => {
            const reached = firstReached.get(stage.stageId);
            return {
                stageId: stage.stageId,
                label: stage.label,
                reachedAt: reached === undefined ? null : isoOf(reached),
                isCurrent: stage.stageId === currentStageId
            };
        })
    };
}

/** One LIFECYCLE_STAGE_CHANGE per move to a new value (clearing the stage is not an item of its own). */
export function stageChangeEvents(
    objectType: TimelineObjectType,
    stages: readonly StageOption[],
    history: readonly StageChange[],
    owners: Owners | null
): TimelineEvent[] {
    const noun = objectType === 'deal' ? 'Deal stage' : 'Lifecycle stage';
    const labelOf = (stageId: string) => stages.find((stage) => stage.stageId === stageId)?.label ?? stageId;
    const events: TimelineEvent[] = [];
    let previous = '';
    for (const change of history) {
        if (change.value && change.value !== previous) {
            events.push({
                eventId: `LIFECYCLE_STAGE_CHANGE:${change.value}:${change.at}`,
                eventType: 'LIFECYCLE_STAGE_CHANGE',
                occurredAt: isoOf(change.at),
                title: `${noun} ${events.length === 0 ? 'set to' : 'changed to'} ${labelOf(change.value)}`,
                body: null,
                url: null,
                actor: (change.userId && owners?.byUserId.get(change.userId)?.name) || null,
                direction: null
            });
        }
        previous = change.value;
    }
    return events;
}

export function hubspotLifecycleSource(context: HubSpotSourceContext): TimelineSource<'lifecycle'> {
    return {
        section: 'lifecycle',
        fetch: (request) =>
            withSectionErrors('lifecycle stages', async () => {
                const { signal, objectType } = request;
                const [record, catalogue, owners] = await Promise.all([
                    context.records.require(request, signal),
                    context.metadata.stageCatalogue(objectType, signal),
                    context.metadata.owners(signal).catch(() => null)
                ]);
                const stages = stagesOf(objectType, catalogue, record.properties);
                const current = record.properties[crmObjects[objectType].stageProperty] || null;
                return {
                    data: buildLifecycle(stages, current, record.stageHistory),
                    events: stageChangeEvents(objectType, stages, record.stageHistory, owners)
                };
            })
    };
}
