/**
 * Automation around a contact: current workflow enrollments (workflows v2) and the active sequence
 * enrollment (sequences v4, Beta), plus the record owner's meeting link (scheduler v3, Beta).
 */
import { z } from 'zod';
import type { SectionPayloads, TimelineSource } from '../source';
import type { HubSpotSourceContext } from './context';
import { instantOf, isoOf, webUrlOrNull } from './crm-objects';
import { HubSpotCallError, getJson } from './hubspot-call';
import { withSectionErrors } from './section-errors';

const WorkflowEnrollmentRecord = z.object({
    id: z.number(),
    name: z.string(),
    enrolledAt: z.number().optional()
});
export type WorkflowEnrollmentRecord = z.infer<typeof WorkflowEnrollmentRecord>;

/** The v2 API lists current enrollments only, so each is ACTIVE; one without an enrollment time is left out. */
export function toWorkflows(records: readonly WorkflowEnrollmentRecord[]): SectionPayloads['workflows'] {
    return records
        .filter((record) => record.enrolledAt !== undefined && record.name.trim() !== '')
        .sort((a, b) => b.enrolledAt! - a.enrolledAt!)
        .map((record) => ({
            workflowId: String(record.id),
            name: record.name.trim(),
            status: 'ACTIVE' as const,
            enrolledAt: isoOf(record.enrolledAt!),
            endedAt: null
        }));
}

export function hubspotWorkflowsSource(context: HubSpotSourceContext): TimelineSource<'workflows'> {
    return {
        section: 'workflows',
        objectTypes: ['contact'],
        fetch: (request) =>
            withSectionErrors('workflow enrollments', async () => {
                const records = await getJson(context.client, request.signal, {
                    operation: 'read workflow enrollments',
                    path: `/automation/v2/workflows/enrollments/contacts/${request.hubspotId}`,
                    schema: z.array(WorkflowEnrollmentRecord)
                });
                return { data: toWorkflows(records), events: [] };
            })
    };
}

const SequenceEnrollmentRecord = z.object({
    sequenceId: z.string().min(1),
    sequenceName: z.string().nullable().optional(),
    enrolledAt: z.string(),
    currentStep: z.number().int().nullable().optional(),
    totalSteps: z.number().int().nullable().optional()
});
export type SequenceEnrollmentRecord = z.infer<typeof SequenceEnrollmentRecord>;

/** The enrollment HubSpot reports is the contact's active one. */
export function toSequence(record: SequenceEnrollmentRecord): SectionPayloads['sequence'] {
    const enrolledAt = instantOf(record.enrolledAt);
    if (enrolledAt === null) return null;
    const currentStep = Math.max(1, record.currentStep ?? 1);
    return {
        sequenceId: record.sequenceId,
        name: record.sequenceName?.trim() || `Sequence ${record.sequenceId}`,
        status: 'ACTIVE',
        currentStep,
        totalSteps: Math.max(currentStep, record.totalSteps ?? currentStep),
        enrolledAt: isoOf(enrolledAt)
    };
}

export function hubspotSequenceSource(context: HubSpotSourceContext): TimelineSource<'sequence'> {
    return {
        section: 'sequence',
        objectTypes: ['contact'],
        fetch: (request) =>
            withSectionErrors('sequence enrollment', async () => {
                try {
                    const record = await getJson(context.client, request.signal, {
                        operation: 'read sequence enrollment',
                        path: `/automation/v4/sequences/enrollments/contact/${request.hubspotId}`,
                        schema: SequenceEnrollmentRecord
                    });
                    return { data: toSequence(record), events: [] };
                } catch (error) {
                    // HubSpot answers 404 for a contact that is in no sequence.
                    if (error instanceof HubSpotCallError && error.status === 404) return { data: null, events: [] };
                    throw error;
                }
            })
    };
}

const MeetingLinks = z.object({
    results: z.array(z.object({ name: z.string(), link: z.string(), defaultLink: z.boolean().optional() }))
});

/** The record owner's booking page (their default link first); null without an owner or a link. */
export function hubspotMeetingLinkSource(context: HubSpotSourceContext): TimelineSource<'meetingLink'> {
    return {
        section: 'meetingLink',
        fetch: (request) =>
            withSectionErrors('meeting link', async () => {
                const { signal } = request;
                const [record, owners] = await Promise.all([
                    context.records.require(request, signal),
                    context.metadata.owners(signal)
                ]);
                const ownerId = record.properties.hubspot_owner_id;
                const userId = ownerId ? owners.byId.get(ownerId)?.userId : null;
                if (!userId) return { data: null, events: [] };
                const { results } = await getJson(context.client, signal, {
                    operation: 'read meeting links',
                    path: '/scheduler/v3/meetings/meeting-links',
                    qs: { organizerUserId: userId },
                    schema: MeetingLinks
                });
                const usable = results
                    .map((link) => ({ ...link, url: webUrlOrNull(link.link), name: link.name.trim() }))
                    .filter((link) => link.url && link.name);
                const chosen = usable.find((link) => link.defaultLink) ?? usable[0];
                return { data: chosen ? { name: chosen.name, url: chosen.url! } : null, events: [] };
            })
    };
}
