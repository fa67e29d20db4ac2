/**
 * Event mode: the bridge's fast path (server/src/fastpath) — Salesforce CDC over CometD and HubSpot
 * webhooks into the durable work queue, worked off by ID-limited engine runs. The HubSpot sandbox
 * delivers its signed webhooks to the relay's own webhook route, served here, which stores them in the
 * intake table like the relay does; the fast path's pump moves them to the queue.
 */
import { randomBytes } from 'node:crypto';

import express from 'express';

import { loginStreamingSession, startFastPath, type RunningFastPath } from '../../src/fastpath';
import { openWorkQueue, type WorkQueue } from '../../src/queue';
import { RelayMetrics } from '../../src/relay/metrics';
import { webhookRoutes } from '../../src/relay/routes/webhooks';
import { settleEventsCoveredByRun, stateStoreWebhookSink } from '../../src/runtime/webhook-sink';
import { listen, type RunningServer } from '../../src/sandbox/common/listen';
import type { StateStore } from '../../src/state/store';
import { sandboxSalesforceLogin } from '../../src/runtime/sandbox-connections';
import type { Propagation } from './latency';
import type { BenchWorld } from './world';

export interface WebhookIntake {
    /** Where HubSpot (the sandbox) posts its notifications. */
    targetUrl: string;
    clientSecret: string;
    /** Told after each accepted batch (the fast path's pump wakes up). */
    onAccepted(listener: (() => void) | undefined): void;
    close(): Promise<void>;
}

/** `POST /webhooks/hubspot` as the relay serves it, storing into `store`'s intake table. */
export async function startWebhookIntake(store: StateStore): Promise<WebhookIntake> {
    const clientSecret = randomBytes(16).toString('hex');
    // As the relay keeps it: the engine's own writes echoed back are not stored.
    const sink = stateStoreWebhookSink(store, { ownWrites: {} });
    let listener: (() => void) | undefined;
    const app = express();
    app.use(
        webhookRoutes({
            clientSecret,
            metrics: new RelayMetrics(),
            now: () => Date.now(),
            sink: {
                append: async (events) => {
                    const receipt = await sink.append(events);
                    listener?.();
                    return receipt;
                }
            }
        })
    );
    const server: RunningServer = await listen(app);
    return {
        targetUrl: `${server.url}/webhooks/hubspot`,
        clientSecret,
        onAccepted: (next) => {
            listener = next;
        },
        close: () => server.close()
    };
}

/** The fast path over the world's engine, store and a work queue on the same database. */
export function eventMode(world: BenchWorld, intake: WebhookIntake): Propagation {
    let queue: WorkQueue | undefined;
    let running: RunningFastPath | undefined;
    const failures: string[] = [];
    const info = world.sandboxes.connections.salesforce;
    return {
        mode: 'event',
        setting: 'CDC + webhooks → work queue',
        async start() {
            // What the earlier runs already synced needs no second look.
            settleEventsCoveredByRun(world.store, new Date().toISOString());
            queue = openWorkQueue({ dataDir: world.dataDir });
            running = await startFastPath({
                engine: world.engine,
                store: world.store,
                queue,
                mapping: world.mapping,
                salesforceStreaming: () => loginStreamingSession(sandboxSalesforceLogin(info), info.apiVersion),
                onReport: (report) => {
                    if (report.status !== 'completed') failures.push(report.error ?? 'failed');
                }
            });
            intake.onAccepted(() => running?.wakeWebhooks());
        },
        async stop() {
            intake.onAccepted(undefined);
            await running?.stop();
            queue?.close();
            if (failures.length > 0) throw new Error(`fast-path runs failed: ${failures[0]}`);
        }
    };
}
