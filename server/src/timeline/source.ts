/**
 * What the timeline is built from. Each section of the contract has one independent source; the
 * HubSpot adapters implement these interfaces, tests use plain in-memory ones.
 */
import type { z } from 'zod';
import type {
    EmailEngagement,
    Lifecycle,
    MeetingLink,
    SequenceEnrollment,
    TimelineEvent,
    TimelineObjectType,
    TimelineResponse,
    TimelineSection,
    WebsiteActivity,
    WorkflowEnrollment
} from '../contract/timeline';

/** The payload each section contributes to the response (activities only contribute events). */
export interface SectionPayloads {
    activities: null;
    lifecycle: z.infer<typeof Lifecycle>;
    emailEngagement: z.infer<typeof EmailEngagement>;
    website: z.infer<typeof WebsiteActivity>;
    workflows: z.infer<typeof WorkflowEnrollment>[];
    meetingLink: z.infer<typeof MeetingLink> | null;
    sequence: z.infer<typeof SequenceEnrollment> | null;
}

export interface TimelineSubject {
    objectType: TimelineObjectType;
    hubspotId: string;
}

export interface SourceRequest extends TimelineSubject {
    /** Aborted when the source's time is up or the request is abandoned; pass it to HTTP calls. */
    signal: AbortSignal;
}

export interface SectionResult<S extends TimelineSection> {
    data: SectionPayloads[S];
    /** Timeline items this section contributes (e.g. page views from `website`), in any order. */
    events: TimelineEvent[];
}

export interface TimelineSource<S extends TimelineSection = TimelineSection> {
    readonly section: S;
    /** Object types the source serves; for any other the section is reported `disabled`. All when absent. */
    readonly objectTypes?: readonly TimelineObjectType[];
    fetch(request: SourceRequest): Promise<SectionResult<S>>;
}

/** The record itself: header data of the response. Resolves null when HubSpot has no such record. */
export interface TimelineRecordSource {
    fetch(request: SourceRequest): Promise<Pick<TimelineResponse, 'hubspotUrl' | 'summary'> | null>;
}

/**
 * A failure a source can explain. `code` is machine-readable (`RATE_LIMITED`, `HUBSPOT_ERROR`, ...);
 * `repMessage` is shown to sales reps as is, so it must be a plain sentence without internals.
 */
export class TimelineSourceError extends Error {
    constructor(
        readonly code: string,
        readonly repMessage: string,
        options?: { cause?: unknown }
    ) {
        super(repMessage, options);
        this.name = 'TimelineSourceError';
    }
}
