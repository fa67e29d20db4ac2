import { z } from 'zod';
import { resolveObjectType, type ObjectTypeName } from './catalogue/object-types';
import type { PropertyType } from './catalogue/properties';
import { validationError } from './errors';
import { parseInstant } from './property-values';
import type { CrmStore, StoredObject } from './store/crm-store';

/** HubSpot's documented search limits (CRM search guide). */
export const SEARCH_LIMITS = {
    filterGroups: 5,
    filtersPerGroup: 6,
    filtersTotal: 18,
    maxLimit: 200,
    maxResults: 10_000,
    maxBodyCharacters: 3_000
} as const;

const scalar = z.union([z.string(), z.number(), z.boolean()]).transform(String);

const FilterSchema = z.object({
    propertyName: z.string().min(1),
    operator: z.enum([
        'EQ',
        'NEQ',
        'LT',
        'LTE',
        'GT',
        'GTE',
        'BETWEEN',
        'IN',
        'NOT_IN',
        'HAS_PROPERTY',
        'NOT_HAS_PROPERTY',
        'CONTAINS_TOKEN',
        'NOT_CONTAINS_TOKEN'
    ]),
    value: scalar.optional(),
    highValue: scalar.optional(),
    values: z.array(scalar).optional()
});
export type SearchFilter = z.infer<typeof FilterSchema>;

const SortSchema = z.union([
    // The generated client types `sorts` as string[]: "prop" ascending, "-prop" descending.
    z
        .string()
        .transform((text) =>
            text.startsWith('-')
                ? { propertyName: text.slice(1), direction: 'DESCENDING' as const }
                : { propertyName: text, direction: 'ASCENDING' as const }
        ),
    z.object({ propertyName: z.string().min(1), direction: z.enum(['ASCENDING', 'DESCENDING']).default('ASCENDING') })
]);

export const SearchRequestSchema = z.object({
    filterGroups: z.array(z.object({ filters: z.array(FilterSchema).default([]) })).default([]),
    sorts: z.array(SortSchema).default([]),
    properties: z.array(z.string()).default([]),
    query: z.string().optional(),
    limit: z.number().int().min(0).default(10),
    after: z.union([z.string(), z.number()]).optional()
});
export type SearchRequest = z.infer<typeof SearchRequestSchema>;

/** Rejects what HubSpot rejects before running a search (limits, operator arguments, paging). */
export function checkSearchRequest(request: SearchRequest): number {
    const groups = request.filterGroups;
    if (groups.length > SEARCH_LIMITS.filterGroups)
        throw validationError(
            `Too many filter groups: ${groups.length}. The maximum is ${SEARCH_LIMITS.filterGroups}.`
        );
    for (const group of groups)
        if (group.filters.length > SEARCH_LIMITS.filtersPerGroup)
            throw validationError(
                `Too many filters in a filter group: ${group.filters.length}. The maximum is ${SEARCH_LIMITS.filtersPerGroup}.`
            );
    const total = groups.reduce((sum, group) => sum + group.filters.length, 0);
    if (total > SEARCH_LIMITS.filtersTotal)
        throw validationError(
            `Too many filters: ${total}. The maximum across all filter groups is ${SEARCH_LIMITS.filtersTotal}.`
        );
    if (request.sorts.length > 1) throw validationError('Only one sort is allowed per search request.');
    if (request.limit > SEARCH_LIMITS.maxLimit)
        throw validationError(`limit must be less than or equal to ${SEARCH_LIMITS.maxLimit}, got ${request.limit}`);
    for (const filter of groups.flatMap((group) => group.filters)) {
        const needs =
            filter.operator === 'BETWEEN'
                ? filter.value !== undefined && filter.highValue !== undefined
                : filter.operator === 'IN' || filter.operator === 'NOT_IN'
                  ? filter.values !== undefined && filter.values.length > 0
                  : filter.operator === 'HAS_PROPERTY' || filter.operator === 'NOT_HAS_PROPERTY'
                    ? true
                    : filter.value !== undefined;
        if (!needs)
            throw validationError(
                `Filter on ${filter.propertyName} with operator ${filter.operator} is missing its value(s)`
            );
    }
    const after = request.after === undefined || request.after === '' ? 0 : Number(request.after);
    if (!Number.isInteger(after) || after < 0) throw validationError(`after must be an integer, got ${request.after}`);
    if (after >= SEARCH_LIMITS.maxResults)
        throw validationError(
            `The maximum number of results for a search is ${SEARCH_LIMITS.maxResults}; narrow your filters to page past it.`
        );
    return after;
}

type Comparable =
    { kind: 'number'; value: number } | { kind: 'text'; value: string } | { kind: 'exact'; value: string };

function typeOf(store: CrmStore, type: ObjectTypeName, property: string): PropertyType | undefined {
    if (property === 'hs_object_id') return 'number';
    return store.catalogue(type).get(property)?.type;
}

function comparable(propertyType: PropertyType, raw: string): Comparable | undefined {
    switch (propertyType) {
        case 'number': {
            const value = Number(raw);
            return Number.isFinite(value) ? { kind: 'number', value } : undefined;
        }
        case 'date':
        case 'datetime': {
            const value = parseInstant(raw);
            return value === undefined ? undefined : { kind: 'number', value };
        }
        case 'enumeration':
        case 'bool':
            return { kind: 'exact', value: raw };
        default:
            return { kind: 'text', value: raw.toLowerCase() };
    }
}

function compare(a: Comparable, b: Comparable): number {
    if (a.kind === 'number' && b.kind === 'number') return a.value - b.value;
    const left = String(a.value);
    const right = String(b.value);
    return left < right ? -1 : left > right ? 1 : 0;
}

function tokenMatches(value: string, pattern: string): boolean {
    const lower = value.toLowerCase();
    const wanted = pattern.toLowerCase();
    const tokens = [lower, ...lower.split(/[\s,;.@/:_-]+/).filter(Boolean)];
    if (!wanted.includes('*')) return tokens.includes(wanted);
    const regex = new RegExp(
        `^${wanted
            .split('*')
            .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
            .join('.*')}$`
    );
    return tokens.some((token) => regex.test(token));
}

/**
 * A record's value as a comparable. System timestamps and ids come straight from the record: a
 * million-record search must not format and re-parse an ISO string per record.
 */
function comparableOf(
    store: CrmStore,
    type: ObjectTypeName,
    record: StoredObject,
    property: string,
    propertyType: PropertyType
): Comparable | undefined {
    switch (property) {
        case 'hs_object_id':
            return { kind: 'number', value: record.id };
        case 'hs_createdate':
            return { kind: 'number', value: record.createdAt };
        case 'createdate':
            if (record.properties.createdate === undefined) return { kind: 'number', value: record.createdAt };
            break;
        case 'lastmodifieddate':
        case 'hs_lastmodifieddate':
            return { kind: 'number', value: record.updatedAt };
    }
    const raw = store.valueOf(type, record, property);
    return raw === null ? undefined : comparable(propertyType, raw);
}

/** Builds a predicate for one filter against records of `type`. */
function compileFilter(store: CrmStore, type: ObjectTypeName, filter: SearchFilter): (record: StoredObject) => boolean {
    const association = /^associations\.(.+)$/.exec(filter.propertyName);
    if (association) {
        const target = resolveObjectType(association[1]);
        if (!target) throw validationError(`Unknown object type in ${filter.propertyName}`);
        const ids = new Set([filter.value, ...(filter.values ?? [])].filter((v) => v !== undefined).map(Number));
        const holds = (record: StoredObject) =>
            [...store.associationsOf(type, record.id, target.name).keys()].some((id) => ids.has(id));
        if (filter.operator === 'EQ' || filter.operator === 'IN') return holds;
        if (filter.operator === 'NEQ' || filter.operator === 'NOT_IN') return (record) => !holds(record);
        throw validationError(`Operator ${filter.operator} is not supported for ${filter.propertyName}`);
    }
    const propertyType = typeOf(store, type, filter.propertyName);
    if (!propertyType) throw validationError(`Property "${filter.propertyName}" does not exist`);
    const value = (record: StoredObject) => store.valueOf(type, record, filter.propertyName);
    const convert = (raw: string): Comparable => {
        const result = comparable(propertyType, raw);
        if (!result) throw validationError(`${raw} is not a valid value for ${filter.propertyName}`);
        return result;
    };
    const relation = (test: (order: number) => boolean) => {
        const wanted = convert(filter.value!);
        return (record: StoredObject) => {
            const mine = comparableOf(store, type, record, filter.propertyName, propertyType);
            return mine !== undefined && test(compare(mine, wanted));
        };
    };
    const inSet = () => {
        const wanted = filter.values!.map(convert);
        return (record: StoredObject) => {
            const current = value(record);
            if (current === null) return false;
            const parts = propertyType === 'enumeration' ? current.split(';') : [current];
            return parts.some((part) => {
                const mine = comparable(propertyType, part);
                return mine !== undefined && wanted.some((w) => compare(mine, w) === 0);
            });
        };
    };
    switch (filter.operator) {
        case 'EQ':
            return relation((order) => order === 0);
        case 'NEQ': {
            const equal = relation((order) => order === 0);
            return (record) => !equal(record);
        }
        case 'LT':
            return relation((order) => order < 0);
        case 'LTE':
            return relation((order) => order <= 0);
        case 'GT':
            return relation((order) => order > 0);
        case 'GTE':
            return relation((order) => order >= 0);
        case 'BETWEEN': {
            const low = relation((order) => order >= 0);
            const high = convert(filter.highValue!);
            return (record) => {
                if (!low(record)) return false;
                const mine = comparableOf(store, type, record, filter.propertyName, propertyType);
                return mine !== undefined && compare(mine, high) <= 0;
            };
        }
        case 'IN':
            return inSet();
        case 'NOT_IN': {
            const member = inSet();
            return (record) => !member(record);
        }
        case 'HAS_PROPERTY':
            return (record) => value(record) !== null;
        case 'NOT_HAS_PROPERTY':
            return (record) => value(record) === null;
        case 'CONTAINS_TOKEN':
            return (record) => {
                const current = value(record);
                return current !== null && tokenMatches(current, filter.value!);
            };
        case 'NOT_CONTAINS_TOKEN':
            return (record) => {
                const current = value(record);
                return current === null || !tokenMatches(current, filter.value!);
            };
    }
}

function compileQuery(store: CrmStore, type: ObjectTypeName, query: string, searchable: readonly string[]) {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    return (record: StoredObject) => {
        const tokens = searchable
            .map((name) => store.valueOf(type, record, name))
            .filter((v): v is string => v !== null)
            .flatMap((v) => [v.toLowerCase(), ...v.toLowerCase().split(/[\s,;.@/:_-]+/)]);
        return words.every((word) => tokens.some((token) => token.startsWith(word)));
    };
}

/** Runs a checked search: OR of AND-groups, one sort (creation order by default), offset paging. */
export function runSearch(
    store: CrmStore,
    type: ObjectTypeName,
    request: SearchRequest,
    offset: number,
    searchable: readonly string[],
    /** Records created after this instant are not indexed yet (HubSpot's search lags behind writes). */
    indexedBefore = Number.POSITIVE_INFINITY
): { total: number; records: StoredObject[]; nextAfter?: string } {
    const groups = request.filterGroups
        .filter((group) => group.filters.length > 0)
        .map((group) => group.filters.map((filter) => compileFilter(store, type, filter)));
    const query = request.query?.trim() ? compileQuery(store, type, request.query, searchable) : undefined;
    const matches: StoredObject[] = [];
    for (const record of store.live(type)) {
        if (record.createdAt > indexedBefore) continue;
        if (groups.length > 0 && !groups.some((group) => group.every((test) => test(record)))) continue;
        if (query && !query(record)) continue;
        matches.push(record);
    }
    const sort = request.sorts[0];
    if (sort) {
        const propertyType = typeOf(store, type, sort.propertyName);
        if (!propertyType) throw validationError(`Property "${sort.propertyName}" does not exist`);
        const direction = sort.direction === 'DESCENDING' ? -1 : 1;
        const key = new Map(
            matches.map(
                (record) => [record.id, comparableOf(store, type, record, sort.propertyName, propertyType)] as const
            )
        );
        matches.sort((a, b) => {
            const left = key.get(a.id);
            const right = key.get(b.id);
            if (left === undefined || right === undefined)
                return left === right ? a.id - b.id : left === undefined ? 1 : -1;
            return compare(left, right) * direction || a.id - b.id;
        });
    }
    const records = matches.slice(offset, offset + request.limit);
    const next = offset + request.limit;
    return { total: matches.length, records, nextAfter: next < matches.length ? String(next) : undefined };
}
