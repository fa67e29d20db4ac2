/**
 * Peak RSS of the engine process for initial syncs of growing size: per size, a fresh sandbox process
 * is seeded and a fresh engine process (support/engine-child.ts, with the V8 flags of `npm start`) runs
 * the initial sync, so each peak belongs to one sync alone. An engine process that dies (out of heap
 * under a cap, say) is a result too: its peak as last seen in /proc, and why it ended.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { errorMessage } from '../../src/sync/errors';
import { forkSupportModule } from '../support/child-process';
import type { InitialSyncAnswer, InitialSyncRequest } from '../support/engine-child';
import type { ErrorKind } from '../support/error-kinds';
import { initialLoadShape } from '../support/load-shape';
import { peakRssOfProcess } from '../support/proc-rss';
import { startSandboxProcess } from '../support/sandbox-process';
import type { SeededCounts } from '../support/sandbox-protocol';
import { sum } from '../support/stats';
import { benchSandboxOptions } from './world';

export interface PeakRssResult {
    records: number;
    /** The engine process's peak; for one that died, the highest seen from outside (null when none was). */
    peakRssMb: number | null;
    /** RSS of the engine process once connected, before the sync started (null when it died). */
    baselineRssMb: number | null;
    /** The engine process's V8 flags (`npm start`'s). */
    v8Flags: string[];
    seconds: number;
    /** `completed`, `failed: <why>` (the run or the process's setup failed) or `died: <why>` (the process ended). */
    status: string;
    errors: number;
    /** The most frequent kinds of sync error, when there were any. */
    errorKinds: ErrorKind[];
    apiCalls: { salesforce: number; hubspot: number } | null;
    sandboxPeakRssMb: number;
}

const sampleEveryMs = 250;

export async function measurePeakRss(records: number, v8Flags: string[]): Promise<PeakRssResult> {
    const sandboxes = await startSandboxProcess(benchSandboxOptions());
    const dataDir = mkdtempSync(join(tmpdir(), 'bridge-bench-rss-'));
    try {
        const seeded = await sandboxes.ask<SeededCounts>({ kind: 'seed', shape: initialLoadShape(records) });
        const child = forkSupportModule<InitialSyncAnswer>('engine-child.ts', { v8Flags });
        let seenPeakMb: number | undefined;
        const sampler = setInterval(() => {
            seenPeakMb = peakRssOfProcess(child.process.pid!) ?? seenPeakMb;
        }, sampleEveryMs);
        const started = performance.now();
        let result: InitialSyncAnswer | { kind: 'died'; message: string };
        try {
            const request: InitialSyncRequest = { connections: sandboxes.connections, dataDir };
            const answer = child.next();
            child.send(request);
            result = await answer;
        } catch (error) {
            result = { kind: 'died', message: errorMessage(error) };
        } finally {
            clearInterval(sampler);
            child.close();
        }
        const common = {
            records: sum(Object.values(seeded)),
            v8Flags,
            sandboxPeakRssMb: await sandboxes.ask<number>({ kind: 'rss' })
        };
        if (result.kind !== 'done') {
            return {
                ...common,
                peakRssMb: seenPeakMb ?? null,
                baselineRssMb: null,
                seconds: (performance.now() - started) / 1000,
                status: `${result.kind}: ${result.message}`,
                errors: 0,
                errorKinds: [],
                apiCalls: null
            };
        }
        return {
            ...common,
            peakRssMb: result.peakRssMb,
            baselineRssMb: result.baselineRssMb,
            seconds: result.seconds,
            status: result.status,
            errors: result.errors,
            errorKinds: result.errorKinds,
            apiCalls: result.apiCalls
        };
    } finally {
        sandboxes.close();
        rmSync(dataDir, { recursive: true, force: true });
    }
}
