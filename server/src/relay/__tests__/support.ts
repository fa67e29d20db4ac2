/**
 * Test-only wiring for the relay: in-memory implementations of the injected interfaces, timeline
 * sources built from the contract's examples, and a running relay on an ephemeral port.
 */
import { Writable } from 'node:stream';
import { fullTimeline, lastPageTimeline } from '../../contract/examples';
import {
    type ErrorCode,
    ErrorEnvelope,
    type TimelineEvent,
    type TimelineEventType,
    type TimelineSection
} from '../../contract/timeline';
import { listen, type RunningServer } from '../../sandbox/common/listen';
import { TimelineService, type TimelineServiceOptions, type TimelineSources } from '../../timeline/service';
import type { SectionResult, TimelineRecordSource, TimelineSource } from '../../timeline/source';
import { createRelayApp, type RelayApp, type RelayDependencies } from '../app';
import { type RelayConfig, parseRelayConfig } from '../config';
import { createRelayLogger } from '../logger';
import type { ReadinessCheck } from '../readiness';
import type { ResyncQueue, ResyncRequest } from '../resync-queue';
import { signV3 } from '../webhooks/hubspot-signature';
import type { ReceivedWebhookEvent, WebhookEventSink } from '../webhooks/sink';

export const API_TOKEN = 'test-relay-token-0123456789abcdefghijklmnop';
export const CLIENT_SECRET = 'hubspot-client-secret-for-tests';
export const OPERATOR = { user: 'operator', password: 'correct horse battery staple' };

export function testConfig(overrides: Record<string, string> = {}): RelayConfig {
    return parseRelayConfig({
        LOG_LEVEL: 'silent',
        RELAY_API_TOKEN: API_TOKEN,
        HUBSPOT_CLIENT_SECRET: CLIENT_SECRET,
        DASHBOARD_USER: OPERATOR.user,
        DASHBOARD_PASSWORD: OPERATOR.password,
        ...overrides
    });
}

export class MemoryWebhookSink implements WebhookEventSink {
    readonly events = new Map<string, ReceivedWebhookEvent>();
    appendCalls = 0;

    async append(events: readonly ReceivedWebhookEvent[]) {
        this.appendCalls += 1;
        let accepted = 0;
        for (const event of events) {
            if (this.events.has(event.dedupeKey)) continue;
            this.events.set(event.dedupeKey, event);
            accepted += 1;
        }
        return { accepted, duplicates: events.length - accepted };
    }
}

export class MemoryResyncQueue implements ResyncQueue {
    readonly objects = ['Lead', 'Contact', 'Account', 'Opportunity'];
    readonly requests: ResyncRequest[] = [];

    async enqueue(request: ResyncRequest) {
        this.requests.push(request);
        return { jobId: `job-${this.requests.length}` };
    }
}

/** Every event type of the contract examples, spread over the sections that produce them in HubSpot. */
const sectionOfEvent: Record<TimelineEventType, TimelineSection> = {
    MARKETING_EMAIL_SENT: 'emailEngagement',
    MARKETING_EMAIL_DELIVERED: 'emailEngagement',
    MARKETING_EMAIL_OPENED: 'emailEngagement',
    MARKETING_EMAIL_CLICKED: 'emailEngagement',
    MARKETING_EMAIL_BOUNCED: 'emailEngagement',
    SALES_EMAIL: 'activities',
    FORM_SUBMISSION: 'website',
    PAGE_VIEW: 'website',
    MEETING: 'activities',
    CALL: 'activities',
    NOTE: 'activities',
    TASK: 'activities',
    LIFECYCLE_STAGE_CHANGE: 'lifecycle'
};

export const exampleEvents: TimelineEvent[] = [...fullTimeline.events, ...lastPageTimeline.events];

function eventsOf(section: TimelineSection): TimelineEvent[] {
    return exampleEvents.filter((event) => sectionOfEvent[event.eventType] === section);
}

export const exampleSectionData = {
    activities: null,
    lifecycle: fullTimeline.lifecycle!,
    emailEngagement: fullTimeline.emailEngagement!,
    website: fullTimeline.website!,
    workflows: fullTimeline.workflows!,
    meetingLink: fullTimeline.meetingLink,
    sequence: fullTimeline.sequence
};

/** A source answering the example data for its section; `calls` counts fetches. */
export function staticSource<S extends TimelineSection>(section: S): TimelineSource<S> & { calls: number } {
    const source = {
        section,
        calls: 0,
        async fetch(): Promise<SectionResult<S>> {
            source.calls += 1;
            return { data: exampleSectionData[section] as SectionResult<S>['data'], events: eventsOf(section) };
        }
    };
    return source;
}

export function exampleSources(): Required<TimelineSources> {
    return {
        activities: staticSource('activities'),
        lifecycle: staticSource('lifecycle'),
        emailEngagement: staticSource('emailEngagement'),
        website: staticSource('website'),
        workflows: staticSource('workflows'),
        meetingLink: staticSource('meetingLink'),
        sequence: staticSource('sequence')
    };
}

/** The example contact; HubSpot ID 404 does not exist. */
export function exampleRecordSource(): TimelineRecordSource & { calls: number } {
    const source = {
        calls: 0,
        async fetch({ hubspotId }: { hubspotId: string }) {
            source.calls += 1;
            return hubspotId === '404' ? null : { hubspotUrl: fullTimeline.hubspotUrl, summary: fullTimeline.summary };
        }
    };
    return source;
}

export function exampleTimelineService(options: Partial<TimelineServiceOptions> = {}): TimelineService {
    return new TimelineService({ record: exampleRecordSource(), sources: exampleSources(), ...options });
}

/** Collects log lines written by pino. */
export class LogCapture extends Writable {
    readonly lines: string[] = [];
    override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
        this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        callback();
    }
}

export interface TestRelay extends RelayApp {
    server: RunningServer;
    url: string;
    sink: MemoryWebhookSink;
    queue: MemoryResyncQueue;
}

export async function startRelay(overrides: Partial<RelayDependencies> = {}): Promise<TestRelay> {
    const sink = new MemoryWebhookSink();
    const queue = new MemoryResyncQueue();
    const config = overrides.config ?? testConfig();
    const relay = createRelayApp({
        config,
        timeline: exampleTimelineService(),
        webhookSink: sink,
        resyncQueue: queue,
        readinessChecks: [] as ReadinessCheck[],
        logger: createRelayLogger('silent'),
        ...overrides
    });
    const server = await listen(relay.app);
    return { ...relay, server, url: server.url, sink, queue };
}

export function bearer(token = API_TOKEN): Record<string, string> {
    return { authorization: `Bearer ${token}` };
}

export function basic(user = OPERATOR.user, password = OPERATOR.password): Record<string, string> {
    return { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
}

/** Headers HubSpot would send for `body` POSTed to `url`. */
export function hubspotHeaders(url: string, body: string, options: { timestamp?: number; secret?: string } = {}) {
    const timestamp = String(options.timestamp ?? Date.now());
    return {
        'content-type': 'application/json',
        'x-hubspot-request-timestamp': timestamp,
        'x-hubspot-signature-v3': signV3(options.secret ?? CLIENT_SECRET, {
            method: 'POST',
            uri: url,
            rawBody: Buffer.from(body),
            timestamp
        })
    };
}

export interface ErrorReply {
    status: number;
    code: ErrorCode;
    message: string;
    details?: unknown;
}

/** Reads an error response; throws unless the body is exactly the contract's ErrorEnvelope. */
export async function readError(response: globalThis.Response): Promise<ErrorReply> {
    const envelope = ErrorEnvelope.parse(await response.json());
    return { status: response.status, ...envelope.error };
}
