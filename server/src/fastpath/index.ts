/**
 * The real-time fast path, assembled: Salesforce CDC and HubSpot webhooks become work-queue signals,
 * and a worker turns them into ID-limited engine runs within about a second. The scheduled poll stays
 * the safety net (associations, activities, anything a signal missed).
 */
import type { Connection } from 'jsforce';

import type { WorkQueue } from '../queue';
import type { StateStore } from '../state/store';
import { salesforceClientName } from '../sync/adapters/connect';
import type { RunReport } from '../sync/engine/context';
import type { MappingFile } from '../sync/mapping/schema';
import { CdcSubscriber } from './cdc-subscriber';
import type { FastPathLogger } from './logger';
import { Poller } from './poller';
import { fastPathScope } from './signals';
import { WebhookSignalPump } from './webhook-pump';
import { FastPathWorker, type FastPathEngine } from './worker';

export { CdcSubscriber, changeEventChannel, newEventsOnly } from './cdc-subscriber';
export { loginStreamingSession } from './salesforce-session';
export { fastPathScope, isOwnHubSpotWrite } from './signals';
export { WebhookSignalPump, type PumpResult } from './webhook-pump';
export { FastPathWorker, maxBatchSize, type FastPathEngine } from './worker';

export interface FastPathOptions {
    engine: FastPathEngine;
    store: StateStore;
    /** The work queue on the same state database (`openWorkQueue({ dataDir })`); the caller closes it. */
    queue: WorkQueue;
    mapping: MappingFile;
    /** The HubSpot app the relay writes with (its writes echo back as webhooks); see `isOwnHubSpotWrite`. */
    ownHubSpotAppId?: number;
    /** A logged-in jsforce connection for CDC, called again when the session expires; without it, no CDC. */
    salesforceStreaming?: () => Promise<Connection>;
    /** How often the worker and the webhook pump look for work they were not woken for (default 200 ms). */
    pollIntervalMs?: number;
    /** Signals per batch (≤ 200). */
    batchSize?: number;
    leaseMs?: number;
    onReport?: (report: RunReport) => void;
    logger?: FastPathLogger;
}

export interface RunningFastPath {
    cdc: CdcSubscriber | undefined;
    worker: FastPathWorker;
    pump: WebhookSignalPump;
    /** New intake events are waiting (the webhook sink calls it): move them to the queue now. */
    wakeWebhooks(): void;
    /** Stops taking events, finishes the batch in flight, settles its leases. */
    stop(): Promise<void>;
}

/** Starts the CDC subscriber (subscribed when this resolves), the webhook pump and the worker. */
export async function startFastPath(options: FastPathOptions): Promise<RunningFastPath> {
    const scope = fastPathScope(options.mapping);
    const pollIntervalMs = options.pollIntervalMs ?? 200;
    const logError = (what: string) => (error: unknown) => options.logger?.error({ err: error }, what);
    const worker = new FastPathWorker({
        engine: options.engine,
        queue: options.queue,
        runGroups: scope.runGroupOf,
        ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
        ...(options.leaseMs === undefined ? {} : { leaseMs: options.leaseMs }),
        ...(options.onReport ? { onReport: options.onReport } : {}),
        ...(options.logger ? { logger: options.logger } : {})
    });
    const workerLoop = new Poller(
        pollIntervalMs,
        async () => void (await worker.drain()),
        logError('fast path: the worker failed')
    );
    const pump = new WebhookSignalPump({
        store: options.store,
        queue: options.queue,
        runGroups: scope.runGroupOf,
        ...(options.ownHubSpotAppId === undefined ? {} : { ownHubSpotAppId: options.ownHubSpotAppId }),
        onSignals: () => workerLoop.wake(),
        ...(options.logger ? { logger: options.logger } : {})
    });
    const pumpLoop = new Poller(
        pollIntervalMs,
        () => void pump.drain(),
        logError('fast path: the webhook pump failed')
    );
    const cdc = options.salesforceStreaming
        ? new CdcSubscriber({
              connect: options.salesforceStreaming,
              store: options.store,
              queue: options.queue,
              objects: scope.salesforceObjects,
              clientName: salesforceClientName,
              onSignals: () => workerLoop.wake(),
              ...(options.logger ? { logger: options.logger } : {})
          })
        : undefined;
    workerLoop.start();
    pumpLoop.start();
    // A failed streaming login does not fail the start: the subscriber logs it and tries again.
    await cdc?.start();
    return {
        cdc,
        worker,
        pump,
        wakeWebhooks: () => pumpLoop.wake(),
        async stop() {
            await cdc?.stop();
            await pumpLoop.stop();
            worker.stop();
            await workerLoop.stop();
        }
    };
}
