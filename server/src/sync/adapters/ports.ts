/**
 * The two small interfaces the engine drives. Everything behind them is I/O (jsforce,
 * `@hubspot/api-client`); everything in front of them is the pure core. Each method says how many API
 * calls it may spend, so the engine's call budget is visible here.
 */
import type { ErrorCategory } from '../errors';
import type { SearchRequest } from '../changes/hubspot-search';
import type { HubSpotPipelineSchema, HubSpotPropertySchema, SalesforceObjectSchema } from '../schema/live-schema';
import type { HubSpotValue, SalesforceValue } from '../values/conversion';
import type { HubSpotOwner, SalesforceUser } from '../values/owners';
import type { z } from 'zod';

/** Collections take 200 records per call; HubSpot batch endpoints 100 inputs. */
export const salesforceBatchSize = 200;
export const hubspotBatchSize = 100;
/** sObject Collections retrieve takes 2,000 IDs per call. */
export const salesforceRetrieveSize = 2_000;

/** One record's outcome in a batched write, in the order of the inputs. */
export type WriteResult = { ok: true; id: string } | { ok: false; category: ErrorCategory; message: string };

export interface SalesforceRow {
    id: string;
    values: Record<string, SalesforceValue | undefined>;
}

export interface ApiUsage {
    used: number;
    limit: number;
}

export interface BulkQueryOptions {
    /** queryAll: include deleted (recycle bin) and archived records. */
    all?: boolean;
    /**
     * Runs each HTTP call of the job (the create, every poll, every result page) so a decorator can admit
     * it first, e.g. against an API budget. Without it the calls run directly.
     */
    eachCall?: <T>(call: () => Promise<T>) => Promise<T>;
}

export interface SalesforcePort {
    readonly instanceUrl: string;
    /** The user the adapter is logged in as (the integration user), once logged in. */
    readonly userId: string | undefined;
    /** Cached per object: one call the first time. */
    describe(objectName: string): Promise<SalesforceObjectSchema | undefined>;
    users(): Promise<SalesforceUser[]>;
    /** Every page of the query (one call per 2,000 rows); `all` includes deleted records (queryAll). */
    query(soql: string, options?: { all?: boolean }): Promise<SalesforceRow[]>;
    /** The same rows page by page (one call per page of up to 2,000), so a caller holds one page at a time. */
    queryPages(soql: string, options?: { all?: boolean }): AsyncIterable<SalesforceRow[]>;
    /**
     * The same rows through a Bulk API 2.0 query job, for large reads: one call to create the job, one per
     * status poll until it completes (a running job is polled with back-off), then one per result page of
     * up to the adapter's page size (10,000 by default). The first read of an object also describes it
     * (cached) to type the CSV values as a REST query would. While the job runs, each poll yields an empty
     * page, so every step is one call and one wait; a caller that stops while the job runs gets it aborted.
     * Relationship columns (`Owner.Email`) are refused.
     */
    bulkQueryPages(soql: string, options?: BulkQueryOptions): AsyncIterable<SalesforceRow[]>;
    /**
     * Records by ID with the given fields (sObject Collections retrieve: one call per 2,000 IDs, where a
     * query by `Id IN (...)` takes a few hundred under the URL limit); IDs not found are left out.
     */
    retrieve(objectName: string, ids: string[], fields: string[]): Promise<SalesforceRow[]>;
    /** The size of a `SELECT COUNT() FROM ...` query (one call). */
    countRows(soql: string): Promise<number>;
    /** sObject Collections, ≤200 per call, allOrNone false. */
    create(objectName: string, records: Record<string, SalesforceValue>[]): Promise<WriteResult[]>;
    update(objectName: string, records: (Record<string, SalesforceValue> & { Id: string })[]): Promise<WriteResult[]>;
    /** sObject Collections delete, ≤200 per call, allOrNone false (the records go to the recycle bin). */
    destroy(objectName: string, ids: string[]): Promise<WriteResult[]>;
    /** HTTP calls made through this adapter since it was created. */
    calls(): number;
    /** From the `Sforce-Limit-Info` header of the last response. */
    usage(): ApiUsage | undefined;
}

export interface HubSpotObject {
    id: string;
    properties: Record<string, HubSpotValue | undefined>;
    updatedAt: string;
    archived?: boolean;
    /** When each property asked for with history got its current value (newest history entry). */
    propertyChangedAt?: Record<string, string>;
    /** The values each property asked for with history held before its current one, newest first. */
    propertyEarlierValues?: Record<string, (string | null)[]>;
}

export interface HubSpotCreateInput {
    properties: Record<string, string>;
    associations?: { toId: string; associationTypeId: number }[];
}

export type HubSpotPipeline = z.input<typeof HubSpotPipelineSchema>;

export interface HubSpotRateLimit {
    dailyLimit?: number;
    dailyRemaining?: number;
    /** The rolling window's allowance (X-HubSpot-RateLimit-Max, per X-HubSpot-RateLimit-Interval-Milliseconds). */
    intervalLimit?: number;
    intervalRemaining?: number;
}

export interface HubSpotPort {
    /** Cached per object type: one call the first time; undefined when the type does not exist. */
    properties(objectType: string): Promise<HubSpotPropertySchema[] | undefined>;
    pipelines(objectType: string): Promise<HubSpotPipeline[]>;
    owners(): Promise<HubSpotOwner[]>;
    /** One page of CRM search. */
    search(objectType: string, request: SearchRequest): Promise<{ results: HubSpotObject[]; nextAfter?: string }>;
    /** ≤100 per call; missing ids are left out; `history` properties come with their change time. */
    read(
        objectType: string,
        ids: string[],
        properties: string[],
        options?: { archived?: boolean; history?: string[] }
    ): Promise<HubSpotObject[]>;
    create(objectType: string, inputs: HubSpotCreateInput[]): Promise<WriteResult[]>;
    update(objectType: string, inputs: { id: string; properties: Record<string, string> }[]): Promise<WriteResult[]>;
    /**
     * The ids of every archived record of the type (`GET /crm/v3/objects/{type}?archived=true`, one call per
     * 100). HubSpot keeps archived records for 90 days, so the list is bounded by recent deletes.
     */
    listArchived(objectType: string): Promise<string[]>;
    /**
     * The members of a list, record id → when it joined (ISO-8601), from `GET /crm/v3/lists/{listId}/memberships`
     * (one call per 250 members).
     */
    listMembers(listId: string): Promise<Map<string, string>>;
    /** Batch archive, ≤100 per call (HubSpot answers 204 for a batch: each input shares its outcome). */
    archive(objectType: string, ids: string[]): Promise<WriteResult[]>;
    /** Associations v4: the `to` ids of each `from` id, ≤100 per call. */
    readAssociations(fromType: string, toType: string, fromIds: string[]): Promise<Map<string, string[]>>;
    createAssociations(
        fromType: string,
        toType: string,
        pairs: { fromId: string; toId: string }[],
        associationTypeId: number
    ): Promise<WriteResult[]>;
    archiveAssociations(fromType: string, toType: string, pairs: { fromId: string; toId: string }[]): Promise<void>;
    calls(): number;
    rateLimit(): HubSpotRateLimit;
}
