/**
 * `POST /webhooks/hubspot`. Authenticated by signature alone; the raw body is kept because the
 * signature covers the exact bytes. Order of checks: size → signature and timestamp → content type →
 * JSON → schema → store. A batch is all-or-nothing: if any event is malformed, nothing is written.
 */
import express, { type NextFunction, Router, type Request, type Response } from 'express';
import type { z } from 'zod';
import { HttpError, validationError, validationIssues } from '../http-error';
import type { RelayMetrics } from '../metrics';
import { HubSpotWebhookBatch, handledSubscriptionTypes, type HubSpotWebhookEvent } from '../webhooks/hubspot-events';
import { verifyV3 } from '../webhooks/hubspot-signature';
import type { ReceivedWebhookEvent, WebhookEventSink } from '../webhooks/sink';

/** HubSpot batches at most 100 events; large text property values make a 1 MB ceiling comfortable. */
export const WEBHOOK_BODY_LIMIT = '1mb';
const MAX_REPORTED_ISSUES = 20;

export interface WebhookRouteDeps {
    clientSecret: string;
    sink: WebhookEventSink;
    metrics: RelayMetrics;
    now: () => number;
}

export interface WebhookReceipt {
    received: number;
    accepted: number;
    duplicates: number;
    ignored: number;
    /** The relay's own writes echoed back, not stored. */
    ownWrites: number;
}

export function webhookRoutes(deps: WebhookRouteDeps): Router {
    const router = Router();
    const reject = (reason: string, error: HttpError): never => {
        deps.metrics.webhookRejections.inc({ reason });
        throw error;
    };

    const readRawBody = express.raw({ type: () => true, limit: WEBHOOK_BODY_LIMIT });
    const rawBody = (req: Request, res: Response, next: NextFunction) =>
        readRawBody(req, res, (error?: unknown) => {
            // The error middleware answers (413 for oversized bodies); this only counts the refusal.
            if (error) deps.metrics.webhookRejections.inc({ reason: 'body' });
            next(error);
        });

    router.post('/webhooks/hubspot', rawBody, async (req: Request, res: Response) => {
        const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const check = verifyV3(
            deps.clientSecret,
            {
                method: req.method,
                // With TRUST_PROXY set, protocol and host come from X-Forwarded-Proto/-Host: the URL HubSpot called.
                uri: `${req.protocol}://${req.host}${req.originalUrl}`,
                rawBody: body,
                timestamp: req.get('x-hubspot-request-timestamp') ?? '',
                signature: req.get('x-hubspot-signature-v3')
            },
            deps.now()
        );
        if (!check.ok) reject('signature', new HttpError(401, 'UNAUTHORIZED', check.reason));
        if (!req.is('application/json')) {
            reject('content_type', new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Webhook bodies must be JSON.'));
        }
        let json: unknown;
        try {
            json = JSON.parse(body.toString('utf8'));
        } catch {
            reject('json', validationError('The request body is not valid JSON.'));
        }
        const batch = HubSpotWebhookBatch.safeParse(json);
        if (!batch.success) reject('schema', invalidBatch(batch.error));

        const receipt = await store(deps, batch.data!);
        deps.metrics.webhookEvents.inc({ outcome: 'accepted' }, receipt.accepted);
        deps.metrics.webhookEvents.inc({ outcome: 'duplicate' }, receipt.duplicates);
        deps.metrics.webhookEvents.inc({ outcome: 'ignored' }, receipt.ignored);
        deps.metrics.webhookEvents.inc({ outcome: 'own_write' }, receipt.ownWrites);
        res.status(200).json(receipt);
    });
    return router;
}

function invalidBatch(error: z.ZodError): HttpError {
    const issues = validationIssues('body', error);
    return validationError(
        'The webhook body is not a valid batch of HubSpot events; nothing was stored.',
        issues.slice(0, MAX_REPORTED_ISSUES)
    );
}

async function store(deps: WebhookRouteDeps, events: HubSpotWebhookEvent[]): Promise<WebhookReceipt> {
    const receivedAt = new Date(deps.now()).toISOString();
    const unique = new Map<string, ReceivedWebhookEvent>();
    for (const event of events) {
        const dedupeKey = `${event.portalId}:${event.subscriptionId}:${event.eventId}`;
        if (unique.has(dedupeKey)) continue;
        unique.set(dedupeKey, {
            dedupeKey,
            eventId: event.eventId,
            portalId: event.portalId,
            subscriptionType: event.subscriptionType,
            objectId: event.objectId,
            occurredAt: new Date(event.occurredAt).toISOString(),
            receivedAt,
            disposition: handledSubscriptionTypes.has(event.subscriptionType) ? 'pending' : 'ignored',
            payload: event
        });
    }
    const toStore = [...unique.values()];
    const { accepted, duplicates, ownWrites = 0 } = await deps.sink.append(toStore);
    return {
        received: events.length,
        accepted,
        duplicates: duplicates + (events.length - toStore.length),
        ignored: toStore.filter((event) => event.disposition === 'ignored').length,
        ownWrites
    };
}
