/// <reference lib="dom" />
/** Timeline preview: the HubSpot Intelligence timeline the Salesforce component shows, for any record. */
import type { TimelineEvent, TimelineResponse, TimelineSection } from '../../../contract/timeline';
import { getJson } from '../api';
import { h, replaceChildren } from '../dom';
import { formatDateTime, formatMonth, formatNumber } from '../format';
import { badge, empty, load } from '../ui';

const eventLabels: Record<TimelineEvent['eventType'], string> = {
    MARKETING_EMAIL_SENT: 'Email sent',
    MARKETING_EMAIL_DELIVERED: 'Email delivered',
    MARKETING_EMAIL_OPENED: 'Email opened',
    MARKETING_EMAIL_CLICKED: 'Email clicked',
    MARKETING_EMAIL_BOUNCED: 'Email bounced',
    SALES_EMAIL: 'Sales email',
    FORM_SUBMISSION: 'Form submission',
    PAGE_VIEW: 'Page view',
    MEETING: 'Meeting',
    CALL: 'Call',
    NOTE: 'Note',
    TASK: 'Task',
    LIFECYCLE_STAGE_CHANGE: 'Lifecycle stage'
};

const sectionLabels: Record<TimelineSection, string> = {
    activities: 'Activities',
    lifecycle: 'Lifecycle',
    emailEngagement: 'Email engagement',
    website: 'Website activity',
    workflows: 'Workflows',
    meetingLink: 'Meeting link',
    sequence: 'Sequence'
};

/** Only web links become anchors; anything else (a `javascript:` URL in CRM data) stays text. */
function link(url: string | null, text: string): HTMLElement | string {
    if (!url || !/^https?:\/\//i.test(url)) return text;
    return h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, text);
}

function groupByMonth(events: TimelineEvent[]): [string, TimelineEvent[]][] {
    const groups = new Map<string, TimelineEvent[]>();
    for (const event of events) {
        const month = formatMonth(event.occurredAt);
        groups.set(month, [...(groups.get(month) ?? []), event]);
    }
    return [...groups];
}

function timelineContent(timeline: TimelineResponse): HTMLElement[] {
    const { summary } = timeline;
    const failedSections = (
        Object.entries(timeline.sections) as [TimelineSection, TimelineResponse['sections'][TimelineSection]][]
    ).filter(([, status]) => status.status === 'error');
    const facts: [string, string | HTMLElement][] = [
        ['Lifecycle stage', summary.lifecycleStageLabel ?? '—'],
        ['Score', summary.score === null ? '—' : formatNumber(summary.score)],
        ['Owner', summary.ownerName ?? '—']
    ];
    if (timeline.emailEngagement) {
        const email = timeline.emailEngagement;
        facts.push([
            'Marketing email',
            `${email.sent} sent · ${email.opened} opened · ${email.clicked} clicked · ${email.bounced} bounced`
        ]);
    }
    if (timeline.website)
        facts.push(['Website', `${timeline.website.pageViews} page views in ${timeline.website.sessions} sessions`]);
    if (timeline.sequence) {
        const sequence = timeline.sequence;
        facts.push([
            'Sequence',
            `${sequence.name}: step ${sequence.currentStep} of ${sequence.totalSteps} (${sequence.status.toLowerCase()})`
        ]);
    }
    if (timeline.meetingLink) facts.push(['Meeting link', link(timeline.meetingLink.url, timeline.meetingLink.name)]);
    return [
        h(
            'section',
            { class: 'panel', 'aria-labelledby': 'timeline-summary' },
            h(
                'h2',
                { id: 'timeline-summary' },
                summary.displayName ?? `HubSpot ${timeline.objectType} ${timeline.hubspotId}`,
                ' ',
                link(timeline.hubspotUrl, 'Open in HubSpot')
            ),
            h('dl', { class: 'facts' }, ...facts.flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value)])),
            ...failedSections.map(([section, status]) =>
                h(
                    'p',
                    { class: 'state error', role: 'note' },
                    `${sectionLabels[section]} could not be loaded: ${status.errorMessage ?? status.errorCode ?? 'unknown error'}`
                )
            )
        ),
        timeline.lifecycle
            ? h(
                  'section',
                  { class: 'panel', 'aria-labelledby': 'timeline-lifecycle' },
                  h('h2', { id: 'timeline-lifecycle' }, 'Lifecycle'),
                  h(
                      'ol',
                      { class: 'lifecycle' },
                      ...timeline.lifecycle.stages.map((stage) =>
                          h(
                              'li',
                              {
                                  class: stage.isCurrent ? 'current' : stage.reachedAt ? 'reached' : 'future',
                                  'aria-current': stage.isCurrent ? 'step' : null
                              },
                              h('span', { class: 'stage-label' }, stage.label),
                              h(
                                  'span',
                                  { class: 'stage-date' },
                                  stage.reachedAt ? formatDateTime(stage.reachedAt) : 'Not reached'
                              )
                          )
                      )
                  )
              )
            : h('span'),
        h(
            'section',
            { class: 'panel', 'aria-labelledby': 'timeline-events' },
            h('h2', { id: 'timeline-events' }, 'Activity'),
            timeline.events.length === 0
                ? empty('No activity recorded in HubSpot.')
                : h(
                      'div',
                      { class: 'months' },
                      ...groupByMonth(timeline.events).map(([month, events]) =>
                          h(
                              'section',
                              { class: 'month' },
                              h('h3', {}, month),
                              h(
                                  'ol',
                                  { class: 'events' },
                                  ...events.map((event) =>
                                      h(
                                          'li',
                                          { class: 'event' },
                                          badge(eventLabels[event.eventType], 'info'),
                                          h('span', { class: 'event-title' }, link(event.url, event.title)),
                                          h(
                                              'span',
                                              { class: 'event-meta' },
                                              formatDateTime(event.occurredAt),
                                              event.actor ? ` · ${event.actor}` : '',
                                              event.direction ? ` · ${event.direction.toLowerCase()}` : ''
                                          ),
                                          event.body ? h('p', { class: 'event-body' }, event.body) : null
                                      )
                                  )
                              )
                          )
                      )
                  ),
            timeline.nextCursor ? h('p', { class: 'meter-note' }, 'Older activity is available in HubSpot.') : null
        )
    ];
}

export function renderTimeline(main: HTMLElement, params: URLSearchParams): void {
    const result = h('div', { 'aria-live': 'polite' });
    const kind = h(
        'select',
        { id: 'timeline-kind', name: 'kind' },
        h('option', { value: 'salesforce' }, 'Salesforce record ID'),
        h('option', { value: 'contact' }, 'HubSpot contact ID'),
        h('option', { value: 'company' }, 'HubSpot company ID'),
        h('option', { value: 'deal' }, 'HubSpot deal ID')
    );
    kind.value = params.get('kind') ?? 'salesforce';
    const id = h('input', {
        id: 'timeline-id',
        name: 'id',
        required: true,
        autocomplete: 'off',
        value: params.get('id') ?? ''
    });
    const show = () => {
        const value = encodeURIComponent(id.value.trim());
        const path =
            kind.value === 'salesforce' ? `/timeline/salesforce/${value}` : `/timeline/hubspot/${kind.value}/${value}`;
        void load(result, 'the timeline', () => getJson<TimelineResponse>(path), timelineContent);
    };
    replaceChildren(
        main,
        h('h1', {}, 'Timeline preview'),
        h(
            'form',
            {
                class: 'inline-form',
                onSubmit: (event: Event) => {
                    event.preventDefault();
                    show();
                }
            },
            h('div', { class: 'field' }, h('label', { for: 'timeline-kind' }, 'Look up by'), kind),
            h('div', { class: 'field' }, h('label', { for: 'timeline-id' }, 'ID'), id),
            h('button', { type: 'submit', class: 'primary' }, 'Show timeline')
        ),
        result
    );
    if (id.value) show();
    else replaceChildren(result, empty('Enter a record ID to preview what sales reps see in Salesforce.'));
}
