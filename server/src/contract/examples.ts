/**
 * Canonical example payloads of the timeline contract. They are validated against the schemas in
 * `timeline.test.ts` and exported (`npm run contract:export`) as the fixtures of the LWC and Apex tests.
 */
import {
    CONTRACT_VERSION,
    type RecordIntelligence,
    type SectionStatus,
    type TimelineResponse,
    type TimelineSection,
    timelineSections
} from './timeline';

const ok: SectionStatus = { status: 'ok', errorCode: null, errorMessage: null };
const allOk = Object.fromEntries(timelineSections.map((s) => [s, ok])) as Record<TimelineSection, SectionStatus>;
const portal = 'https://app.hubspot.com/contacts/4410001';

export const fullTimeline: TimelineResponse = {
    contractVersion: CONTRACT_VERSION,
    objectType: 'contact',
    hubspotId: '51',
    hubspotUrl: `${portal}/record/0-1/51`,
    generatedAt: '2026-11-20T09:30:00.000Z',
    summary: {
        displayName: 'Ada Lovelace',
        lifecycleStageId: 'salesqualifiedlead',
        lifecycleStageLabel: 'Sales Qualified Lead',
        score: 72,
        ownerName: 'Grace Hopper'
    },
    lifecycle: {
        currentStageId: 'salesqualifiedlead',
        stages: [
            { stageId: 'subscriber', label: 'Subscriber', reachedAt: '2026-08-02T10:00:00.000Z', isCurrent: false },
            { stageId: 'lead', label: 'Lead', reachedAt: '2026-08-15T14:12:00.000Z', isCurrent: false },
            {
                stageId: 'marketingqualifiedlead',
                label: 'Marketing Qualified Lead',
                reachedAt: '2026-09-30T08:45:00.000Z',
                isCurrent: false
            },
            {
                stageId: 'salesqualifiedlead',
                label: 'Sales Qualified Lead',
                reachedAt: '2026-11-03T16:20:00.000Z',
                isCurrent: true
            },
            { stageId: 'opportunity', label: 'Opportunity', reachedAt: null, isCurrent: false },
            { stageId: 'customer', label: 'Customer', reachedAt: null, isCurrent: false },
            { stageId: 'evangelist', label: 'Evangelist', reachedAt: null, isCurrent: false }
        ]
    },
    emailEngagement: {
        sent: 12,
        delivered: 12,
        opened: 9,
        clicked: 4,
        bounced: 0,
        lastOpenedAt: '2026-11-18T07:02:00.000Z',
        lastClickedAt: '2026-11-18T07:03:00.000Z'
    },
    website: {
        pageViews: 37,
        sessions: 11,
        firstVisitAt: '2026-08-02T09:58:00.000Z',
        lastVisitAt: '2026-11-19T15:41:00.000Z',
        topPages: [
            { url: 'https://www.example.com/pricing', title: 'Pricing', views: 9 },
            { url: 'https://www.example.com/docs/sync', title: 'How sync works', views: 6 }
        ]
    },
    workflows: [
        {
            workflowId: '9001',
            name: 'MQL nurture',
            status: 'ACTIVE',
            enrolledAt: '2026-09-30T08:46:00.000Z',
            endedAt: null
        },
        {
            workflowId: '9002',
            name: 'Welcome series',
            status: 'COMPLETED',
            enrolledAt: '2026-08-02T10:01:00.000Z',
            endedAt: '2026-08-23T10:01:00.000Z'
        }
    ],
    meetingLink: { name: 'Book time with Grace', url: 'https://meetings.hubspot.com/grace-hopper' },
    sequence: {
        sequenceId: '301',
        name: 'SQL follow-up',
        status: 'ACTIVE',
        currentStep: 2,
        totalSteps: 5,
        enrolledAt: '2026-11-04T09:00:00.000Z'
    },
    events: [
        {
            eventId: 'PAGE_VIEW:pv-881',
            eventType: 'PAGE_VIEW',
            occurredAt: '2026-11-19T15:41:00.000Z',
            title: 'Viewed Pricing',
            body: null,
            url: 'https://www.example.com/pricing',
            actor: 'Ada Lovelace',
            direction: null
        },
        {
            eventId: 'MARKETING_EMAIL_CLICKED:me-77-click',
            eventType: 'MARKETING_EMAIL_CLICKED',
            occurredAt: '2026-11-18T07:03:00.000Z',
            title: 'Clicked "November product update"',
            body: 'Link: https://www.example.com/blog/november',
            url: null,
            actor: 'Ada Lovelace',
            direction: null
        },
        {
            eventId: 'MARKETING_EMAIL_OPENED:me-77-open',
            eventType: 'MARKETING_EMAIL_OPENED',
            occurredAt: '2026-11-18T07:02:00.000Z',
            title: 'Opened "November product update"',
            body: null,
            url: null,
            actor: 'Ada Lovelace',
            direction: null
        },
        {
            eventId: 'MEETING:4101',
            eventType: 'MEETING',
            occurredAt: '2026-11-10T14:00:00.000Z',
            title: 'Discovery call',
            body: 'Walked through the current Salesforce setup and sync needs.',
            url: `${portal}/record/0-1/51/view/1?engagement=4101`,
            actor: 'Grace Hopper',
            direction: null
        },
        {
            eventId: 'CALL:4102',
            eventType: 'CALL',
            occurredAt: '2026-11-05T11:30:00.000Z',
            title: 'Outbound call (12 min)',
            body: 'Left details about the pilot.',
            url: null,
            actor: 'Grace Hopper',
            direction: 'OUTBOUND'
        },
        {
            eventId: 'SALES_EMAIL:4103',
            eventType: 'SALES_EMAIL',
            occurredAt: '2026-11-04T09:00:00.000Z',
            title: 'Re: Pilot timeline',
            body: 'Thanks Ada, attaching the plan.',
            url: null,
            actor: 'Grace Hopper',
            direction: 'OUTBOUND'
        },
        {
            eventId: 'LIFECYCLE_STAGE_CHANGE:salesqualifiedlead',
            eventType: 'LIFECYCLE_STAGE_CHANGE',
            occurredAt: '2026-11-03T16:20:00.000Z',
            title: 'Lifecycle stage changed to Sales Qualified Lead',
            body: null,
            url: null,
            actor: null,
            direction: null
        },
        {
            eventId: 'NOTE:4104',
            eventType: 'NOTE',
            occurredAt: '2026-10-28T12:00:00.000Z',
            title: 'Note',
            body: 'Interested in the two-way owner sync.',
            url: null,
            actor: 'Grace Hopper',
            direction: null
        },
        {
            eventId: 'TASK:4105',
            eventType: 'TASK',
            occurredAt: '2026-10-20T09:00:00.000Z',
            title: 'Send case study',
            body: null,
            url: null,
            actor: 'Grace Hopper',
            direction: null
        },
        {
            eventId: 'FORM_SUBMISSION:fs-12',
            eventType: 'FORM_SUBMISSION',
            occurredAt: '2026-09-30T08:44:00.000Z',
            title: 'Submitted "Request a demo"',
            body: null,
            url: 'https://www.example.com/demo',
            actor: 'Ada Lovelace',
            direction: 'INBOUND'
        },
        {
            eventId: 'MARKETING_EMAIL_SENT:me-12-sent',
            eventType: 'MARKETING_EMAIL_SENT',
            occurredAt: '2026-08-02T10:05:00.000Z',
            title: 'Sent "Welcome to Example"',
            body: null,
            url: null,
            actor: null,
            direction: null
        }
    ],
    nextCursor: 'eyJiZWZvcmUiOiIyMDI2LTA4LTAyVDEwOjA1OjAwLjAwMFoifQ',
    sections: allOk
};

/** The last (older) page: fewer events and no further cursor. */
export const lastPageTimeline: TimelineResponse = {
    ...fullTimeline,
    events: [
        {
            eventId: 'MARKETING_EMAIL_BOUNCED:me-3-bounce',
            eventType: 'MARKETING_EMAIL_BOUNCED',
            occurredAt: '2026-07-01T10:00:00.000Z',
            title: 'Bounced "Spring webinar"',
            body: 'Soft bounce: mailbox full',
            url: null,
            actor: null,
            direction: null
        }
    ],
    nextCursor: null
};

/** Linked in HubSpot but nothing has happened yet. */
export const emptyTimeline: TimelineResponse = {
    ...fullTimeline,
    summary: { ...fullTimeline.summary, score: 0, lifecycleStageId: 'subscriber', lifecycleStageLabel: 'Subscriber' },
    lifecycle: {
        currentStageId: 'subscriber',
        stages: fullTimeline.lifecycle!.stages.map((stage, index) => ({
            ...stage,
            reachedAt: index === 0 ? '2026-11-19T10:00:00.000Z' : null,
            isCurrent: index === 0
        }))
    },
    emailEngagement: {
        sent: 0,
        delivered: 0,
        opened: 0,
        clicked: 0,
        bounced: 0,
        lastOpenedAt: null,
        lastClickedAt: null
    },
    website: { pageViews: 0, sessions: 0, firstVisitAt: null, lastVisitAt: null, topPages: [] },
    workflows: [],
    meetingLink: null,
    sequence: null,
    events: [],
    nextCursor: null
};

/** One source failed (website analytics timed out); everything else is shown. */
export const partialTimeline: TimelineResponse = {
    ...fullTimeline,
    website: null,
    events: fullTimeline.events.filter((event) => event.eventType !== 'PAGE_VIEW'),
    sections: {
        ...allOk,
        website: {
            status: 'error',
            errorCode: 'TIMEOUT',
            errorMessage: 'HubSpot website analytics did not answer in time. Try again in a minute.'
        }
    }
};

const syncedRecord = {
    recordId: '003XX0000012AbcYAE',
    objectApiName: 'Contact',
    hubspotId: '51',
    hubspotUrl: `${portal}/record/0-1/51`,
    syncStatus: 'Synced',
    lastSyncedAt: '2026-11-20T09:15:00.000Z',
    lastSyncError: null,
    canResync: true
} as const;

export const recordIntelligenceExamples: Record<string, RecordIntelligence> = {
    getTimeline: { ...syncedRecord, timeline: fullTimeline },
    getTimelineLastPage: { ...syncedRecord, timeline: lastPageTimeline },
    getTimelineEmpty: { ...syncedRecord, timeline: emptyTimeline },
    getTimelinePartial: { ...syncedRecord, timeline: partialTimeline },
    getTimelineNotSynced: {
        recordId: '00QXX0000034Def2AE',
        objectApiName: 'Lead',
        hubspotId: null,
        hubspotUrl: null,
        syncStatus: 'Excluded',
        lastSyncedAt: null,
        lastSyncError: 'Another Salesforce record with the email ada@example.com syncs to HubSpot: 003XX0000012AbcYAE',
        canResync: true,
        timeline: null
    }
};

/** Relay responses as Apex receives them over the Named Credential. */
export const timelineResponseExamples: Record<string, TimelineResponse> = {
    timelineFull: fullTimeline,
    timelineLastPage: lastPageTimeline,
    timelineEmpty: emptyTimeline,
    timelinePartial: partialTimeline
};
