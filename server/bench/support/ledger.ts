/**
 * Counts the API calls the engine spends, per side, object and operation, by decorating the two ports
 * it drives: the adapters note each HTTP call in the scope of the method call that made it, so calls made
 * at the same time (a window's writes landing while the next window reads) count where they belong.
 */
import { callsWithin } from '../../src/sync/adapters/call-scope';
import type { HubSpotPort, SalesforcePort, SalesforceRow } from '../../src/sync/adapters/ports';
import { isChangeRead, operationLowerBound, type Side } from './lower-bound';

export interface LedgerEntry {
    side: Side;
    object: string;
    operation: string;
    calls: number;
    records: number;
}

/** Calls and records per object and operation, as the adapters spend them. */
export class Ledger {
    private readonly entries = new Map<string, LedgerEntry>();

    add(side: Side, object: string, operation: string, calls: number, records: number): void {
        const key = `${side}|${object}|${operation}`;
        const entry = this.entries.get(key) ?? { side, object, operation, calls: 0, records: 0 };
        entry.calls += calls;
        entry.records += records;
        this.entries.set(key, entry);
    }

    all(): LedgerEntry[] {
        return [...this.entries.values()].map((entry) => ({ ...entry }));
    }

    /** The objects whose changes were read (SOQL query or CRM search). */
    polled(): { side: Side; object: string }[] {
        return this.all()
            .filter((entry) => isChangeRead(entry.operation))
            .map(({ side, object }) => ({ side, object }));
    }

    clear(): void {
        this.entries.clear();
    }
}

export interface ObjectSummary {
    side: Side;
    object: string;
    calls: number;
    lowerBound: number;
    /** calls ÷ lowerBound (0 when the bound is 0). */
    ratio: number;
    records: number;
}

/** Per side and object: calls against the bound from page and batch sizes for the records each operation moved. */
export function summariseByObject(entries: LedgerEntry[]): ObjectSummary[] {
    const byObject = new Map<string, ObjectSummary>();
    for (const entry of entries) {
        const key = `${entry.side}|${entry.object}`;
        const row = byObject.get(key) ?? {
            side: entry.side,
            object: entry.object,
            calls: 0,
            lowerBound: 0,
            ratio: 0,
            records: 0
        };
        row.calls += entry.calls;
        row.records += entry.records;
        row.lowerBound += operationLowerBound(entry.side, entry.operation, entry.records);
        byObject.set(key, row);
    }
    return [...byObject.values()]
        .map((row) => ({ ...row, ratio: row.lowerBound === 0 ? 0 : row.calls / row.lowerBound }))
        .sort((left, right) => `${left.side}${left.object}`.localeCompare(`${right.side}${right.object}`));
}

const objectOfSoql = (soql: string) => /\bFROM\s+(\w+)/i.exec(soql)?.[1] ?? '?';

export function countingSalesforce(inner: SalesforcePort, ledger: Ledger): SalesforcePort {
    const measured = async <T extends unknown[]>(object: string, operation: string, work: () => Promise<T>) => {
        const { value, calls } = await callsWithin(work);
        ledger.add('salesforce', object, operation, calls, value.length);
        return value;
    };
    /** Each page lands with the calls made to fetch it (for a bulk job the first also carries create and polls). */
    async function* countedPages(soql: string, pages: AsyncIterable<SalesforceRow[]>): AsyncIterable<SalesforceRow[]> {
        const object = objectOfSoql(soql);
        const iterator = pages[Symbol.asyncIterator]();
        try {
            for (;;) {
                const { value: next, calls } = await callsWithin(() => iterator.next());
                if (next.done) {
                    if (calls > 0) ledger.add('salesforce', object, 'query', calls, 0);
                    return;
                }
                ledger.add('salesforce', object, 'query', calls, next.value.length);
                yield next.value;
            }
        } finally {
            await iterator.return?.();
        }
    }
    return {
        get instanceUrl() {
            return inner.instanceUrl;
        },
        get userId() {
            return inner.userId;
        },
        describe: (name) => inner.describe(name),
        users: () => inner.users(),
        countRows: async (soql) => {
            const { value: size, calls } = await callsWithin(() => inner.countRows(soql));
            ledger.add('salesforce', objectOfSoql(soql), 'query', calls, 0);
            return size;
        },
        query: (soql, options) => measured(objectOfSoql(soql), 'query', () => inner.query(soql, options)),
        retrieve: (object, ids, fields) => measured(object, 'retrieve', () => inner.retrieve(object, ids, fields)),
        queryPages: (soql, options) => countedPages(soql, inner.queryPages(soql, options)),
        bulkQueryPages: (soql, options) => countedPages(soql, inner.bulkQueryPages(soql, options)),
        create: (object, records) => measured(object, 'create', () => inner.create(object, records)),
        update: (object, records) => measured(object, 'update', () => inner.update(object, records)),
        destroy: (object, ids) => measured(object, 'delete', () => inner.destroy(object, ids)),
        calls: () => inner.calls(),
        usage: () => inner.usage()
    };
}

export function countingHubSpot(inner: HubSpotPort, ledger: Ledger): HubSpotPort {
    const measured = async <T>(
        object: string,
        operation: string,
        size: (result: T) => number,
        work: () => Promise<T>
    ) => {
        const { value, calls } = await callsWithin(work);
        ledger.add('hubspot', object, operation, calls, size(value));
        return value;
    };
    const length = (result: unknown[]) => result.length;
    return {
        properties: (type) => inner.properties(type),
        pipelines: (type) => inner.pipelines(type),
        owners: () => inner.owners(),
        search: (type, request) =>
            measured(
                type,
                'search',
                (page) => page.results.length,
                () => inner.search(type, request)
            ),
        read: (type, ids, properties, options) =>
            measured(type, 'read', length, () => inner.read(type, ids, properties, options)),
        create: (type, inputs) => measured(type, 'create', length, () => inner.create(type, inputs)),
        update: (type, inputs) => measured(type, 'update', length, () => inner.update(type, inputs)),
        listMembers: (listId) =>
            measured(
                `list ${listId}`,
                'memberships',
                (members) => members.size,
                () => inner.listMembers(listId)
            ),
        listArchived: (type) => measured(type, 'list_archived', length, () => inner.listArchived(type)),
        archive: (type, ids) => measured(type, 'archive', length, () => inner.archive(type, ids)),
        readAssociations: (from, to, ids) =>
            measured(
                `${from}→${to}`,
                'read',
                () => ids.length,
                () => inner.readAssociations(from, to, ids)
            ),
        createAssociations: (from, to, pairs, typeId) =>
            measured(`${from}→${to}`, 'create', length, () => inner.createAssociations(from, to, pairs, typeId)),
        archiveAssociations: (from, to, pairs) =>
            measured(
                `${from}→${to}`,
                'archive',
                () => pairs.length,
                () => inner.archiveAssociations(from, to, pairs)
            ),
        calls: () => inner.calls(),
        rateLimit: () => inner.rateLimit()
    };
}
