/**
 * SQLite rows → store records. JSON and enum columns are read back through zod, so a corrupted or
 * hand-edited row fails loudly instead of flowing into a sync.
 */
import type { SQLInputValue } from 'node:sqlite';

import { z } from 'zod';

import { ErrorCategory, SyncSide } from '../sync/errors';
import { SyncRule } from '../sync/mapping/schema';
import { ruleReasons } from '../sync/plan/rules';
import {
    eventSources,
    runModes,
    runStatuses,
    type AuditRecord,
    type ConflictRecord,
    type IntakeEvent,
    type RecordLink,
    type Run,
    type SyncErrorRecord
} from './store';

const storedValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const storedCounts = z.record(z.string(), z.number());
export type Row = Record<string, SQLInputValue>;
const RunModeColumn = z.enum(runModes);
const RunStatusColumn = z.enum(runStatuses);
const DirectionColumn = z.enum(['to_salesforce', 'to_hubspot']);
const EventSourceColumn = z.enum(eventSources);
const ReasonColumn = z.enum(ruleReasons);

export const text = (value: SQLInputValue): string => String(value);
const nullableText = (value: SQLInputValue): string | null => (value === null ? null : String(value));
export const json = (value: unknown): string => JSON.stringify(value ?? null);
export const readValue = (value: SQLInputValue) => storedValue.parse(JSON.parse(text(value)));

export function linkFromRow(row: Row): RecordLink {
    return {
        mappingId: text(row.mapping_id),
        salesforceObject: text(row.salesforce_object),
        salesforceId: text(row.salesforce_id),
        hubspotObjectType: text(row.hubspot_object_type),
        hubspotId: text(row.hubspot_id),
        tombstonedAt: nullableText(row.tombstoned_at),
        createdAt: text(row.created_at),
        updatedAt: text(row.updated_at)
    };
}

export function runFromRow(row: Row): Run {
    return {
        id: Number(row.id),
        mode: RunModeColumn.parse(row.mode),
        status: RunStatusColumn.parse(row.status),
        startedAt: text(row.started_at),
        endedAt: nullableText(row.ended_at),
        counts: storedCounts.parse(JSON.parse(text(row.counts))),
        apiCalls: { salesforce: Number(row.salesforce_api_calls), hubspot: Number(row.hubspot_api_calls) },
        error: nullableText(row.error),
        heartbeatAt: nullableText(row.heartbeat_at) ?? text(row.started_at),
        owner: nullableText(row.owner)
    };
}

function optional<K extends string>(key: K, value: SQLInputValue): Partial<Record<K, string>> {
    return value === null ? {} : ({ [key]: String(value) } as Record<K, string>);
}

export function errorFromRow(row: Row): SyncErrorRecord {
    return {
        id: Number(row.id),
        runId: row.run_id === null ? null : Number(row.run_id),
        mappingId: text(row.mapping_id),
        ...optional('salesforceObject', row.salesforce_object),
        ...optional('salesforceId', row.salesforce_id),
        ...optional('hubspotObjectType', row.hubspot_object_type),
        ...optional('hubspotId', row.hubspot_id),
        ...optional('field', row.field),
        category: ErrorCategory.parse(row.category),
        message: text(row.message),
        occurrences: Number(row.occurrences),
        firstSeenAt: text(row.first_seen_at),
        lastSeenAt: text(row.last_seen_at),
        resolved: Number(row.resolved) === 1,
        resolvedAt: nullableText(row.resolved_at)
    };
}

export function conflictFromRow(row: Row): ConflictRecord {
    const hubspotValue = readValue(row.hubspot_value);
    return {
        id: Number(row.id),
        runId: row.run_id === null ? null : Number(row.run_id),
        mappingId: text(row.mapping_id),
        salesforceObject: text(row.salesforce_object),
        salesforceId: text(row.salesforce_id),
        hubspotId: text(row.hubspot_id),
        field: text(row.field),
        property: text(row.property),
        salesforceValue: readValue(row.salesforce_value),
        hubspotValue: hubspotValue === null ? null : String(hubspotValue),
        salesforceChangedAt: text(row.salesforce_changed_at),
        hubspotChangedAt: text(row.hubspot_changed_at),
        winner: SyncSide.parse(row.winner),
        recordedAt: text(row.recorded_at)
    };
}

export function auditFromRow(row: Row): AuditRecord {
    return {
        id: Number(row.id),
        runId: row.run_id === null ? null : Number(row.run_id),
        mappingId: text(row.mapping_id),
        salesforceObject: text(row.salesforce_object),
        salesforceId: text(row.salesforce_id),
        hubspotId: nullableText(row.hubspot_id),
        field: text(row.field),
        property: text(row.property),
        direction: DirectionColumn.parse(row.direction),
        rule: SyncRule.parse(row.rule),
        reason: ReasonColumn.parse(row.reason),
        before: readValue(row.before_value),
        after: readValue(row.after_value),
        at: text(row.at)
    };
}

export function eventFromRow(row: Row): IntakeEvent {
    return {
        id: Number(row.id),
        source: EventSourceColumn.parse(row.source),
        eventId: text(row.event_id),
        payload: JSON.parse(text(row.payload)) as unknown,
        occurredAt: nullableText(row.occurred_at),
        receivedAt: text(row.received_at),
        processedAt: nullableText(row.processed_at),
        attempts: Number(row.attempts),
        lastError: nullableText(row.last_error)
    };
}
