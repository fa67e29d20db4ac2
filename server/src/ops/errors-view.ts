/** Open sync errors grouped the way HubSpot's sync-health view groups them, and their CSV export. */
import { type ErrorCategory, errorCategories } from '../sync/errors';
import type { SyncErrorRecord } from '../state/store';
import { type CsvCell, toCsv } from './csv';
import type { ErrorSummaryView } from './views';

/** The record an error is about; errors of a whole mapping (no record) count as one "record" per mapping. */
export function affectedRecordKey(error: SyncErrorRecord): string {
    if (error.salesforceId) return `salesforce:${error.salesforceObject ?? ''}:${error.salesforceId}`;
    if (error.hubspotId) return `hubspot:${error.hubspotObjectType ?? ''}:${error.hubspotId}`;
    return `mapping:${error.mappingId}`;
}

/** Every category appears, with zeros, so the dashboard's cards keep their places. */
export function summariseErrors(errors: readonly SyncErrorRecord[]): ErrorSummaryView {
    const byCategory = new Map<ErrorCategory, { errors: number; records: Set<string> }>(
        errorCategories.map((category) => [category, { errors: 0, records: new Set<string>() }])
    );
    const allRecords = new Set<string>();
    for (const error of errors) {
        const entry = byCategory.get(error.category);
        if (!entry) continue;
        entry.errors += 1;
        entry.records.add(affectedRecordKey(error));
        allRecords.add(affectedRecordKey(error));
    }
    return {
        categories: [...byCategory].map(([category, entry]) => ({
            category,
            errors: entry.errors,
            records: entry.records.size
        })),
        totalErrors: errors.length,
        totalRecords: allRecords.size
    };
}

export interface ErrorQuery {
    category?: ErrorCategory;
    /** A Salesforce object or HubSpot object type; matches either side of the error. */
    object?: string;
    mappingId?: string;
}

export function matchesErrorQuery(error: SyncErrorRecord, query: ErrorQuery): boolean {
    if (query.category !== undefined && error.category !== query.category) return false;
    if (query.mappingId !== undefined && error.mappingId !== query.mappingId) return false;
    if (
        query.object !== undefined &&
        error.salesforceObject !== query.object &&
        error.hubspotObjectType !== query.object
    ) {
        return false;
    }
    return true;
}

const csvHeader = [
    'id',
    'category',
    'mapping',
    'salesforce_object',
    'salesforce_id',
    'hubspot_object_type',
    'hubspot_id',
    'field',
    'message',
    'occurrences',
    'first_seen_at',
    'last_seen_at',
    'resolved_at'
];

export function errorsCsv(errors: readonly SyncErrorRecord[]): string {
    const rows: CsvCell[][] = errors.map((error) => [
        error.id,
        error.category,
        error.mappingId,
        error.salesforceObject,
        error.salesforceId,
        error.hubspotObjectType,
        error.hubspotId,
        error.field,
        error.message,
        error.occurrences,
        error.firstSeenAt,
        error.lastSeenAt,
        error.resolvedAt
    ]);
    return toCsv(csvHeader, rows);
}
