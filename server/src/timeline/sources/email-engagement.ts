/**
 * Marketing email engagement of a contact, from HubSpot's email events (by recipient address): counts per
 * kind and one timeline item per sent, delivered, open, click and bounce event.
 */
import { z } from 'zod';
import type { TimelineEvent, TimelineEventType } from '../../contract/timeline';
import type { SectionPayloads, TimelineSource } from '../source';
import type { HubSpotSourceContext } from './context';
import { displayNameOf, isoOf, webUrlOrNull } from './crm-objects';
import { getJson } from './hubspot-call';
import { withSectionErrors } from './section-errors';

const PAGE_SIZE = 1000;

export const EmailEventRecord = z.object({
    id: z.string().min(1),
    created: z.number(),
    type: z.string(),
    emailCampaignId: z.number().optional(),
    subject: z.string().optional(),
    url: z.string().optional(),
    response: z.string().optional(),
    category: z.string().optional()
});
export type EmailEventRecord = z.infer<typeof EmailEventRecord>;

const EmailEventsPage = z.object({
    hasMore: z.boolean().optional(),
    offset: z.union([z.string(), z.number()]).optional(),
    events: z.array(EmailEventRecord)
});

const kinds: Record<string, { eventType: TimelineEventType; verb: string; byContact: boolean }> = {
    SENT: { eventType: 'MARKETING_EMAIL_SENT', verb: 'Sent', byContact: false },
    DELIVERED: { eventType: 'MARKETING_EMAIL_DELIVERED', verb: 'Delivered', byContact: false },
    OPEN: { eventType: 'MARKETING_EMAIL_OPENED', verb: 'Opened', byContact: true },
    CLICK: { eventType: 'MARKETING_EMAIL_CLICKED', verb: 'Clicked', byContact: true },
    BOUNCE: { eventType: 'MARKETING_EMAIL_BOUNCED', verb: 'Bounced', byContact: false }
};

/**
 * Counts are of distinct emails (campaigns) per kind — "opened 3" means three emails were opened, however
 * often — and the latest open and click. Event kinds the timeline does not show (dropped, deferred, ...)
 * are left out.
 */
export function summarizeEmailEvents(
    records: readonly EmailEventRecord[],
    contactName: string | null
): { data: SectionPayloads['emailEngagement']; events: TimelineEvent[] } {
    const emailsByKind = new Map<string, Set<string>>();
    let lastOpened: number | null = null;
    let lastClicked: number | null = null;
    const events: TimelineEvent[] = [];
    for (const record of records) {
        const kind = kinds[record.type];
        if (!kind) continue;
        const email = record.emailCampaignId === undefined ? `event-${record.id}` : String(record.emailCampaignId);
        emailsByKind.set(record.type, (emailsByKind.get(record.type) ?? new Set()).add(email));
        if (record.type === 'OPEN') lastOpened = Math.max(lastOpened ?? record.created, record.created);
        if (record.type === 'CLICK') lastClicked = Math.max(lastClicked ?? record.created, record.created);
        const link = record.type === 'CLICK' ? webUrlOrNull(record.url) : null;
        const subject = record.subject?.trim();
        events.push({
            eventId: `${kind.eventType}:${record.id}`,
            eventType: kind.eventType,
            occurredAt: isoOf(record.created),
            title: `${kind.verb} ${subject ? `"${subject}"` : 'a marketing email'}`,
            body: link
                ? `Link: ${link}`
                : record.type === 'BOUNCE'
                  ? (record.response ?? record.category ?? null)
                  : null,
            url: null,
            actor: kind.byContact ? contactName : null,
            direction: null
        });
    }
    const count = (type: string) => emailsByKind.get(type)?.size ?? 0;
    return {
        data: {
            sent: count('SENT'),
            delivered: count('DELIVERED'),
            opened: count('OPEN'),
            clicked: count('CLICK'),
            bounced: count('BOUNCE'),
            lastOpenedAt: lastOpened === null ? null : isoOf(lastOpened),
            lastClickedAt: lastClicked === null ? null : isoOf(lastClicked)
        },
        events
    };
}

export function hubspotEmailEngagementSource(context: HubSpotSourceContext): TimelineSource<'emailEngagement'> {
    return {
        section: 'emailEngagement',
        objectTypes: ['contact'],
        fetch: (request) =>
            withSectionErrors('marketing email engagement', async () => {
                const { signal } = request;
                const record = await context.records.require(request, signal);
                const email = record.properties.email?.trim();
                const records: EmailEventRecord[] = [];
                let offset: string | undefined;
                while (email && records.length < context.limits.maxEmailEvents) {
                    const page = await getJson(context.client, signal, {
                        operation: 'read marketing email events',
                        path: '/email/public/v1/events',
                        qs: { recipient: email, limit: String(PAGE_SIZE), ...(offset ? { offset } : {}) },
                        schema: EmailEventsPage
                    });
                    records.push(...page.events);
                    if (!page.hasMore || page.offset === undefined || page.events.length === 0) break;
                    offset = String(page.offset);
                }
                return summarizeEmailEvents(
                    records.slice(0, context.limits.maxEmailEvents),
                    displayNameOf('contact', record.properties)
                );
            })
    };
}
