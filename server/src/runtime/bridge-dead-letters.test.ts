/**
 * A completed scheduled sync clears the fast path's dead letters that died before it started: the composition
 * root against both sandboxes, on a data folder that holds a dead letter from before the start.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { openWorkQueue } from '../queue';
import { testConfig } from '../relay/__tests__/support';
import { startSandboxPair, type SandboxPair } from '../sandbox/pair';
import { waitFor } from '../test-support/wait-for';
import { startBridge } from './bridge';
import { sandboxConnections } from './sandbox-connections';

const mappingFile = resolve(__dirname, '..', '..', '..', 'config', 'sync-mapping.yaml');

describe('the bridge settles dead letters with its scheduled sync', () => {
    let dataDir: string;
    let sandboxes: SandboxPair;

    beforeEach(async () => {
        dataDir = mkdtempSync(join(tmpdir(), 'bridge-dead-letters-'));
        sandboxes = await startSandboxPair({ preset: 'empty' });
    });
    afterEach(async () => {
        await sandboxes.close();
        rmSync(dataDir, { recursive: true, force: true });
    });

    it('clears the dead letters that died before its first completed run', async () => {
        // A change whose only attempt failed with the org down, left behind by the relay's last life.
        const before = openWorkQueue({ dataDir }, { options: { maxAttempts: 1 } });
        before.enqueue([
            { stream: 'contact_to_contact', recordKey: '003000000000001AAA', priority: 'fast_path', reason: 'cdc' }
        ]);
        const [claimed] = before.claim(1, 60_000, 'previous-relay');
        expect(before.fail(claimed!, 'HTTP 503: Service Unavailable')).toEqual({ outcome: 'dead', attempts: 1 });
        before.close();

        const bridge = await startBridge(
            testConfig({ PORT: '0', DATA_DIR: dataDir, SYNC_CONFIG: mappingFile }),
            sandboxConnections(sandboxes),
            { startFastPath: false }
        );
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
