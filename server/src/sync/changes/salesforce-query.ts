/**
 * The SOQL the Salesforce adapter runs to read changes: only the fields the mapping needs, the
 * inclusion scope rendered with escaped literals, and the (SystemModstamp, Id) cursor. Built here, pure,
 * so every query the engine can send is unit-tested.
 */
import { renderSoqlFilter, renderSoqlLiteral, type SalesforceFilter } from '../mapping/filter';
import { SalesforceFieldName, SalesforceObjectName, type MappingFile, type RecordMapping } from '../mapping/schema';
import { readWindowStart, type CursorPosition } from './cursor';

/** Fields every read includes: the ID and the two timestamps the cursor and duplicate policies use. */
export const salesforceSystemFields = [
    'Id',
    'SystemModstamp',
    'CreatedDate',
    'CreatedById',
    'LastModifiedById'
] as const;

/** Everything a record mapping reads from its Salesforce object, each field once. */
export function salesforceReadFields(mapping: MappingFile, record: RecordMapping): string[] {
    const fields = new Set<string>(salesforceSystemFields);
    for (const field of record.fields) if (field.rule !== 'dont_sync') fields.add(field.salesforce);
    const { identity, lifecycle, dealStages, syncStatus } = record;
    for (const name of [identity.salesforceMatchField, identity.hubspotIdField, syncStatus?.statusField]) {
        if (name) fields.add(name);
    }
    if (lifecycle?.from === 'lead_status') fields.add(lifecycle.statusField);
    if (lifecycle && mapping.lifecycle.salesforceField) fields.add(mapping.lifecycle.salesforceField);
    if (dealStages) {
        fields.add(dealStages.salesforceStageField);
        if (dealStages.recordTypeField) fields.add(dealStages.recordTypeField);
    }
    for (const association of mapping.associations) {
        if (association.enabled && association.kind === 'lookup' && association.from === record.id)
            fields.add(association.field);
    }
    if (mapping.leadConversion?.leadMapping === record.id) {
        fields.add('IsConverted');
        fields.add('ConvertedContactId');
        fields.add('ConvertedAccountId');
    }
    return [...fields];
}

export interface SalesforceChangesQuery {
    object: string;
    fields: string[];
    scope?: SalesforceFilter;
    /** Omit for a full read. */
    since?: CursorPosition;
    lookbackSeconds?: number;
    /** False for a Bulk API read, where order costs the job time and the cursor takes the maximum anyway. */
    ordered?: boolean;
}

/**
 * Without lookback, reads strictly after the cursor: `SystemModstamp > t OR (SystemModstamp = t AND Id > id)`,
 * or the whole second `t` on when the cursor has no ID (see `settledCursor`). With lookback, re-reads from
 * `t - lookback` inclusive.
 */
export function buildSalesforceChangesQuery(query: SalesforceChangesQuery): string {
    const object = SalesforceObjectName.parse(query.object);
    const fields = query.fields.map((field) => SalesforceFieldName.parse(field));
    const conditions: string[] = [];
    if (query.scope) conditions.push(renderSoqlFilter(query.scope));
    if (query.since) {
        const lookback = query.lookbackSeconds ?? 0;
        if (lookback > 0 || query.since.id === '') {
            const start = renderSoqlLiteral({ dateTime: readWindowStart(query.since, lookback).toISOString() });
            conditions.push(`SystemModstamp >= ${start}`);
        } else {
            const at = renderSoqlLiteral({ dateTime: query.since.modifiedAt });
            conditions.push(
                `(SystemModstamp > ${at} OR (SystemModstamp = ${at} AND Id > ${renderSoqlLiteral(query.since.id)}))`
            );
        }
    }
    const where = conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
    const order = query.ordered === false ? '' : ' ORDER BY SystemModstamp ASC, Id ASC';
    return `SELECT ${fields.join(', ')} FROM ${object}${where}${order}`;
}

/** How many records of the object are in scope (`COUNT()`: one call, no rows). */
export function buildSalesforceCountQuery(object: string, scope?: SalesforceFilter): string {
    const name = SalesforceObjectName.parse(object);
    return `SELECT COUNT() FROM ${name}${scope ? ` WHERE ${renderSoqlFilter(scope)}` : ''}`;
}

/** Deleted records since the cursor, for `queryAll` (the recycle bin keeps them about 15 days). */
export function buildSalesforceDeletesQuery(object: string, since: CursorPosition, lookbackSeconds = 0): string {
    const start = renderSoqlLiteral({ dateTime: readWindowStart(since, lookbackSeconds).toISOString() });
    return `SELECT Id, SystemModstamp FROM ${SalesforceObjectName.parse(object)} WHERE IsDeleted = true AND SystemModstamp >= ${start} ORDER BY SystemModstamp ASC, Id ASC`;
}
