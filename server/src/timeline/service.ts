/**
 * Builds the contract's TimelineResponse for one HubSpot record. The record header and every section
 * source are fetched in parallel, each under its own deadline; a section that fails or times out is
 * reported in `sections` and the rest of the timeline is still answered. The merged result is cached
 * briefly so paging and the component's re-renders do not hit HubSpot again.
 */
import { z } from 'zod';
import {
    CONTRACT_VERSION,
    EmailEngagement,
    Lifecycle,
    MeetingLink,
    type SectionStatus,
    SequenceEnrollment,
    TimelineEvent,
    type TimelineEventType,
    type TimelineResponse,
    type TimelineSection,
    WebsiteActivity,
    WorkflowEnrollment,
    timelineSections
} from '../contract/timeline';
import type { TimelineCursor } from './cursor';
import { DeadlineExceededError, withDeadline } from './deadline';
import { mergeEvents, pageEvents } from './paging';
import {
    type SectionPayloads,
    type SectionResult,
    type TimelineRecordSource,
    type TimelineSource,
    TimelineSourceError,
    type TimelineSubject
} from './source';
import { TtlCache } from './ttl-cache';

export type TimelineSources = { [S in TimelineSection]?: TimelineSource<S> };

export interface TimelineServiceOptions {
    record: TimelineRecordSource;
    /** A section without a source is reported as `disabled` (e.g. the Beta meeting link). */
    sources: TimelineSources;
    sourceTimeoutMs?: number;
    cacheTtlMs?: number;
    cacheMaxEntries?: number;
    now?: () => number;
    /** Called for each failed section (metrics, logs); the response carries only the rep-readable text. */
    onSourceError?: (section: TimelineSection, code: string, error: unknown) => void;
}

export interface TimelinePageQuery {
    types?: readonly TimelineEventType[];
    after?: TimelineCursor | null;
    pageSize: number;
}

/** HubSpot has no record with this type and id. */
export class TimelineRecordNotFoundError extends Error {
    constructor(readonly subject: TimelineSubject) {
        super(`HubSpot has no ${subject.objectType} with ID ${subject.hubspotId}.`);
        this.name = 'TimelineRecordNotFoundError';
    }
}

/** The record itself could not be read, so there is no timeline to show at all. */
export class TimelineRecordUnavailableError extends Error {
    constructor(
        message: string,
        readonly code: string,
        options?: { cause?: unknown }
    ) {
        super(message, options);
        this.name = 'TimelineRecordUnavailableError';
    }
}

const sectionSchemas: { [S in TimelineSection]: z.ZodType<SectionPayloads[S]> } = {
    activities: z.null(),
    lifecycle: Lifecycle,
    emailEngagement: EmailEngagement,
    website: WebsiteActivity,
    workflows: z.array(WorkflowEnrollment),
    meetingLink: MeetingLink.nullable(),
    sequence: SequenceEnrollment.nullable()
};
const eventsSchema = z.array(TimelineEvent);

const sectionLabels: Record<TimelineSection, string> = {
    activities: 'activity history',
    lifecycle: 'lifecycle stages',
    emailEngagement: 'marketing email engagement',
    website: 'website analytics',
    workflows: 'workflow enrollments',
    meetingLink: 'meeting link',
    sequence: 'sequence enrollment'
};

type SectionOutcome = {
    status: SectionStatus;
    result: SectionResult<TimelineSection> | null;
    /** Reported once the record itself is known to exist, so a 404 does not count as source failures. */
    failure?: { code: string; error: unknown };
};

/** Everything fetched for one record; pages and filters are cut from it. */
interface Snapshot {
    generatedAt: string;
    header: Pick<TimelineResponse, 'hubspotUrl' | 'summary'>;
    sections: Record<TimelineSection, SectionOutcome>;
    events: TimelineEvent[];
}

const ok: SectionStatus = { status: 'ok', errorCode: null, errorMessage: null };
const disabled: SectionStatus = { status: 'disabled', errorCode: null, errorMessage: null };

export class TimelineService {
    private readonly cache: TtlCache<Snapshot>;
    private readonly inFlight = new Map<string, Promise<Snapshot>>();
    private readonly timeoutMs: number;
    private readonly now: () => number;

    constructor(private readonly options: TimelineServiceOptions) {
        this.timeoutMs = options.sourceTimeoutMs ?? 2500;
        this.now = options.now ?? Date.now;
        this.cache = new TtlCache(options.cacheTtlMs ?? 30_000, options.cacheMaxEntries ?? 500, this.now);
    }

    async getTimeline(subject: TimelineSubject, query: TimelinePageQuery): Promise<TimelineResponse> {
        const snapshot = await this.snapshot(subject);
        const page = pageEvents(snapshot.events, query);
        const data = <S extends TimelineSection>(section: S): SectionPayloads[S] | null =>
            (snapshot.sections[section].result?.data as SectionPayloads[S] | undefined) ?? null;
        return {
            contractVersion: CONTRACT_VERSION,
            objectType: subject.objectType,
            hubspotId: subject.hubspotId,
            hubspotUrl: snapshot.header.hubspotUrl,
            generatedAt: snapshot.generatedAt,
            summary: snapshot.header.summary,
            lifecycle: data('lifecycle'),
            emailEngagement: data('emailEngagement'),
            website: data('website'),
            workflows: data('workflows'),
            meetingLink: data('meetingLink'),
            sequence: data('sequence'),
            events: page.events,
            nextCursor: page.nextCursor,
            sections: Object.fromEntries(
                timelineSections.map((section) => [section, snapshot.sections[section].status])
            ) as TimelineResponse['sections']
        };
    }

    private async snapshot(subject: TimelineSubject): Promise<Snapshot> {
        const key = `${subject.objectType}:${subject.hubspotId}`;
        const cached = this.cache.get(key);
        if (cached) return cached;
        // Concurrent requests for the same record share one fan-out.
        let pending = this.inFlight.get(key);
        if (!pending) {
            pending = this.fetchSnapshot(subject).finally(() => this.inFlight.delete(key));
            this.inFlight.set(key, pending);
        }
        const snapshot = await pending;
        // Partial results are not cached, so the next request retries the failed section.
        const complete = timelineSections.every((section) => snapshot.sections[section].status.status !== 'error');
        if (complete) this.cache.set(key, snapshot);
        return snapshot;
    }

    private async fetchSnapshot(subject: TimelineSubject): Promise<Snapshot> {
        const generatedAt = new Date(this.now()).toISOString();
        const [header, ...outcomes] = await Promise.all([
            this.fetchHeader(subject),
            ...timelineSections.map((section) => this.fetchSection(section, subject))
        ]);
        const sections = Object.fromEntries(timelineSections.map((section, i) => [section, outcomes[i]!])) as Record<
            TimelineSection,
            SectionOutcome
        >;
        for (const section of timelineSections) {
            const failure = sections[section].failure;
            if (failure) this.options.onSourceError?.(section, failure.code, failure.error);
        }
        const events = mergeEvents(outcomes.map((outcome) => outcome.result?.events ?? []));
        return { generatedAt, header, sections, events };
    }

    private async fetchHeader(subject: TimelineSubject): Promise<Snapshot['header']> {
        let header: Awaited<ReturnType<TimelineRecordSource['fetch']>>;
        try {
            header = await withDeadline(this.timeoutMs, (signal) => this.options.record.fetch({ ...subject, signal }));
        } catch (error) {
            const timedOut = error instanceof DeadlineExceededError;
            throw new TimelineRecordUnavailableError(
                timedOut
                    ? 'HubSpot did not answer in time. Try again in a minute.'
                    : 'HubSpot could not be reached to load this record. Try again in a minute.',
                timedOut ? 'TIMEOUT' : error instanceof TimelineSourceError ? error.code : 'HUBSPOT_ERROR',
                { cause: error }
            );
        }
        if (!header) throw new TimelineRecordNotFoundError(subject);
        return header;
    }

    private async fetchSection(section: TimelineSection, subject: TimelineSubject): Promise<SectionOutcome> {
        const source = this.options.sources[section] as TimelineSource | undefined;
        if (!source || (source.objectTypes && !source.objectTypes.includes(subject.objectType))) {
            return { status: disabled, result: null };
        }
        const label = sectionLabels[section];
        try {
            const result = await withDeadline(this.timeoutMs, (signal) => source.fetch({ ...subject, signal }));
            const data = sectionSchemas[section].safeParse(result.data);
            const events = eventsSchema.safeParse(result.events);
            if (!data.success || !events.success) {
                return this.failed('INVALID_DATA', `HubSpot returned ${label} the relay could not read.`, {
                    data: data.error?.issues,
                    events: events.error?.issues
                });
            }
            return { status: ok, result: { data: data.data, events: events.data } };
        } catch (error) {
            if (error instanceof DeadlineExceededError) {
                return this.failed('TIMEOUT', `HubSpot ${label} did not answer in time. Try again in a minute.`, error);
            }
            if (error instanceof TimelineSourceError) return this.failed(error.code, error.repMessage, error);
            return this.failed('HUBSPOT_ERROR', `HubSpot ${label} could not be loaded. Try again in a minute.`, error);
        }
    }

    private failed(code: string, message: string, error: unknown): SectionOutcome {
        return {
            status: { status: 'error', errorCode: code, errorMessage: message },
            result: null,
            failure: { code, error }
        };
    }
}
