/**
 * Lower bounds on API calls from page and batch sizes: the fewest calls any sync could spend to move a
 * number of records through an operation. Pure arithmetic, shared by `bench:sync` and `bench`.
 */
import { salesforceBatchSize, hubspotBatchSize, salesforceRetrieveSize } from '../../src/sync/adapters/ports';
import { hubspotSearchPageSize } from '../../src/sync/changes/hubspot-search';

export type Side = 'salesforce' | 'hubspot';

/** Rows per SOQL query page (the REST query locator hands 2,000 at a time). */
export const salesforceQueryPageSize = 2000;

/** List memberships page 250 at a time. */
export const hubspotListMembershipPageSize = 250;

/** Records one call of an operation can carry: change reads page, writes batch. */
export function recordsPerCall(side: Side, operation: string): number {
    if (operation === 'query') return salesforceQueryPageSize;
    if (operation === 'search') return hubspotSearchPageSize;
    if (operation === 'memberships') return hubspotListMembershipPageSize;
    if (operation === 'retrieve') return salesforceRetrieveSize;
    return side === 'salesforce' ? salesforceBatchSize : hubspotBatchSize;
}

/** Change reads (SOQL query, CRM search) cost one call even when nothing changed: a run must ask. */
export function isChangeRead(operation: string): boolean {
    return operation === 'query' || operation === 'search';
}

/** The fewest calls that move `records` records through one operation on one side. */
export function operationLowerBound(side: Side, operation: string, records: number): number {
    if (!Number.isInteger(records) || records < 0) throw new RangeError(`records must be a count, not ${records}`);
    const pages = Math.ceil(records / recordsPerCall(side, operation));
    return isChangeRead(operation) ? Math.max(1, pages) : pages;
}

export interface ChangedObject {
    /** Where the user changed the records. */
    side: Side;
    /** The object whose records changed (Salesforce object or HubSpot object type). */
    object: string;
    records: number;
}

/**
 * The fewest calls an incremental run needs for a set of user changes: each object the run polls costs
 * one change read per page of its changed records (one at least), and each changed record is written to
 * the other side once, in full batches. `polled` lists the objects whose changes a run reads (the floor
 * a no-change run pays too).
 */
export function incrementalLowerBound(polled: { side: Side; object: string }[], changed: ChangedObject[]): number {
    const changedOn = (side: Side, object: string) =>
        changed
            .filter((entry) => entry.side === side && entry.object === object)
            .reduce((sum, entry) => sum + entry.records, 0);
    const distinctPolled = new Map(polled.map((entry) => [`${entry.side}|${entry.object}`, entry]));
    for (const entry of changed) distinctPolled.set(`${entry.side}|${entry.object}`, entry);
    let calls = 0;
    for (const { side, object } of distinctPolled.values()) {
        calls += operationLowerBound(side, side === 'salesforce' ? 'query' : 'search', changedOn(side, object));
    }
    for (const entry of changed) {
        const target: Side = entry.side === 'salesforce' ? 'hubspot' : 'salesforce';
        calls += operationLowerBound(target, 'update', entry.records);
    }
    return calls;
}
