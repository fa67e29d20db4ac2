/**
 * The Salesforce side through the real jsforce: describe (cached), SOQL pages, sObject Collections in
 * chunks of 200 with per-record results. The connection carries `callOptions: { client: 'hubspot-bridge' }`
 * (see connect.ts), so every write is recognisable as ours in Change Data Capture and field history.
 */
import { setTimeout as sleepFor } from 'node:timers/promises';

import type { Connection } from 'jsforce';
import { HttpApi } from 'jsforce/lib/http-api';
import type { HttpMethods, HttpResponse, Schema } from 'jsforce/lib/types';

import { classifySalesforceError } from '../classify-error';
import { noteCall } from './call-scope';
import { errorMessage } from '../errors';
import { SalesforceObjectSchema } from '../schema/live-schema';
import type { SalesforceValue } from '../values/conversion';
import type { SalesforceUser } from '../values/owners';
import {
    awaitJobCompletion,
    BulkQueryError,
    BulkQuerySettings,
    csvPageRows,
    inSlices,
    QueryJobInfo,
    type BulkQuerySettingsInput,
    type PollClock
} from './bulk-query';
import {
    salesforceBatchSize,
    salesforceRetrieveSize,
    type ApiUsage,
    type BulkQueryOptions,
    type SalesforcePort,
    type SalesforceRow,
    type WriteResult
} from './ports';

interface RawSaveResult {
    id?: string | null;
    success: boolean;
    errors?: { statusCode?: string; errorCode?: string; message?: string; fields?: string[] }[];
}

interface RawQueryResult {
    records: Record<string, unknown>[];
    done: boolean;
    nextRecordsUrl?: string;
}

export function chunk<T>(items: T[], size: number): T[][] {
    const chunks: T[][] = [];
    for (let index = 0; index < items.length; index += size) chunks.push(items.slice(index, index + size));
    return chunks;
}

/** A rejected call as one `WriteResult` per record, categorised like a per-record error. */
export function salesforceCallFailure(error: unknown, count: number): WriteResult[] {
    const detail = error as { errorCode?: string; name?: string; statusCode?: number };
    const code = detail.errorCode ?? detail.name;
    const status = typeof detail.statusCode === 'number' ? detail.statusCode : 0;
    const category = classifySalesforceError(status, code);
    const message = errorMessage(error);
    return Array.from({ length: count }, () => ({ ok: false as const, category, message }));
}

function toRow(record: Record<string, unknown>): SalesforceRow {
    const values: Record<string, SalesforceValue | undefined> = {};
    for (const [key, value] of Object.entries(record)) {
        if (key === 'attributes') continue;
        values[key] =
            value === null || ['string', 'number', 'boolean'].includes(typeof value)
                ? (value as SalesforceValue)
                : undefined;
    }
    return { id: String(record.Id), values };
}

/**
 * jsforce's own HTTP machinery (bearer token, call options, session refresh on 401) for Bulk API 2.0
 * query calls, whose errors are a JSON array even when the call asked for CSV.
 */
class BulkQueryHttpApi extends HttpApi<Schema> {
    override parseError(body: unknown): unknown {
        let parsed = body;
        if (typeof body === 'string') {
            try {
                parsed = JSON.parse(body);
            } catch {
                return body;
            }
        }
        return Array.isArray(parsed) ? parsed[0] : parsed;
    }
}

type BulkCallRunner = NonNullable<BulkQueryOptions['eachCall']>;

interface BulkResponse {
    text: string;
    headers: Record<string, string>;
}

const realClock: PollClock = { now: () => Date.now(), sleep: (ms) => sleepFor(ms) };

function toWriteResult(result: RawSaveResult): WriteResult {
    if (result.success && result.id) return { ok: true, id: result.id };
    const first = result.errors?.[0];
    const code = first?.statusCode ?? first?.errorCode;
    const fields = first?.fields?.length ? ` (${first.fields.join(', ')})` : '';
    return {
        ok: false,
        category: classifySalesforceError(400, code),
        message: `${code ?? 'ERROR'}: ${first?.message ?? 'rejected without a message'}${fields}`
    };
}

export class JsforceSalesforceAdapter implements SalesforcePort {
    private callCount = 0;
    private readonly describeCache = new Map<string, Promise<SalesforceObjectSchema | undefined>>();
    private readonly bulkSettings: BulkQuerySettings;

    constructor(
        private readonly connection: Connection,
        bulkSettings: BulkQuerySettingsInput = {},
        private readonly clock: PollClock = realClock
    ) {
        this.bulkSettings = BulkQuerySettings.parse(bulkSettings);
    }

    get instanceUrl(): string {
        return this.connection.instanceUrl;
    }

    get userId(): string | undefined {
        return this.connection.userInfo?.id;
    }

    calls(): number {
        return this.callCount;
    }

    private countCall(): void {
        this.callCount += 1;
        noteCall();
    }

    usage(): ApiUsage | undefined {
        return this.connection.limitInfo?.apiUsage;
    }

    describe(objectName: string): Promise<SalesforceObjectSchema | undefined> {
        let cached = this.describeCache.get(objectName);
        if (!cached) {
            this.countCall();
            cached = this.connection
                .describe(objectName)
                .then((described) => SalesforceObjectSchema.parse(described))
                .catch((error: unknown) => {
                    if ((error as { errorCode?: string }).errorCode === 'NOT_FOUND') return undefined;
                    this.describeCache.delete(objectName);
                    throw error;
                });
            this.describeCache.set(objectName, cached);
        }
        return cached;
    }

    async users(): Promise<SalesforceUser[]> {
        const rows = await this.query('SELECT Id, Email, IsActive FROM User');
        return rows.map((row) => ({
            id: row.id,
            email: typeof row.values.Email === 'string' ? row.values.Email : null,
            isActive: row.values.IsActive === true
        }));
    }

    async query(soql: string, options: { all?: boolean } = {}): Promise<SalesforceRow[]> {
        const rows: SalesforceRow[] = [];
        for await (const page of this.queryPages(soql, options)) rows.push(...page);
        return rows;
    }

    async retrieve(objectName: string, ids: string[], fields: string[]): Promise<SalesforceRow[]> {
        const rows: SalesforceRow[] = [];
        for (const batch of chunk([...new Set(ids)], salesforceRetrieveSize)) {
            this.countCall();
            const records = (await this.connection
                .sobject(objectName)
                .retrieve(batch, { fields })) as unknown as (Record<string, unknown> | null)[];
            for (const record of records) if (record) rows.push(toRow(record));
        }
        return rows;
    }

    async countRows(soql: string): Promise<number> {
        this.countCall();
        const result = (await this.connection.query(soql)) as { totalSize: number };
        return result.totalSize;
    }

    async *queryPages(soql: string, options: { all?: boolean } = {}): AsyncIterable<SalesforceRow[]> {
        this.countCall();
        let page = (await this.connection.query(soql, { scanAll: options.all === true })) as RawQueryResult;
        yield page.records.map(toRow);
        while (!page.done && page.nextRecordsUrl) {
            this.countCall();
            page = (await this.connection.queryMore(page.nextRecordsUrl)) as RawQueryResult;
            yield page.records.map(toRow);
        }
    }

    async *bulkQueryPages(soql: string, options: BulkQueryOptions = {}): AsyncIterable<SalesforceRow[]> {
        const call: BulkCallRunner = options.eachCall ?? ((run) => run());
        const job = this.jobInfo(
            await call(() =>
                this.bulkCall('POST', '', {
                    operation: options.all === true ? 'queryAll' : 'query',
                    query: soql,
                    contentType: 'CSV',
                    columnDelimiter: 'COMMA',
                    lineEnding: 'LF'
                })
            )
        );
        let schema: SalesforceObjectSchema;
        let jobEnded = false;
        try {
            schema = await this.bulkSchema(job, call);
            const check = async () => this.jobInfo(await call(() => this.bulkCall('GET', `/${job.id}`)));
            yield* awaitJobCompletion(check, this.bulkSettings, this.clock, soql);
            jobEnded = true;
        } catch (error) {
            jobEnded = error instanceof BulkQueryError && (error.jobState === 'Failed' || error.jobState === 'Aborted');
            throw error;
        } finally {
            // A job left running (timed out, a failed call, the caller stopped between checks) would go on
            // using the org's bulk allowance.
            if (!jobEnded) await this.abandon(job.id, call);
        }
        yield* this.resultPages(job.id, schema, call);
    }

    create(objectName: string, records: Record<string, SalesforceValue>[]): Promise<WriteResult[]> {
        return this.collections(records, (batch) =>
            this.connection.sobject(objectName).create(batch, { allOrNone: false })
        );
    }

    update(objectName: string, records: (Record<string, SalesforceValue> & { Id: string })[]): Promise<WriteResult[]> {
        return this.collections(records, (batch) =>
            this.connection.sobject(objectName).update(batch, { allOrNone: false })
        );
    }

    destroy(objectName: string, ids: string[]): Promise<WriteResult[]> {
        return this.collections(ids, (batch) =>
            this.connection.sobject(objectName).destroy(batch, { allOrNone: false })
        );
    }

    private jobInfo(response: BulkResponse): QueryJobInfo {
        let json: unknown;
        try {
            json = JSON.parse(response.text);
        } catch {
            throw new BulkQueryError(`Bulk query job info is not JSON: ${response.text.slice(0, 200)}`, undefined);
        }
        const parsed = QueryJobInfo.safeParse(json);
        if (!parsed.success) {
            throw new BulkQueryError(`Bulk query job info is malformed: ${parsed.error.issues[0]!.message}`, undefined);
        }
        return parsed.data;
    }

    /** The object's describe types the CSV values; a cached describe costs no call, so it asks no budget. */
    private async bulkSchema(job: QueryJobInfo, call: BulkCallRunner): Promise<SalesforceObjectSchema> {
        const schema = await (this.describeCache.has(job.object)
            ? this.describe(job.object)
            : call(() => this.describe(job.object)));
        if (!schema)
            throw new BulkQueryError(`Bulk query job ${job.id} reads ${job.object}, which is not found`, job.id);
        return schema;
    }

    /**
     * One page per call, by `Sforce-Locator`, until Salesforce answers the literal `null`; each page is
     * handed on in slices of `rowsPerYield` rows, parsed as they are taken.
     */
    private async *resultPages(
        jobId: string,
        schema: SalesforceObjectSchema,
        call: BulkCallRunner
    ): AsyncIterable<SalesforceRow[]> {
        let locator: string | undefined;
        do {
            const search = new URLSearchParams({ maxRecords: String(this.bulkSettings.pageSize) });
            if (locator) search.set('locator', locator);
            const page = await call(() => this.bulkCall('GET', `/${jobId}/results?${search.toString()}`));
            const next = page.headers['sforce-locator'];
            if (!next) throw new BulkQueryError(`Bulk query job ${jobId} sent a result page without a locator`, jobId);
            yield* inSlices(csvPageRows(page.text, schema), this.bulkSettings.rowsPerYield);
            locator = next === 'null' ? undefined : next;
        } while (locator);
    }

    private async abandon(jobId: string, call: BulkCallRunner): Promise<void> {
        try {
            await call(() => this.bulkCall('PATCH', `/${jobId}`, { state: 'Aborted' }));
        } catch {
            // The error that ended the read is the one to report; a job that ended meanwhile needs no abort.
        }
    }

    /** One counted HTTP call under `/jobs/query`; the raw text and the response headers. */
    private async bulkCall(method: HttpMethods, path: string, body?: unknown): Promise<BulkResponse> {
        this.countCall();
        const api = new BulkQueryHttpApi(this.connection, { responseType: 'text/plain' });
        let headers: Record<string, string> = {};
        api.on('response', (response: HttpResponse) => {
            headers = response.headers;
            const usage = /api-usage=(\d+)\/(\d+)/.exec(response.headers['sforce-limit-info'] ?? '');
            if (usage) this.connection.limitInfo = { apiUsage: { used: Number(usage[1]), limit: Number(usage[2]) } };
        });
        const url = new URL(`services/data/v${this.connection.version}/jobs/query${path}`, this.connection.instanceUrl);
        const text = await api.request<string>({
            method,
            url: url.toString(),
            headers:
                body === undefined
                    ? { Accept: path.includes('/results') ? 'text/csv' : 'application/json' }
                    : { 'Content-Type': 'application/json; charset=utf-8', Accept: 'application/json' },
            ...(body === undefined ? {} : { body: JSON.stringify(body) })
        });
        return { text, headers };
    }

    private async collections<T>(records: T[], send: (batch: T[]) => Promise<unknown>): Promise<WriteResult[]> {
        const results: WriteResult[] = [];
        for (const batch of chunk(records, salesforceBatchSize)) {
            this.countCall();
            try {
                const saved = (await send(batch)) as RawSaveResult | RawSaveResult[];
                const list = Array.isArray(saved) ? saved : [saved];
                results.push(...list.map(toWriteResult));
            } catch (error) {
                results.push(...salesforceCallFailure(error, batch.length));
            }
        }
        return results;
    }
}
