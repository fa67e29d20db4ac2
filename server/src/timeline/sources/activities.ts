/**
 * Sales activities logged on the record: emails, calls, meetings, notes and tasks. One associations-v4
 * read per engagement type (in parallel), then batch reads of at most 100 engagements with only the
 * properties the timeline shows.
 */
import type { TimelineEvent } from '../../contract/timeline';
import type { TimelineSource } from '../source';
import type { HubSpotSourceContext } from './context';
import { type EngagementType, crmObjects, engagementTypes, instantOf, isoOf } from './crm-objects';
import { callHubSpot } from './hubspot-call';
import { timelineBody } from './plain-text';
import type { Owners } from './portal-metadata';
import { withSectionErrors } from './section-errors';

const BATCH_READ_LIMIT = 100;
const ASSOCIATION_PAGE = 500;

export const engagementProperties: Record<EngagementType, string[]> = {
    emails: [
        'hs_timestamp',
        'hs_email_subject',
        'hs_email_text',
        'hs_email_html',
        'hs_email_direction',
        'hubspot_owner_id'
    ],
    calls: [
        'hs_timestamp',
        'hs_call_title',
        'hs_call_body',
        'hs_call_direction',
        'hs_call_duration',
        'hubspot_owner_id'
    ],
    meetings: ['hs_timestamp', 'hs_meeting_title', 'hs_meeting_body', 'hs_meeting_start_time', 'hubspot_owner_id'],
    notes: ['hs_timestamp', 'hs_note_body', 'hubspot_owner_id'],
    tasks: ['hs_timestamp', 'hs_task_subject', 'hs_task_body', 'hubspot_owner_id']
};

export interface Engagement {
    id: string;
    properties: Record<string, string | null | undefined>;
    createdAt?: Date;
}

function text(value: string | null | undefined): string | null {
    const trimmed = value?.trim();
    return trimmed ? trimmed : null;
}

function callTitle(properties: Engagement['properties']): string {
    const title = text(properties.hs_call_title);
    if (title) return title;
    const direction = properties.hs_call_direction === 'INBOUND' ? 'Inbound' : 'Outbound';
    const durationMs = Number(properties.hs_call_duration);
    const minutes =
        Number.isFinite(durationMs) && durationMs > 0 ? ` (${Math.max(1, Math.round(durationMs / 60_000))} min)` : '';
    return `${direction} call${minutes}`;
}

/** One timeline item for an engagement; null when it has no usable timestamp. */
export function engagementEvent(
    type: EngagementType,
    engagement: Engagement,
    owners: Owners | null
): TimelineEvent | null {
    const p = engagement.properties;
    const at =
        (type === 'meetings' ? instantOf(p.hs_meeting_start_time) : null) ??
        instantOf(p.hs_timestamp) ??
        instantOf(engagement.createdAt ?? null);
    if (at === null) return null;
    const ownerId = p.hubspot_owner_id;
    const base = {
        occurredAt: isoOf(at),
        url: null,
        actor: (ownerId && owners?.byId.get(ownerId)?.name) || null
    };
    switch (type) {
        case 'emails':
            return {
                ...base,
                eventId: `SALES_EMAIL:${engagement.id}`,
                eventType: 'SALES_EMAIL',
                title: text(p.hs_email_subject) ?? 'Email',
                body: timelineBody(p.hs_email_text) ?? timelineBody(p.hs_email_html),
                direction: p.hs_email_direction === 'INCOMING_EMAIL' ? 'INBOUND' : 'OUTBOUND'
            };
        case 'calls':
            return {
                ...base,
                eventId: `CALL:${engagement.id}`,
                eventType: 'CALL',
                title: callTitle(p),
                body: timelineBody(p.hs_call_body),
                direction:
                    p.hs_call_direction === 'INBOUND'
                        ? 'INBOUND'
                        : p.hs_call_direction === 'OUTBOUND'
                          ? 'OUTBOUND'
                          : null
            };
        case 'meetings':
            return {
                ...base,
                eventId: `MEETING:${engagement.id}`,
                eventType: 'MEETING',
                title: text(p.hs_meeting_title) ?? 'Meeting',
                body: timelineBody(p.hs_meeting_body),
                direction: null
            };
        case 'notes':
            return {
                ...base,
                eventId: `NOTE:${engagement.id}`,
                eventType: 'NOTE',
                title: 'Note',
                body: timelineBody(p.hs_note_body),
                direction: null
            };
        case 'tasks':
            return {
                ...base,
                eventId: `TASK:${engagement.id}`,
                eventType: 'TASK',
                title: text(p.hs_task_subject) ?? 'Task',
                body: timelineBody(p.hs_task_body),
                direction: null
            };
    }
}

/** The newest `max` ids (HubSpot ids grow with creation), split into batch-read chunks. */
export function newestInChunks(ids: readonly string[], max: number, chunkSize = BATCH_READ_LIMIT): string[][] {
    const newest = [...new Set(ids)].sort((a, b) => Number(b) - Number(a)).slice(0, max);
    const chunks: string[][] = [];
    for (let i = 0; i < newest.length; i += chunkSize) chunks.push(newest.slice(i, i + chunkSize));
    return chunks;
}

export function hubspotActivitiesSource(context: HubSpotSourceContext): TimelineSource<'activities'> {
    const { client, limits } = context;

    const associatedIds = async (
        signal: AbortSignal,
        fromType: string,
        id: string,
        type: EngagementType
    ): Promise<string[]> => {
        const ids: string[] = [];
        let after: string | undefined;
        // Every page: the order of associations says nothing about recency, so the newest are picked after.
        do {
            const page = await callHubSpot(signal, `read ${fromType} ${id} ${type} associations`, () =>
                client.crm.associations.v4.basicApi.getPage(fromType, id, type, after, ASSOCIATION_PAGE)
            );
            ids.push(...page.results.map((result) => String(result.toObjectId)));
            after = page.paging?.next?.after;
        } while (after);
        return ids;
    };

    const readEngagements = async (signal: AbortSignal, type: EngagementType, ids: string[]) => {
        const response = await callHubSpot(signal, `batch read ${type}`, () =>
            client.crm.objects.batchApi.read(type, {
                inputs: ids.map((id) => ({ id })),
                properties: engagementProperties[type],
                propertiesWithHistory: []
            })
        );
        // A 207 lists engagements deleted since the association read as errors: they are simply gone.
        return response.results.map((result) => ({ type, engagement: result as Engagement }));
    };

    return {
        section: 'activities',
        fetch: (request) =>
            withSectionErrors('activity history', async () => {
                const { signal, hubspotId } = request;
                const fromType = crmObjects[request.objectType].crmType;
                const owners = context.metadata.owners(signal).catch(() => null);
                const idsByType = await Promise.all(
                    engagementTypes.map(async (type) => ({
                        type,
                        ids: await associatedIds(signal, fromType, hubspotId, type)
                    }))
                );
                const reads = idsByType.flatMap(({ type, ids }) =>
                    newestInChunks(ids, limits.maxEngagementsPerType).map((chunk) =>
                        readEngagements(signal, type, chunk)
                    )
                );
                const [read, ownerDirectory] = await Promise.all([Promise.all(reads), owners]);
                const events = read
                    .flat()
                    .map(({ type, engagement }) => engagementEvent(type, engagement, ownerDirectory))
                    .filter((event): event is TimelineEvent => event !== null);
                return { data: null, events };
            })
    };
}
