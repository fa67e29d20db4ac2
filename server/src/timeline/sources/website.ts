/**
 * Website activity of a contact from HubSpot event analytics: page views (also grouped into sessions and
 * top pages) and form submissions.
 */
import type { TimelineEvent } from '../../contract/timeline';
import type { SectionPayloads, TimelineSource } from '../source';
import type { HubSpotSourceContext } from './context';
import { displayNameOf, instantOf, isoOf, webUrlOrNull } from './crm-objects';
import { callHubSpot } from './hubspot-call';
import { withSectionErrors } from './section-errors';

/** HubSpot's web-analytics convention: a visit ends after 30 minutes without a page view. */
export const SESSION_GAP_MS = 30 * 60_000;
const TOP_PAGES = 5;
const PAGE_SIZE = 500;

export interface AnalyticsEvent {
    id: string;
    at: number;
    properties: Record<string, string | undefined>;
}

export function summarizeWebsite(pageViews: readonly AnalyticsEvent[]): SectionPayloads['website'] {
    const ordered = [...pageViews].sort((a, b) => a.at - b.at);
    let sessions = 0;
    let previous: number | null = null;
    const pages = new Map<string, { views: number; title: string | null; lastAt: number }>();
    for (const view of ordered) {
        if (previous === null || view.at - previous > SESSION_GAP_MS) sessions++;
        previous = view.at;
        const url = webUrlOrNull(view.properties.hs_url);
        if (!url) continue;
        const page = pages.get(url) ?? { views: 0, title: null, lastAt: view.at };
        page.views++;
        page.title = view.properties.hs_page_title?.trim() || page.title;
        page.lastAt = view.at;
        pages.set(url, page);
    }
    const topPages = [...pages.entries()]
        .sort(([urlA, a], [urlB, b]) => b.views - a.views || b.lastAt - a.lastAt || urlA.localeCompare(urlB))
        .slice(0, TOP_PAGES)
        .map(([url, page]) => ({ url, title: page.title, views: page.views }));
    return {
        pageViews: ordered.length,
        sessions,
        firstVisitAt: ordered.length ? isoOf(ordered[0]!.at) : null,
        lastVisitAt: ordered.length ? isoOf(ordered.at(-1)!.at) : null,
        topPages
    };
}

function pathOf(url: string | null): string | null {
    if (!url) return null;
    const { pathname } = new URL(url);
    return pathname === '/' ? url : pathname;
}

export function pageViewEvent(view: AnalyticsEvent, contactName: string | null): TimelineEvent {
    const url = webUrlOrNull(view.properties.hs_url);
    const title = view.properties.hs_page_title?.trim() || pathOf(url) || 'a page';
    return {
        eventId: `PAGE_VIEW:${view.id}`,
        eventType: 'PAGE_VIEW',
        occurredAt: isoOf(view.at),
        title: `Viewed ${title}`,
        body: null,
        url,
        actor: contactName,
        direction: null
    };
}

export function formSubmissionEvent(submission: AnalyticsEvent, contactName: string | null): TimelineEvent {
    const form = submission.properties.hs_form_title?.trim();
    return {
        eventId: `FORM_SUBMISSION:${submission.id}`,
        eventType: 'FORM_SUBMISSION',
        occurredAt: isoOf(submission.at),
        title: form ? `Submitted "${form}"` : 'Submitted a form',
        body: null,
        url: webUrlOrNull(submission.properties.hs_url ?? submission.properties.hs_page_url),
        actor: contactName,
        direction: 'INBOUND'
    };
}

export function hubspotWebsiteSource(context: HubSpotSourceContext): TimelineSource<'website'> {
    const { client, limits } = context;

    /** The newest events of one type, newest first, up to the configured number. */
    const analytics = async (signal: AbortSignal, contactId: number, eventType: string) => {
        const events: AnalyticsEvent[] = [];
        let after: string | undefined;
        do {
            const limit = Math.min(PAGE_SIZE, limits.maxAnalyticsEventsPerType - events.length);
            const page = await callHubSpot(signal, `read ${eventType} events`, () =>
                client.events.eventsApi.getPage(
                    'contact',
                    eventType,
                    after,
                    undefined,
                    limit,
                    ['-occurredAt'],
                    undefined,
                    undefined,
                    contactId
                )
            );
            for (const event of page.results) {
                const at = instantOf(event.occurredAt);
                if (at !== null) events.push({ id: event.id, at, properties: { ...event.properties } });
            }
            after = page.paging?.next?.after;
        } while (after && events.length < limits.maxAnalyticsEventsPerType);
        return events;
    };

    return {
        section: 'website',
        objectTypes: ['contact'],
        fetch: (request) =>
            withSectionErrors('website analytics', async () => {
                const { signal } = request;
                const contactId = Number(request.hubspotId);
                const [pageViews, forms, record] = await Promise.all([
                    analytics(signal, contactId, 'e_visited_page'),
                    analytics(signal, contactId, 'e_submitted_form'),
                    // Only names the visitor in the items; the section stands without it.
                    context.records.load(request, signal).catch(() => null)
                ]);
                const name = record ? displayNameOf('contact', record.properties) : null;
                return {
                    data: summarizeWebsite(pageViews),
                    events: [
                        ...pageViews.map((view) => pageViewEvent(view, name)),
                        ...forms.map((submission) => formSubmissionEvent(submission, name))
                    ]
                };
            })
    };
}
