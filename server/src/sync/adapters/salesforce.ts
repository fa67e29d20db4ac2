/**
 * The Salesforce side through the real jsforce: describe (cached), SOQL pages, sObject Collections in
 * chunks of 200 with per-record results. The connection carries `callOptions: { client: 'hubspot-bridge' }`
 * (see connect.ts), so every write is recognisable as ours in Change Data Capture and field history.
 */
import type { Connection } from 'jsforce';

import { classifySalesforceError } from '../classify-error';
import { errorMessage } from '../errors';
import { SalesforceObjectSchema } from '../schema/live-schema';
import type { SalesforceValue } from '../values/conversion';
import type { SalesforceUser } from '../values/owners';
import { salesforceBatchSize, type ApiUsage, type SalesforcePort, type SalesforceRow, type WriteResult } from './ports';

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

    constructor(private readonly connection: Connection) {}

    get instanceUrl(): string {
        return this.connection.instanceUrl;
    }

    get userId(): string | undefined {
        return this.connection.userInfo?.id;
    }

    calls(): number {
        return this.callCount;
    }

    usage(): ApiUsage | undefined {
        return this.connection.limitInfo?.apiUsage;
    }

    describe(objectName: string): Promise<SalesforceObjectSchema | undefined> {
        let cached = this.describeCache.get(objectName);
        if (!cached) {
            this.callCount += 1;
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
        this.callCount += 1;
        let page = (await this.connection.query(soql, { scanAll: options.all === true })) as RawQueryResult;
        const rows = page.records.map(toRow);
        while (!page.done && page.nextRecordsUrl) {
            this.callCount += 1;
            page = (await this.connection.queryMore(page.nextRecordsUrl)) as RawQueryResult;
            for (const record of page.records) rows.push(toRow(record));
        }
        return rows;
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

    private async collections<T>(records: T[], send: (batch: T[]) => Promise<unknown>): Promise<WriteResult[]> {
        const results: WriteResult[] = [];
        for (const batch of chunk(records, salesforceBatchSize)) {
            this.callCount += 1;
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
