/**
 * What a relay started again on its data folder finds there: the API budget's spend (kept) and the fast path's
 * dead letters (cleared by the first scheduled sync that completes). The composition root against both
 * sandboxes.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { budgetFileName } from '../budget';
import { openWorkQueue } from '../queue';
import { testConfig } from '../relay/__tests__/support';
import { startSandboxPair, type SandboxPair } from '../sandbox/pair';
import { waitFor } from '../test-support/wait-for';
import { startBridge, type BridgeConnections } from './bridge';
import { sandboxConnections } from './sandbox-connections';

const mappingFile = resolve(__dirname, '..', '..', '..', 'config', 'sync-mapping.yaml');

describe('the bridge started again on its data folder', () => {
    let dataDir: string;
    let sandboxes: SandboxPair;

    beforeEach(async () => {
        dataDir = mkdtempSync(join(tmpdir(), 'bridge-restart-'));
        sandboxes = await startSandboxPair({ preset: 'empty' });
    });
    afterEach(async () => {
        await sandboxes.close();
        rmSync(dataDir, { recursive: true, force: true });
    });

    const connections = (): BridgeConnections => sandboxConnections(sandboxes);

    const start = (options: { startSchedule: boolean } = { startSchedule: false }) =>
        startBridge(testConfig({ PORT: '0', DATA_DIR: dataDir, SYNC_CONFIG: mappingFile }), connections(), {
            ...options,
            startFastPath: false
        });

    it('restores the calls spent before the restart, and adds the new ones to them', async () => {
        const first = await start();
        // The start reads the live schemas of both sides: calls the budget counted.
        const spentBefore = first.budget.snapshot();
        const salesforceSpent = first.budget.status('salesforce').spent;
        const hubspotSpent = first.budget.status('hubspot').spent;
        expect(salesforceSpent).toBeGreaterThan(0);
        expect(hubspotSpent).toBeGreaterThan(0);
        await first.close();
        expect(existsSync(join(dataDir, budgetFileName))).toBe(true);

        const second = await start();
        try {
            // The second start spends as much as the first (the same schema reads) on top of what was restored.
            expect(second.budget.status('salesforce').spent).toBe(2 * salesforceSpent);
            expect(second.budget.status('hubspot').spent).toBe(2 * hubspotSpent);
            const restoredMinutes = spentBefore.ledgers.salesforce.map((bucket) => bucket.startMs);
            const minutesNow = second.budget.snapshot().ledgers.salesforce.map((bucket) => bucket.startMs);
            expect(minutesNow).toEqual(expect.arrayContaining(restoredMinutes));
        } finally {
            await second.close();
        }
    }, 60_000);

    it('clears the dead letters of its last life once its first scheduled run completes', async () => {
        // A change whose only attempt failed with the org down.
        const before = openWorkQueue({ dataDir }, { options: { maxAttempts: 1 } });
        before.enqueue([
            { stream: 'contact_to_contact', recordKey: '003000000000001AAA', priority: 'fast_path', reason: 'cdc' }
        ]);
        const [claimed] = before.claim(1, 60_000, 'previous-relay');
        expect(before.fail(claimed!, 'HTTP 503: Service Unavailable')).toEqual({ outcome: 'dead', attempts: 1 });
        before.close();

        const bridge = await start({ startSchedule: true });
        try {
            // The schedule starts a run at once; when it completes, the dead letter is settled (without the
            // settling it stays for ever).
            await waitFor(
                'the first scheduled run to settle it',
                () => bridge.queue.deadLetters().length === 0,
                30_000
            );
        } finally {
            await bridge.close();
        }
    }, 60_000);
});
