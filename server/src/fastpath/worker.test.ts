/**
 * The worker's retry policy against the real SQLite work queue, with a scripted engine: which outcome
 * settles a lease how. The end-to-end behaviour with the real engine is in fastpath.test.ts.
 */
import { noteRetryTime } from '../budget/retry-time';
import { openWorkQueue, type WorkQueue } from '../queue';
import type { RunReport, RunRequest } from '../sync/engine/context';
import { SyncAlreadyRunningError } from '../sync/engine/engine';
import { FastPathWorker, type FastPathEngine } from './worker';

const runGroups = new Map([
    ['Contact', 'contacts'],
    ['contacts', 'contacts']
]);
const contactId = '003000000000001AAA';

function report(status: RunReport['status'], extra: Partial<RunReport> = {}): RunReport {
    return {
        runId: 1,
        mode: 'incremental',
        status,
        startedAt: '2026-01-01T00:00:00.000Z',
        endedAt: '2026-01-01T00:00:01.000Z',
        counts: {},
        fieldChanges: {},
        apiCalls: { salesforce: 1, hubspot: 1 },
        plannedWriteCalls: { salesforce: 0, hubspot: 0 },
        errors: [],
        warnings: [],
        leadOnlyFields: [],
        ...extra
    };
}

/** Answers each run with the next scripted outcome and records the requests. */
function scriptedEngine(outcomes: (RunReport | Error)[]): FastPathEngine & { requests: RunRequest[] } {
    const requests: RunRequest[] = [];
    return {
        requests,
        running: false,
        whenIdle: () => Promise.resolve(),
        run(request) {
            requests.push(request);
            const outcome = outcomes.shift() ?? report('completed');
            return outcome instanceof Error ? Promise.reject(outcome) : Promise.resolve(outcome);
        }
    };
}

describe('fast-path worker', () => {
    let clock: number;
    let queue: WorkQueue;

    beforeEach(() => {
        clock = Date.parse('2026-01-01T00:00:00.000Z');
        queue = openWorkQueue(
            { path: ':memory:' },
            { now: () => new Date(clock), random: () => 0.5, options: { maxAttempts: 3, backoff: { baseMs: 1_000 } } }
        );
    });
    afterEach(() => queue.close());

    const signal = (recordKey = contactId) =>
        queue.enqueue([{ stream: 'salesforce:Contact', recordKey, priority: 'fast_path', reason: 'cdc UPDATE' }]);

    test('a completed run completes its leases, records with their own errors included', async () => {
        signal();
        signal('003000000000002AAA');
        const engine = scriptedEngine([
            report('completed', {
                errors: [
                    { runId: 1, mappingId: 'contact_to_contact', category: 'validation_rule', message: 'required' }
                ]
            })
        ]);
        const worker = new FastPathWorker({ engine, queue, runGroups });
        expect(await worker.drain()).toEqual({ claimed: 2, completed: 2, retried: 0, deadLettered: 0 });
        expect(engine.requests).toEqual([
            { mode: 'incremental', objects: ['contacts'], ids: [contactId, '003000000000002AAA'] }
        ]);
        expect(queue.depth().oldestEnqueuedAt).toBeNull();
    });

    test('a failed run backs off, honours Retry-After, and dead-letters after the last attempt', async () => {
        signal();
        const throttled = Object.assign(new Error('REQUEST_LIMIT_EXCEEDED'), { headers: { 'Retry-After': '30' } });
        const engine = scriptedEngine([report('failed', { error: 'HubSpot 503' }), throttled, report('failed')]);
        const worker = new FastPathWorker({ engine, queue, runGroups, now: () => new Date(clock) });

        expect(await worker.drain()).toMatchObject({ claimed: 1, retried: 1 });
        // Jittered back-off: half of the 1 s ceiling with random() = 0.5; nothing is claimable before it.
        expect(await worker.drain()).toMatchObject({ claimed: 0 });
        clock += 500;
        expect(await worker.drain()).toMatchObject({ claimed: 1, retried: 1 });
        clock += 29_000;
        expect(await worker.drain()).toMatchObject({ claimed: 0 });
        clock += 1_000;
        expect(await worker.drain()).toMatchObject({ claimed: 1, deadLettered: 1 });

        const [dead] = queue.deadLetters();
        expect(dead).toMatchObject({
            recordKey: contactId,
            attempts: 3,
            lastError: 'sync run 1 failed: no reason given'
        });
        expect(engine.requests).toHaveLength(3);
        expect(queue.replay([dead.id])).toBe(1);
        expect(await worker.drain()).toMatchObject({ claimed: 1, completed: 1 });
        expect(queue.deadLetters()).toEqual([]);
    });

    test('a failed report is retried not before the time a budgeted port noted during the run', async () => {
        signal();
        const freesAt = new Date(clock + 3_600_000);
        const engine: FastPathEngine = {
            running: false,
            whenIdle: () => Promise.resolve(),
            async run() {
                // What a budgeted port does when the budget refuses a call deep inside the engine.
                await Promise.resolve();
                noteRetryTime(freesAt);
                return report('failed', { error: 'API budget for hubspot: fast_path work is paused' });
            }
        };
        const worker = new FastPathWorker({ engine, queue, runGroups, now: () => new Date(clock) });
        expect(await worker.drain()).toMatchObject({ claimed: 1, retried: 1 });
        clock = freesAt.getTime() - 1;
        expect(await worker.drain()).toMatchObject({ claimed: 0 });
        clock += 1;
        expect(await worker.drain()).toMatchObject({ claimed: 1, retried: 1 });
    });

    test('waits for a run in flight instead of failing the signal', async () => {
        signal();
        let busy = 2;
        const requests: RunRequest[] = [];
        const engine: FastPathEngine = {
            running: false,
            whenIdle: () => Promise.resolve(),
            run(request) {
                requests.push(request);
                if (busy-- > 0) return Promise.reject(new SyncAlreadyRunningError('run 9 by another process'));
                return Promise.resolve(report('completed'));
            }
        };
        const worker = new FastPathWorker({ engine, queue, runGroups, busyRetryMs: 5 });
        expect(await worker.drain()).toEqual({ claimed: 1, completed: 1, retried: 0, deadLettered: 0 });
        expect(requests).toHaveLength(3);
    });

    test('stopping while another run holds the engine gives the batch back instead of waiting for that run', async () => {
        signal();
        let finishOtherRun = () => {};
        const otherRun = new Promise<void>((resolve) => (finishOtherRun = resolve));
        const engine: FastPathEngine & { requests: RunRequest[] } = {
            requests: [],
            running: true,
            whenIdle: () => otherRun,
            run(request) {
                this.requests.push(request);
                return Promise.resolve(report('completed'));
            }
        };
        const worker = new FastPathWorker({ engine, queue, runGroups });
        const batch = worker.workBatch();
        worker.stop();
        expect(await batch).toEqual({ claimed: 1, completed: 0, retried: 1, deadLettered: 0 });
        expect(engine.requests).toEqual([]);
        expect(queue.depth().counts).toContainEqual({ priority: 'fast_path', state: 'delayed', count: 1 });
        finishOtherRun();
    });

    test('refuses a batch larger than one Collections call', () => {
        expect(() => new FastPathWorker({ engine: scriptedEngine([]), queue, runGroups, batchSize: 201 })).toThrow(
            'batchSize must be an integer from 1 to 200'
        );
    });
});
