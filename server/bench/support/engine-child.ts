/**
 * A fresh engine process for one initial sync: connects to the sandboxes, runs it, answers with the
 * process's peak RSS and exits. Forked by measure/peak-rss.ts, one process per size, so each peak is
 * that sync's alone.
 */
import { openSqliteStateStore } from '../../src/state/sqlite-store';
import { errorMessage } from '../../src/sync/errors';
import { countedEngine } from './engine-setup';
import { errorKinds, type ErrorKind } from './error-kinds';
import type { SandboxConnections } from './sandbox-protocol';

export interface InitialSyncRequest {
    connections: SandboxConnections;
    dataDir: string;
}

export type InitialSyncAnswer =
    | {
          kind: 'done';
          peakRssMb: number;
          baselineRssMb: number;
          seconds: number;
          status: string;
          errors: number;
          errorKinds: ErrorKind[];
          apiCalls: { salesforce: number; hubspot: number };
      }
    | { kind: 'failed'; message: string };

async function initialSync(request: InitialSyncRequest): Promise<InitialSyncAnswer> {
    const store = openSqliteStateStore({ dataDir: request.dataDir });
    try {
        const { engine } = await countedEngine(request.connections, store, { recordUrls: true });
        // What the process holds before the sync: code, clients and a logged-in session.
        const baselineRssMb = process.memoryUsage().rss / 1024 / 1024;
        const started = performance.now();
        const report = await engine.run({ mode: 'incremental' });
        return {
            kind: 'done',
            peakRssMb: process.resourceUsage().maxRSS / 1024,
            baselineRssMb,
            seconds: (performance.now() - started) / 1000,
            status: report.status === 'completed' ? 'completed' : `failed: ${report.error}`,
            errors: report.errors.length,
            errorKinds: errorKinds(report.errors).slice(0, 5),
            apiCalls: report.apiCalls
        };
    } finally {
        store.close();
    }
}

// Orphaned (the bench ended or failed): stop rather than sync on for nobody.
process.once('disconnect', () => process.exit(1));

process.once('message', (request: InitialSyncRequest) => {
    initialSync(request)
        .catch((error: unknown): InitialSyncAnswer => ({ kind: 'failed', message: errorMessage(error) }))
        .then((answer) => process.send!(answer, () => process.exit(0)));
});
