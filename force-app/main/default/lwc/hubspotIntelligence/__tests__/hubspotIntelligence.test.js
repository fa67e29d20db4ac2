import { createElement } from '@lwc/engine-dom';
import HubspotIntelligence from 'c/hubspotIntelligence';
import getTimeline from '@salesforce/apex/HubSpotIntelligenceController.getTimeline';
import resync from '@salesforce/apex/HubSpotIntelligenceController.resync';
import { refreshApex } from '@salesforce/apex';
import { ShowToastEventName } from 'lightning/platformShowToastEvent';

// Fixtures generated from the relay contract by `npm run contract:export`.
const mockTimeline = require('./data/getTimeline.json');
const mockLastPage = require('./data/getTimelineLastPage.json');
const mockEmpty = require('./data/getTimelineEmpty.json');
const mockPartial = require('./data/getTimelinePartial.json');
const mockNotSynced = require('./data/getTimelineNotSynced.json');

jest.mock(
    '@salesforce/apex/HubSpotIntelligenceController.getTimeline',
    () => {
        const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
        return { default: createApexTestWireAdapter(jest.fn()) };
    },
    { virtual: true }
);
jest.mock('@salesforce/apex/HubSpotIntelligenceController.resync', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex', () => ({ refreshApex: jest.fn(() => Promise.resolve()) }), { virtual: true });

const RECORD_ID = mockTimeline.recordId;
const FIRST_PAGE_CONFIG = { recordId: RECORD_ID, types: null, cursor: null, pageSize: 25 };

function buildComponent(props = {}) {
    const element = createElement('c-hubspot-intelligence', { is: HubspotIntelligence });
    Object.assign(element, { recordId: RECORD_ID }, props);
    document.body.appendChild(element);
    return element;
}

// Resolves after every pending microtask, including promise chains several links long.
function flushPromises() {
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    return new Promise((resolve) => setTimeout(resolve, 0));
}

const query = (element, dataId) => element.shadowRoot.querySelector(`[data-id="${dataId}"]`);

function section(element, name) {
    return query(element, `${name}-section`);
}

function timelineOf(element) {
    return section(element, 'activities').querySelector('c-hubspot-activity-timeline');
}

function timelineItems(element) {
    const timeline = timelineOf(element);
    return timeline ? Array.from(timeline.shadowRoot.querySelectorAll('[data-id="timeline-item"]')) : [];
}

/** The inline error a section shows instead of its content, or null. */
function sectionError(element, name) {
    const panel = section(element, name).shadowRoot.querySelector('c-error-panel');
    return panel ? panel.friendlyMessage : null;
}

async function emitFirstPage(data) {
    getTimeline.emit(data);
    await flushPromises();
}

describe('c-hubspot-intelligence', () => {
    afterEach(() => {
        // The jsdom instance is shared across test cases in a single file so reset the DOM
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
    });

    describe('loading state', () => {
        it('shows a spinner with alternative text until the first page arrives', async () => {
            const element = buildComponent();
            await flushPromises();

            const spinner = element.shadowRoot.querySelector('lightning-spinner');
            expect(spinner.alternativeText).toBe('c.HubSpot_Loading');
            expect(query(element, 'summary')).toBeNull();
            expect(getTimeline.getLastConfig()).toEqual(FIRST_PAGE_CONFIG);
            await expect(element).toBeAccessible();
        });
    });

    describe('data state', () => {
        it('shows the summary: lifecycle stage, score, sync status, last sync and the HubSpot link', async () => {
            const element = buildComponent();
            await emitFirstPage(mockTimeline);

            expect(element.shadowRoot.querySelector('lightning-spinner')).toBeNull();
            expect(query(element, 'lifecycle-stage').textContent).toBe('Sales Qualified Lead');
            expect(query(element, 'score').querySelector('lightning-formatted-number').value).toBe(72);
            expect(query(element, 'sync-status').textContent).toBe('c.HubSpot_Status_Synced');
            expect(query(element, 'last-synced').querySelector('lightning-formatted-date-time').value).toBe(
                mockTimeline.lastSyncedAt
            );
            const link = query(element, 'open-in-hubspot');
            expect(link.href).toBe(mockTimeline.timeline.hubspotUrl);
            expect(link.target).toBe('_blank');
            await expect(element).toBeAccessible();
        });

        it('shows why the last sync of a linked record failed', async () => {
            const element = buildComponent();
            const lastSyncError = 'HubSpot rejected the email address: INVALID_EMAIL';
            await emitFirstPage({ ...mockTimeline, syncStatus: 'Error', lastSyncError });

            expect(query(element, 'sync-status').textContent).toBe('c.HubSpot_Status_Error');
            expect(query(element, 'last-sync-error').textContent).toBe(lastSyncError);
            expect(timelineItems(element)).toHaveLength(mockTimeline.timeline.events.length);
        });

        it('shows the lifecycle progression with dates and the current stage highlighted', async () => {
            const element = buildComponent();
            await emitFirstPage(mockTimeline);

            const path = section(element, 'lifecycle').querySelector('c-hubspot-lifecycle-path');
            const stages = path.shadowRoot.querySelectorAll('[data-id="lifecycle-stage"]');
            expect(stages).toHaveLength(7);
            expect(path.shadowRoot.querySelector('[data-id="current-stage"]').textContent).toBe('Sales Qualified Lead');
            const current = path.shadowRoot.querySelector('[data-stage="salesqualifiedlead"]');
            expect(current.classList).toContain('slds-is-active');
            const reached = path.shadowRoot.querySelector('[data-stage="lead"]');
            expect(reached.classList).toContain('slds-is-completed');
            expect(reached.querySelector('lightning-formatted-date-time').value).toBe('2026-08-15T14:12:00.000Z');
            const upcoming = path.shadowRoot.querySelector('[data-stage="customer"]');
            expect(upcoming.classList).not.toContain('slds-is-completed');
            expect(upcoming.querySelector('lightning-formatted-date-time')).toBeNull();
        });

        it('renders every event as an SLDS timeline item with an icon per type', async () => {
            const element = buildComponent();
            await emitFirstPage(mockTimeline);

            const items = timelineItems(element);
            expect(items).toHaveLength(mockTimeline.timeline.events.length);
            expect(timelineOf(element).shadowRoot.querySelectorAll('ul.slds-timeline').length).toBeGreaterThan(0);
            const iconOf = (eventType) =>
                items.find((item) => item.dataset.eventType === eventType).querySelector('lightning-icon');
            expect(iconOf('MEETING').iconName).toBe('standard:event');
            expect(iconOf('CALL').iconName).toBe('standard:log_a_call');
            expect(iconOf('FORM_SUBMISSION').iconName).toBe('standard:form');
            expect(iconOf('PAGE_VIEW').iconName).toBe('standard:link');
            expect(iconOf('MARKETING_EMAIL_OPENED').iconName).toBe('standard:email');
            expect(iconOf('NOTE').alternativeText).toBe('c.HubSpot_Event_Note');
            const call = items.find((item) => item.dataset.eventType === 'CALL');
            expect(call.querySelector('.slds-timeline__item_call')).not.toBeNull();
            expect(call.textContent).toContain('Grace Hopper · c.HubSpot_Direction_Outbound');
        });

        it('groups the timeline by month, newest month first, in the user time zone', async () => {
            const element = buildComponent();
            await emitFirstPage(mockTimeline);

            const timeline = timelineOf(element);
            const headings = Array.from(timeline.shadowRoot.querySelectorAll('[data-id="month-heading"]'));
            expect(headings.map((heading) => heading.textContent)).toEqual([
                'November 2026',
                'October 2026',
                'September 2026',
                'August 2026'
            ]);
            const months = timeline.shadowRoot.querySelectorAll('[data-id="timeline-month"]');
            expect(Array.from(months, (month) => month.querySelectorAll('li').length)).toEqual([7, 2, 1, 1]);
        });

        it('summarises marketing email engagement with rates', async () => {
            const element = buildComponent();
            await emitFirstPage(mockTimeline);

            const engagement = section(element, 'email').querySelector('c-hubspot-email-engagement');
            const metric = (key) =>
                engagement.shadowRoot.querySelector(`[data-metric="${key}"] lightning-formatted-number`);
            expect(metric('sent').value).toBe(12);
            expect(metric('opened').value).toBe(9);
            expect(metric('bounced').value).toBe(0);
            expect(metric('openRate').value).toBe(0.75);
            expect(metric('openRate').formatStyle).toBe('percent');
            expect(metric('clickRate').value).toBeCloseTo(4 / 12);
            expect(metric('bounceRate').value).toBe(0);
        });

        it('shows website behaviour with the top pages', async () => {
            const element = buildComponent();
            await emitFirstPage(mockTimeline);

            const website = section(element, 'website').querySelector('c-hubspot-website-activity');
            expect(website.shadowRoot.querySelector('[data-metric="pageViews"] lightning-formatted-number').value).toBe(
                37
            );
            expect(website.shadowRoot.querySelector('[data-metric="sessions"] lightning-formatted-number').value).toBe(
                11
            );
            const pages = website.shadowRoot.querySelectorAll('[data-id="top-page"]');
            expect(Array.from(pages, (page) => page.querySelector('a').href)).toEqual([
                'https://www.example.com/pricing',
                'https://www.example.com/docs/sync'
            ]);
        });

        it('lists current and past workflow enrollments separately', async () => {
            const element = buildComponent();
            await emitFirstPage(mockTimeline);

            const workflows = section(element, 'workflows').querySelector('c-hubspot-workflow-enrollments');
            const groups = workflows.shadowRoot.querySelectorAll('[data-id="workflow-group"]');
            expect(Array.from(groups, (group) => group.dataset.group)).toEqual(['current', 'past']);
            expect(groups[0].textContent).toContain('MQL nurture');
            expect(groups[1].textContent).toContain('Welcome series');
            expect(groups[1].querySelector('lightning-badge').label).toBe('c.HubSpot_Enrollment_Completed');
        });
    });

    describe('not synced state', () => {
        it('explains why the record has no HubSpot data and offers Resync when permitted', async () => {
            const element = buildComponent({ recordId: mockNotSynced.recordId });
            await emitFirstPage(mockNotSynced);

            expect(query(element, 'not-linked-reason').textContent).toBe('c.HubSpot_Not_Linked_Excluded');
            expect(query(element, 'last-sync-error').textContent).toBe(mockNotSynced.lastSyncError);
            expect(query(element, 'sync-status').textContent).toBe('c.HubSpot_Status_Excluded');
            expect(query(element, 'last-synced').textContent).toBe('c.HubSpot_Never');
            expect(query(element, 'resync-button')).not.toBeNull();
            expect(query(element, 'resync-advice').textContent).toBe('c.HubSpot_Resync_Hint');
            expect(query(element, 'lifecycle-section')).toBeNull();
            expect(query(element, 'open-in-hubspot')).toBeNull();
            await expect(element).toBeAccessible();
        });

        it('hides Resync and points to the admin when the user may not resync', async () => {
            const element = buildComponent({ recordId: mockNotSynced.recordId });
            await emitFirstPage({ ...mockNotSynced, canResync: false, syncStatus: 'Error' });

            expect(query(element, 'resync-button')).toBeNull();
            expect(query(element, 'not-linked-reason').textContent).toBe('c.HubSpot_Not_Linked_Error');
            expect(query(element, 'resync-advice').textContent).toBe('c.HubSpot_Resync_Ask_Admin');
            await expect(element).toBeAccessible();
        });
    });

    describe('empty state', () => {
        it('shows the lifecycle and one "no activity" message instead of empty sections', async () => {
            const element = buildComponent();
            await emitFirstPage(mockEmpty);

            expect(query(element, 'no-activity').textContent).toBe('c.HubSpot_No_Activity');
            expect(section(element, 'lifecycle')).not.toBeNull();
            for (const name of ['activities', 'email', 'website', 'workflows']) {
                expect(section(element, name)).toBeNull();
            }
            expect(query(element, 'score').querySelector('lightning-formatted-number').value).toBe(0);
            await expect(element).toBeAccessible();
        });
    });

    describe('error state', () => {
        it('shows one error panel with a readable message and the Apex error as detail', async () => {
            const element = buildComponent();
            getTimeline.error({ message: 'The HubSpot relay is not reachable. Try again in a few minutes.' });
            await flushPromises();

            const panel = element.shadowRoot.querySelector('c-error-panel');
            expect(panel.friendlyMessage).toBe('c.HubSpot_Load_Error');
            expect(panel.shadowRoot.querySelector('[data-id="friendly-message"]').textContent).toBe(
                'c.HubSpot_Load_Error'
            );
            const details = panel.shadowRoot.querySelector('lightning-input');
            details.checked = true;
            details.dispatchEvent(new CustomEvent('change'));
            await flushPromises();
            expect(panel.shadowRoot.querySelector('[data-id="error-details"]').textContent).toBe(
                'The HubSpot relay is not reachable. Try again in a few minutes.'
            );
            expect(query(element, 'summary')).toBeNull();
            await expect(element).toBeAccessible();
        });
    });

    describe('partial state', () => {
        it('shows the failed section reason inline and renders the other sections', async () => {
            const element = buildComponent();
            await emitFirstPage(mockPartial);

            expect(sectionError(element, 'website')).toBe(mockPartial.timeline.sections.website.errorMessage);
            expect(section(element, 'website').shadowRoot.querySelector('slot:not([name])')).toBeNull();
            expect(sectionError(element, 'email')).toBeNull();
            expect(sectionError(element, 'activities')).toBeNull();
            expect(timelineItems(element)).toHaveLength(mockPartial.timeline.events.length);
            const engagement = section(element, 'email').querySelector('c-hubspot-email-engagement');
            expect(engagement.shadowRoot.querySelector('[data-metric="sent"]')).not.toBeNull();
            await expect(element).toBeAccessible();
        });

        it('falls back to a generic sentence when the relay gave no reason', async () => {
            const element = buildComponent();
            const sections = {
                ...mockPartial.timeline.sections,
                workflows: { status: 'error', errorCode: 'HUBSPOT_ERROR', errorMessage: null }
            };
            await emitFirstPage({ ...mockPartial, timeline: { ...mockPartial.timeline, workflows: null, sections } });

            expect(sectionError(element, 'workflows')).toBe('c.HubSpot_Section_Unavailable');
        });

        it('hides a section the relay reports as disabled', async () => {
            const element = buildComponent();
            const sections = {
                ...mockTimeline.timeline.sections,
                workflows: { status: 'disabled', errorCode: null, errorMessage: null }
            };
            await emitFirstPage({ ...mockTimeline, timeline: { ...mockTimeline.timeline, sections } });

            expect(section(element, 'workflows')).toBeNull();
            expect(section(element, 'website')).not.toBeNull();
        });
    });

    describe('type filter', () => {
        async function openFilter(element) {
            query(element, 'filter-toggle').click();
            await flushPromises();
            return query(element, 'type-filter');
        }

        async function choose(filter, value) {
            filter.dispatchEvent(new CustomEvent('change', { detail: { value } }));
            await flushPromises();
        }

        it('offers the contract event types, marketing emails as one choice', async () => {
            const element = buildComponent();
            await emitFirstPage(mockTimeline);

            const filter = await openFilter(element);
            const values = filter.options.map((option) => option.value);
            expect(values).toEqual([
                'MARKETING_EMAIL',
                'SALES_EMAIL',
                'FORM_SUBMISSION',
                'PAGE_VIEW',
                'MEETING',
                'CALL',
                'NOTE',
                'TASK',
                'LIFECYCLE_STAGE_CHANGE'
            ]);
            expect(filter.value).toEqual(values);
            expect(query(element, 'filter-toggle').selected).toBe(true);
            await expect(element).toBeAccessible();
        });

        it('re-queries Apex with the selected types, in contract order, and shows the new first page', async () => {
            const element = buildComponent();
            await emitFirstPage(mockTimeline);
            const filter = await openFilter(element);

            await choose(filter, ['CALL', 'MEETING', 'MARKETING_EMAIL']);

            expect(getTimeline.getLastConfig()).toEqual({
                ...FIRST_PAGE_CONFIG,
                types: [
                    'MARKETING_EMAIL_SENT',
                    'MARKETING_EMAIL_DELIVERED',
                    'MARKETING_EMAIL_OPENED',
                    'MARKETING_EMAIL_CLICKED',
                    'MARKETING_EMAIL_BOUNCED',
                    'MEETING',
                    'CALL'
                ]
            });
            expect(section(element, 'activities').querySelector('lightning-spinner')).not.toBeNull();

            const calls = mockTimeline.timeline.events.filter((event) => event.eventType === 'CALL');
            await emitFirstPage({
                ...mockTimeline,
                timeline: { ...mockTimeline.timeline, events: calls, nextCursor: null }
            });
            expect(timelineItems(element).map((item) => item.dataset.eventType)).toEqual(['CALL']);
            expect(query(element, 'load-more')).toBeNull();
        });

        it('says so when nothing matches the filter', async () => {
            const element = buildComponent();
            await emitFirstPage(mockTimeline);
            await choose(await openFilter(element), ['TASK']);

            await emitFirstPage({
                ...mockTimeline,
                timeline: { ...mockTimeline.timeline, events: [], nextCursor: null }
            });
            expect(query(element, 'no-events').textContent).toBe('c.HubSpot_No_Matching_Activity');
        });

        it('asks for a type instead of querying when every type is unchecked, and asks for all types again', async () => {
            const element = buildComponent();
            await emitFirstPage(mockTimeline);
            const filter = await openFilter(element);

            await choose(filter, []);
            expect(query(element, 'filter-hint').textContent).toBe('c.HubSpot_Filter_None_Selected');
            expect(getTimeline.getLastConfig()).toEqual(FIRST_PAGE_CONFIG);

            await choose(filter, ['NOTE']);
            expect(getTimeline.getLastConfig().types).toEqual(['NOTE']);
            await choose(
                filter,
                filter.options.map((option) => option.value)
            );
            expect(getTimeline.getLastConfig()).toEqual(FIRST_PAGE_CONFIG);
        });
    });

    describe('load more', () => {
        it('asks Apex for the next page with the cursor, appends it and hides the button on the last page', async () => {
            getTimeline.mockResolvedValue(mockLastPage);
            const element = buildComponent();
            await emitFirstPage(mockTimeline);

            query(element, 'load-more').click();
            await flushPromises();

            expect(getTimeline).toHaveBeenCalledWith({
                ...FIRST_PAGE_CONFIG,
                cursor: mockTimeline.timeline.nextCursor
            });
            const items = timelineItems(element);
            expect(items).toHaveLength(mockTimeline.timeline.events.length + 1);
            expect(items[items.length - 1].dataset.eventType).toBe('MARKETING_EMAIL_BOUNCED');
            const months = timelineOf(element).shadowRoot.querySelectorAll('[data-id="month-heading"]');
            expect(months[months.length - 1].textContent).toBe('July 2026');
            expect(query(element, 'load-more')).toBeNull();
        });

        it('shows an inline error and keeps the button when the next page fails', async () => {
            getTimeline.mockRejectedValue({ body: { message: 'HubSpot did not answer in time.' }, status: 500 });
            const element = buildComponent();
            await emitFirstPage(mockTimeline);

            query(element, 'load-more').click();
            await flushPromises();

            const panel = section(element, 'activities').querySelector('c-error-panel');
            expect(panel.friendlyMessage).toBe('c.HubSpot_Load_More_Error');
            expect(panel.variant).toBe('inline');
            expect(timelineItems(element)).toHaveLength(mockTimeline.timeline.events.length);
            expect(query(element, 'load-more')).not.toBeNull();
            await expect(element).toBeAccessible();
        });
    });

    describe('resync', () => {
        function captureToasts(element) {
            const toasts = [];
            element.addEventListener(ShowToastEventName, (event) => toasts.push(event.detail));
            return toasts;
        }

        it('requests a resync, confirms with a toast and refreshes the data', async () => {
            resync.mockResolvedValue('job-7f3a');
            const element = buildComponent();
            await emitFirstPage(mockTimeline);
            const toasts = captureToasts(element);

            query(element, 'resync-button').click();
            await flushPromises();

            expect(resync).toHaveBeenCalledWith({ recordId: RECORD_ID });
            expect(toasts).toEqual([
                {
                    title: 'c.HubSpot_Resync_Success_Title',
                    message: 'c.HubSpot_Resync_Success_Message',
                    variant: 'success'
                }
            ]);
            expect(refreshApex).toHaveBeenCalledTimes(1);
            expect(query(element, 'resync-button').disabled).toBe(false);
        });

        it('reports the reason in an error toast when the resync is refused', async () => {
            resync.mockRejectedValue({
                body: { message: 'You do not have the HubSpot Resync permission.' },
                status: 403
            });
            const element = buildComponent({ recordId: mockNotSynced.recordId });
            await emitFirstPage(mockNotSynced);
            const toasts = captureToasts(element);

            query(element, 'resync-button').click();
            await flushPromises();

            expect(toasts).toEqual([
                {
                    title: 'c.HubSpot_Resync_Error_Title',
                    message: 'You do not have the HubSpot Resync permission.',
                    variant: 'error'
                }
            ]);
            expect(refreshApex).not.toHaveBeenCalled();
        });

        it('does not offer Resync to users without the permission', async () => {
            const element = buildComponent();
            await emitFirstPage({ ...mockTimeline, canResync: false });

            expect(query(element, 'resync-button')).toBeNull();
        });
    });

    describe('design properties', () => {
        it('shows every section but the Beta features by default', async () => {
            const element = buildComponent();
            await emitFirstPage(mockTimeline);

            for (const name of ['lifecycle', 'activities', 'email', 'website', 'workflows']) {
                expect(section(element, name)).not.toBeNull();
            }
            expect(section(element, 'meeting')).toBeNull();
            expect(section(element, 'sequence')).toBeNull();
        });

        it('hides the sections switched off in App Builder', async () => {
            const element = buildComponent({
                showLifecycle: false,
                showActivities: false,
                showEmailEngagement: false,
                showWebsite: false,
                showWorkflows: true
            });
            await emitFirstPage(mockTimeline);

            for (const name of ['lifecycle', 'activities', 'email', 'website']) {
                expect(section(element, name)).toBeNull();
            }
            expect(section(element, 'workflows')).not.toBeNull();
        });

        it('shows the meeting link and sequence enrollment, marked Beta, when Beta features are on', async () => {
            const element = buildComponent({ showBetaFeatures: true });
            await emitFirstPage(mockTimeline);

            const meeting = section(element, 'meeting');
            const sequence = section(element, 'sequence');
            expect(meeting.beta).toBe(true);
            expect(sequence.beta).toBe(true);
            expect(meeting.shadowRoot.querySelector('[data-id="beta-badge"]').label).toBe('c.HubSpot_Beta');
            expect(query(element, 'meeting-link').href).toBe('https://meetings.hubspot.com/grace-hopper');
            expect(query(element, 'sequence-name').textContent).toBe('SQL follow-up');
            expect(query(element, 'sequence-step').textContent).toBe('c.HubSpot_Sequence_Step');
            await expect(element).toBeAccessible();
        });

        it('sets the panel height from the design property and ignores unusable values', async () => {
            const element = buildComponent({ height: 500 });
            await emitFirstPage(mockTimeline);
            const card = element.shadowRoot.querySelector('article');
            expect(card.style.getPropertyValue('--hubspot-intelligence-height')).toBe('500px');

            element.height = 20;
            await flushPromises();
            expect(card.style.getPropertyValue('--hubspot-intelligence-height')).toBe('350px');
        });
    });
});
