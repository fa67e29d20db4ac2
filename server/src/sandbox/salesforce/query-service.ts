import { randomBytes } from 'node:crypto';
import { SalesforceError } from './errors';
import {
    indexChildren,
    prepareQuery,
    projectRow,
    runQuery,
    type PreparedQuery,
    type QueryEnvironment
} from './soql/execute';

/**
 * query / queryAll with server-side cursors. `nextRecordsUrl` ends in `<cursor>-<offset>` because jsforce
 * keeps only the last path segment and rebuilds `/query/<locator>` itself.
 */

const DEFAULT_BATCH = 2000;
const CURSOR_TTL_MS = 15 * 60_000;
const MAX_CURSORS = 1000;

interface Cursor {
    prepared: PreparedQuery;
    includeDeleted: boolean;
    ids: string[];
    batchSize: number;
    lastUsedAt: number;
}

export interface QueryPage {
    totalSize: number;
    done: boolean;
    nextRecordsUrl?: string;
    records: Record<string, unknown>[];
}

/** `Sforce-Query-Options: batchSize=500` (200..2000; outside that range the default applies). */
export function batchSizeFromHeader(header: string | undefined): number {
    const match = /batchSize\s*=\s*(\d+)/i.exec(header ?? '');
    const size = match ? Number(match[1]) : DEFAULT_BATCH;
    return size >= 200 && size <= 2000 ? size : DEFAULT_BATCH;
}

export class QueryService {
    private readonly cursors = new Map<string, Cursor>();

    constructor(private readonly env: QueryEnvironment) {}

    run(soql: string, includeDeleted: boolean, apiVersion: string, batchSize = DEFAULT_BATCH): QueryPage {
        const prepared = prepareQuery(soql, this.env);
        const ids = runQuery(prepared, this.env, includeDeleted);
        if (prepared.countOnly) return { totalSize: ids.length, done: true, records: [] };
        if (prepared.aggregateAlias) {
            return {
                totalSize: 1,
                done: true,
                records: [{ attributes: { type: 'AggregateResult' }, [prepared.aggregateAlias]: ids.length }]
            };
        }
        const cursor: Cursor = { prepared, includeDeleted, ids, batchSize, lastUsedAt: this.env.now() };
        return this.page(cursor, this.register(cursor), 0, apiVersion);
    }

    more(locator: string, apiVersion: string): QueryPage {
        const separator = locator.lastIndexOf('-');
        const cursorId = locator.slice(0, separator);
        const offset = Number(locator.slice(separator + 1));
        const cursor = this.cursors.get(cursorId);
        if (!cursor || separator < 0 || !Number.isInteger(offset) || offset < 0 || this.expired(cursor)) {
            throw new SalesforceError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
        }
        cursor.lastUsedAt = this.env.now();
        return this.page(cursor, cursorId, offset, apiVersion);
    }

    private page(cursor: Cursor, cursorId: string, offset: number, apiVersion: string): QueryPage {
        const end = Math.min(offset + cursor.batchSize, cursor.ids.length);
        const ids = cursor.ids.slice(offset, end);
        const children = indexChildren(cursor.prepared, ids, this.env, cursor.includeDeleted);
        const records: Record<string, unknown>[] = [];
        for (const id of ids) {
            const record = this.env.store.get(id);
            if (record) records.push(projectRow(cursor.prepared, record, this.env, apiVersion, children));
        }
        const done = end >= cursor.ids.length;
        if (done) this.cursors.delete(cursorId);
        return {
            totalSize: cursor.ids.length,
            done,
            ...(done ? {} : { nextRecordsUrl: `/services/data/v${apiVersion}/query/${cursorId}-${end}` }),
            records
        };
    }

    private register(cursor: Cursor): string {
        for (const [id, existing] of this.cursors) if (this.expired(existing)) this.cursors.delete(id);
        if (this.cursors.size >= MAX_CURSORS) this.cursors.delete(this.cursors.keys().next().value!);
        const id = `01g5g${randomBytes(8).toString('hex').slice(0, 13)}`;
        this.cursors.set(id, cursor);
        return id;
    }

    private expired(cursor: Cursor): boolean {
        return this.env.now() - cursor.lastUsedAt > CURSOR_TTL_MS;
    }
}
