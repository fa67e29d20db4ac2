import type { Persistence } from './persistence';

/** Event analytics completions (`GET /events/v3/events`), e.g. page views and form submissions. */
export interface AnalyticsEvent {
    id: string;
    eventType: string;
    objectType: 'contact';
    objectId: number;
    occurredAt: number;
    properties: Record<string, string>;
}

/** Marketing email events in the legacy `/email/public/v1/events` shape. */
export interface EmailEvent {
    id: string;
    created: number;
    type:
        | 'SENT'
        | 'DELIVERED'
        | 'OPEN'
        | 'CLICK'
        | 'BOUNCE'
        | 'UNSUBSCRIBED'
        | 'SPAMREPORT'
        | 'DROPPED'
        | 'PROCESSED'
        | 'DEFERRED';
    recipient: string;
    emailCampaignId: number;
    subject: string;
    url?: string;
}

export interface Workflow {
    id: number;
    name: string;
    type: 'DRIP_DELAY' | 'STATIC_ANCHOR' | 'PROPERTY_ANCHOR';
    enabled: boolean;
    insertedAt: number;
    updatedAt: number;
}

export interface WorkflowEnrollment {
    workflowId: number;
    contactId: number;
    enrolledAt: number;
}

export interface Sequence {
    id: string;
    name: string;
    userId: string;
    steps: number;
}

export interface SequenceEnrollment {
    id: string;
    sequenceId: string;
    contactId: number;
    toEmail: string;
    enrolledAt: number;
    updatedAt: number;
    enrolledBy: string;
    enrolledByEmail: string;
    currentStep: number;
}

export interface MeetingLink {
    id: string;
    slug: string;
    link: string;
    name: string;
    type: 'PERSONAL_LINK' | 'GROUP_CALENDAR' | 'ROUND_ROBIN_CALENDAR';
    organizerUserId: string;
    userIdsOfLinkMembers: string[];
    defaultLink: boolean;
    createdAt: number;
    updatedAt: number;
}

const CATALOGUE_TIME = Date.parse('2020-01-01T00:00:00.000Z');

/** Marketing and sales timeline sources the HubSpot Intelligence component reads. */
export class TimelineStore {
    private analyticsByContact = new Map<number, AnalyticsEvent[]>();
    emailEvents: EmailEvent[] = [];
    workflows: Workflow[] = [];
    workflowEnrollments: WorkflowEnrollment[] = [];
    sequences: Sequence[] = [];
    sequenceEnrollments: SequenceEnrollment[] = [];
    meetingLinks: MeetingLink[] = [];
    private nextEventId = 1;

    constructor(private readonly persistence: Persistence) {
        this.reset();
        if (persistence.durable) this.load();
    }

    reset(): void {
        this.analyticsByContact = new Map();
        this.emailEvents = [];
        this.workflowEnrollments = [];
        this.sequenceEnrollments = [];
        this.nextEventId = 1;
        this.workflows = [
            {
                id: 3100001,
                name: 'Nurture: new leads',
                type: 'DRIP_DELAY',
                enabled: true,
                insertedAt: CATALOGUE_TIME,
                updatedAt: CATALOGUE_TIME
            },
            {
                id: 3100002,
                name: 'MQL hand-off to sales',
                type: 'PROPERTY_ANCHOR',
                enabled: true,
                insertedAt: CATALOGUE_TIME,
                updatedAt: CATALOGUE_TIME
            },
            {
                id: 3100003,
                name: 'Customer onboarding',
                type: 'DRIP_DELAY',
                enabled: true,
                insertedAt: CATALOGUE_TIME,
                updatedAt: CATALOGUE_TIME
            }
        ];
        this.sequences = [
            { id: '4200001', name: 'Outbound: first touch', userId: '9000001', steps: 4 },
            { id: '4200002', name: 'Demo follow-up', userId: '9000002', steps: 3 }
        ];
        this.meetingLinks = [
            meetingLink('5300001', 'ada-lovelace', 'Intro call with Ada', '9000001'),
            meetingLink('5300002', 'grace-hopper', 'Demo with Grace', '9000002')
        ];
    }

    private load(): void {
        for (const row of this.persistence.load('timeline:analytics')) this.indexAnalytics(row.data as AnalyticsEvent);
        this.emailEvents = [...this.persistence.load('timeline:email')].map((row) => row.data as EmailEvent);
        this.workflowEnrollments = [...this.persistence.load('timeline:workflow')].map(
            (row) => row.data as WorkflowEnrollment
        );
        this.sequenceEnrollments = [...this.persistence.load('timeline:sequence')].map(
            (row) => row.data as SequenceEnrollment
        );
        const ids = [...this.allAnalytics(), ...this.emailEvents].map(
            (event) => Number(event.id.replace(/\D/g, '')) || 0
        );
        this.nextEventId = Math.max(0, ...ids) + 1;
    }

    private *allAnalytics(): Iterable<AnalyticsEvent> {
        for (const events of this.analyticsByContact.values()) yield* events;
    }

    private indexAnalytics(event: AnalyticsEvent): void {
        const list = this.analyticsByContact.get(event.objectId);
        if (list) list.push(event);
        else this.analyticsByContact.set(event.objectId, [event]);
    }

    newEventId(): string {
        return String(this.nextEventId++);
    }

    addAnalyticsEvent(event: Omit<AnalyticsEvent, 'id'>): AnalyticsEvent {
        const stored = { id: this.newEventId(), ...event };
        this.indexAnalytics(stored);
        this.persistence.put('timeline:analytics', stored.id, stored);
        return stored;
    }

    analyticsFor(contactId: number): AnalyticsEvent[] {
        return this.analyticsByContact.get(contactId) ?? [];
    }

    addEmailEvent(event: Omit<EmailEvent, 'id'>): EmailEvent {
        const stored = { id: `e${this.newEventId()}`, ...event };
        this.emailEvents.push(stored);
        this.persistence.put('timeline:email', stored.id, stored);
        return stored;
    }

    enrollInWorkflow(enrollment: WorkflowEnrollment): void {
        if (
            this.workflowEnrollments.some(
                (e) => e.workflowId === enrollment.workflowId && e.contactId === enrollment.contactId
            )
        )
            return;
        this.workflowEnrollments.push(enrollment);
        this.persistence.put('timeline:workflow', `${enrollment.workflowId}:${enrollment.contactId}`, enrollment);
    }

    unenrollFromWorkflow(workflowId: number, contactId: number): void {
        this.workflowEnrollments = this.workflowEnrollments.filter(
            (e) => !(e.workflowId === workflowId && e.contactId === contactId)
        );
        this.persistence.remove('timeline:workflow', `${workflowId}:${contactId}`);
    }

    enrollInSequence(enrollment: Omit<SequenceEnrollment, 'id'>): SequenceEnrollment {
        const stored = { id: this.newEventId(), ...enrollment };
        this.sequenceEnrollments.push(stored);
        this.persistence.put('timeline:sequence', stored.id, stored);
        return stored;
    }
}

function meetingLink(id: string, slug: string, name: string, organizerUserId: string): MeetingLink {
    return {
        id,
        slug,
        link: `https://meetings.hubspot.com/${slug}`,
        name,
        type: 'PERSONAL_LINK',
        organizerUserId,
        userIdsOfLinkMembers: [organizerUserId],
        defaultLink: true,
        createdAt: CATALOGUE_TIME,
        updatedAt: CATALOGUE_TIME
    };
}
