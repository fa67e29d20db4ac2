import { WriteLane } from './write-lane';

/** A promise settled from outside, so a test decides when the work lands. */
function deferred<T>() {
    let resolve!: (value: T) => void;
    let reject!: (error: unknown) => void;
    const promise = new Promise<T>((onResolve, onReject) => {
        resolve = onResolve;
        reject = onReject;
    });
    return { promise, resolve, reject };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('WriteLane', () => {
    test('hands over the result of the work in flight once it landed, then is free again', async () => {
        const lane = new WriteLane<string>();
        expect(await lane.landed()).toBeUndefined();
        const work = deferred<string>();
        lane.carry(work.promise);
        expect(lane.busy).toBe(true);
        let handed: string | undefined;
        const waiting = lane.landed().then((value) => (handed = value));
        await tick();
        expect(handed).toBeUndefined();
        work.resolve('window 1');
        await waiting;
        expect(handed).toBe('window 1');
        expect(lane.busy).toBe(false);
        expect(await lane.landed()).toBeUndefined();
    });

    test('refuses a second piece of work before the first landed', () => {
        const lane = new WriteLane<number>();
        lane.carry(deferred<number>().promise);
        expect(() => lane.carry(Promise.resolve(2))).toThrow(/has not landed/);
    });

    test('keeps a failure nobody waits for yet and throws it to the caller that waits', async () => {
        const unhandled = jest.fn();
        process.on('unhandledRejection', unhandled);
        try {
            const lane = new WriteLane<number>();
            lane.carry(Promise.reject(new Error('Salesforce update failed')));
            await tick();
            await tick();
            await expect(lane.landed()).rejects.toThrow('Salesforce update failed');
            expect(unhandled).not.toHaveBeenCalled();
            expect(lane.busy).toBe(false);
        } finally {
            process.off('unhandledRejection', unhandled);
        }
    });

    test('drain waits for the work in flight, whether it lands or fails, and throws nothing', async () => {
        const lane = new WriteLane<number>();
        const work = deferred<number>();
        lane.carry(work.promise);
        let drained = false;
        const draining = lane.drain().then(() => (drained = true));
        await tick();
        expect(drained).toBe(false);
        work.reject(new Error('gone'));
        await draining;
        expect(drained).toBe(true);
        expect(lane.busy).toBe(false);
    });
});
