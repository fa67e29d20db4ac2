import { toId18 } from './ids';
import { notFound, rolledBack, SalesforceError, asSalesforceError } from './errors';
import type { DmlEngine, WriteContext } from './dml';
import type { QueryService } from './query-service';
import { batchSizeFromHeader } from './query-service';
import type { SchemaCatalog } from './schema/catalog';
import { describeBasic, describeGlobal, describeObject } from './schema/describe';
import type { ObjectDef } from './schema/types';
import type { RecordStore, SObjectRecord } from './store';
import { RequestLevelError } from './validation';
import { formatDateTime, parseDateTimeInput, recordToWire } from './wire-format';
import type { FaultRule } from '../common/faults';

/**
 * The REST resources under /services/data/vXX.X, as a dispatcher over plain requests so that the HTTP
 * layer and the composite resource (which replays sub-requests) share one implementation.
 */
export interface ApiRequest {
    method: string;
    /** Full request path (fault rules match it). */
    path: string;
    /** Path segments after `/services/data/vXX.X`, percent-decoded. */
    segments: string[];
    query: URLSearchParams;
    body: unknown;
    headers: Record<string, string | undefined>;
    apiVersion: string;
    write: WriteContext;
}

export interface ApiResponse {
    status: number;
    body?: unknown;
    headers?: Record<string, string>;
}

export interface LimitsSnapshot {
    dailyApiRequests: { max: number; used: number };
}

export interface RestDependencies {
    catalog: SchemaCatalog;
    store: RecordStore;
    dml: DmlEngine;
    queries: QueryService;
    now(): number;
    limits(): LimitsSnapshot;
    /** A `partial` fault for this request, if one fires: batch items then fail deterministically. */
    partialFault(method: string, path: string): { rule: FaultRule; failsItem(index: number): boolean } | undefined;
}

const MAX_COLLECTION = 200;
/** sObject Collections retrieve (POST with the IDs in the body). */
const MAX_RETRIEVE = 2_000;
const MAX_COMPOSITE = 25;
const REPLICATION_WINDOW_MS = 30 * 86_400_000;
const MAX_REPLICATION_IDS = 600_000;

function isRecordObject(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requireBody(body: unknown): Record<string, unknown> {
    if (!isRecordObject(body)) {
        throw new SalesforceError(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object');
    }
    return body;
}

export class RestApi {
    constructor(private readonly deps: RestDependencies) {}

    dispatch(request: ApiRequest): ApiResponse {
        try {
            return this.route(request);
        } catch (error) {
            const sfError = asSalesforceError(error);
            if (sfError.httpStatus === 300) return { status: 300, body: sfError.extra.urls };
            return { status: sfError.httpStatus, body: sfError.toRestBody() };
        }
    }

    private route(request: ApiRequest): ApiResponse {
        const [head, ...rest] = request.segments;
        const { method } = request;
        switch (head) {
            case undefined:
                return { status: 200, body: this.resources(request.apiVersion) };
            case 'limits':
                return method === 'GET' ? { status: 200, body: this.limits() } : this.methodNotAllowed(method);
            case 'sobjects':
                return this.sobjects(request, rest);
            case 'query':
            case 'queryAll':
                if (method !== 'GET') return this.methodNotAllowed(method);
                return this.query(request, head === 'queryAll', rest[0]);
            case 'composite':
                if (rest[0] === 'sobjects') return this.collections(request, rest.slice(1));
                if (rest.length === 0 && method === 'POST') return this.composite(request);
                throw notFound();
            default:
                throw notFound();
        }
    }

    private methodNotAllowed(method: string): ApiResponse {
        return {
            status: 405,
            body: [{ errorCode: 'METHOD_NOT_ALLOWED', message: `HTTP Method '${method}' not allowed. Allowed are GET` }]
        };
    }

    private resources(apiVersion: string) {
        const base = `/services/data/v${apiVersion}`;
        const names = ['sobjects', 'query', 'queryAll', 'limits', 'composite', 'jobs'];
        return Object.fromEntries(names.map((n) => [n, `${base}/${n}`]));
    }

    private limits() {
        const { max, used } = this.deps.limits().dailyApiRequests;
        const fixed = (Max: number) => ({ Max, Remaining: Max });
        return {
            DailyApiRequests: { Max: max, Remaining: Math.max(0, max - used) },
            DailyBulkApiBatches: fixed(15000),
            DailyBulkV2QueryFileStorageMB: fixed(976562),
            DailyBulkV2QueryJobs: fixed(10000),
            DailyDurableStreamingApiEvents: fixed(1000000),
            DailyStreamingApiEvents: fixed(1000000),
            DataStorageMB: fixed(1024),
            FileStorageMB: fixed(10240),
            HourlyTimeBasedWorkflow: fixed(1000),
            MonthlyPlatformEventsUsageEntitlement: fixed(0),
            SingleEmail: fixed(5000)
        };
    }

    private object(name: string | undefined): ObjectDef {
        const def = name ? this.deps.catalog.find(name) : undefined;
        if (!def) {
            throw new SalesforceError(404, 'NOT_FOUND', `The requested resource does not exist`);
        }
        return def;
    }

    /** An 18-character ID of the object's key prefix, or 404 as the API answers for a bad row URL. */
    private recordId(def: ObjectDef, text: string): string {
        const id = toId18(text);
        if (!id || !id.startsWith(def.keyPrefix)) throw notFound();
        return id;
    }

    private sobjects(request: ApiRequest, path: string[]): ApiResponse {
        const { method, apiVersion } = request;
        const { catalog, dml } = this.deps;
        if (path.length === 0) {
            return method === 'GET'
                ? { status: 200, body: describeGlobal(catalog, apiVersion) }
                : this.methodNotAllowed(method);
        }
        const def = this.object(path[0]);
        if (path.length === 1) {
            if (method === 'GET') return { status: 200, body: describeBasic(def, apiVersion) };
            if (method !== 'POST') return this.methodNotAllowed(method);
            const record = dml.create(def.name, requireBody(request.body), request.write);
            return {
                status: 201,
                body: { id: record.Id, success: true, errors: [] },
                headers: { Location: `/services/data/v${apiVersion}/sobjects/${def.name}/${record.Id}` }
            };
        }
        const second = path[1];
        if (path.length === 2 && second === 'describe' && method === 'GET') {
            const body = describeObject(catalog, def, apiVersion);
            return { status: 200, body: { ...body, recordTypeInfos: this.recordTypeInfos(def) } };
        }
        if (path.length === 2 && (second === 'updated' || second === 'deleted') && method === 'GET') {
            return { status: 200, body: this.replication(def, second, request.query) };
        }
        if (path.length === 2) return this.row(request, def, second);
        if (path.length === 3) return this.byExternalId(request, def, second, path[2]);
        throw notFound();
    }

    private recordTypeInfos(def: ObjectDef) {
        const types = [...this.deps.store.table('RecordType').values()].filter(
            (rt) => rt.SobjectType === def.name && rt.IsDeleted !== true
        );
        return types.map((rt, index) => ({
            active: rt.IsActive === true,
            available: true,
            defaultRecordTypeMapping: index === 0,
            developerName: rt.DeveloperName,
            master: false,
            name: rt.Name,
            recordTypeId: rt.Id,
            urls: { layout: `/services/data/sobjects/${def.name}/describe/layouts/${rt.Id}` }
        }));
    }

    private row(request: ApiRequest, def: ObjectDef, idText: string): ApiResponse {
        const { dml, store } = this.deps;
        const id = this.recordId(def, idText);
        switch (request.method) {
            case 'GET': {
                const record = store.table(def.name).get(id);
                if (!record || record.IsDeleted === true) throw notFound();
                return { status: 200, body: this.serialize(def, record, request) };
            }
            case 'PATCH':
                dml.update(def.name, id, requireBody(request.body), request.write);
                return { status: 204 };
            case 'DELETE':
                dml.delete(id, request.write);
                return { status: 204 };
            default:
                return this.methodNotAllowed(request.method);
        }
    }

    private serialize(def: ObjectDef, record: SObjectRecord, request: ApiRequest): Record<string, unknown> {
        const fieldsParam = request.query.get('fields');
        if (!fieldsParam) return recordToWire(def, record, request.apiVersion);
        const fields = fieldsParam.split(',').map((name) => {
            const field = def.fieldsByLowerName.get(name.trim().toLowerCase());
            if (!field) {
                throw new SalesforceError(
                    400,
                    'INVALID_FIELD',
                    `No such column '${name.trim()}' on sobject of type ${def.name}`
                );
            }
            return field;
        });
        return recordToWire(def, record, request.apiVersion, fields);
    }

    private byExternalId(request: ApiRequest, def: ObjectDef, fieldName: string, value: string): ApiResponse {
        const { dml, store } = this.deps;
        if (request.method === 'PATCH' || request.method === 'POST') {
            const { record, created } = dml.upsert(
                def.name,
                fieldName,
                fieldName.toLowerCase() === 'id' ? this.recordId(def, value) : value,
                requireBody(request.body),
                request.write,
                request.apiVersion
            );
            return {
                status: created ? 201 : 200,
                body: { id: record.Id, success: true, errors: [], created }
            };
        }
        const field = def.fieldsByLowerName.get(fieldName.toLowerCase());
        if (!field || !field.externalId) {
            throw new SalesforceError(
                404,
                'NOT_FOUND',
                `Provided external ID field does not exist or is not accessible: ${fieldName}`
            );
        }
        const ids = store.lookup(def.name, field.name, value).filter((id) => store.get(id)?.IsDeleted !== true);
        if (ids.length === 0) throw notFound();
        if (ids.length > 1) {
            return {
                status: 300,
                body: ids.map((id) => `/services/data/v${request.apiVersion}/sobjects/${def.name}/${id}`)
            };
        }
        if (request.method === 'GET') return { status: 200, body: this.serialize(def, store.get(ids[0])!, request) };
        if (request.method === 'DELETE') {
            dml.delete(ids[0], request.write);
            return { status: 204 };
        }
        return this.methodNotAllowed(request.method);
    }

    private replication(def: ObjectDef, kind: 'updated' | 'deleted', query: URLSearchParams) {
        const parse = (name: string) => {
            const text = query.get(name);
            const ms = text ? parseDateTimeInput(text) : undefined;
            if (ms === undefined) {
                throw new SalesforceError(
                    400,
                    'INVALID_REPLICATION_DATE',
                    `${name} parameter is missing or is not a valid dateTime`
                );
            }
            return Math.floor(ms / 60_000) * 60_000;
        };
        const start = parse('start');
        const end = parse('end');
        const now = this.deps.now();
        if (start >= end) {
            throw new SalesforceError(
                400,
                'INVALID_REPLICATION_DATE',
                'start date must chronologically precede end date'
            );
        }
        if (start < now - REPLICATION_WINDOW_MS) {
            throw new SalesforceError(400, 'INVALID_REPLICATION_DATE', 'startDate cannot be more than 30 days ago');
        }
        const latestDateCovered = formatDateTime(Math.min(end, Math.floor(now / 60_000) * 60_000));
        const rows = [...this.deps.store.table(def.name).values()];
        if (kind === 'updated') {
            const ids = rows
                .filter((r) => r.IsDeleted !== true)
                .filter((r) => (r.SystemModstamp as number) >= start && (r.SystemModstamp as number) < end)
                .map((r) => r.Id);
            if (ids.length > MAX_REPLICATION_IDS) {
                throw new SalesforceError(400, 'EXCEEDED_ID_LIMIT', 'too many ids: narrow the date range');
            }
            return { ids, latestDateCovered };
        }
        const deletedRecords = rows
            .filter((r) => r.IsDeleted === true)
            .filter((r) => (r.$deletedAt as number) >= start && (r.$deletedAt as number) < end)
            .map((r) => ({ id: r.Id, deletedDate: formatDateTime(r.$deletedAt as number) }));
        return {
            deletedRecords,
            earliestDateAvailable: formatDateTime(Math.floor((now - REPLICATION_WINDOW_MS) / 60_000) * 60_000),
            latestDateCovered
        };
    }

    private query(request: ApiRequest, includeDeleted: boolean, locator: string | undefined): ApiResponse {
        const { queries } = this.deps;
        if (locator !== undefined && locator !== '')
            return { status: 200, body: queries.more(locator, request.apiVersion) };
        const soql = request.query.get('q');
        if (!soql) {
            throw new SalesforceError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
        }
        const batchSize = batchSizeFromHeader(request.headers['sforce-query-options']);
        return { status: 200, body: queries.run(soql, includeDeleted, request.apiVersion, batchSize) };
    }

    /** sObject Collections: create, update, upsert, delete and retrieve up to 200 records. */
    private collections(request: ApiRequest, path: string[]): ApiResponse {
        const { method } = request;
        if (path.length === 0 && method === 'DELETE') {
            const ids = (request.query.get('ids') ?? '').split(',').filter((id) => id !== '');
            const allOrNone = request.query.get('allOrNone') === 'true';
            this.checkCollectionSize(ids.length);
            return this.saveMany(request, ids, allOrNone, (idText) => {
                const id = toId18(idText);
                if (!id || !this.deps.store.objectOfId(id)) {
                    throw new SalesforceError(400, 'MALFORMED_ID', `malformed id ${idText}`);
                }
                const deleted = this.deps.dml.delete(id, request.write);
                return { id: deleted.Id, success: true, errors: [] };
            });
        }
        if (path.length === 1 && (method === 'POST' || method === 'GET')) return this.retrieveMany(request, path[0]);
        if (path.length === 0 && (method === 'POST' || method === 'PATCH')) {
            const body = requireBody(request.body);
            const records = body.records;
            if (!Array.isArray(records))
                throw new SalesforceError(400, 'JSON_PARSER_ERROR', "'records' must be an array");
            this.checkCollectionSize(records.length);
            return this.saveMany(request, records, body.allOrNone === true, (input) => {
                if (!isRecordObject(input))
                    throw new RequestLevelError(400, 'JSON_PARSER_ERROR', 'each record must be an object');
                const type = isRecordObject(input.attributes) ? input.attributes.type : undefined;
                if (typeof type !== 'string' || type === '') {
                    throw new SalesforceError(400, 'INVALID_FIELD', 'No SObject Type defined in the request');
                }
                const def = this.object(type);
                if (method === 'POST') {
                    if (input.id !== undefined || input.Id !== undefined) {
                        throw new SalesforceError(400, 'INVALID_FIELD', 'cannot specify Id in an insert call', ['Id']);
                    }
                    return { id: this.deps.dml.create(def.name, input, request.write).Id, success: true, errors: [] };
                }
                const rawId = input.id ?? input.Id;
                const id = typeof rawId === 'string' ? toId18(rawId) : undefined;
                if (!id)
                    throw new SalesforceError(400, 'MISSING_ARGUMENT', 'Id not specified in an update call', ['Id']);
                if (!id.startsWith(def.keyPrefix)) {
                    throw new SalesforceError(
                        400,
                        'MALFORMED_ID',
                        `${def.name} ID: id value of incorrect type: ${rawId as string}`,
                        ['Id']
                    );
                }
                const body = { ...input };
                delete body.id;
                delete body.Id;
                if (!this.deps.store.get(id)) {
                    throw new SalesforceError(400, 'INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', ['Id']);
                }
                return { id: this.deps.dml.update(def.name, id, body, request.write).Id, success: true, errors: [] };
            });
        }
        if (path.length === 2 && method === 'PATCH') {
            const def = this.object(path[0]);
            const keyField = path[1];
            const body = requireBody(request.body);
            const records = body.records;
            if (!Array.isArray(records))
                throw new SalesforceError(400, 'JSON_PARSER_ERROR', "'records' must be an array");
            this.checkCollectionSize(records.length);
            const field = def.fieldsByLowerName.get(keyField.toLowerCase());
            if (!field || (!field.externalId && field.name !== 'Id')) {
                throw new SalesforceError(
                    400,
                    'INVALID_FIELD',
                    `Field name provided, ${keyField} is not an External ID or indexed field for ${def.name}`
                );
            }
            return this.saveMany(request, records, body.allOrNone === true, (input) => {
                if (!isRecordObject(input))
                    throw new RequestLevelError(400, 'JSON_PARSER_ERROR', 'each record must be an object');
                const keyEntry = Object.entries(input).find(([k]) => k.toLowerCase() === field.name.toLowerCase());
                const keyValue = keyEntry?.[1];
                if (typeof keyValue !== 'string' && typeof keyValue !== 'number') {
                    throw new SalesforceError(
                        400,
                        'REQUIRED_FIELD_MISSING',
                        `Required fields are missing: [${field.name}]`,
                        [field.name]
                    );
                }
                const { record, created } = this.deps.dml.upsert(
                    def.name,
                    field.name,
                    String(keyValue),
                    input,
                    request.write,
                    request.apiVersion
                );
                return { id: record.Id, success: true, errors: [], created };
            });
        }
        throw notFound();
    }

    private checkCollectionSize(size: number, limit = MAX_COLLECTION): void {
        if (size > limit) {
            throw new SalesforceError(
                400,
                'EXCEEDED_ID_LIMIT',
                `record limit reached. cannot submit more than ${limit} records into this call`
            );
        }
    }

    /**
     * Runs one operation per item. With allOrNone every item shares one transaction and the first
     * failure rolls all of them back; otherwise each item commits or fails on its own.
     */
    private saveMany<T>(
        request: ApiRequest,
        items: T[],
        allOrNone: boolean,
        operation: (item: T) => Record<string, unknown>
    ): ApiResponse {
        const { store } = this.deps;
        const partial = this.deps.partialFault(request.method, request.path);
        const attempt = (item: T, index: number): Record<string, unknown> => {
            if (partial?.failsItem(index)) {
                throw new SalesforceError(
                    500,
                    'UNABLE_TO_LOCK_ROW',
                    'unable to obtain exclusive access to this record or 1 records'
                );
            }
            return operation(item);
        };
        const failure = (error: unknown) => {
            if (error instanceof RequestLevelError) throw error;
            return { success: false, errors: [asSalesforceError(error).toSaveError()] };
        };
        let results: Record<string, unknown>[];
        if (allOrNone) {
            results = store.transaction(() => {
                const outcomes = items.map((item, index) => {
                    try {
                        return attempt(item, index);
                    } catch (error) {
                        return failure(error);
                    }
                });
                if (outcomes.some((o) => o.success === false)) {
                    store.rollbackCurrent();
                    return outcomes.map((o) =>
                        o.success === false ? o : { success: false, errors: [rolledBack().toSaveError()] }
                    );
                }
                return outcomes;
            });
        } else {
            // Each item commits on its own, inside an outer unit so that a request-level error (which
            // Salesforce raises before saving anything) leaves no item saved.
            results = store.transaction(() =>
                items.map((item, index) => {
                    try {
                        return store.transaction(() => attempt(item, index));
                    } catch (error) {
                        return failure(error);
                    }
                })
            );
        }
        return { status: 200, body: results };
    }

    private retrieveMany(request: ApiRequest, objectName: string): ApiResponse {
        const def = this.object(objectName);
        let ids: unknown;
        let fields: unknown;
        if (request.method === 'GET') {
            ids = (request.query.get('ids') ?? '').split(',').filter((s) => s !== '');
            fields = (request.query.get('fields') ?? '').split(',').filter((s) => s !== '');
        } else {
            const body = requireBody(request.body);
            ids = body.ids;
            fields = body.fields;
        }
        if (!Array.isArray(ids) || !Array.isArray(fields) || fields.length === 0) {
            throw new SalesforceError(400, 'MISSING_ARGUMENT', 'ids and fields are required');
        }
        // Writes take 200 records; a retrieve 2,000 IDs (a GET's URL runs out at about 800 of them).
        this.checkCollectionSize(ids.length, MAX_RETRIEVE);
        const resolved = fields.map((name) => {
            const field = typeof name === 'string' ? def.fieldsByLowerName.get(name.toLowerCase()) : undefined;
            if (!field)
                throw new SalesforceError(
                    400,
                    'INVALID_FIELD',
                    `No such column '${String(name)}' on sobject of type ${def.name}`
                );
            return field;
        });
        const records = ids.map((idText) => {
            const id = typeof idText === 'string' ? toId18(idText) : undefined;
            const record = id ? this.deps.store.table(def.name).get(id) : undefined;
            return record && record.IsDeleted !== true ? recordToWire(def, record, request.apiVersion, resolved) : null;
        });
        return { status: 200, body: records };
    }

    /** The composite resource: up to 25 sub-requests, `@{ref.field}` references, optional allOrNone. */
    private composite(request: ApiRequest): ApiResponse {
        const body = requireBody(request.body);
        const subrequests = body.compositeRequest;
        if (!Array.isArray(subrequests) || subrequests.length === 0) {
            throw new SalesforceError(400, 'JSON_PARSER_ERROR', "'compositeRequest' must be a non-empty array");
        }
        if (subrequests.length > MAX_COMPOSITE) {
            throw new SalesforceError(
                400,
                'INVALID_BATCH_REQUEST',
                `Composite request can have at most ${MAX_COMPOSITE} subrequests`
            );
        }
        const allOrNone = body.allOrNone === true;
        const references = new Map<string, unknown>();
        const responses: Record<string, unknown>[] = [];
        const { store } = this.deps;
        store.transaction(() => {
            let failed = false;
            for (const sub of subrequests) {
                const referenceId = isRecordObject(sub) && typeof sub.referenceId === 'string' ? sub.referenceId : '';
                if (failed && allOrNone) {
                    responses.push(this.processingHalted(referenceId));
                    continue;
                }
                const response = this.subrequest(request, sub, references);
                responses.push({ ...response, referenceId });
                if (response.httpStatusCode >= 400) failed = true;
                else references.set(referenceId, response.body);
            }
            if (failed && allOrNone) {
                store.rollbackCurrent();
                for (let i = 0; i < responses.length; i++) {
                    if ((responses[i].httpStatusCode as number) < 400) {
                        responses[i] = this.processingHalted(responses[i].referenceId as string, true);
                    }
                }
            }
        });
        return { status: 200, body: { compositeResponse: responses } };
    }

    private processingHalted(referenceId: string, rolledBackOnly = false): Record<string, unknown> {
        return {
            body: [
                {
                    errorCode: 'PROCESSING_HALTED',
                    message: rolledBackOnly
                        ? 'The transaction was rolled back since another operation in the same transaction failed.'
                        : 'The operation was halted because a previous operation in the same transaction failed.'
                }
            ],
            httpHeaders: {},
            httpStatusCode: 400,
            referenceId
        };
    }

    private subrequest(parent: ApiRequest, sub: unknown, references: Map<string, unknown>) {
        const fail = (status: number, errorCode: string, message: string) => ({
            body: [{ errorCode, message }],
            httpHeaders: {},
            httpStatusCode: status
        });
        if (!isRecordObject(sub) || typeof sub.method !== 'string' || typeof sub.url !== 'string') {
            return fail(400, 'INVALID_INPUT', 'each subrequest needs method, url and referenceId');
        }
        if (typeof sub.referenceId !== 'string' || !/^[A-Za-z0-9_]+$/.test(sub.referenceId)) {
            return fail(400, 'INVALID_INPUT', 'referenceId must be alphanumeric');
        }
        let url: string;
        let body: unknown;
        try {
            url = resolveReferences(sub.url, references, true) as string;
            body = sub.body === undefined ? undefined : resolveReferences(sub.body, references, false);
        } catch (error) {
            return fail(400, 'INVALID_REFERENCE', (error as Error).message);
        }
        const parsed = new URL(url, 'http://composite.invalid');
        const match = /^\/services\/data\/v(\d+\.\d)(\/.*)?$/.exec(parsed.pathname);
        if (!match) return fail(400, 'INVALID_INPUT', `The URL ${url} is not supported in a composite request`);
        const segments = (match[2] ?? '')
            .split('/')
            .filter((s) => s !== '')
            .map(decodeURIComponent);
        if (segments[0] === 'composite' && segments[1] !== 'sobjects') {
            return fail(400, 'INVALID_INPUT', 'composite requests cannot be nested');
        }
        const response = this.dispatch({
            ...parent,
            method: sub.method.toUpperCase(),
            path: parsed.pathname,
            segments,
            query: parsed.searchParams,
            body,
            apiVersion: match[1]
        });
        return { body: response.body ?? null, httpHeaders: response.headers ?? {}, httpStatusCode: response.status };
    }
}

/** Replaces `@{ref.path}` in strings (URL-encoding them inside URLs) with values from earlier responses. */
function resolveReferences(value: unknown, references: Map<string, unknown>, inUrl: boolean): unknown {
    if (typeof value === 'string') {
        return value.replace(
            /@\{([A-Za-z0-9_]+)((?:\.[A-Za-z0-9_]+|\[\d+\])*)\}/g,
            (_all, ref: string, path: string) => {
                if (!references.has(ref))
                    throw new Error(`Invalid reference specified. No value for ${ref} found in ${ref}.`);
                let current: unknown = references.get(ref);
                for (const step of path.match(/\.[A-Za-z0-9_]+|\[\d+\]/g) ?? []) {
                    const key = step.startsWith('.') ? step.slice(1) : Number(step.slice(1, -1));
                    current = (current as Record<string | number, unknown> | null)?.[key];
                }
                if (current === undefined || current === null || typeof current === 'object') {
                    throw new Error(`Invalid reference specified. No value for ${ref}${path} found in ${ref}.`);
                }
                return inUrl ? encodeURIComponent(String(current)) : String(current);
            }
        );
    }
    if (Array.isArray(value)) return value.map((v) => resolveReferences(v, references, inUrl));
    if (isRecordObject(value)) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveReferences(v, references, inUrl)]));
    }
    return value;
}
