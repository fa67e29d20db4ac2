/**
 * The sync engine's figures on the relay's Prometheus registry (`GET /metrics`): counters from each run
 * report, gauges (queue depth, lag, API usage) refreshed after every run and on a short timer.
 */
import { Gauge } from 'prom-client';

import type { WorkQueue } from '../queue';
import type { RelayMetrics } from '../relay/metrics';
import type { HubSpotPort, SalesforcePort } from '../sync/adapters/ports';
import type { RunReport } from '../sync/engine/context';
import type { StateStore } from '../state/store';

/** `<mapping>.<counter>` counters whose counter names a direction: `created_in_hubspot` → to_hubspot. */
function directionOf(counter: string): string {
    if (/(_in)?_hubspot$/.test(counter)) return counter.startsWith('read_') ? 'from_hubspot' : 'to_hubspot';
    if (/(_in)?_salesforce$/.test(counter)) return counter.startsWith('read_') ? 'from_salesforce' : 'to_salesforce';
    return 'both';
}

export function recordRunMetrics(metrics: RelayMetrics, report: RunReport): void {
    metrics.syncRuns.inc({ outcome: report.mode === 'dry_run' ? 'dry_run' : report.status });
    if (report.mode === 'dry_run') return;
    for (const [key, count] of Object.entries(report.counts)) {
        const dot = key.indexOf('.');
        if (dot <= 0) continue;
        const counter = key.slice(dot + 1);
        if (counter === 'errors') continue;
        metrics.syncRecords.inc(
            { object: key.slice(0, dot), direction: directionOf(counter), outcome: counter },
            count
        );
    }
    for (const error of report.errors) metrics.syncErrors.inc({ category: error.category });
}

export interface GaugeSources {
    store: StateStore;
    salesforce: SalesforcePort;
    hubspot: HubSpotPort;
    resyncDepth: () => number;
    now?: () => number;
}

/** How many intake events are read to find the oldest; the count is exact below this. */
const pendingScan = 10_000;

export function refreshSyncGauges(metrics: RelayMetrics, sources: GaugeSources): void {
    const now = sources.now ?? Date.now;
    const pending = sources.store.pendingEvents(pendingScan);
    metrics.syncQueueDepth.set({ source: 'hubspot_webhooks' }, pending.length);
    metrics.syncQueueDepth.set({ source: 'resync_requests' }, sources.resyncDepth());
    const oldest = pending.reduce<number | undefined>((min, event) => {
        const at = Date.parse(event.receivedAt);
        return min === undefined || at < min ? at : min;
    }, undefined);
    metrics.syncLagSeconds.set({ side: 'hubspot' }, oldest === undefined ? 0 : Math.max(0, (now() - oldest) / 1000));

    const salesforce = sources.salesforce.usage();
    if (salesforce) {
        metrics.apiCallsUsed.set({ side: 'salesforce', window: 'daily' }, salesforce.used);
        metrics.apiCallsRemaining.set(
            { side: 'salesforce', window: 'daily' },
            Math.max(0, salesforce.limit - salesforce.used)
        );
    }
    const hubspot = sources.hubspot.rateLimit();
    if (hubspot.dailyRemaining !== undefined) {
        metrics.apiCallsRemaining.set({ side: 'hubspot', window: 'daily' }, hubspot.dailyRemaining);
        if (hubspot.dailyLimit !== undefined) {
            metrics.apiCallsUsed.set({ side: 'hubspot', window: 'daily' }, hubspot.dailyLimit - hubspot.dailyRemaining);
        }
    }
    if (hubspot.intervalRemaining !== undefined) {
        metrics.apiCallsRemaining.set({ side: 'hubspot', window: 'ten_seconds' }, hubspot.intervalRemaining);
        if (hubspot.intervalLimit !== undefined) {
            metrics.apiCallsUsed.set(
                { side: 'hubspot', window: 'ten_seconds' },
                hubspot.intervalLimit - hubspot.intervalRemaining
            );
        }
    }
}

/**
 * The durable work queue on `/metrics`, read at scrape time (a scrape is one small GROUP BY, and the
 * figures are never staler than the scrape): items by priority and state, dead letters, and the age of
 * the oldest signal not yet synced, which is the fast path's lag.
 */
export function registerWorkQueueMetrics(
    metrics: RelayMetrics,
    queue: Pick<WorkQueue, 'depth'>,
    now: () => number = Date.now
): void {
    const registers = [metrics.registry];
    let depth: ReturnType<WorkQueue['depth']> | undefined;
    // One depth() per scrape: the first gauge collected reads it, the others reuse it.
    const read = () => (depth ??= queue.depth());
    new Gauge({
        name: 'sync_work_queue_items',
        help: 'Work-queue items (fast-path signals, reconciles), by priority and state (ready, delayed, leased, dead).',
        labelNames: ['priority', 'state'] as const,
        registers,
        collect() {
            depth = undefined;
            for (const { priority, state, count } of read().counts) this.set({ priority, state }, count);
        }
    });
    new Gauge({
        name: 'sync_dead_letters',
        help: 'Work-queue items that used every attempt; list and replay them with the CLI or the dashboard.',
        registers,
        collect() {
            this.set(
                read()
                    .counts.filter((entry) => entry.state === 'dead')
                    .reduce((sum, entry) => sum + entry.count, 0)
            );
        }
    });
    new Gauge({
        name: 'sync_work_queue_oldest_seconds',
        help: 'Age of the oldest work-queue signal not yet synced (0 when none waits).',
        registers,
        collect() {
            const oldest = read().oldestEnqueuedAt;
            this.set(oldest === null ? 0 : Math.max(0, (now() - oldest.getTime()) / 1000));
        }
    });
}
