/**
 * The API budget's spend survives a relay restart: the composition root against both sandboxes, started,
 * closed and started again on the same data folder.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { budgetFileName } from '../budget';
import { testConfig } from '../relay/__tests__/support';
import { startSandboxPair, type SandboxPair } from '../sandbox/pair';
import { startBridge, type BridgeConnections } from './bridge';
import { sandboxConnections } from './sandbox-connections';

const mappingFile = resolve(__dirname, '..', '..', '..', 'config', 'sync-mapping.yaml');

describe('the bridge keeps its API spend across restarts', () => {
    let dataDir: string;
    let sandboxes: SandboxPair;

    beforeEach(async () => {
        dataDir = mkdtempSync(join(tmpdir(), 'bridge-budget-'));
        sandboxes = await startSandboxPair({ preset: 'empty' });
    });
    afterEach(async () => {
        await sandboxes.close();
        rmSync(dataDir, { recursive: true, force: true });
    });

    const connections = (): BridgeConnections => sandboxConnections(sandboxes);

    const start = () =>
        startBridge(testConfig({ PORT: '0', DATA_DIR: dataDir, SYNC_CONFIG: mappingFile }), connections(), {
            startSchedule: false,
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
});
