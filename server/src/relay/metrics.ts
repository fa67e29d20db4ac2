/**
 * Every Prometheus metric of the relay and the sync engine, defined once. Each app instance owns its
 * registry so tests (and several relays in one process) never share counters. The relay updates the
 * HTTP, webhook and timeline metrics itself; the sync engine sets the sync gauges and counters.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type CrmSide = 'salesforce' | 'hubspot';

export class RelayMetrics {
    readonly registry = new Registry();

    readonly httpRequests = new Counter({
        name: 'relay_http_requests_total',
        help: 'HTTP requests answered, by route pattern and status code.',
        labelNames: ['method', 'route', 'status'] as const,
        registers: [this.registry]
    });

    readonly httpDuration = new Histogram({
        name: 'relay_http_request_duration_seconds',
        help: 'Time to answer HTTP requests, by route pattern.',
        labelNames: ['method', 'route'] as const,
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5],
        registers: [this.registry]
    });

    readonly webhookEvents = new Counter({
        name: 'relay_webhook_events_total',
        help: 'HubSpot webhook events in verified batches, by outcome (accepted, duplicate, ignored, own_write).',
        labelNames: ['outcome'] as const,
        registers: [this.registry]
    });

    readonly webhookRejections = new Counter({
        name: 'relay_webhook_rejections_total',
        help: 'HubSpot webhook requests refused, by reason (body, signature, content_type, json, schema).',
        labelNames: ['reason'] as const,
        registers: [this.registry]
    });

    readonly timelineSourceErrors = new Counter({
        name: 'relay_timeline_source_errors_total',
        help: 'Timeline sections that failed to load, by section and error code.',
        labelNames: ['section', 'code'] as const,
        registers: [this.registry]
    });

    readonly syncRuns = new Counter({
        name: 'sync_runs_total',
        help: 'Sync runs finished, by outcome (completed, failed, dry_run).',
        labelNames: ['outcome'] as const,
        registers: [this.registry]
    });

    readonly syncRecords = new Counter({
        name: 'sync_records_total',
        help: 'Records processed by sync runs, by object, direction and outcome.',
        labelNames: ['object', 'direction', 'outcome'] as const,
        registers: [this.registry]
    });

    readonly syncErrors = new Counter({
        name: 'sync_errors_total',
        help: 'Sync errors recorded, by category.',
        labelNames: ['category'] as const,
        registers: [this.registry]
    });

    readonly syncQueueDepth = new Gauge({
        name: 'sync_queue_depth',
        help: 'Changes waiting to be synced (webhook events, resync requests), by source.',
        labelNames: ['source'] as const,
        registers: [this.registry]
    });

    readonly syncLagSeconds = new Gauge({
        name: 'sync_lag_seconds',
        help: 'Age of the oldest change not yet synced, by side it came from.',
        labelNames: ['side'] as const,
        registers: [this.registry]
    });

    readonly apiCallsUsed = new Gauge({
        name: 'crm_api_calls_used',
        help: 'API calls used in the current limit window, as reported by each CRM.',
        labelNames: ['side', 'window'] as const,
        registers: [this.registry]
    });

    readonly apiCallsRemaining = new Gauge({
        name: 'crm_api_calls_remaining',
        help: 'API calls remaining in the current limit window, as reported by each CRM.',
        labelNames: ['side', 'window'] as const,
        registers: [this.registry]
    });

    constructor() {
        collectDefaultMetrics({ register: this.registry, prefix: 'relay_' });
    }
}
