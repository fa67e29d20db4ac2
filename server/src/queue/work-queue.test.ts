import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import { seededRandom } from '../sandbox/common/faults';
import { openSqliteStateStore } from '../state/sqlite-store';
import { openWorkQueue, WorkQueueInputError, type Signal, type WorkQueue, type WorkQueueOptions } from './work-queue';

const start = new Date('2026-11-27T08:00:00.000Z');

function testQueue(options: WorkQueueOptions = {}, seed = 7) {
    let now = start.getTime();
    const queue = openWorkQueue(
        { path: ':memory:' },
        { options, now: () => new Date(now), random: seededRandom(seed) }
    );
    return {
        queue,
        advance(ms: number) {
            now += ms;
        },
        at: () => now
    };
}

function signal(recordKey: string, overrides: Partial<Signal> = {}): Signal {
    return { stream: 'contacts', recordKey, priority: 'poll', reason: 'poll', ...overrides };
}

function count(queue: WorkQueue, state: string): number {
    return queue
        .depth()
        .counts.filter((row) => row.state === state)
        .reduce((sum, row) => sum + row.count, 0);
}

describe('WorkQueue intake and coalescing', () => {
    it('merges a second signal for a waiting record: latest payload and reason, highest priority, earliest time', () => {
        const { queue, advance } = testQueue();
        expect(queue.enqueue([signal('003A', { payload: { v: 1 }, reason: 'poll' })])).toEqual({
            created: 1,
            coalesced: 0
        });
        advance(5_000);
        expect(queue.enqueue([signal('003A', { payload: { v: 2 }, reason: 'cdc', priority: 'fast_path' })])).toEqual({
            created: 0,
            coalesced: 1
        });
        advance(1_000);
        queue.enqueue([signal('003A', { payload: { v: 3 }, reason: 'poll again', priority: 'backfill' })]);

        const [item, ...rest] = queue.claim(10, 30_000, 'w1');
        expect(rest).toHaveLength(0);
        expect(item).toMatchObject({
            stream: 'contacts',
            recordKey: '003A',
            payload: { v: 3 },
            reason: 'poll again',
            priority: 'fast_path',
            attempts: 1,
            enqueuedAt: start
        });
    });

    it('is idempotent: the same signal delivered twice is one item', () => {
        const { queue } = testQueue();
        queue.enqueue([signal('a'), signal('a'), signal('b')]);
        queue.enqueue([signal('a')]);
        expect(queue.claim(10, 1_000, 'w1').map((item) => item.recordKey)).toEqual(['a', 'b']);
    });

    it('keeps the same record in different streams apart', () => {
        const { queue } = testQueue();
        expect(queue.enqueue([signal('1'), signal('1', { stream: 'deals' })])).toEqual({ created: 2, coalesced: 0 });
    });

    it.each([
        ['an empty record key', signal('')],
        ['an unknown priority', signal('a', { priority: 'urgent' as never })],
        ['a missing reason', { stream: 'contacts', recordKey: 'a', priority: 'poll' } as Signal],
        ['an unknown field', { ...signal('a'), extra: true } as Signal],
        ['a payload that is not JSON', signal('a', { payload: (() => 1) as never })]
    ])('rejects %s and writes nothing of the batch', (_label, bad) => {
        const { queue } = testQueue();
        expect(() => queue.enqueue([signal('good'), bad])).toThrow(WorkQueueInputError);
        expect(queue.claim(10, 1_000, 'w1')).toEqual([]);
    });

    it('refuses an oversized payload with its size in the message', () => {
        const { queue } = testQueue({ maxPayloadBytes: 100 });
        expect(() => queue.enqueue([signal('a', { payload: 'x'.repeat(200) })])).toThrow(
            /\[0\] payload is 202 bytes, more than the 100 allowed/
        );
        expect(count(queue, 'ready')).toBe(0);
    });

    it('refuses invalid options', () => {
        expect(() => testQueue({ maxAttempts: 0 })).toThrow();
        expect(() => testQueue({ backoff: { baseMs: 10_000, capMs: 1_000 } })).toThrow(/capMs must be at least baseMs/);
    });
});

describe('WorkQueue claims', () => {
    it('leases the highest priority first, then the oldest, up to the batch size', () => {
        const { queue, advance } = testQueue();
        queue.enqueue([signal('backfill-1', { priority: 'backfill' })]);
        advance(1);
        queue.enqueue([signal('poll-1'), signal('interactive-1', { priority: 'interactive' })]);
        advance(1);
        queue.enqueue([
            signal('fast-1', { priority: 'fast_path' }),
            signal('interactive-2', { priority: 'interactive' })
        ]);

        expect(queue.claim(3, 1_000, 'w1').map((item) => item.recordKey)).toEqual([
            'interactive-1',
            'interactive-2',
            'fast-1'
        ]);
        expect(queue.claim(3, 1_000, 'w1').map((item) => item.recordKey)).toEqual(['poll-1', 'backfill-1']);
        expect(queue.claim(3, 1_000, 'w1')).toEqual([]);
    });

    it('does not hand out an item before its availableAt', () => {
        const { queue, advance } = testQueue();
        queue.enqueue([signal('later', { availableAt: new Date(start.getTime() + 10_000) })]);
        expect(queue.claim(1, 1_000, 'w1')).toEqual([]);
        advance(10_000);
        expect(queue.claim(1, 1_000, 'w1')).toHaveLength(1);
    });

    it('gives a leased item to nobody else until the lease expires, then to the next worker', () => {
        const { queue, advance } = testQueue();
        queue.enqueue([signal('a')]);
        const [first] = queue.claim(1, 30_000, 'w1');
        advance(29_999);
        expect(queue.claim(1, 30_000, 'w2')).toEqual([]);
        advance(1);
        const [second] = queue.claim(1, 30_000, 'w2');
        expect(second).toMatchObject({ id: first?.id, attempts: 2 });
        // The first worker woke up late: its lease is gone, so it cannot settle the item under w2's feet.
        expect(queue.complete([first!])).toEqual({ completed: 0, requeued: 0, stale: 1 });
        expect(queue.fail(first!, 'late')).toEqual({ outcome: 'stale' });
        expect(queue.complete([second!])).toEqual({ completed: 1, requeued: 0, stale: 0 });
        expect(queue.depth().oldestEnqueuedAt).toBeNull();
    });

    it('puts an item back when a signal arrived while it was being worked on', () => {
        const { queue, advance } = testQueue();
        queue.enqueue([signal('a', { payload: { v: 1 } })]);
        const [item] = queue.claim(1, 30_000, 'w1');
        advance(2_000);
        expect(queue.enqueue([signal('a', { payload: { v: 2 }, reason: 'webhook' })])).toEqual({
            created: 0,
            coalesced: 1
        });
        expect(queue.claim(1, 30_000, 'w2')).toEqual([]);
        expect(queue.complete([item!])).toEqual({ completed: 0, requeued: 1, stale: 0 });
        const [again] = queue.claim(1, 30_000, 'w2');
        expect(again).toMatchObject({ payload: { v: 2 }, reason: 'webhook', attempts: 1 });
        expect(again?.enqueuedAt.getTime()).toBe(start.getTime() + 2_000);
        expect(queue.complete([again!])).toEqual({ completed: 1, requeued: 0, stale: 0 });
    });

    it('rejects nonsensical claim arguments', () => {
        const { queue } = testQueue();
        expect(() => queue.claim(0, 1_000, 'w1')).toThrow(/batchSize must be a positive integer/);
        expect(() => queue.claim(1, 1.5, 'w1')).toThrow(/leaseMs must be a positive integer/);
        expect(() => queue.claim(1, 1_000, ' ')).toThrow(/workerId must not be empty/);
    });
});

describe('WorkQueue failures, back-off and dead letters', () => {
    it('backs off exponentially with full jitter, capped, honouring Retry-After', () => {
        const { queue, advance, at } = testQueue({ maxAttempts: 10, backoff: { baseMs: 1_000, capMs: 8_000 } });
        queue.enqueue([signal('a')]);
        const delays: number[] = [];
        for (let attempt = 1; attempt <= 6; attempt += 1) {
            const [item] = queue.claim(1, 30_000, 'w1');
            expect(item?.attempts).toBe(attempt);
            const result = queue.fail(item!, `boom ${attempt}`);
            if (result.outcome !== 'retry') throw new Error(`unexpected ${result.outcome}`);
            const delay = result.availableAt.getTime() - at();
            delays.push(delay);
            expect(delay).toBeLessThan(Math.min(8_000, 1_000 * 2 ** (attempt - 1)));
            // Every seeded delay is positive, so one millisecond early the item is still waiting.
            advance(delay - 1);
            expect(queue.claim(1, 30_000, 'w1')).toEqual([]);
            advance(1);
        }
        // Seeded: the same delays every run; attempts 4-6 are bounded by the 8 s cap, not by base·2^(n-1).
        expect(delays).toEqual([11, 123, 3907, 5592, 4171, 3244]);
        const [item] = queue.claim(1, 30_000, 'w1');
        expect(item?.lastError).toBe('boom 6');
        const result = queue.fail(item!, '429', { retryAfterMs: 120_000 });
        expect(result).toEqual({ outcome: 'retry', attempts: 7, availableAt: new Date(at() + 120_000) });
    });

    it('dead-letters after maxAttempts with the reason, and replays with attempts reset', () => {
        // A 1 ms ceiling jitters to a 0 ms delay: the retry is claimable at once.
        const { queue } = testQueue({ maxAttempts: 2, backoff: { baseMs: 1, capMs: 1 } });
        queue.enqueue([signal('a', { payload: { id: 'a' } }), signal('b')]);
        for (const item of queue.claim(2, 1_000, 'w1')) queue.fail(item, 'first');
        const second = queue.claim(2, 1_000, 'w1');
        expect(second.map((item) => item.attempts)).toEqual([2, 2]);
        expect(queue.fail(second[0]!, 'INVALID_EMAIL_ADDRESS: bad')).toEqual({ outcome: 'dead', attempts: 2 });
        expect(queue.fail(second[1]!, 'still failing')).toEqual({ outcome: 'dead', attempts: 2 });

        const dead = queue.deadLetters();
        expect(dead.map(({ recordKey, lastError, attempts }) => ({ recordKey, lastError, attempts }))).toEqual([
            { recordKey: 'a', lastError: 'INVALID_EMAIL_ADDRESS: bad', attempts: 2 },
            { recordKey: 'b', lastError: 'still failing', attempts: 2 }
        ]);
        expect(dead[0]?.payload).toEqual({ id: 'a' });
        expect(queue.claim(5, 1_000, 'w1')).toEqual([]);

        expect(queue.replay([dead[0]!.id, 999])).toBe(1);
        const [replayed] = queue.claim(5, 1_000, 'w1');
        expect(replayed).toMatchObject({ recordKey: 'a', attempts: 1, lastError: 'INVALID_EMAIL_ADDRESS: bad' });
        expect(queue.replay('all')).toBe(1);
        expect(queue.deadLetters()).toEqual([]);
    });

    it('settles the dead letters that died before a completed scheduled sync started, and only those', () => {
        const { queue, advance, at } = testQueue({ maxAttempts: 1 });
        queue.enqueue([signal('early'), signal('late'), signal('waiting')]);
        const [early, late] = queue.claim(2, 1_000, 'w1');
        queue.fail(early!, 'HTTP 503');
        advance(1_000);
        const syncStarted = new Date(at());
        queue.fail(late!, 'HTTP 503');

        expect(queue.settleDeadLetters(syncStarted)).toBe(1);
        expect(queue.deadLetters().map((letter) => letter.recordKey)).toEqual(['late']);
        expect(count(queue, 'ready')).toBe(1);
        expect(queue.settleDeadLetters(syncStarted)).toBe(0);
    });

    it('by default keeps a change through a CRM outage of minutes before it is a dead letter', () => {
        // Every attempt fails, as in an outage; each retry is claimed the moment it is due.
        const minutesToDeath = Array.from({ length: 20 }, (_, seed) => {
            const { queue, advance, at } = testQueue({}, seed + 1);
            queue.enqueue([signal('a', { priority: 'fast_path' })]);
            for (;;) {
                const [item] = queue.claim(1, 30_000, 'w1');
                const result = queue.fail(item!, 'HTTP 503');
                if (result.outcome === 'dead') return { attempts: result.attempts, minutes: (at() - +start) / 60_000 };
                if (result.outcome !== 'retry') throw new Error(`unexpected ${result.outcome}`);
                advance(result.availableAt.getTime() - at());
            }
        });
        expect(new Set(minutesToDeath.map((death) => death.attempts))).toEqual(new Set([12]));
        const minutes = minutesToDeath.map((death) => death.minutes).sort((left, right) => left - right);
        // Full jitter draws some short delays, but not all of them: the earliest of twenty deaths came after
        // five minutes, half of them after ten (the expected wait is about 16; eight attempts waited about one).
        expect(minutes[0]).toBeGreaterThan(5);
        expect(minutes[10]).toBeGreaterThan(10);
    });

    it('lists dead letters a page at a time in either order of death, or the ones asked for by id', () => {
        const { queue, advance } = testQueue({ maxAttempts: 1 });
        for (const key of ['a', 'b', 'c', 'd']) {
            queue.enqueue([signal(key)]);
            queue.fail(queue.claim(1, 1_000, 'w1')[0]!, `broken ${key}`);
            advance(1_000);
        }
        const keys = (letters: { recordKey: string }[]) => letters.map((letter) => letter.recordKey);
        expect(keys(queue.deadLetters())).toEqual(['a', 'b', 'c', 'd']);
        expect(keys(queue.deadLetters({ order: 'newest', limit: 2 }))).toEqual(['d', 'c']);
        expect(keys(queue.deadLetters({ order: 'newest', limit: 2, offset: 2 }))).toEqual(['b', 'a']);
        expect(keys(queue.deadLetters({ offset: 3 }))).toEqual(['d']);
        const [first, , third] = queue.deadLetters();
        expect(keys(queue.deadLetters({ ids: [third!.id, first!.id, 999] }))).toEqual(['a', 'c']);
        expect(() => queue.deadLetters({ offset: -1 })).toThrow('offset must be a whole number ≥ 0, got -1');
        expect(() => queue.deadLetters({ ids: [0] })).toThrow('a dead-letter id must be a positive integer, got 0');
    });

    it('dead-letters an item whose worker died on its last attempt instead of looping', () => {
        const { queue, advance } = testQueue({ maxAttempts: 2 });
        queue.enqueue([signal('poison')]);
        queue.claim(1, 1_000, 'w1');
        advance(1_000);
        expect(queue.claim(1, 1_000, 'w2')).toHaveLength(1);
        advance(1_000);
        expect(queue.claim(1, 1_000, 'w3')).toEqual([]);
        expect(queue.deadLetters()[0]?.lastError).toBe(
            'the lease of w2 expired on attempt 2 (worker crashed or stalled)'
        );
    });

    it('revives a dead letter when its record changes again', () => {
        const { queue } = testQueue({ maxAttempts: 1 });
        queue.enqueue([signal('a')]);
        queue.fail(queue.claim(1, 1_000, 'w1')[0]!, 'broken');
        expect(count(queue, 'dead')).toBe(1);
        queue.enqueue([signal('a', { reason: 'edited' })]);
        expect(queue.claim(1, 1_000, 'w1')[0]).toMatchObject({ reason: 'edited', attempts: 1, lastError: 'broken' });
    });

    it('does not let a new signal cut a back-off short', () => {
        const { queue, advance } = testQueue({ backoff: { baseMs: 60_000, capMs: 60_000 } });
        queue.enqueue([signal('a')]);
        const result = queue.fail(queue.claim(1, 1_000, 'w1')[0]!, 'rate limited', { retryAfterMs: 30_000 });
        expect(result.outcome).toBe('retry');
        queue.enqueue([signal('a', { payload: 'newer' })]);
        expect(queue.claim(1, 1_000, 'w1')).toEqual([]);
        advance(60_000);
        expect(queue.claim(1, 1_000, 'w1')[0]?.payload).toBe('newer');
    });

    it('retries not before the time a failure named, the later of Retry-After and notBefore, never earlier', () => {
        const { queue, advance, at } = testQueue({ backoff: { baseMs: 1, capMs: 1 } });
        queue.enqueue([signal('a'), signal('b'), signal('c')]);
        const [a, b, c] = queue.claim(3, 7_200_000, 'w1');
        const freesAt = new Date(at() + 3_600_000);
        expect(queue.fail(a!, 'budget', { notBefore: freesAt })).toMatchObject({ availableAt: freesAt });
        expect(queue.fail(b!, 'both', { retryAfterMs: 60_000, notBefore: new Date(at() + 30_000) })).toMatchObject({
            availableAt: new Date(at() + 60_000)
        });
        // A time already past leaves the plain back-off (at most 1 ms here).
        const past = queue.fail(c!, 'late', { notBefore: new Date(at() - 5_000) });
        expect(past.outcome === 'retry' && past.availableAt.getTime() - at()).toBeLessThanOrEqual(1);
        advance(60_000 - 1);
        expect(queue.claim(3, 7_200_000, 'w1').map((item) => item.recordKey)).toEqual(['c']);
        advance(1);
        expect(queue.claim(3, 7_200_000, 'w1').map((item) => item.recordKey)).toEqual(['b']);
        advance(3_600_000 - 60_000);
        expect(queue.claim(3, 7_200_000, 'w1').map((item) => item.recordKey)).toEqual(['a']);
    });

    it('rejects a failure without a reason, with a negative Retry-After or an invalid notBefore', () => {
        const { queue } = testQueue();
        queue.enqueue([signal('a')]);
        const [item] = queue.claim(1, 1_000, 'w1');
        expect(() => queue.fail(item!, '')).toThrow(/needs a reason/);
        expect(() => queue.fail(item!, 'x', { retryAfterMs: -1 })).toThrow(/non-negative/);
        expect(() => queue.fail(item!, 'x', { notBefore: new Date(Number.NaN) })).toThrow(/valid Date/);
        expect(() => queue.fail(item!, 'x', { notBefore: '2026-01-01' as unknown as Date })).toThrow(/valid Date/);
        expect(count(queue, 'leased')).toBe(1);
    });
});

describe('WorkQueue depth', () => {
    it('counts every priority and state, zeros included, and the oldest pending signal', () => {
        const { queue, advance } = testQueue({ maxAttempts: 1 });
        queue.enqueue([
            signal('ready', { priority: 'interactive' }),
            signal('delayed', { availableAt: new Date(start.getTime() + 60_000) }),
            signal('waiting', { priority: 'backfill' }),
            signal('dead', { priority: 'fast_path' })
        ]);
        advance(10);
        queue.enqueue([signal('ready-2', { priority: 'interactive' })]);
        const claimed = queue.claim(3, 10_000, 'w1');
        const dead = claimed.find((item) => item.recordKey === 'dead')!;
        queue.fail(dead, 'gone');
        queue.complete(claimed.filter((item) => item.recordKey === 'ready'));

        const depth = queue.depth();
        expect(depth.counts).toHaveLength(16);
        const nonZero = depth.counts.filter((row) => row.count > 0);
        expect(nonZero).toEqual([
            { priority: 'backfill', state: 'ready', count: 1 },
            { priority: 'poll', state: 'delayed', count: 1 },
            { priority: 'fast_path', state: 'dead', count: 1 },
            { priority: 'interactive', state: 'leased', count: 1 }
        ]);
        expect(depth.oldestEnqueuedAt).toEqual(start);
    });
});

describe('WorkQueue on a shared state file', () => {
    let dataDir: string;
    const children: ChildProcessWithoutNullStreams[] = [];

    beforeEach(() => {
        dataDir = mkdtempSync(join(tmpdir(), 'work-queue-'));
    });

    afterEach(() => {
        for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
        rmSync(dataDir, { recursive: true, force: true });
    });

    function startWorker(workerId: string, mode: 'drain' | 'hold', batchSize: number, leaseMs: number) {
        const child = spawn(
            process.execPath,
            [
                '--import',
                'tsx',
                join(__dirname, 'queue-worker.fixture.ts'),
                dataDir,
                workerId,
                mode,
                `${batchSize}`,
                `${leaseMs}`
            ],
            { cwd: join(__dirname, '../../..') }
        );
        children.push(child);
        const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
        const nextLine = async () => {
            const line = await lines.next();
            if (line.done) throw new Error(`worker ${workerId} ended early`);
            return line.value;
        };
        return { child, nextLine };
    }

    it('shares the file with the state store, which sees the migrated queue table', () => {
        const queue = openWorkQueue({ dataDir });
        queue.enqueue([signal('a')]);
        const store = openSqliteStateStore({ dataDir });
        store.close();
        const again = openWorkQueue({ dataDir });
        expect(again.claim(1, 1_000, 'w1')).toHaveLength(1);
        again.close();
        queue.close();
    });

    it('never hands the same item to two connections taking turns', () => {
        const first = openWorkQueue({ dataDir });
        const second = openWorkQueue({ dataDir });
        first.enqueue(Array.from({ length: 50 }, (_, index) => signal(`r${index}`)));
        const seen: number[] = [];
        for (;;) {
            const a = first.claim(3, 60_000, 'a');
            const b = second.claim(4, 60_000, 'b');
            if (a.length + b.length === 0) break;
            seen.push(...a.map((item) => item.id), ...b.map((item) => item.id));
        }
        expect(seen).toHaveLength(50);
        expect(new Set(seen).size).toBe(50);
        first.close();
        second.close();
    });

    it('lets two worker processes race on one file without claiming any item twice', async () => {
        const setup = openWorkQueue({ dataDir });
        const total = 1_000;
        setup.enqueue(Array.from({ length: total }, (_, index) => signal(`r${index}`)));
        const workers = [startWorker('w1', 'drain', 5, 60_000), startWorker('w2', 'drain', 5, 60_000)];
        for (const worker of workers) expect(await worker.nextLine()).toBe('ready');
        for (const worker of workers) worker.child.stdin.write('go\n');
        const claimed = await Promise.all(
            workers.map(async (worker) => JSON.parse(await worker.nextLine()) as number[])
        );

        const all = claimed.flat();
        expect(all).toHaveLength(total);
        expect(new Set(all).size).toBe(total);
        for (const ids of claimed) expect(ids.length).toBeGreaterThan(0);
        expect(setup.depth().oldestEnqueuedAt).toBeNull();
        setup.close();
    }, 30_000);

    it('loses nothing when a worker is killed mid-batch: its lease expires and another worker takes over', async () => {
        let now = Date.now();
        const survivor = openWorkQueue({ dataDir }, { now: () => new Date(now) });
        survivor.enqueue(Array.from({ length: 8 }, (_, index) => signal(`r${index}`, { payload: { index } })));
        const doomed = startWorker('doomed', 'hold', 5, 30_000);
        expect(await doomed.nextLine()).toBe('ready');
        doomed.child.stdin.write('go\n');
        const held = JSON.parse(await doomed.nextLine()) as number[];
        expect(held).toHaveLength(5);
        const exited = new Promise((resolve) => doomed.child.once('exit', resolve));
        doomed.child.kill('SIGKILL');
        await exited;

        const untouched = survivor.claim(10, 30_000, 'survivor');
        expect(untouched).toHaveLength(3);
        survivor.complete(untouched);
        expect(survivor.claim(10, 30_000, 'survivor')).toEqual([]);

        // Past the dead worker's lease, which started on the real clock after `now` was taken.
        now = Date.now() + 30_001;
        const takenOver = survivor.claim(10, 30_000, 'survivor');
        expect(takenOver.map((item) => item.id).sort()).toEqual([...held].sort());
        expect(takenOver.every((item) => item.attempts === 2)).toBe(true);
        expect(survivor.complete(takenOver)).toEqual({ completed: 5, requeued: 0, stale: 0 });
        expect(count(survivor, 'ready') + count(survivor, 'leased') + count(survivor, 'dead')).toBe(0);
        survivor.close();
    }, 30_000);
});
