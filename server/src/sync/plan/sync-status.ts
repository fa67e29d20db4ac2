/**
 * The package's sync-status fields on the Salesforce record, written in the same batched update as the
 * data whenever possible.
 */
import type { RecordMapping } from '../mapping/schema';
import type { SalesforceValue } from '../values/conversion';

export const syncStatuses = ['Not Synced', 'Pending', 'Synced', 'Error', 'Excluded'] as const;
export type SyncStatus = (typeof syncStatuses)[number];

/** Long Text Area holds 32,768 characters; longer reasons are cut with a visible marker. */
export const maxErrorLength = 32_768;

export interface SyncStatusOutcome {
    status: SyncStatus;
    /** When the record last synced; written for Synced (and kept otherwise). */
    at: string;
    /** Human-readable reason for Error and Excluded; cleared when Synced. */
    message?: string;
    hubspotUrl?: string;
}

export function syncStatusWrites(record: RecordMapping, outcome: SyncStatusOutcome): Record<string, SalesforceValue> {
    const fields = record.syncStatus;
    if (!fields) return {};
    const writes: Record<string, SalesforceValue> = {};
    if (fields.statusField) writes[fields.statusField] = outcome.status;
    if (fields.lastSyncedField && outcome.status === 'Synced') writes[fields.lastSyncedField] = outcome.at;
    if (fields.errorField) {
        const message = outcome.status === 'Synced' ? null : (outcome.message ?? null);
        writes[fields.errorField] =
            message !== null && message.length > maxErrorLength ? `${message.slice(0, maxErrorLength - 1)}…` : message;
    }
    if (fields.recordUrlField && outcome.hubspotUrl !== undefined) writes[fields.recordUrlField] = outcome.hubspotUrl;
    return writes;
}
