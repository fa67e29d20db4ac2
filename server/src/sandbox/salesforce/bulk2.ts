import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { DmlEngine, WriteContext } from './dml';
import { asSalesforceError, notFound, SalesforceError } from './errors';
import { COLUMN_DELIMITERS, CsvError, formatCsv, parseCsv } from '../../shared/csv';
import { toId18 } from './ids';
import type { QueryEnvironment } from './soql/execute';
import { prepareQuery, projectRow, runQuery } from './soql/execute';
import { formatDateTime } from './wire-format';

/**
 * Bulk API 2.0 ingest and query jobs, processed synchronously once a job is closed (the sandbox has no
 * queue to wait in) and served the way jsforce's `bulk2` reads them: CSV pages with `Sforce-Locator`.
 */

type JobState = 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';

const IngestRequest = z.strictObject({
    object: z.string().min(1),
    operation: z.enum(['insert', 'update', 'upsert', 'delete', 'hardDelete']),
    externalIdFieldName: z.string().optional(),
    contentType: z.literal('CSV').default('CSV'),
    columnDelimiter: z.enum(Object.keys(COLUMN_DELIMITERS) as [string, ...string[]]).default('COMMA'),
    lineEnding: z.enum(['LF', 'CRLF']).default('LF'),
    assignmentRuleId: z.string().optional()
});

const QueryRequest = z.strictObject({
    operation: z.enum(['query', 'queryAll']),
    query: z.string().min(1),
    contentType: z.literal('CSV').default('CSV'),
    columnDelimiter: z.enum(Object.keys(COLUMN_DELIMITERS) as [string, ...string[]]).default('COMMA'),
    lineEnding: z.enum(['LF', 'CRLF']).default('LF')
});

interface IngestJob {
    kind: 'ingest';
    id: string;
    request: z.infer<typeof IngestRequest>;
    state: JobState;
    createdById: string;
    createdDate: number;
    systemModstamp: number;
    apiVersion: string;
    uploads: string[];
    header: string[];
    successful: string[][];
    failed: string[][];
    unprocessed: string[][];
    errorMessage?: string;
    processingMs: number;
}

interface QueryJob {
    kind: 'query';
    id: string;
    objectName: string;
    request: z.infer<typeof QueryRequest>;
    state: JobState;
    createdById: string;
    createdDate: number;
    systemModstamp: number;
    apiVersion: string;
    header: string[];
    rows: string[][];
    errorMessage?: string;
    processingMs: number;
}

export interface BulkResponse {
    status: number;
    body?: unknown;
    contentType?: 'json' | 'csv';
    headers?: Record<string, string>;
}

const NULL_MARKER = '#N/A';

export class Bulk2Service {
    private readonly jobs = new Map<string, IngestJob | QueryJob>();

    constructor(
        private readonly dml: DmlEngine,
        private readonly env: QueryEnvironment,
        private readonly queryPageSize: number
    ) {}

    clear(): void {
        this.jobs.clear();
    }

    handle(
        method: string,
        segments: string[],
        query: URLSearchParams,
        body: Buffer,
        contentType: string,
        apiVersion: string,
        write: WriteContext
    ): BulkResponse {
        try {
            return this.route(method, segments, query, body, contentType, apiVersion, write);
        } catch (error) {
            const sf = asSalesforceError(error);
            return { status: sf.httpStatus, body: [{ errorCode: sf.errorCode, message: sf.message }] };
        }
    }

    private route(
        method: string,
        segments: string[],
        query: URLSearchParams,
        body: Buffer,
        contentType: string,
        apiVersion: string,
        write: WriteContext
    ): BulkResponse {
        const [kind, id, action] = segments;
        if (kind !== 'ingest' && kind !== 'query') throw notFound();
        if (id === undefined) {
            if (method === 'POST') return this.create(kind, body, contentType, apiVersion, write);
            if (method === 'GET') return this.list(kind);
            throw notFound();
        }
        const job = this.jobs.get(id);
        if (!job || job.kind !== kind) {
            throw new SalesforceError(404, 'NOT_FOUND', 'The requested resource does not exist');
        }
        if (action === undefined) {
            if (method === 'GET') return this.info(job);
            if (method === 'DELETE') {
                this.jobs.delete(id);
                return { status: 204 };
            }
            if (method === 'PATCH') return this.changeState(job, body, write);
            throw notFound();
        }
        if (job.kind === 'ingest') {
            if (action === 'batches' && method === 'PUT') return this.upload(job, body, contentType);
            if (method !== 'GET') throw notFound();
            const rows =
                action === 'successfulResults'
                    ? [['sf__Id', 'sf__Created', ...job.header], ...job.successful]
                    : action === 'failedResults'
                      ? [['sf__Id', 'sf__Error', ...job.header], ...job.failed]
                      : action === 'unprocessedrecords'
                        ? [job.header, ...job.unprocessed]
                        : undefined;
            if (!rows) throw notFound();
            if (job.state !== 'JobComplete' && job.state !== 'Failed' && job.state !== 'Aborted') {
                throw new SalesforceError(409, 'INVALIDJOBSTATE', 'Job is not complete');
            }
            return { status: 200, contentType: 'csv', body: this.csv(rows, job.request) };
        }
        if (action === 'results' && method === 'GET') return this.results(job, query);
        throw notFound();
    }

    private parseJson(body: Buffer, contentType: string): unknown {
        if (!/^application\/json/i.test(contentType)) {
            throw new SalesforceError(
                415,
                'UNSUPPORTED_MEDIA_TYPE',
                `Content-Type header specified in HTTP request is not supported: ${contentType}`
            );
        }
        try {
            return JSON.parse(body.toString('utf8'));
        } catch {
            throw new SalesforceError(400, 'JSON_PARSER_ERROR', 'The request body is not valid JSON');
        }
    }

    private create(
        kind: 'ingest' | 'query',
        body: Buffer,
        contentType: string,
        apiVersion: string,
        write: WriteContext
    ): BulkResponse {
        const json = this.parseJson(body, contentType);
        const now = this.env.now();
        const base = {
            id: toId18(`750${randomBytes(6).toString('hex').slice(0, 12)}`)!,
            createdById: write.userId,
            createdDate: now,
            systemModstamp: now,
            apiVersion,
            processingMs: 0
        };
        if (kind === 'ingest') {
            const parsed = IngestRequest.safeParse(json);
            if (!parsed.success) throw new SalesforceError(400, 'INVALIDJOB', parsed.error.issues[0].message);
            const def = this.env.catalog.find(parsed.data.object);
            if (!def)
                throw new SalesforceError(400, 'INVALIDJOB', `InvalidJob : Invalid object: ${parsed.data.object}`);
            if (parsed.data.operation === 'upsert' && !parsed.data.externalIdFieldName) {
                throw new SalesforceError(400, 'INVALIDJOB', 'InvalidJob : External ID was blank for Upsert operation');
            }
            const job: IngestJob = {
                kind,
                ...base,
                request: { ...parsed.data, object: def.name },
                state: 'Open',
                uploads: [],
                header: [],
                successful: [],
                failed: [],
                unprocessed: []
            };
            this.jobs.set(job.id, job);
            return this.info(job);
        }
        const parsed = QueryRequest.safeParse(json);
        if (!parsed.success) throw new SalesforceError(400, 'INVALIDJOB', parsed.error.issues[0].message);
        const prepared = prepareQuery(parsed.data.query, this.env);
        if (prepared.subqueries.length > 0) {
            throw new SalesforceError(400, 'INVALIDJOB', 'FeatureNotEnabled : Nested queries are not supported');
        }
        const started = Date.now();
        const ids = runQuery(prepared, this.env, parsed.data.operation === 'queryAll');
        const header = prepared.columns.map((c) => c.canonical.join('.'));
        const rows = ids.map((id) => {
            const row = projectRow(prepared, this.env.store.get(id)!, this.env, apiVersion);
            return prepared.columns.map((column) => {
                let value: unknown = row;
                for (const key of column.canonical) value = (value as Record<string, unknown> | null)?.[key];
                if (value === null || value === undefined) return '';
                if (column.field.type === 'datetime') return (value as string).replace('+0000', 'Z');
                return String(value);
            });
        });
        const job: QueryJob = {
            kind,
            ...base,
            objectName: prepared.object.name,
            request: parsed.data,
            state: 'UploadComplete',
            header,
            rows,
            processingMs: Date.now() - started
        };
        this.jobs.set(job.id, job);
        const response = this.info(job);
        job.state = 'JobComplete';
        return response;
    }

    private list(kind: 'ingest' | 'query'): BulkResponse {
        const records = [...this.jobs.values()].filter((j) => j.kind === kind).map((j) => this.jobInfo(j));
        return { status: 200, body: { done: true, records, nextRecordsUrl: null } };
    }

    private info(job: IngestJob | QueryJob): BulkResponse {
        return { status: 200, body: this.jobInfo(job) };
    }

    private jobInfo(job: IngestJob | QueryJob): Record<string, unknown> {
        const common = {
            id: job.id,
            operation: job.request.operation,
            state: job.state,
            createdById: job.createdById,
            createdDate: formatDateTime(job.createdDate),
            systemModstamp: formatDateTime(job.systemModstamp),
            concurrencyMode: 'Parallel',
            contentType: 'CSV',
            apiVersion: Number(job.apiVersion),
            lineEnding: job.request.lineEnding,
            columnDelimiter: job.request.columnDelimiter,
            retries: 0,
            totalProcessingTime: job.processingMs,
            ...(job.errorMessage ? { errorMessage: job.errorMessage } : {})
        };
        if (job.kind === 'query') {
            return {
                ...common,
                object: job.objectName,
                jobType: 'V2Query',
                numberRecordsProcessed: job.state === 'JobComplete' ? job.rows.length : 0
            };
        }
        return {
            ...common,
            object: job.request.object,
            ...(job.request.externalIdFieldName ? { externalIdFieldName: job.request.externalIdFieldName } : {}),
            contentUrl: `services/data/v${job.apiVersion}/jobs/ingest/${job.id}/batches`,
            jobType: 'V2Ingest',
            numberRecordsProcessed: job.successful.length + job.failed.length,
            numberRecordsFailed: job.failed.length,
            apiActiveProcessingTime: job.processingMs,
            apexProcessingTime: 0
        };
    }

    private upload(job: IngestJob, body: Buffer, contentType: string): BulkResponse {
        if (job.state !== 'Open')
            throw new SalesforceError(409, 'INVALIDJOBSTATE', `Job is not open for uploads: ${job.state}`);
        if (!/^text\/csv/i.test(contentType)) {
            throw new SalesforceError(
                415,
                'UNSUPPORTED_MEDIA_TYPE',
                `Content-Type header specified in HTTP request is not supported: ${contentType}`
            );
        }
        job.uploads.push(body.toString('utf8'));
        return { status: 201 };
    }

    private changeState(job: IngestJob | QueryJob, body: Buffer, write: WriteContext): BulkResponse {
        const json = this.parseJson(body, 'application/json') as { state?: unknown };
        if (json.state === 'Aborted') {
            if (job.state === 'JobComplete' || job.state === 'Failed') {
                throw new SalesforceError(409, 'INVALIDJOBSTATE', `Cannot abort a job in state ${job.state}`);
            }
            job.state = 'Aborted';
            return this.info(job);
        }
        if (json.state !== 'UploadComplete' || job.kind !== 'ingest') {
            throw new SalesforceError(400, 'INVALIDJOBSTATE', `Invalid state change: ${String(json.state)}`);
        }
        if (job.state !== 'Open') throw new SalesforceError(409, 'INVALIDJOBSTATE', `Job is not open: ${job.state}`);
        job.state = 'UploadComplete';
        const response = this.info(job);
        this.process(job, write);
        return response;
    }

    private process(job: IngestJob, write: WriteContext): void {
        const started = Date.now();
        const delimiter = COLUMN_DELIMITERS[job.request.columnDelimiter];
        try {
            for (const upload of job.uploads) {
                const rows = parseCsv(upload, delimiter).filter((r) => !(r.length === 1 && r[0] === ''));
                if (rows.length === 0) continue;
                const [header, ...data] = rows;
                if (job.header.length === 0) job.header = header;
                for (const row of data) this.processRow(job, header, row, write);
            }
            job.state = 'JobComplete';
        } catch (error) {
            job.state = 'Failed';
            job.errorMessage =
                error instanceof CsvError ? `ClientInputError : ${error.message}` : asSalesforceError(error).message;
        }
        job.uploads = [];
        job.processingMs = Date.now() - started;
        job.systemModstamp = this.env.now();
    }

    private processRow(job: IngestJob, header: string[], row: string[], write: WriteContext): void {
        const { object, operation, externalIdFieldName } = job.request;
        const input: Record<string, unknown> = {};
        header.forEach((column, index) => {
            const cell = row[index] ?? '';
            if (cell === '') return;
            input[column] = cell === NULL_MARKER ? null : cell;
        });
        try {
            if (row.length !== header.length) {
                throw new SalesforceError(400, 'INVALID_FIELD', 'Number of columns does not match the header');
            }
            let id: string;
            let created = false;
            const idText = (input.Id ?? input.id) as string | undefined;
            delete input.Id;
            delete input.id;
            switch (operation) {
                case 'insert':
                    id = this.dml.create(object, input, write).Id;
                    created = true;
                    break;
                case 'update': {
                    const recordId = idText ? toId18(idText) : undefined;
                    if (!recordId)
                        throw new SalesforceError(400, 'MISSING_ARGUMENT', 'Id not specified in an update call');
                    id = this.dml.update(object, recordId, input, write).Id;
                    break;
                }
                case 'upsert': {
                    const keyValue = Object.entries(input).find(
                        ([k]) => k.toLowerCase() === externalIdFieldName!.toLowerCase()
                    )?.[1];
                    if (typeof keyValue !== 'string') {
                        throw new SalesforceError(
                            400,
                            'REQUIRED_FIELD_MISSING',
                            `Required fields are missing: [${externalIdFieldName}]`
                        );
                    }
                    const result = this.dml.upsert(
                        object,
                        externalIdFieldName!,
                        keyValue,
                        input,
                        write,
                        job.apiVersion
                    );
                    id = result.record.Id;
                    created = result.created;
                    break;
                }
                default: {
                    const recordId = idText ? toId18(idText) : undefined;
                    if (!recordId) throw new SalesforceError(400, 'MALFORMED_ID', `bad id ${idText ?? ''}`);
                    id = this.dml.delete(recordId, write).Id;
                }
            }
            job.successful.push([id, String(created), ...row]);
        } catch (error) {
            const sf = asSalesforceError(error);
            const fields = sf.fields.length > 0 ? sf.fields.join(', ') : '';
            job.failed.push(['', `${sf.errorCode}:${sf.message}:${fields}`, ...row]);
        }
    }

    private results(job: QueryJob, query: URLSearchParams): BulkResponse {
        if (job.state !== 'JobComplete') {
            throw new SalesforceError(
                400,
                'JOB_NOT_COMPLETE',
                'The job is not complete. Please wait until it is JobComplete.'
            );
        }
        const offset = query.get('locator')
            ? Number(Buffer.from(query.get('locator')!, 'base64url').toString('utf8'))
            : 0;
        if (!Number.isInteger(offset) || offset < 0 || offset > job.rows.length) {
            throw new SalesforceError(400, 'INVALID_LOCATOR', 'Invalid locator');
        }
        const maxRecords = Number(query.get('maxRecords') ?? this.queryPageSize);
        const size = Number.isInteger(maxRecords) && maxRecords > 0 ? maxRecords : this.queryPageSize;
        const page = job.rows.slice(offset, offset + size);
        const next = offset + page.length;
        return {
            status: 200,
            contentType: 'csv',
            body: this.csv([job.header, ...page], job.request),
            headers: {
                'Sforce-Locator': next < job.rows.length ? Buffer.from(String(next)).toString('base64url') : 'null',
                'Sforce-NumberOfRecords': String(page.length)
            }
        };
    }

    private csv(rows: string[][], request: { columnDelimiter: string; lineEnding: string }): string {
        return formatCsv(
            rows,
            COLUMN_DELIMITERS[request.columnDelimiter],
            request.lineEnding === 'CRLF' ? '\r\n' : '\n'
        );
    }
}
