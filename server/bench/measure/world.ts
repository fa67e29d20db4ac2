/**
 * The world the call, latency and throughput measurements share: both sandboxes in their own process
 * with the benchmark's latency and HubSpot rate limits, seeded; the engine in this process over the
 * real, counted adapters; a state store on disk, as the bridge keeps it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { HubSpotSandboxOptionsInput } from '../../src/sandbox/hubspot';
import { openSqliteStateStore, type SqliteStateStore } from '../../src/state/sqlite-store';
import { countedEngine, type CountedEngine } from '../support/engine-setup';
import { initialLoadShape } from '../support/load-shape';
import { BenchConditions } from '../support/profile';
import { startSandboxProcess, type SandboxProcess } from '../support/sandbox-process';
import type { SeededCounts } from '../support/sandbox-protocol';
import { connectUserEditor, type UserEditor } from '../support/user-edits';
import { startWebhookIntake, type WebhookIntake } from './event-mode';

export interface BenchWorld extends CountedEngine {
    sandboxes: SandboxProcess;
    /** The relay's webhook route, which the HubSpot sandbox notifies of every change. */
    intake: WebhookIntake;
    store: SqliteStateStore;
    dataDir: string;
    seeded: SeededCounts;
    /** A second API user who edits records through the real clients. */
    user: UserEditor;
    close(): Promise<void>;
}

/** Both sandboxes as the benchmark runs them: 50 ms per call, HubSpot Professional limits. */
export function benchSandboxOptions(hubspot: Partial<HubSpotSandboxOptionsInput> = {}) {
    return {
        salesforce: { seed: 'empty' as const, baseLatencyMs: BenchConditions.latencyMs },
        hubspot: {
            seed: 'empty' as const,
            tier: BenchConditions.hubspotTier,
            baseLatencyMs: BenchConditions.latencyMs,
            ...hubspot
        }
    };
}

/** The intake listens first: the HubSpot sandbox is told where to send its webhooks when it starts. */
export async function startBenchWorld(records: number): Promise<BenchWorld> {
    const dataDir = mkdtempSync(join(tmpdir(), 'bridge-bench-'));
    const store = openSqliteStateStore({ dataDir });
    const intake = await startWebhookIntake(store);
    let sandboxes: SandboxProcess | undefined;
    const close = async () => {
        sandboxes?.close();
        await intake.close();
        store.close();
        rmSync(dataDir, { recursive: true, force: true });
    };
    try {
        sandboxes = await startSandboxProcess(
            benchSandboxOptions({ webhooks: { targetUrl: intake.targetUrl, clientSecret: intake.clientSecret } })
        );
        const seeded = await sandboxes.ask<SeededCounts>({ kind: 'seed', shape: initialLoadShape(records) });
        const counted = await countedEngine(sandboxes.connections, store, { recordUrls: true });
        const user = await connectUserEditor(sandboxes.connections);
        return { ...counted, sandboxes, intake, store, dataDir, seeded, user, close };
    } catch (error) {
        await close();
        throw error;
    }
}
