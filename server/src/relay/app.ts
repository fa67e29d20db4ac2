/**
 * The relay's HTTP application, built without `listen` so tests and `npm start` mount the same app.
 *
 *   /healthz, /readyz           open (probes)
 *   /webhooks/hubspot           HubSpot signature (v3), raw body
 *   /api/v1/**                  bearer token of the Salesforce Named Credential
 *   /ops/**, /metrics           operator login (HTTP Basic)
 */
import express, { type Express, type NextFunction, type Request, type Response, type Router } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { TimelineService } from '../timeline/service';
import type { RelayConfig } from './config';
import { createRelayLogger, requestLogger } from './logger';
import { RelayMetrics } from './metrics';
import { requireBearerToken, requireOperator } from './middleware/auth';
import { jsonBody } from './middleware/body';
import { cors } from './middleware/cors';
import { errorHandler, notFound } from './middleware/error-handler';
import { TokenBucketLimiter, rateLimit } from './middleware/rate-limit';
import { requestId } from './middleware/request-id';
import type { ReadinessCheck } from './readiness';
import type { ResyncQueue } from './resync-queue';
import type { SequenceEnroller } from './sequence-enrollments';
import { healthRoutes } from './routes/health';
import { opsRoutes } from './routes/ops';
import { resyncRoutes } from './routes/resync';
import { sequenceEnrollmentRoutes } from './routes/sequence-enrollments';
import { timelineRoutes } from './routes/timeline';
import { webhookRoutes } from './routes/webhooks';
import type { WebhookEventSink } from './webhooks/sink';

export interface RelayDependencies {
    config: RelayConfig;
    timeline: TimelineService;
    webhookSink: WebhookEventSink;
    resyncQueue: ResyncQueue;
    /** Sequence enrollment (Beta); without it the route is not mounted and answers 404. */
    sequenceEnroller?: SequenceEnroller;
    readinessChecks: readonly ReadinessCheck[];
    /** Deadline of each readiness check (default 2 s). */
    readinessTimeoutMs?: number;
    logger?: Logger;
    metrics?: RelayMetrics;
    /** More operator endpoints (sync operations, dashboard API), mounted behind the operator login. */
    operatorRouter?: Router;
    now?: () => number;
}

export interface RelayApp {
    app: Express;
    metrics: RelayMetrics;
    logger: Logger;
}

/** HubSpot delivers bursts when a backlog drains; it gets more headroom than the interactive API. */
const WEBHOOK_RATE_FACTOR = 5;

export function createRelayApp(deps: RelayDependencies): RelayApp {
    const { config } = deps;
    const logger = deps.logger ?? createRelayLogger(config.logLevel);
    const metrics = deps.metrics ?? new RelayMetrics();
    const now = deps.now ?? Date.now;
    const limiter = (perMinute: number) =>
        rateLimit(new TokenBucketLimiter({ perMinute, burst: Math.max(10, Math.ceil(perMinute / 6)), now }));

    const app = express();
    app.disable('x-powered-by');
    // Explicit ETags only (the timeline route); off everywhere else so no route revalidates by accident.
    app.set('etag', false);
    app.set('trust proxy', config.trustProxy);

    app.use(requestId, requestLogger(logger), httpMetrics(metrics), helmet(), cors(config.corsOrigins));

    app.use(healthRoutes(deps.readinessChecks, deps.readinessTimeoutMs));

    app.use('/webhooks', limiter(config.rateLimitPerMinute * WEBHOOK_RATE_FACTOR));
    app.use(webhookRoutes({ clientSecret: config.hubspotClientSecret, sink: deps.webhookSink, metrics, now }));

    app.use('/api/v1', limiter(config.rateLimitPerMinute), requireBearerToken(config.relayApiToken), ...jsonBody);
    app.use(timelineRoutes(deps.timeline));
    app.use(resyncRoutes(deps.resyncQueue));
    if (deps.sequenceEnroller) app.use(sequenceEnrollmentRoutes(deps.sequenceEnroller));

    app.use(['/ops', '/metrics'], limiter(config.rateLimitPerMinute), requireOperator(config.dashboard));
    app.use('/ops', ...jsonBody);
    app.use(opsRoutes(config, metrics));
    if (deps.operatorRouter) app.use('/ops', deps.operatorRouter);

    app.use(notFound);
    app.use(errorHandler);
    return { app, metrics, logger };
}

/** Counts and times every response by route pattern (never the raw URL, which would explode cardinality). */
function httpMetrics(metrics: RelayMetrics) {
    return (req: Request, res: Response, next: NextFunction): void => {
        const stopTimer = metrics.httpDuration.startTimer();
        res.on('finish', () => {
            const route = req.route ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
            metrics.httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
            stopTimer({ method: req.method, route });
        });
        next();
    };
}
