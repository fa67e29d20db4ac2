/** The dead-letter endpoints over real HTTP, on a real work queue in SQLite. */
import { openWorkQueue, type WorkQueue } from '../queue';
import { basic, readError } from '../relay/__tests__/support';
import { type OpsHarness, startOpsRelay } from './__tests__/fixtures';
import type { DeadLetterQueue } from './ports';
import type { DeadLettersView, StatusView } from './views';

let ops: OpsHarness;
let queue: WorkQueue;

const signal = (recordKey: string) => ({
    stream: 'hubspot:contacts',
    recordKey,
    priority: 'fast_path' as const,
    reason: 'webhook contact.propertyChange'
});

beforeEach(async () => {
    queue = openWorkQueue({ path: ':memory:' }, { options: { maxAttempts: 1 } });
    queue.enqueue([signal('501'), signal('502'), signal('503')]);
    for (const item of queue.claim(10, 60_000, 'worker'))
        queue.fail(item, `sync run 4 failed: HubSpot 503 (${item.recordKey})`);
    ops = await startOpsRelay({ seeded: false, deadLetters: queue });
});

afterEach(async () => {
    await ops.close();
    queue.close();
});

function post(path: string, body: unknown, relayUrl = ops.url) {
    return fetch(`${relayUrl}${path}`, {
        method: 'POST',
        headers: { ...basic(), 'content-type': 'application/json' },
        body: JSON.stringify(body)
    });
}

async function list(query = ''): Promise<DeadLettersView> {
    const response = await fetch(`${ops.url}/ops/api/dead-letters${query}`, { headers: basic() });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    return (await response.json()) as DeadLettersView;
}

describe('dead letters', () => {
    it('lists them oldest first with the reason, paged', async () => {
        const all = await list();
        expect(all.total).toBe(3);
        expect(all.items[0]).toEqual({
            id: expect.any(Number),
            stream: 'hubspot:contacts',
            recordKey: '501',
            priority: 'fast_path',
            reason: 'webhook contact.propertyChange',
            attempts: 1,
            lastError: 'sync run 4 failed: HubSpot 503 (501)',
            enqueuedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
            deadAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/)
        });
        const second = await list('?limit=1&offset=1');
        expect(second).toMatchObject({ total: 3, offset: 1, limit: 1, items: [{ recordKey: '502' }] });
    });

    it('lists them newest first on request, paged the same way', async () => {
        const newest = await list('?order=newest');
        expect(newest.items.map((letter) => letter.recordKey)).toEqual(['503', '502', '501']);
        const page = await list('?order=newest&limit=2&offset=2');
        expect(page).toMatchObject({ total: 3, offset: 2, limit: 2, items: [{ recordKey: '501' }] });
    });

    it('counts them in the status the navigation reads', async () => {
        const status = async () => {
            const response = await fetch(`${ops.url}/ops/api/status`, { headers: basic() });
            return ((await response.json()) as StatusView).deadLetters;
        };
        expect(await status()).toBe(3);
        queue.replay('all');
        expect(await status()).toBe(0);
    });

    it('replays chosen ids, refuses unknown ids without replaying any, then replays all', async () => {
        const [first, second] = (await list()).items;
        const unknown = await readError(await post('/ops/api/dead-letters/replay', { ids: [first.id, 9_999] }));
        expect(unknown).toMatchObject({ status: 404, code: 'NOT_FOUND', message: 'No dead letters with ids 9999.' });
        expect((await list()).total).toBe(3);

        const one = await post('/ops/api/dead-letters/replay', { ids: [first.id] });
        expect(await one.json()).toEqual({ replayed: 1 });
        expect((await list()).items.map((letter) => letter.id)).not.toContain(first.id);
        expect(queue.claim(10, 60_000, 'worker').map((item) => item.id)).toEqual([first.id]);

        const rest = await post('/ops/api/dead-letters/replay', { all: true });
        expect(await rest.json()).toEqual({ replayed: 2 });
        expect((await list()).total).toBe(0);
        expect(second.id).toBeGreaterThan(first.id);
    });

    it.each([{}, { ids: [] }, { ids: ['1'] }, { all: false }, { ids: [1], all: true }, { ids: [0] }])(
        'refuses the body %j',
        async (body) => {
            const error = await readError(await post('/ops/api/dead-letters/replay', body));
            expect(error).toMatchObject({ status: 400, code: 'VALIDATION_ERROR' });
            expect((await list()).total).toBe(3);
        }
    );

    it('keeps every letter when the queue fails to replay', async () => {
        const failing: DeadLetterQueue = {
            deadLetters: (options) => queue.deadLetters(options),
            depth: () => queue.depth(),
            replay: () => {
                throw new Error('database is locked');
            }
        };
        const broken = await startOpsRelay({ seeded: false, deadLetters: failing });
        try {
            const response = await post('/ops/api/dead-letters/replay', { all: true }, broken.url);
            expect(await readError(response)).toMatchObject({ status: 500, code: 'INTERNAL_ERROR' });
            expect((await list()).total).toBe(3);
        } finally {
            await broken.close();
        }
    });

    it.each(['limit=0', 'limit=501', 'order=random', 'offset=-1', 'status=dead'])(
        'refuses the query %s',
        async (search) => {
            const response = await fetch(`${ops.url}/ops/api/dead-letters?${search}`, { headers: basic() });
            expect(await readError(response)).toMatchObject({ status: 400, code: 'VALIDATION_ERROR' });
        }
    );

    it('needs the operator login', async () => {
        expect((await fetch(`${ops.url}/ops/api/dead-letters`)).status).toBe(401);
    });
});
