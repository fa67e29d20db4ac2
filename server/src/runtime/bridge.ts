/**
 * The composition root: from a validated configuration and two connections to one running bridge
 * (state store, CRM adapters, sync engine and schedule, timeline, relay HTTP API and dashboard).
 * `npm start` calls it with the sandboxes' connections in sandbox mode and the real ones in live mode.
 */
import { Client } from '@hubspot/api-client';
import type { Logger } from 'pino';
import {
    ApiBudget,
    BudgetSpendStore,
    budgetedHubSpot,
    budgetedSalesforce,
    currentPriority,
    persistBudget,
    runWithPriority
} from '../budget';
import { loginStreamingSession, startFastPath, type RunningFastPath } from '../fastpath';
import { createOperatorRouter, SqliteConflictInbox } from '../ops';
import { openWorkQueue, type WorkQueue } from '../queue';
import { createRelayApp, type RelayApp } from '../relay/app';
import type { HubSpotConnectionConfig, RelayConfig, SalesforceConnectionConfig } from '../relay/config';
import { createRelayLogger } from '../relay/logger';
import { RelayMetrics } from '../relay/metrics';
import { timelineSourceErrorReporter } from '../relay/routes/timeline';
import { listen, type RunningServer } from '../sandbox/common/listen';
import { openSqliteStateStore } from '../state/sqlite-store';
import { connectHubSpot, connectSalesforce } from '../sync/adapters/connect';
import type { RunReport } from '../sync/engine/context';
import { SyncEngine } from '../sync/engine/engine';
import { readLiveSchemas } from '../sync/engine/live-schemas';
import { EngineResyncQueue } from '../sync/engine/resync-queue';
import { SyncScheduler } from '../sync/engine/scheduler';
import { loadMappingFileOrThrow } from '../sync/mapping/load';
import { assertMappingFitsSchemas, validateMappingAgainstSchemas } from '../sync/schema/validate-mapping';
import { createHubSpotTimelineService } from '../timeline/hubspot-timeline';
import { hubSpotSequenceEnroller } from './hubspot-sequence-enroller';
import { apiUsageProvider, mappingProvider, recordLookup, syncController, timelinePreview } from './ops-ports';
import { recordRunMetrics, refreshSyncGauges, registerWorkQueueMetrics } from './sync-metrics';
import { settleEventsCoveredByRun, stateStoreWebhookSink } from './webhook-sink';

export interface BridgeConnections {
    salesforce: SalesforceConnectionConfig;
    hubspot: HubSpotConnectionConfig;
    hubspotPortalId: number;
}

export interface RunningBridge {
    relay: RelayApp;
    server: RunningServer;
    scheduler: SyncScheduler;
    /** The durable work queue (fast-path signals, dead letters) on the state database. */
    queue: WorkQueue;
    /** The admin's API budget in front of both CRMs; its spend is restored at start and saved as it goes. */
    budget: ApiBudget;
    /** Undefined when the fast path is off (FAST_PATH=off or `startFastPath: false`). */
    fastPath: RunningFastPath | undefined;
    /** Finishes the batch in flight, persists cursors (they are written per batch), closes the database. */
    close(): Promise<void>;
}

export interface StartBridgeOptions {
    logger?: Logger;
    /** The scheduled poll (an initial run now, then every SYNC_INTERVAL_MINUTES); on by default. */
    startSchedule?: boolean;
    /** CDC, webhook signals and their worker; `config.sync.fastPath` (FAST_PATH) by default. */
    startFastPath?: boolean;
}

export async function startBridge(
    config: RelayConfig,
    connections: BridgeConnections,
    options: StartBridgeOptions = {}
): Promise<RunningBridge> {
    const logger = options.logger ?? createRelayLogger(config.logLevel);
    const mapping = loadMappingFileOrThrow(config.sync.configFile);
    const fastPathOn = options.startFastPath ?? config.sync.fastPath;
    const store = openSqliteStateStore({ dataDir: config.sync.dataDir });
    const closers: (() => Promise<void> | void)[] = [() => store.close()];
    const queue = openWorkQueue({ dataDir: config.sync.dataDir }, { options: config.sync.retries });
    closers.push(() => queue.close());
    const closeAll = async () => {
        for (const close of closers.reverse()) await close();
    };
    try {
        // Every CRM call asks the admin's budget first, with the priority of the work it serves: the first
        // load is backfill until a run completes, scheduled runs poll, the fast path and the resync button
        // set theirs around their runs.
        const budget = new ApiBudget(config.budget);
        // The calls already spent in the window survive a restart: restored now, saved every few seconds
        // and at close (closers run in reverse, so after the last run has stopped).
        const budgetStore = BudgetSpendStore.open({ dataDir: config.sync.dataDir });
        closers.push(() => budgetStore.close());
        const budgetPersistence = persistBudget(budget, budgetStore, {
            onError: (error) => logger.error({ err: error }, 'the API budget spend could not be saved')
        });
        closers.push(() => budgetPersistence.stop());
        let initialLoadDone = store.recentRuns(20).some((run) => run.status === 'completed');
        const priority = () => currentPriority(initialLoadDone ? 'poll' : 'backfill');
        const callTimeout = { callTimeoutMs: config.callTimeoutMs };
        const salesforce = budgetedSalesforce(
            await connectSalesforce(connections.salesforce, config.salesforceApiVersion, callTimeout),
            budget,
            priority
        );
        // The budget paces searches (a rolling second of its own), so the adapter does not space them too.
        const hubspot = budgetedHubSpot(
            connectHubSpot(connections.hubspot, { ...callTimeout, paceSearches: false }),
            budget,
            priority
        );

        // Fatal mapping problems stop the start with one message listing all of them.
        let validation = assertMappingFitsSchemas(
            validateMappingAgainstSchemas(mapping, await readLiveSchemas(mapping, salesforce, hubspot))
        );
        for (const warning of validation.warnings) logger.warn({ code: warning.code }, warning.message);

        const portal = { portalId: connections.hubspotPortalId, appBaseUrl: config.hubspotPortal.appBaseUrl };
        const engine = new SyncEngine({
            salesforce,
            hubspot,
            store,
            mapping,
            hubspotPortalId: portal.portalId,
            hubspotAppBaseUrl: portal.appBaseUrl
        });
        const metrics = new RelayMetrics();
        registerWorkQueueMetrics(metrics, queue);
        // Assigned once the resync queue exists; the gauges read its depth.
        let resyncDepth = () => 0;
        const refreshGauges = () => refreshSyncGauges(metrics, { store, salesforce, hubspot, resyncDepth });
        const gaugeTimer = setInterval(refreshGauges, 15_000);
        gaugeTimer.unref();
        closers.push(() => clearInterval(gaugeTimer));
        let lastRunEndedAt: Date | null = null;
        const logReport = (report: RunReport) => {
            recordRunMetrics(metrics, report);
            refreshGauges();
            const errors = report.errors.length;
            logger.info(
                { runId: report.runId, mode: report.mode, status: report.status, errors, apiCalls: report.apiCalls },
                `sync run ${report.runId} ${report.status}`
            );
            if (report.warnings.length > 0) {
                validation = { ...validation, warnings: report.warnings };
            }
        };
        const logError = (error: unknown) => logger.error({ err: error }, 'sync run could not start');
        const scheduler = new SyncScheduler(engine, {
            intervalMinutes: config.sync.intervalMinutes,
            onReport: (report) => {
                lastRunEndedAt = new Date(report.endedAt);
                if (report.status === 'completed') initialLoadDone = true;
                // Without the fast path nothing consumes webhook events one by one: a completed scheduled
                // run read every change, so it settles the events it covers.
                if (!fastPathOn && report.status === 'completed') settleEventsCoveredByRun(store, report.startedAt);
                // ... and the fast-path work that failed every attempt before it started.
                const settled = report.status === 'completed' ? queue.settleDeadLetters(new Date(report.startedAt)) : 0;
                if (settled > 0) logger.info({ settled }, `sync run ${report.runId} synced ${settled} dead letters`);
                logReport(report);
            },
            onError: logError
        });
        closers.push(() => scheduler.stop());

        const hubspotClient = new Client({
            accessToken: connections.hubspot.accessToken,
            basePath: connections.hubspot.baseUrl
        });
        const timeline = createHubSpotTimelineService({
            client: hubspotClient,
            portalId: portal.portalId,
            appBaseUrl: portal.appBaseUrl,
            onSourceError: timelineSourceErrorReporter(metrics, logger)
        });
        const engineResync = new EngineResyncQueue(engine, mapping, { onReport: logReport, onError: logError });
        // The resync button's runs (the queue drains in the promise chain its enqueue starts) are interactive.
        const resync = {
            objects: engineResync.objects,
            get depth() {
                return engineResync.depth;
            },
            enqueue: (request: Parameters<EngineResyncQueue['enqueue']>[0]) =>
                runWithPriority('interactive', () => engineResync.enqueue(request))
        };
        resyncDepth = () => resync.depth;

        const conflicts = SqliteConflictInbox.open({ dataDir: config.sync.dataDir });
        closers.push(() => conflicts.close());
        const parts = {
            environment: config.mode,
            intervalMinutes: config.sync.intervalMinutes,
            engine,
            nextRunAt: () =>
                lastRunEndedAt && !engine.running
                    ? new Date(lastRunEndedAt.getTime() + config.sync.intervalMinutes * 60_000)
                    : null,
            resync,
            store,
            salesforce,
            hubspot,
            mapping,
            validation: () => validation,
            timeline,
            budget
        };
        const operator = createOperatorRouter({
            store,
            controller: syncController(parts),
            usage: apiUsageProvider(parts),
            mappings: mappingProvider(parts),
            records: recordLookup(parts),
            timeline: timelinePreview(parts),
            conflicts,
            deadLetters: queue
        });
        await operator.prepareDashboard();

        // The fast path is assembled after the relay (it needs the listening order below); events that
        // arrive before it starts wait in the intake table.
        let wakeWebhookPump = () => {};
        const relay = createRelayApp({
            config,
            logger,
            metrics,
            timeline,
            webhookSink: stateStoreWebhookSink(store, {
                onAppended: () => wakeWebhookPump(),
                ownWrites: config.hubspotPortal.appId === null ? {} : { ownHubSpotAppId: config.hubspotPortal.appId }
            }),
            resyncQueue: resync,
            sequenceEnroller: hubSpotSequenceEnroller({ client: hubspotClient, store }),
            operatorRouter: operator.router,
            readinessChecks: [
                { name: 'state database', check: async () => void store.recentRuns(1) },
                { name: 'salesforce', check: async () => void (await salesforce.query('SELECT Id FROM User LIMIT 1')) },
                { name: 'hubspot', check: async () => void (await hubspot.owners()) }
            ]
        });
        // Salesforce must reach a live relay; a sandbox demo stays on this machine.
        const server = await listen(relay.app, config.port, config.mode === 'live' ? '0.0.0.0' : '127.0.0.1');
        closers.push(() => server.close());
        let fastPath: RunningFastPath | undefined;
        if (fastPathOn) {
            // Started before the schedule, so CDC is subscribed while the initial run reads the backlog.
            fastPath = await startFastPath({
                engine: {
                    get running() {
                        return engine.running;
                    },
                    run: (request) => runWithPriority('fast_path', () => engine.run(request)),
                    whenIdle: () => engine.whenIdle()
                },
                store,
                queue,
                mapping,
                ...(config.hubspotPortal.appId === null ? {} : { ownHubSpotAppId: config.hubspotPortal.appId }),
                salesforceStreaming: () => loginStreamingSession(connections.salesforce, config.salesforceApiVersion),
                onReport: logReport,
                logger
            });
            const running = fastPath;
            wakeWebhookPump = () => running.wakeWebhooks();
            closers.push(() => running.stop());
        }
        if (options.startSchedule ?? true) scheduler.start();
        return { relay, server, scheduler, queue, budget, fastPath, close: closeAll };
    } catch (error) {
        await closeAll();
        throw error;
    }
}
