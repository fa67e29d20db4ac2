/**
 * The HubSpot side through the real `@hubspot/api-client`: properties (cached), CRM search pages,
 * batch read/create/update at 100 inputs with 207 per-input errors, associations v4 in batches, owners.
 * Calls go through the generic `crm.objects` APIs so any object type (custom ones, engagements) works,
 * and through the `WithHttpInfo` variants so the rate-limit headers can be read.
 */
import type { Client } from '@hubspot/api-client';

import type { SearchRequest } from '../changes/hubspot-search';
import { classifyHubSpotError, type HubSpotErrorBody } from '../classify-error';
import { errorMessage } from '../errors';
import { HubSpotPropertySchema } from '../schema/live-schema';
import type { HubSpotOwner } from '../values/owners';
import {
    hubspotBatchSize,
    type HubSpotCreateInput,
    type HubSpotObject,
    type HubSpotPipeline,
    type HubSpotPort,
    type HubSpotRateLimit,
    type WriteResult
} from './ports';
import { newBucket, takeTokens, type TokenBucket } from '../../budget/token-bucket';
import { noteCall } from './call-scope';
import { chunk } from './salesforce';

interface RawObject {
    id: string;
    properties: Record<string, string | null | undefined>;
    updatedAt: Date | string;
    archived?: boolean;
    objectWriteTraceId?: string;
    propertiesWithHistory?: Record<string, { value?: string | null; timestamp: Date | string }[]>;
}

interface RawBatch {
    results: RawObject[];
    errors?: {
        category?: string;
        message?: string;
        context?: Record<string, string[]>;
        errors?: { code?: string }[];
    }[];
}

interface ApiFailure {
    code?: number;
    body?: unknown;
}

const isoTime = (value: Date | string) => (value instanceof Date ? value.toISOString() : new Date(value).toISOString());

function toObject(raw: RawObject): HubSpotObject {
    const changedAt: Record<string, string> = {};
    const earlierValues: Record<string, (string | null)[]> = {};
    for (const [property, history] of Object.entries(raw.propertiesWithHistory ?? {})) {
        const newestFirst = history
            .map((entry) => ({ value: entry.value ?? null, at: Date.parse(isoTime(entry.timestamp)) }))
            .sort((left, right) => right.at - left.at);
        if (newestFirst.length === 0) continue;
        changedAt[property] = new Date(newestFirst[0]!.at).toISOString();
        if (newestFirst.length > 1) earlierValues[property] = newestFirst.slice(1).map((entry) => entry.value);
    }
    return {
        id: raw.id,
        properties: raw.properties,
        updatedAt: isoTime(raw.updatedAt),
        ...(raw.archived === undefined ? {} : { archived: raw.archived }),
        ...(Object.keys(changedAt).length > 0 ? { propertyChangedAt: changedAt } : {}),
        ...(Object.keys(earlierValues).length > 0 ? { propertyEarlierValues: earlierValues } : {})
    };
}

function parsedBody(body: unknown): HubSpotErrorBody {
    if (typeof body === 'string') {
        try {
            return JSON.parse(body) as HubSpotErrorBody;
        } catch {
            return { message: body };
        }
    }
    return (body ?? {}) as HubSpotErrorBody;
}

/** True for a 4xx that rejected the whole batch because of one input (bad value, existing email). */
function isInputRejection(error: unknown): boolean {
    const code = (error as ApiFailure).code;
    return code === 400 || code === 409;
}

function failure(error: unknown): Extract<WriteResult, { ok: false }> {
    const { code, body } = error as ApiFailure;
    const parsed = parsedBody(body);
    return {
        ok: false,
        category: classifyHubSpotError(typeof code === 'number' ? code : 0, parsed),
        message: parsed.message ?? errorMessage(error)
    };
}

/**
 * CRM search has its own limit (5 requests per second per portal) and answers carry no rate-limit
 * headers, so searches are spaced proactively instead of learning the limit from 429s: one token per
 * 220 ms keeps a margin under five in any one-second window. Behind the API budget, which counts searches
 * in a rolling second of its own, the adapter leaves the spacing to it (`paceSearches: false`).
 */
const searchSpacingMs = 220;

/** The largest page the memberships endpoint answers. */
const listMembershipPage = 250;

export class HubSpotClientAdapter implements HubSpotPort {
    private callCount = 0;
    private lastLimit: HubSpotRateLimit = {};
    private searchBucket: TokenBucket = newBucket(1, searchSpacingMs, Date.now());
    private readonly propertyCache = new Map<string, Promise<HubSpotPropertySchema[] | undefined>>();

    constructor(
        private readonly client: Client,
        /** HTTP requests the client sent, its own retries included (`HubSpotRequestCounter`), when known. */
        private readonly requests?: () => number,
        private readonly options: { paceSearches?: boolean } = {}
    ) {}

    calls(): number {
        return this.requests?.() ?? this.callCount;
    }

    /** Without the client's request counter, each method call is counted as one request. */
    private countCall(): void {
        this.callCount += 1;
        if (!this.requests) noteCall();
    }

    rateLimit(): HubSpotRateLimit {
        return this.lastLimit;
    }

    private async call<T>(send: () => Promise<{ data: T; headers: Record<string, string> }>): Promise<T> {
        this.countCall();
        const response = await send();
        const number = (name: string) => {
            const value = response.headers[name];
            return value === undefined ? undefined : Number(value);
        };
        const daily = number('x-hubspot-ratelimit-daily-remaining');
        const interval = number('x-hubspot-ratelimit-remaining');
        // Search answers carry no rate-limit headers; keep the last known figures then.
        if (daily !== undefined) this.lastLimit.dailyRemaining = daily;
        if (interval !== undefined) this.lastLimit.intervalRemaining = interval;
        const dailyLimit = number('x-hubspot-ratelimit-daily');
        const intervalLimit = number('x-hubspot-ratelimit-max');
        if (dailyLimit !== undefined) this.lastLimit.dailyLimit = dailyLimit;
        if (intervalLimit !== undefined) this.lastLimit.intervalLimit = intervalLimit;
        return response.data;
    }

    /** Takes a search token now (concurrent callers queue up as debt) and waits until it is paid back. */
    private async paceSearch(): Promise<void> {
        if (this.options.paceSearches === false) return;
        this.searchBucket = takeTokens(this.searchBucket, Date.now(), 1);
        const debt = -this.searchBucket.tokens;
        if (debt > 0) await new Promise((resolve) => setTimeout(resolve, Math.ceil(debt * searchSpacingMs)));
    }

    properties(objectType: string): Promise<HubSpotPropertySchema[] | undefined> {
        let cached = this.propertyCache.get(objectType);
        if (!cached) {
            this.countCall();
            cached = this.client.crm.properties.coreApi
                .getAll(objectType)
                .then((response) => response.results.map((property) => HubSpotPropertySchema.parse(property)))
                .catch((error: unknown) => {
                    const code = (error as ApiFailure).code;
                    if (code === 400 || code === 404) return undefined;
                    this.propertyCache.delete(objectType);
                    throw error;
                });
            this.propertyCache.set(objectType, cached);
        }
        return cached;
    }

    async pipelines(objectType: string): Promise<HubSpotPipeline[]> {
        this.countCall();
        const response = await this.client.crm.pipelines.pipelinesApi.getAll(objectType);
        return response.results.map((pipeline) => ({
            id: pipeline.id,
            stages: pipeline.stages.map((stage) => ({ id: stage.id }))
        }));
    }

    async owners(): Promise<HubSpotOwner[]> {
        const owners: HubSpotOwner[] = [];
        let after: string | undefined;
        do {
            this.countCall();
            const page = await this.client.crm.owners.ownersApi.getPage(undefined, after, 500, false);
            for (const owner of page.results) owners.push({ id: owner.id, email: owner.email ?? null });
            after = page.paging?.next?.after;
        } while (after);
        return owners;
    }

    async search(
        objectType: string,
        request: SearchRequest
    ): Promise<{ results: HubSpotObject[]; nextAfter?: string }> {
        await this.paceSearch();
        const page = await this.call(() =>
            this.client.crm.objects.searchApi.doSearchWithHttpInfo(
                objectType,
                request as unknown as Parameters<Client['crm']['objects']['searchApi']['doSearch']>[1]
            )
        );
        const nextAfter = page.paging?.next?.after;
        return {
            results: (page.results as RawObject[]).map(toObject),
            ...(nextAfter === undefined ? {} : { nextAfter })
        };
    }

    async read(
        objectType: string,
        ids: string[],
        properties: string[],
        options: { archived?: boolean; history?: string[] } = {}
    ): Promise<HubSpotObject[]> {
        const objects: HubSpotObject[] = [];
        for (const batch of chunk([...new Set(ids)], hubspotBatchSize)) {
            try {
                const response = (await this.call(() =>
                    this.client.crm.objects.batchApi.readWithHttpInfo(
                        objectType,
                        {
                            inputs: batch.map((id) => ({ id })),
                            properties,
                            propertiesWithHistory: options.history ?? []
                        },
                        options.archived ?? false
                    )
                )) as RawBatch;
                objects.push(...response.results.map(toObject));
            } catch (error) {
                // HubSpot answers 404 instead of 207 when none of the ids exists.
                if ((error as ApiFailure).code !== 404) throw error;
            }
        }
        return objects;
    }

    async create(objectType: string, inputs: HubSpotCreateInput[]): Promise<WriteResult[]> {
        const toWire = (input: HubSpotCreateInput, index: number) => ({
            properties: input.properties,
            associations: (input.associations ?? []).map((association) => ({
                to: { id: association.toId },
                types: [
                    {
                        associationCategory: 'HUBSPOT_DEFINED' as never,
                        associationTypeId: association.associationTypeId
                    }
                ]
            })),
            objectWriteTraceId: String(index)
        });
        return this.writeInBatches(inputs, async (batch, offset) => {
            const response = (await this.call(() =>
                this.client.crm.objects.batchApi.createWithHttpInfo(objectType, {
                    inputs: batch.map((input, index) => toWire(input, offset + index))
                })
            )) as RawBatch;
            return this.resultsByKey(
                response,
                batch.map((_, index) => String(offset + index)),
                (raw) => raw.objectWriteTraceId,
                'objectWriteTraceId'
            );
        });
    }

    async update(
        objectType: string,
        inputs: { id: string; properties: Record<string, string> }[]
    ): Promise<WriteResult[]> {
        return this.writeInBatches(inputs, async (batch) => {
            const response = (await this.call(() =>
                this.client.crm.objects.batchApi.updateWithHttpInfo(objectType, {
                    inputs: batch.map((input) => ({ id: input.id, properties: input.properties }))
                })
            )) as RawBatch;
            return this.resultsByKey(
                response,
                batch.map((input) => input.id),
                (raw) => raw.id,
                'ids'
            );
        });
    }

    async listArchived(objectType: string): Promise<string[]> {
        const ids: string[] = [];
        let after: string | undefined;
        do {
            const page = await this.call(() =>
                this.client.crm.objects.basicApi.getPageWithHttpInfo(
                    objectType,
                    hubspotBatchSize,
                    after,
                    ['hs_object_id'],
                    undefined,
                    undefined,
                    true
                )
            );
            for (const object of page.results) ids.push(object.id);
            after = page.paging?.next?.after;
        } while (after);
        return ids;
    }

    async listMembers(listId: string): Promise<Map<string, string>> {
        const members = new Map<string, string>();
        let after: string | undefined;
        do {
            const page = await this.call(() =>
                this.client.crm.lists.membershipsApi.getPageWithHttpInfo(listId, after, undefined, listMembershipPage)
            );
            for (const member of page.results) members.set(member.recordId, member.membershipTimestamp.toISOString());
            after = page.paging?.next?.after;
        } while (after);
        return members;
    }

    async archive(objectType: string, ids: string[]): Promise<WriteResult[]> {
        const results: WriteResult[] = [];
        for (const batch of chunk(ids, hubspotBatchSize)) {
            try {
                await this.call(() =>
                    this.client.crm.objects.batchApi.archiveWithHttpInfo(objectType, {
                        inputs: batch.map((id) => ({ id }))
                    })
                );
                results.push(...batch.map((id) => ({ ok: true as const, id })));
            } catch (error) {
                results.push(...batch.map(() => failure(error)));
            }
        }
        return results;
    }

    /**
     * Batches of 100; a batch HubSpot rejects whole because of one input (400/409) is split in halves
     * until the bad input stands alone, so the others still go through.
     */
    private async writeInBatches<T>(
        inputs: T[],
        send: (batch: T[], offset: number) => Promise<WriteResult[]>
    ): Promise<WriteResult[]> {
        const results: WriteResult[] = [];
        const attempt = async (batch: T[], offset: number): Promise<WriteResult[]> => {
            try {
                return await send(batch, offset);
            } catch (error) {
                if (batch.length > 1 && isInputRejection(error)) {
                    const half = Math.ceil(batch.length / 2);
                    return [
                        ...(await attempt(batch.slice(0, half), offset)),
                        ...(await attempt(batch.slice(half), offset + half))
                    ];
                }
                return batch.map(() => failure(error));
            }
        };
        let offset = 0;
        for (const batch of chunk(inputs, hubspotBatchSize)) {
            results.push(...(await attempt(batch, offset)));
            offset += batch.length;
        }
        return results;
    }

    private resultsByKey(
        response: RawBatch,
        keys: string[],
        keyOf: (raw: RawObject) => string | undefined,
        contextKey: string
    ): WriteResult[] {
        const succeeded = new Map<string, string>();
        for (const raw of response.results) {
            const key = keyOf(raw);
            if (key !== undefined) succeeded.set(key, raw.id);
        }
        const failed = new Map<string, WriteResult>();
        for (const error of response.errors ?? []) {
            const result = failure({ code: 400, body: error });
            for (const key of error.context?.[contextKey] ?? []) failed.set(key, result);
        }
        return keys.map((key) => {
            const id = succeeded.get(key);
            if (id !== undefined) return { ok: true, id };
            return (
                failed.get(key) ?? {
                    ok: false,
                    category: 'transient',
                    message: 'HubSpot returned neither a result nor an error for this input'
                }
            );
        });
    }

    async readAssociations(fromType: string, toType: string, fromIds: string[]): Promise<Map<string, string[]>> {
        const associated = new Map<string, string[]>();
        for (const batch of chunk([...new Set(fromIds)], hubspotBatchSize)) {
            const response = await this.call(() =>
                this.client.crm.associations.v4.batchApi.getPageWithHttpInfo(fromType, toType, {
                    inputs: batch.map((id) => ({ id }))
                })
            );
            for (const result of response.results) {
                associated.set(
                    String(result._from.id),
                    result.to.map((target) => String(target.toObjectId))
                );
            }
        }
        return associated;
    }

    async createAssociations(
        fromType: string,
        toType: string,
        pairs: { fromId: string; toId: string }[],
        associationTypeId: number
    ): Promise<WriteResult[]> {
        const key = (fromId: unknown, toId: unknown) => `${String(fromId)}-${String(toId)}`;
        return this.writeInBatches(pairs, async (batch) => {
            // A 207 names the records it could not find (either end); the pairs of the others were made.
            const response = (await this.call(() =>
                this.client.crm.associations.v4.batchApi.createWithHttpInfo(fromType, toType, {
                    inputs: batch.map((pair) => ({
                        _from: { id: pair.fromId },
                        to: { id: pair.toId },
                        types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId }]
                    }))
                })
            )) as unknown as {
                results: { fromObjectId: unknown; toObjectId: unknown }[];
                errors?: RawBatch['errors'];
            };
            const made = new Set(response.results.map((result) => key(result.fromObjectId, result.toObjectId)));
            const missing = new Map<string, WriteResult>();
            for (const error of response.errors ?? []) {
                for (const id of error.context?.ids ?? []) missing.set(id, failure({ code: 404, body: error }));
            }
            return batch.map((pair): WriteResult => {
                const id = key(pair.fromId, pair.toId);
                if (made.has(id)) return { ok: true, id };
                return (
                    missing.get(pair.fromId) ??
                    missing.get(pair.toId) ?? {
                        ok: false,
                        category: 'transient',
                        message: 'HubSpot returned neither a result nor an error for this association'
                    }
                );
            });
        });
    }

    async archiveAssociations(
        fromType: string,
        toType: string,
        pairs: { fromId: string; toId: string }[]
    ): Promise<void> {
        for (const batch of chunk(pairs, hubspotBatchSize)) {
            this.countCall();
            await this.client.crm.associations.v4.batchApi.archive(fromType, toType, {
                inputs: batch.map((pair) => ({ _from: { id: pair.fromId }, to: [{ id: pair.toId }] }))
            });
        }
    }
}
