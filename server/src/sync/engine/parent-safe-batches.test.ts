import { setTimeout as sleep } from 'node:timers/promises';

import { sendParentSafe } from './parent-safe-batches';

interface Item {
    id: string;
    parent?: string;
}

const parentsOf = (item: Item) => (item.parent ? [item.parent] : []);

/** A `send` that answers each item with its id after a few ms and notes what was in flight together. */
function recordingSend() {
    const inFlight = new Set<Item[]>();
    const seen = { batches: [] as string[][], maxInFlight: 0, sharedParentInFlight: false };
    const send = async (batch: Item[]) => {
        const parents = new Set(batch.flatMap(parentsOf));
        for (const other of inFlight) {
            if (other.some((item) => item.parent && parents.has(item.parent))) seen.sharedParentInFlight = true;
        }
        inFlight.add(batch);
        seen.maxInFlight = Math.max(seen.maxInFlight, inFlight.size);
        seen.batches.push(batch.map((item) => item.id));
        await sleep(5);
        inFlight.delete(batch);
        return batch.map((item) => `ok ${item.id}`);
    };
    return { send, seen };
}

describe('sendParentSafe', () => {
    it('answers in the order of the items, in as many batches as full batches need', async () => {
        const items: Item[] = Array.from({ length: 7 }, (_, index) => ({
            id: `r${index}`,
            parent: ['b', 'a', undefined][index % 3]
        }));
        const { send, seen } = recordingSend();
        const results = await sendParentSafe(items, parentsOf, { batchSize: 3, concurrency: 2 }, send);
        expect(results).toEqual(items.map((item) => `ok ${item.id}`));
        expect(seen.batches).toHaveLength(3);
        // Cut from the records sorted by parent (a's children, then b's, then those without one), the first
        // and third batches first: the second shares b with the first.
        expect(seen.batches).toEqual([['r1', 'r4', 'r0'], ['r5'], ['r3', 'r6', 'r2']]);
    });

    it('never has two batches in flight that lock the same parent', async () => {
        // One Account with 5 children spans two batches of 3; the children of other Accounts do not wait.
        const items: Item[] = [
            ...Array.from({ length: 5 }, (_, index) => ({ id: `big${index}`, parent: 'acc-big' })),
            ...Array.from({ length: 7 }, (_, index) => ({ id: `small${index}`, parent: `acc-${index}` }))
        ];
        const { send, seen } = recordingSend();
        await sendParentSafe(items, parentsOf, { batchSize: 3, concurrency: 3 }, send);
        expect(seen.sharedParentInFlight).toBe(false);
        expect(seen.batches).toHaveLength(4);
        expect(seen.maxInFlight).toBeGreaterThan(1);
    });

    it('runs records without a parent side by side up to the concurrency', async () => {
        const items: Item[] = Array.from({ length: 12 }, (_, index) => ({ id: `lead${index}` }));
        const { send, seen } = recordingSend();
        await sendParentSafe(items, parentsOf, { batchSize: 2, concurrency: 2 }, send);
        expect(seen.maxInFlight).toBe(2);
        expect(seen.batches).toHaveLength(6);
    });

    it('starts no batch after a failure, lets the ones in flight finish, and throws the first error', async () => {
        const items: Item[] = Array.from({ length: 10 }, (_, index) => ({ id: `r${index}` }));
        const started: string[] = [];
        const finished: string[] = [];
        const send = async (batch: Item[]) => {
            started.push(batch[0]!.id);
            await sleep(batch[0]!.id === 'r0' ? 1 : 10);
            finished.push(batch[0]!.id);
            if (batch[0]!.id === 'r0') throw new Error('session expired');
            return batch.map(() => 'ok');
        };
        await expect(sendParentSafe(items, parentsOf, { batchSize: 2, concurrency: 2 }, send)).rejects.toThrow(
            'session expired'
        );
        expect(started).toEqual(['r0', 'r4']);
        expect(finished).toEqual(['r0', 'r4']);
    });

    it('sends nothing for no items and refuses sizes below one', async () => {
        const send = jest.fn(async (batch: Item[]) => batch.map(() => 'ok'));
        await expect(sendParentSafe([], parentsOf, { batchSize: 200, concurrency: 2 }, send)).resolves.toEqual([]);
        expect(send).not.toHaveBeenCalled();
        await expect(sendParentSafe([{ id: 'x' }], parentsOf, { batchSize: 0, concurrency: 2 }, send)).rejects.toThrow(
            RangeError
        );
    });
});
