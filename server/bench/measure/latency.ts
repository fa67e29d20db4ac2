/**
 * Change-to-visible latency: a user edits one synced record at a time (through the real clients) at
 * seeded-random moments over a window, alternating Salesforce and HubSpot, while the bridge propagates
 * changes its own way (scheduled runs or the fast path). A sample's latency runs from the moment the
 * edit request is sent to the moment the other CRM is seen holding the new value, read every 25 ms in
 * the sandboxes' own stores (no API call) and stamped there.
 */
import { setTimeout as sleep } from 'node:timers/promises';

import { seededRandom } from '../../src/sandbox/common/faults';
import { SyncScheduler } from '../../src/sync/engine/scheduler';
import type { Probe, ReadValuesAnswer } from '../support/sandbox-protocol';
import { percentile } from '../support/stats';
import { editAsUser, freshPhone, type TargetPool } from './targets';
import type { BenchWorld } from './world';

/** How the bridge gets a change across: started before the first edit, stopped after the last sample. */
export interface Propagation {
    mode: 'poll' | 'event';
    /** How it is set up, for the report (e.g. "runs every 2 s"). */
    setting: string;
    start(): Promise<void>;
    stop(): Promise<void>;
}

export interface LatencyResult {
    mode: 'poll' | 'event';
    setting: string;
    samples: number;
    /** Samples whose value showed up before the timeout. */
    visible: number;
    p50Ms: number;
    p95Ms: number;
    maxMs: number;
}

const watchEveryMs = 25;

/** Scheduled incremental runs every `intervalSeconds` (the engine's own scheduler: next run after the previous ends). */
export function pollMode(world: BenchWorld, intervalSeconds: number): Propagation {
    const failures: string[] = [];
    const scheduler = new SyncScheduler(world.engine, {
        intervalMinutes: intervalSeconds / 60,
        onReport: (report) => {
            if (report.status !== 'completed') failures.push(report.error ?? 'failed');
        },
        onError: (error) => failures.push(String(error))
    });
    return {
        mode: 'poll',
        setting: `a run every ${intervalSeconds} s`,
        start: async () => scheduler.start(),
        stop: async () => {
            await scheduler.stop();
            if (failures.length > 0) throw new Error(`scheduled runs failed: ${failures[0]}`);
        }
    };
}

interface Pending {
    probe: Probe;
    value: string;
    sentAt: number;
}

export async function measureLatency(
    world: BenchWorld,
    pool: TargetPool,
    propagation: Propagation,
    options: { samples: number; windowSeconds: number; timeoutMs: number; seed: number }
): Promise<LatencyResult> {
    const random = seededRandom(options.seed);
    const offsets = Array.from({ length: options.samples }, () => random() * options.windowSeconds * 1000).sort(
        (left, right) => left - right
    );
    const latencies: number[] = [];
    const pending = new Set<Pending>();
    let editsLeft = offsets.length;
    let timedOut = 0;
    await propagation.start();
    try {
        const edits = offsets.map(async (offset, index) => {
            await sleep(offset);
            try {
                const [target] = pool.take(index % 2 === 0 ? 'salesforce' : 'hubspot', 1);
                const value = freshPhone();
                // Wall-clock time: the sandbox process stamps what it sees with the same clock.
                const sentAt = Date.now();
                await editAsUser(world, [{ target: target!, value }]);
                pending.add({ probe: target!.counterpart, value, sentAt });
            } finally {
                // A failed edit must not keep the watcher waiting for it.
                editsLeft -= 1;
            }
        });
        const watch = (async () => {
            while (editsLeft > 0 || pending.size > 0) {
                await sleep(watchEveryMs);
                if (pending.size === 0) continue;
                const waiting = [...pending];
                const { at, values } = await world.sandboxes.ask<ReadValuesAnswer>({
                    kind: 'read-values',
                    probes: waiting.map((entry) => entry.probe)
                });
                const now = Date.now();
                waiting.forEach((entry, index) => {
                    if (values[index] === entry.value) {
                        latencies.push(at - entry.sentAt);
                        pending.delete(entry);
                    } else if (now - entry.sentAt > options.timeoutMs) {
                        timedOut += 1;
                        pending.delete(entry);
                    }
                });
            }
        })();
        // Settle everything before stopping, so no watcher outlives the measurement.
        const outcomes = await Promise.allSettled([...edits, watch]);
        const failure = outcomes.find((outcome) => outcome.status === 'rejected');
        if (failure) throw failure.reason;
    } finally {
        await propagation.stop();
    }
    if (latencies.length === 0) {
        throw new Error(`${propagation.mode} mode: none of ${options.samples} edits became visible`);
    }
    // Timed-out samples count as the timeout itself: leaving them out would flatter the percentiles.
    const counted = [...latencies, ...Array.from({ length: timedOut }, () => options.timeoutMs)];
    return {
        mode: propagation.mode,
        setting: propagation.setting,
        samples: options.samples,
        visible: latencies.length,
        p50Ms: percentile(counted, 50),
        p95Ms: percentile(counted, 95),
        maxMs: Math.max(...counted)
    };
}
