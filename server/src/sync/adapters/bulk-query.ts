/**
 * The pure half of Bulk API 2.0 query reads: how long to wait for a job, when to give up, and how a CSV
 * result page becomes the same `SalesforceRow`s a REST query gives. The HTTP calls live in the adapter.
 */
import { z } from 'zod';

import { CsvError } from '../../shared/csv';
import type { SalesforceObjectSchema } from '../schema/live-schema';
import type { SalesforceValue } from '../values/conversion';
import type { SalesforceRow } from './ports';

export const BulkQuerySettings = z.strictObject({
    /** The first wait between two polls of a running job; each wait after doubles, up to the maximum. */
    pollIntervalMs: z.number().int().positive().default(500),
    maxPollIntervalMs: z.number().int().positive().default(10_000),
    /** How long a job may stay queued or running before the read gives up (and aborts the job). */
    pollTimeoutMs: z
        .number()
        .int()
        .positive()
        .default(30 * 60_000),
    /**
     * `maxRecords` of each result page: one call brings 5× a REST page, and only its CSV text (a few
     * megabytes) is held whole; its rows are parsed `rowsPerYield` at a time.
     */
    pageSize: z.number().int().positive().max(1_000_000).default(10_000),
    /**
     * Rows a result page is handed on in: the page's CSV text is held whole (a few megabytes), but parsed
     * this many rows at a time, since a parsed row (an object of typed values) costs several times its text.
     */
    rowsPerYield: z.number().int().positive().default(2_000)
});
export type BulkQuerySettings = z.infer<typeof BulkQuerySettings>;
export type BulkQuerySettingsInput = z.input<typeof BulkQuerySettings>;

export const JobState = z.enum(['Open', 'UploadComplete', 'InProgress', 'JobComplete', 'Failed', 'Aborted']);

/** The fields of a Bulk 2.0 query JobInfo the read depends on (Salesforce sends more). */
export type JobState = z.infer<typeof JobState>;

export const QueryJobInfo = z.object({
    id: z.string().min(1),
    object: z.string().min(1),
    state: JobState,
    errorMessage: z.string().nullish()
});
export type QueryJobInfo = z.infer<typeof QueryJobInfo>;

export class BulkQueryError extends Error {
    override readonly name = 'BulkQueryError';

    constructor(
        message: string,
        readonly jobId: string | undefined,
        /** The job's state when the read gave up on it, when it came from the job's status. */
        readonly jobState?: JobState
    ) {
        super(message);
    }
}

export interface PollClock {
    now(): number;
    sleep(ms: number): Promise<void>;
}

/**
 * Checks the job until it is JobComplete: at once (small jobs are often done by then), then after waits
 * that double from `pollIntervalMs` to `maxPollIntervalMs`, never past `pollTimeoutMs` in all. While the
 * job runs, each check yields an empty page, so every step a caller awaits is one call and one wait (a
 * per-step deadline then bounds a call, not the job) and a caller may stop between checks. A Failed or
 * Aborted job, or one still running at the deadline, is a `BulkQueryError` naming the job.
 */
export async function* awaitJobCompletion(
    check: () => Promise<QueryJobInfo>,
    settings: BulkQuerySettings,
    clock: PollClock,
    soql: string
): AsyncGenerator<SalesforceRow[], QueryJobInfo> {
    const deadline = clock.now() + settings.pollTimeoutMs;
    let interval = settings.pollIntervalMs;
    for (;;) {
        const job = await check();
        switch (job.state) {
            case 'JobComplete':
                return job;
            case 'Failed':
                throw new BulkQueryError(
                    `Bulk API 2.0 query job ${job.id} failed: ${job.errorMessage || 'Salesforce gave no reason'} (${soql})`,
                    job.id,
                    job.state
                );
            case 'Aborted':
                throw new BulkQueryError(`Bulk API 2.0 query job ${job.id} was aborted (${soql})`, job.id, job.state);
            case 'Open':
                throw new BulkQueryError(
                    `Bulk API 2.0 query job ${job.id} is Open, which a query job never is`,
                    job.id
                );
        }
        const remaining = deadline - clock.now();
        if (remaining <= 0) {
            throw new BulkQueryError(
                `Bulk API 2.0 query job ${job.id} was still ${job.state} after ${settings.pollTimeoutMs} ms (${soql})`,
                job.id,
                job.state
            );
        }
        yield [];
        await clock.sleep(Math.min(interval, remaining));
        interval = Math.min(interval * 2, settings.maxPollIntervalMs);
    }
}

const numberTypes = new Set(['int', 'double', 'currency', 'percent', 'long']);

/** Bulk results write datetimes as `…000Z`; the REST API (and so `queryPages`) as `…000+0000`. */
function restDateTime(text: string): string {
    const ms = Date.parse(text);
    return Number.isNaN(ms) ? text : new Date(ms).toISOString().replace('Z', '+0000');
}

/** One CSV cell as the REST API would have typed it in JSON; an empty cell is null, as Salesforce stores ''. */
function typedValue(cell: string, type: string | undefined): SalesforceValue {
    if (cell === '') return null;
    if (type === 'boolean') return cell === 'true';
    if (type !== undefined && numberTypes.has(type)) {
        const number = Number(cell);
        return Number.isNaN(number) ? cell : number;
    }
    if (type === 'datetime') return restDateTime(cell);
    return cell;
}

const quote = 0x22;
const lineFeed = 0x0a;
const carriageReturn = 0x0d;

/**
 * The records of a CSV text (RFC 4180, as Bulk API 2.0 writes it) one at a time. Cells are cut from the
 * text rather than built a character at a time, and a caller taking rows in slices never holds the whole
 * page parsed: a 10,000-row page built up cell by cell costs the heap several times its text.
 */
export function* csvRecords(text: string, delimiter = ','): Generator<string[]> {
    const delimiterCode = delimiter.charCodeAt(0);
    const length = text.length;
    const boundary = (from: number) => {
        let at = from;
        for (; at < length; at++) {
            const code = text.charCodeAt(at);
            if (code === delimiterCode || code === lineFeed || code === carriageReturn) break;
        }
        return at;
    };
    let at = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    while (at < length) {
        const record: string[] = [];
        for (;;) {
            let cell: string;
            if (text.charCodeAt(at) === quote) {
                let escaped = '';
                let from = at + 1;
                for (;;) {
                    const closing = text.indexOf('"', from);
                    if (closing < 0) throw new CsvError('unterminated quoted field');
                    if (text.charCodeAt(closing + 1) === quote) {
                        escaped += text.slice(from, closing + 1);
                        from = closing + 2;
                        continue;
                    }
                    cell = escaped + text.slice(from, closing);
                    at = closing + 1;
                    break;
                }
                const end = boundary(at);
                if (end > at) cell += text.slice(at, end);
                at = end;
            } else {
                const end = boundary(at);
                cell = text.slice(at, end);
                at = end;
            }
            record.push(cell);
            const code = text.charCodeAt(at);
            if (code === delimiterCode) {
                at += 1;
                continue;
            }
            if (code === carriageReturn) at += text.charCodeAt(at + 1) === lineFeed ? 2 : 1;
            else if (code === lineFeed) at += 1;
            break;
        }
        yield record;
    }
}

/**
 * A results page (a complete CSV with its header row) as rows keyed by the fields' describe names, with
 * the value shapes of a REST query, one row at a time. Relationship columns (`Owner.Email`) are refused:
 * REST nests them as objects, so the two reads could not agree.
 */
export function* csvPageRows(csv: string, schema: SalesforceObjectSchema, delimiter = ','): Generator<SalesforceRow> {
    const records = csvRecords(csv, delimiter);
    const header = records.next();
    if (header.done) return;
    const fields = new Map(schema.fields.map((field) => [field.name.toLowerCase(), field]));
    const columns = header.value.map((column) => {
        if (column.includes('.')) {
            throw new BulkQueryError(
                `Bulk query reads plain ${schema.name} fields only; the relationship column ${column} needs queryPages`,
                undefined
            );
        }
        const field = fields.get(column.toLowerCase());
        return { name: field?.name ?? column, type: field?.type };
    });
    const idColumn = columns.findIndex((column) => column.name === 'Id');
    if (idColumn < 0) throw new BulkQueryError(`Bulk query of ${schema.name} must select Id`, undefined);
    for (const cells of records) {
        if (cells.length === 1 && cells[0] === '') continue;
        if (cells.length !== columns.length) {
            throw new BulkQueryError(
                `Bulk query result row has ${cells.length} cells for ${columns.length} columns`,
                undefined
            );
        }
        const values: Record<string, SalesforceValue> = {};
        columns.forEach((column, index) => {
            values[column.name] = typedValue(cells[index]!, column.type);
        });
        yield { id: cells[idColumn]!, values };
    }
}

/** A whole results page at once (see `csvPageRows`). */
export function csvPageToRows(csv: string, schema: SalesforceObjectSchema, delimiter = ','): SalesforceRow[] {
    return [...csvPageRows(csv, schema, delimiter)];
}

/** A page's rows in slices of at most `size`. */
export function* inSlices<T>(items: Iterable<T>, size: number): Generator<T[]> {
    let slice: T[] = [];
    for (const item of items) {
        slice.push(item);
        if (slice.length === size) {
            yield slice;
            slice = [];
        }
    }
    if (slice.length > 0) yield slice;
}
