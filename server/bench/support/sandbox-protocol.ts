/** What the bench processes ask the sandbox process over IPC, and what it answers. */
import type { HubSpotSandboxOptionsInput, ObjectTypeName } from '../../src/sandbox/hubspot';
import type { SalesforceConnectionInfo, SalesforceSandboxOptionsInput } from '../../src/sandbox/salesforce';
import type { InitialLoadShape, SyncBenchShape } from './load-shape';

/** A field the bench watches: its current value is read in process, so watching costs no API call. */
export type Probe =
    | { side: 'salesforce'; id: string; field: string }
    | { side: 'hubspot'; objectType: ObjectTypeName; id: string; property: string };

export type SandboxCommand =
    | { kind: 'seed'; shape: SyncBenchShape | InitialLoadShape }
    | { kind: 'change-one-percent' }
    | { kind: 'salesforce-ids'; object: string; limit: number }
    | { kind: 'read-values'; probes: Probe[] }
    | { kind: 'rss' }
    /** The HubSpot sandbox's requests served so far, by endpoint (`POST /crm/v3/objects/{type}/batch/create`). */
    | { kind: 'hubspot-requests' };

export interface SandboxStart {
    kind: 'start';
    salesforce: SalesforceSandboxOptionsInput;
    hubspot: HubSpotSandboxOptionsInput;
}

export interface SandboxConnections {
    salesforce: SalesforceConnectionInfo;
    hubspot: { basePath: string; accessToken: string; otherAppAccessToken: string; portalId: number };
}

export type SandboxAnswer =
    ({ kind: 'ready' } & SandboxConnections) | { kind: 'done'; result: unknown } | { kind: 'failed'; message: string };

/** Current values of the probes (null when unset or gone), read at `at` (epoch ms, this machine's clock). */
export interface ReadValuesAnswer {
    at: number;
    values: (string | null)[];
}

/** Records per object after seeding. */
export type SeededCounts = Record<string, number>;
