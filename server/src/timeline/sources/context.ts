/** What every HubSpot timeline source shares: one client, the record read, portal metadata and limits. */
import type { Client } from '@hubspot/api-client';
import type { PortalMetadata } from './portal-metadata';
import type { RecordLoader } from './record-loader';

export interface SourceLimits {
    /** Most recent engagements read per type (emails, calls, ...); older ones are left out. */
    maxEngagementsPerType: number;
    /** Most recent page views and form submissions read, each. */
    maxAnalyticsEventsPerType: number;
    /** Marketing email events read per contact. */
    maxEmailEvents: number;
}

export interface HubSpotSourceContext {
    client: Client;
    records: RecordLoader;
    metadata: PortalMetadata;
    limits: SourceLimits;
}
