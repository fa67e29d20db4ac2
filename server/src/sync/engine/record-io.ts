/**
 * Reading records for one group of record mappings: the changes since the cursors, and the records
 * their identity decisions need (linked counterparts, namesakes by email or domain, ID fields), each in
 * as few calls as the page and batch sizes allow. Rows come back in the planner's shapes.
 */
import { hubspotScopeProperties } from '../mapping/hubspot-scope';
import { advanceCursor, settledCursor, type CursorPosition } from '../changes/cursor';
import {
    firstSearchStep,
    hubspotSearchPageSize,
    lastModifiedProperty,
    nextSearchStep,
    searchRequest,
    type SearchFilter,
    type SearchStep
} from '../changes/hubspot-search';
import {
    buildSalesforceChangesQuery,
    buildSalesforceCountQuery,
    salesforceReadFields
} from '../changes/salesforce-query';
import { normaliseDomain } from '../identity/domain';
import { normaliseEmail } from '../identity/email';
import type { SalesforceFilter } from '../mapping/filter';
import type { HubSpotRecord, SalesforceRecord } from '../plan/plan-batch';
import type { ResolvedRecordMapping } from '../schema/validate-mapping';
import type { HubSpotObject, SalesforceRow } from '../adapters/ports';
import type { RunContext } from './context';

/** SOQL `IN` lists stay well under the 100,000-character statement limit at this size. */
const soqlValuesPerQuery = 200;
const salesforceIdPattern = /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/;
const hubspotIdPattern = /^\d+$/;

export function toSalesforceRecord(row: SalesforceRow): DatedSalesforceRecord {
    const modified = row.values.SystemModstamp;
    const created = row.values.CreatedDate;
    return {
        id: row.id,
        values: row.values,
        modifiedAt: typeof modified === 'string' ? modified : new Date(0).toISOString(),
        createdAt: typeof created === 'string' ? created : new Date(0).toISOString()
    };
}

export function toHubSpotRecord(object: HubSpotObject, objectType: string): HubSpotRecord {
    const modified = object.properties[lastModifiedProperty(objectType)];
    return {
        id: object.id,
        values: object.properties,
        ...(object.propertyChangedAt ? { propertyChangedAt: object.propertyChangedAt } : {}),
        ...(object.propertyEarlierValues ? { propertyEarlierValues: object.propertyEarlierValues } : {}),
        modifiedAt: modified
            ? new Date(/^\d+$/.test(modified) ? Number(modified) : modified).toISOString()
            : object.updatedAt
    };
}

export function salesforceFieldsToRead(context: RunContext, resolved: ResolvedRecordMapping): string[] {
    const fields = new Set(salesforceReadFields(context.mapping, resolved.mapping));
    // The status fields a write-back compares with: a record already showing its state is not written.
    const status = resolved.mapping.syncStatus;
    if (status?.errorField) fields.add(status.errorField);
    if (status?.recordUrlField) fields.add(status.recordUrlField);
    // Only fields the live schema has: a mapping problem was reported already and must not break the query.
    return [...fields].filter((field) => resolved.salesforceFields.has(field));
}

/** The IDs a HubSpot record absorbed in merges, `;`-separated: the merge also moves its last-modified date. */
export const mergedIdsProperty = 'hs_merged_object_ids';

/** The IDs `record` absorbed in merges (HubSpot still answers a read of one with `record`). */
export function mergedAwayIds(record: HubSpotRecord): string[] {
    const ids = record.values[mergedIdsProperty];
    return typeof ids === 'string' ? ids.split(';').filter((id) => id !== '' && id !== record.id) : [];
}

export function hubspotPropertiesToRead(context: RunContext, group: ResolvedRecordMapping[]): string[] {
    const properties = new Set<string>();
    for (const { mapping } of group) {
        for (const field of mapping.fields) if (field.rule !== 'dont_sync') properties.add(field.hubspot);
        if (mapping.identity.hubspotMatchProperty) properties.add(mapping.identity.hubspotMatchProperty);
        if (mapping.identity.salesforceIdProperty) properties.add(mapping.identity.salesforceIdProperty);
        for (const property of hubspotScopeProperties(mapping.scope.hubspot)) properties.add(property);
        if (mapping.lifecycle) properties.add(context.mapping.lifecycle.property);
        if (mapping.dealStages) {
            properties.add(mapping.dealStages.pipelineProperty);
            properties.add(mapping.dealStages.stageProperty);
        }
    }
    properties.add(mergedIdsProperty);
    return [...properties].filter((property) => group.some((resolved) => resolved.hubspotProperties.has(property)));
}

function idsOfKind(context: RunContext, pattern: RegExp): string[] | undefined {
    const ids = context.request.ids?.filter((id) => pattern.test(id));
    return ids && ids.length > 0 ? ids : undefined;
}

function withScope(scope: SalesforceFilter | undefined, filter: SalesforceFilter): SalesforceFilter {
    return scope ? { all: [scope, filter] } : filter;
}

export interface ChangeRead {
    /** Every record in scope was read (a full or first run): nothing else exists to match against. */
    complete: boolean;
    cursor?: CursorPosition;
}

/** A HubSpot change read. */
export interface HubSpotChangeRead extends ChangeRead {
    /**
     * When the read began, if it read every record changed since the cursor (no ID list, no record limit): a
     * record it did not find has not changed in HubSpot since it last synced (unchanged-counterparts.ts).
     */
    everyChangeAt?: string;
}

export type DatedSalesforceRecord = SalesforceRecord & { createdAt: string };

/**
 * The mapping's changed Salesforce records since its cursor (everything on a full run), handed to
 * `onPage` one query page at a time so the caller never holds the whole change set; records deleted
 * (or merged away) since the cursor come back from the same queryAll and are handed as `deleted`.
 */
export async function readSalesforceChangePages(
    context: RunContext,
    resolved: ResolvedRecordMapping,
    stream: string,
    onPage: (records: DatedSalesforceRecord[], deleted: string[]) => void | Promise<void>
): Promise<ChangeRead> {
    const { request } = context;
    const salesforceIds = idsOfKind(context, salesforceIdPattern);
    if (request.ids && !salesforceIds) return { complete: false };
    const saved = context.store.getCursor(stream, 'salesforce');
    const since = request.mode === 'full' || !saved ? undefined : { modifiedAt: saved.modifiedAt, id: saved.recordId };
    const scope = resolved.mapping.scope.salesforce;
    // One queryAll reads changes and deletes together: a quiet run still costs one query per object.
    const fields = salesforceFieldsToRead(context, resolved);
    if (since && resolved.salesforceFields.has('IsDeleted')) fields.push('IsDeleted');
    let soql = buildSalesforceChangesQuery({
        object: resolved.mapping.salesforceObject,
        fields,
        ...(salesforceIds ? { scope: withScope(scope, { field: 'Id', op: 'in', value: salesforceIds }) } : {}),
        ...(!salesforceIds && scope ? { scope } : {}),
        ...(since && !salesforceIds ? { since, lookbackSeconds: saved?.lookbackSeconds ?? 0 } : {})
    });
    if (request.limit !== undefined) soql += ` LIMIT ${request.limit}`;
    const readAt = context.now();
    const whole = since === undefined && !salesforceIds && request.limit === undefined;
    const pages =
        whole && (await isLargeRead(context, resolved))
            ? context.salesforce.bulkQueryPages(
                  buildSalesforceChangesQuery({
                      object: resolved.mapping.salesforceObject,
                      fields,
                      ...(scope ? { scope } : {}),
                      ordered: false
                  })
              )
            : context.salesforce.queryPages(soql, { all: since !== undefined });
    let cursor = since;
    for await (const page of pages) {
        const rows = page.map(toSalesforceRecord);
        cursor = advanceCursor(cursor, rows);
        await onPage(
            rows.filter((row) => row.values.IsDeleted !== true),
            rows.filter((row) => row.values.IsDeleted === true).map((row) => row.id)
        );
    }
    const complete = !salesforceIds && request.limit === undefined && since === undefined;
    // An object read whole and found empty starts its cursor at the epoch rather than at this machine's
    // clock (which may run ahead of Salesforce's): later runs then read changes, not the whole object again.
    if (!cursor && complete) cursor = { modifiedAt: new Date(0).toISOString(), id: '' };
    return { complete, ...(cursor ? { cursor: settledCursor(cursor, readAt) } : {}) };
}

/**
 * A whole-object read at or above `bulkReadThreshold` records goes through Bulk API 2.0: a job and result
 * pages of up to 10,000 rows instead of a REST call per 2,000 (one COUNT() call decides).
 */
async function isLargeRead(context: RunContext, resolved: ResolvedRecordMapping): Promise<boolean> {
    if (context.bulkReadThreshold === undefined) return false;
    const count = await context.salesforce.countRows(
        buildSalesforceCountQuery(resolved.mapping.salesforceObject, resolved.mapping.scope.salesforce)
    );
    return count >= context.bulkReadThreshold;
}

/**
 * Queries are sent as GET URLs, which servers cap around 16 KB: the conditions of one query stay
 * under this many characters (URL encoding roughly adds a third).
 */
const maxConditionCharacters = 6_000;

/** Packs `field IN (...)` / `LIKE` conditions into as few queries as the URL budget allows. */
function packConditions(conditions: { field: string; value: string; like?: boolean }[]): SalesforceFilter[] {
    const queries: SalesforceFilter[] = [];
    let current = new Map<string, string[]>();
    let likes: SalesforceFilter[] = [];
    let size = 0;
    const flush = () => {
        const terms: SalesforceFilter[] = [
            ...[...current].map(([field, values]) => ({ field, op: 'in' as const, value: values })),
            ...likes
        ];
        if (terms.length > 0) queries.push(terms.length === 1 ? terms[0] : { any: terms });
        current = new Map();
        likes = [];
        size = 0;
    };
    for (const condition of conditions) {
        const cost = condition.value.length + (condition.like ? condition.field.length + 16 : 4);
        if (size + cost > maxConditionCharacters) flush();
        size += cost;
        if (condition.like) {
            likes.push({ field: condition.field, op: 'like', value: `%${condition.value}%` });
        } else {
            const values = current.get(condition.field) ?? [];
            values.push(condition.value);
            current.set(condition.field, values);
            if (values.length === soqlValuesPerQuery) flush();
        }
    }
    flush();
    return queries;
}

/** Records of one Salesforce object by ID, match value or HubSpot ID field, in as few queries as fit. */
export async function readSalesforceCandidates(
    context: RunContext,
    resolved: ResolvedRecordMapping,
    wanted: { ids: string[]; matchValues: string[]; hubspotIds: string[] }
): Promise<DatedSalesforceRecord[]> {
    const { identity } = resolved.mapping;
    const conditions: { field: string; value: string; like?: boolean }[] = [];
    const matchField = identity.salesforceMatchField;
    for (const value of new Set(wanted.matchValues)) {
        // Websites are free text: LIKE narrows, the planner's normalised domains decide.
        if (matchField && identity.match === 'email') conditions.push({ field: matchField, value });
        if (matchField && identity.match === 'domain') conditions.push({ field: matchField, value, like: true });
    }
    if (identity.hubspotIdField) {
        for (const id of new Set(wanted.hubspotIds)) conditions.push({ field: identity.hubspotIdField, value: id });
    }
    const fields = salesforceFieldsToRead(context, resolved);
    const records: DatedSalesforceRecord[] = [];
    const seen = new Set<string>();
    // By ID through a retrieve (2,000 a call); by match value or HubSpot ID through packed queries.
    if (wanted.ids.length > 0) {
        for (const row of await context.salesforce.retrieve(resolved.mapping.salesforceObject, wanted.ids, fields)) {
            seen.add(row.id);
            records.push(toSalesforceRecord(row));
        }
    }
    for (const scope of packConditions(conditions)) {
        const soql = buildSalesforceChangesQuery({ object: resolved.mapping.salesforceObject, fields, scope });
        for (const row of await context.salesforce.query(soql)) {
            if (seen.has(row.id)) continue;
            seen.add(row.id);
            records.push(toSalesforceRecord(row));
        }
    }
    return records;
}

export interface HubSpotChanges extends ChangeRead {
    records: HubSpotRecord[];
}

/**
 * The object type's changed HubSpot records since its cursor, through search with window narrowing,
 * handed to `onPage` one search page at a time. A record can come twice where narrowed windows meet;
 * the later copy is the current one.
 */
export async function readHubSpotChangePages(
    context: RunContext,
    objectType: string,
    properties: string[],
    stream: string,
    onPage: (records: HubSpotRecord[]) => void | Promise<void>
): Promise<HubSpotChangeRead> {
    const { request } = context;
    const hubspotIds = idsOfKind(context, hubspotIdPattern);
    if (request.ids && !hubspotIds) return { complete: false };
    if (hubspotIds) {
        const objects = await context.hubspot.read(objectType, hubspotIds, [
            ...properties,
            lastModifiedProperty(objectType)
        ]);
        await onPage(objects.map((object) => toHubSpotRecord(object, objectType)));
        return { complete: false };
    }
    const saved = context.store.getCursor(stream, 'hubspot');
    const previous = saved ? { modifiedAt: saved.modifiedAt, id: saved.recordId } : undefined;
    const fromMs =
        request.mode === 'full' || !saved ? 0 : Date.parse(saved.modifiedAt) - (saved.lookbackSeconds ?? 0) * 1000;
    const readAt = context.now();
    let cursor = request.mode === 'full' ? undefined : previous;
    let remaining = request.limit ?? Number.POSITIVE_INFINITY;
    const afterSettled =
        request.mode !== 'full' && saved !== undefined && saved.recordId !== '' && (saved.lookbackSeconds ?? 0) === 0;
    let step: SearchStep | undefined = firstSearchStep(fromMs, { afterSettled });
    while (step && remaining > 0) {
        const page = await context.hubspot.search(objectType, searchRequest({ objectType, properties }, step));
        const records = page.results.map((object) => toHubSpotRecord(object, objectType));
        const kept = records.slice(0, remaining);
        remaining -= kept.length;
        cursor = advanceCursor(cursor, kept);
        await onPage(kept);
        step = nextSearchStep(step, {
            results: records.map((record) => ({ id: record.id, modifiedAt: record.modifiedAt })),
            ...(page.nextAfter === undefined ? {} : { nextAfter: page.nextAfter })
        });
    }
    const complete = fromMs === 0 && request.limit === undefined;
    return {
        complete,
        ...(request.limit === undefined ? { everyChangeAt: readAt.toISOString() } : {}),
        ...(cursor ? { cursor: settledCursor(cursor, readAt) } : {})
    };
}

/** The same, collected (for change sets known to be small, such as a type's engagements). */
export async function readHubSpotChanges(
    context: RunContext,
    objectType: string,
    properties: string[],
    stream: string
): Promise<HubSpotChanges> {
    const byId = new Map<string, HubSpotRecord>();
    const read = await readHubSpotChangePages(context, objectType, properties, stream, (records) => {
        for (const record of records) byId.set(record.id, record);
    });
    return { ...read, records: [...byId.values()] };
}

/** HubSpot records by ID (batch read) and by match or Salesforce ID property (search, `IN` of ≤ 100 values). */
export async function readHubSpotCandidates(
    context: RunContext,
    objectType: string,
    properties: string[],
    wanted: { ids: string[]; byProperty: { property: string; values: string[] }[] }
): Promise<HubSpotRecord[]> {
    const byId = new Map<string, HubSpotRecord>();
    const readProperties = [...properties, lastModifiedProperty(objectType)];
    if (wanted.ids.length > 0) {
        for (const object of await context.hubspot.read(objectType, wanted.ids, readProperties)) {
            byId.set(object.id, toHubSpotRecord(object, objectType));
        }
    }
    for (const filterGroups of packSearchFilters(readProperties, wanted.byProperty)) {
        let after: string | undefined;
        do {
            const page = await context.hubspot.search(objectType, {
                filterGroups,
                sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }],
                properties: readProperties,
                limit: hubspotSearchPageSize,
                ...(after === undefined ? {} : { after })
            });
            for (const object of page.results) byId.set(object.id, toHubSpotRecord(object, objectType));
            after = page.nextAfter;
        } while (after !== undefined);
    }
    return [...byId.values()];
}

/** HubSpot refuses search bodies over 3,000 characters; the filters of one search stay under this. */
const maxSearchBodyCharacters = 2_900;
/** Values per `IN` filter, below any page size so one page answers a filter's namesakes. */
const maxInValues = 100;

/**
 * `property IN (...)` filters (≤100 values each, one per OR-ed group, ≤5 groups) packed into as few
 * searches as the body limit allows.
 */
function packSearchFilters(
    properties: string[],
    byProperty: { property: string; values: string[] }[]
): { filters: SearchFilter[] }[][] {
    const base =
        JSON.stringify({
            filterGroups: [],
            sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }],
            properties,
            limit: hubspotSearchPageSize,
            after: '10000'
        }).length + 10;
    const searches: { filters: SearchFilter[] }[][] = [];
    let groups: { filters: SearchFilter[] }[] = [];
    let size = base;
    const flush = () => {
        if (groups.length > 0) searches.push(groups);
        groups = [];
        size = base;
    };
    for (const { property, values } of byProperty) {
        let filter: SearchFilter | undefined;
        for (const value of new Set(values)) {
            const cost = JSON.stringify(value).length + 1;
            const full = filter?.values?.length === maxInValues;
            if (size + cost > maxSearchBodyCharacters) {
                flush();
                filter = undefined;
            }
            if (!filter || full) {
                if (groups.length === 5) flush();
                const groupCost =
                    JSON.stringify({ filters: [{ propertyName: property, operator: 'IN', values: [] }] }).length + 1;
                filter = { propertyName: property, operator: 'IN', values: [] };
                groups.push({ filters: [filter] });
                size += groupCost;
            }
            filter.values!.push(value);
            size += cost;
        }
    }
    flush();
    return searches;
}

/** The natural key a HubSpot search can filter on: lower-cased email or bare domain. */
export function searchableKey(match: 'email' | 'domain' | 'none', value: unknown): string | undefined {
    if (match === 'email') return normaliseEmail(value);
    if (match === 'domain') return normaliseDomain(value);
    return undefined;
}

/** Where a run stages the changes it reads (see run-staging.ts). */
export const stagedStreams = {
    salesforce: (mappingId: string) => `salesforce:${mappingId}`,
    hubspot: (objectType: string) => `hubspot:${objectType}`
};

/** A staged Salesforce record is found by its match key and by the HubSpot ID it names. */
export function salesforceStagingKeys(resolved: ResolvedRecordMapping, record: SalesforceRecord): string[] {
    const { identity } = resolved.mapping;
    const keys: string[] = [];
    const match = identity.salesforceMatchField
        ? searchableKey(identity.match, record.values[identity.salesforceMatchField])
        : undefined;
    if (match) keys.push(`match:${match}`);
    const hubspotId = identity.hubspotIdField ? record.values[identity.hubspotIdField] : undefined;
    if (typeof hubspotId === 'string' && hubspotId !== '') keys.push(`hubspot:${hubspotId}`);
    return keys;
}

/** A staged HubSpot record is found by the property values a candidate search would filter on. */
export function hubspotStagingKeys(group: ResolvedRecordMapping[], record: HubSpotRecord): string[] {
    const keys: string[] = [];
    for (const { mapping } of group) {
        const { identity } = mapping;
        if (identity.hubspotMatchProperty) {
            const key = searchableKey(identity.match, record.values[identity.hubspotMatchProperty]);
            if (key) keys.push(`${identity.hubspotMatchProperty}=${key}`);
        }
        const claimed = identity.salesforceIdProperty ? record.values[identity.salesforceIdProperty] : undefined;
        if (typeof claimed === 'string' && claimed !== '') keys.push(`${identity.salesforceIdProperty}=${claimed}`);
    }
    return keys;
}

/** `readSalesforceCandidates` answered from the run's staged records. */
export function stagedSalesforceCandidates(
    context: RunContext,
    resolved: ResolvedRecordMapping,
    wanted: { ids: string[]; matchValues: string[]; hubspotIds: string[] }
): DatedSalesforceRecord[] {
    const stream = stagedStreams.salesforce(resolved.mapping.id);
    const byId = new Map<string, DatedSalesforceRecord>();
    for (const record of context.staging.byIds<DatedSalesforceRecord>(stream, wanted.ids)) byId.set(record.id, record);
    const keys = [
        ...wanted.matchValues.map((value) => `match:${value}`),
        ...wanted.hubspotIds.map((id) => `hubspot:${id}`)
    ];
    for (const record of context.staging.byKeys<DatedSalesforceRecord>(stream, keys)) byId.set(record.id, record);
    return [...byId.values()];
}

/** `readHubSpotCandidates` answered from the run's staged records. */
export function stagedHubSpotCandidates(
    context: RunContext,
    objectType: string,
    wanted: { ids: string[]; byProperty: { property: string; values: string[] }[] }
): HubSpotRecord[] {
    const stream = stagedStreams.hubspot(objectType);
    const byId = new Map<string, HubSpotRecord>();
    for (const record of context.staging.byIds<HubSpotRecord>(stream, wanted.ids)) byId.set(record.id, record);
    const keys = wanted.byProperty.flatMap(({ property, values }) => values.map((value) => `${property}=${value}`));
    for (const record of context.staging.byKeys<HubSpotRecord>(stream, keys)) byId.set(record.id, record);
    return [...byId.values()];
}
