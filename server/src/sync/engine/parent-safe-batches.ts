/**
 * Salesforce writes side by side without lock contention. Writing a Contact or an Opportunity locks its
 * Account for the transaction; a second transaction that needs the same lock waits, then fails with
 * UNABLE_TO_LOCK_ROW. Salesforce's advice for parallel loads is to order records by parent, so batches are
 * cut from the records sorted by parent and a batch starts only while no batch in flight shares a parent
 * with it. Records without a parent never wait for each other. Sorting changes which records share a batch,
 * never how many batches there are, so the calls stay those of full batches.
 */
import { chunk } from '../adapters/salesforce';

export interface ParentSafeOptions {
    batchSize: number;
    /** Batches in flight at once. */
    concurrency: number;
}

/**
 * Sends `items` in batches of `batchSize`, up to `concurrency` at a time, no two in flight sharing a parent
 * (`parentsOf`: the IDs the write of an item locks besides its own record), and returns the results in the
 * order of `items`. After a failure no further batch starts; the batches in flight are awaited and the first
 * error is thrown, so nothing writes after the caller has its error.
 */
export async function sendParentSafe<T, R>(
    items: T[],
    parentsOf: (item: T) => readonly string[],
    options: ParentSafeOptions,
    send: (batch: T[]) => Promise<R[]>
): Promise<R[]> {
    const { batchSize, concurrency } = options;
    if (!Number.isInteger(batchSize) || batchSize < 1 || !Number.isInteger(concurrency) || concurrency < 1)
        throw new RangeError('batchSize and concurrency must be integers ≥ 1');
    const keyOf = (index: number) => parentsOf(items[index]!)[0] ?? '';
    // Items with a parent together, by parent; the others after them, in their order.
    const order = items
        .map((_, index) => index)
        .sort((left, right) => {
            const [a, b] = [keyOf(left), keyOf(right)];
            if (a === b) return left - right;
            if (a === '') return 1;
            if (b === '') return -1;
            return a < b ? -1 : 1;
        });
    const cut = chunk(order, batchSize).map((indexes) => ({
        indexes,
        parents: new Set(indexes.flatMap((index) => parentsOf(items[index]!)))
    }));
    // Neighbours share the parent their cut falls in; every other batch shares none: the even batches go
    // first, then the odd ones, so batches in flight together seldom wait for each other.
    const batches = [...cut.filter((_, index) => index % 2 === 0), ...cut.filter((_, index) => index % 2 === 1)];
    const results = new Array<R>(items.length);
    const inFlight = new Map<number, Promise<void>>();
    const busyParents = new Map<string, number>();
    let failure: { error: unknown } | undefined;
    const start = (number: number) => {
        const batch = batches[number]!;
        for (const parent of batch.parents) busyParents.set(parent, (busyParents.get(parent) ?? 0) + 1);
        const done = (async () => {
            try {
                const answers = await send(batch.indexes.map((index) => items[index]!));
                batch.indexes.forEach((index, position) => {
                    results[index] = answers[position]!;
                });
            } catch (error) {
                failure ??= { error };
            } finally {
                for (const parent of batch.parents) {
                    const left = busyParents.get(parent)! - 1;
                    if (left === 0) busyParents.delete(parent);
                    else busyParents.set(parent, left);
                }
                inFlight.delete(number);
            }
        })();
        inFlight.set(number, done);
    };
    for (let number = 0; number < batches.length && failure === undefined;) {
        const blocked = [...batches[number]!.parents].some((parent) => busyParents.has(parent));
        if (inFlight.size < concurrency && !blocked) {
            start(number);
            number += 1;
        } else {
            await Promise.race(inFlight.values());
        }
    }
    await Promise.all(inFlight.values());
    if (failure) throw failure.error;
    return results;
}
