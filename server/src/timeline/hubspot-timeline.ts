/**
 * Builds the TimelineService that reads HubSpot: one injected @hubspot/api-client, one source per
 * section, the record header, shared record and portal-metadata reads.
 *
 * Per object type: contacts get every section. Companies and deals get their own engagements, their
 * stage history (lifecycle stage; a deal's pipeline stages) and the owner's meeting link; marketing
 * email, website, workflow and sequence data exist in HubSpot per contact only, so those sections are
 * `disabled` for companies and deals rather than fanned out over every associated contact.
 */
import type { Client } from '@hubspot/api-client';
import { z } from 'zod';
import { TimelineService, type TimelineServiceOptions, type TimelineSources } from './service';
import { hubspotActivitiesSource } from './sources/activities';
import type { HubSpotSourceContext } from './sources/context';
import { hubspotEmailEngagementSource } from './sources/email-engagement';
import { hubspotMeetingLinkSource, hubspotSequenceSource, hubspotWorkflowsSource } from './sources/enrollments';
import { hubspotLifecycleSource } from './sources/lifecycle';
import { PortalMetadata } from './sources/portal-metadata';
import { RecordLoader } from './sources/record-loader';
import { hubspotRecordSource } from './sources/record-source';
import { hubspotWebsiteSource } from './sources/website';

export const HubSpotTimelineOptions = z.strictObject({
    portalId: z.number().int().positive(),
    /** Where reps open records; EU-hosted portals use `https://app-eu1.hubspot.com`. */
    appBaseUrl: z.url({ protocol: /^https?$/ }).default('https://app.hubspot.com'),
    timeouts: z
        .strictObject({
            /** Deadline of each source (and of the record header); a late section is reported as TIMEOUT. */
            sourceMs: z.number().int().min(50).max(30_000).default(2_500)
        })
        .prefault({}),
    cache: z
        .strictObject({
            /** How long a complete timeline is served from memory (paging, re-renders). */
            ttlMs: z.number().int().min(0).max(3_600_000).default(30_000),
            maxEntries: z.number().int().min(1).max(100_000).default(500),
            /** Lifecycle stages, deal pipelines and owners change rarely. */
            metadataTtlMs: z.number().int().min(0).max(86_400_000).default(300_000)
        })
        .prefault({}),
    limits: z
        .strictObject({
            maxEngagementsPerType: z.number().int().min(1).max(10_000).default(300),
            maxAnalyticsEventsPerType: z.number().int().min(1).max(10_000).default(1_000),
            maxEmailEvents: z.number().int().min(1).max(50_000).default(2_000)
        })
        .prefault({}),
    /** The Beta sections; off here means `disabled` in every response. */
    beta: z
        .strictObject({
            meetingLink: z.boolean().default(true),
            sequence: z.boolean().default(true)
        })
        .prefault({})
});
export type HubSpotTimelineOptions = z.infer<typeof HubSpotTimelineOptions>;
export type HubSpotTimelineOptionsInput = z.input<typeof HubSpotTimelineOptions>;

export interface HubSpotTimelineDependencies {
    client: Client;
    onSourceError?: TimelineServiceOptions['onSourceError'];
    now?: () => number;
}

/** How long the header and the sections of one request share a record read. */
const RECORD_SHARE_MS = 2_000;

export function createHubSpotTimelineService(
    input: HubSpotTimelineDependencies & HubSpotTimelineOptionsInput
): TimelineService {
    const { client, onSourceError, now, ...rest } = input;
    const parsed = HubSpotTimelineOptions.safeParse(rest);
    if (!parsed.success) {
        throw new Error(`Invalid HubSpot timeline options:\n${z.prettifyError(parsed.error)}`);
    }
    const options = parsed.data;
    const timeoutMs = options.timeouts.sourceMs;
    const context: HubSpotSourceContext = {
        client,
        records: new RecordLoader(client, { ttlMs: RECORD_SHARE_MS, timeoutMs, now }),
        metadata: new PortalMetadata(client, { ttlMs: options.cache.metadataTtlMs, timeoutMs, now }),
        limits: options.limits
    };
    const sources: TimelineSources = {
        activities: hubspotActivitiesSource(context),
        lifecycle: hubspotLifecycleSource(context),
        emailEngagement: hubspotEmailEngagementSource(context),
        website: hubspotWebsiteSource(context),
        workflows: hubspotWorkflowsSource(context)
    };
    if (options.beta.meetingLink) sources.meetingLink = hubspotMeetingLinkSource(context);
    if (options.beta.sequence) sources.sequence = hubspotSequenceSource(context);
    return new TimelineService({
        record: hubspotRecordSource(context, { portalId: options.portalId, appBaseUrl: options.appBaseUrl }),
        sources,
        sourceTimeoutMs: timeoutMs,
        cacheTtlMs: options.cache.ttlMs,
        cacheMaxEntries: options.cache.maxEntries,
        now,
        onSourceError
    });
}
