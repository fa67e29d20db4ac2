import { createHmac } from 'node:crypto';
import type { SandboxClock } from '../common/clock';
import { seededRandom } from '../common/faults';
import { associationType } from './catalogue/associations';
import { OBJECT_TYPES } from './catalogue/object-types';
import type { WebhookOptions } from './options';
import type { CrmChange } from './store/crm-store';

/** One notification as HubSpot posts it (an array of these is the request body). */
export interface WebhookEvent {
    eventId: number;
    subscriptionId: number;
    portalId: number;
    appId: number;
    occurredAt: number;
    subscriptionType: string;
    attemptNumber: number;
    objectId: number;
    changeSource: string;
    changeFlag?: string;
    sourceId?: string;
    propertyName?: string;
    propertyValue?: string;
    primaryObjectId?: number;
    mergedObjectIds?: number[];
    newObjectId?: number;
    numberOfPropertiesMoved?: number;
    associationType?: string;
    associationTypeId?: number;
    fromObjectId?: number;
    toObjectId?: number;
    associationRemoved?: boolean;
    isPrimaryAssociation?: boolean;
}

export interface DeliveryRecord {
    attemptNumber: number;
    status: number | 'network-error';
    eventIds: number[];
    at: number;
}

const SUBSCRIPTION_TYPES = ['contact', 'company', 'deal'].flatMap((object) =>
    ['creation', 'deletion', 'propertyChange', 'merge', 'associationChange'].map((kind) => `${object}.${kind}`)
);

/** `X-HubSpot-Signature-v3`: base64 HMAC-SHA256 over method + URI + body + timestamp, keyed by the client secret. */
export function signatureV3(
    clientSecret: string,
    method: string,
    uri: string,
    body: string,
    timestamp: number
): string {
    return createHmac('sha256', clientSecret).update(`${method}${uri}${body}${timestamp}`).digest('base64');
}

/**
 * Turns CRM changes into webhook notifications and delivers them like HubSpot: batches of ≤100,
 * signed, retried with doubling back-off on connection failures, timeouts, 5xx and 429 (never on
 * other 4xx) up to `maxAttempts`, optionally shuffled and duplicated (delivery is at-least-once).
 */
export class WebhookDispatcher {
    private readonly subscriptions: Set<string>;
    private readonly random: () => number;
    private queue: WebhookEvent[] = [];
    private flushTimer: NodeJS.Timeout | undefined;
    private readonly retryTimers = new Set<NodeJS.Timeout>();
    private inFlight = 0;
    private nextEventId = 1;
    private closed = false;
    readonly deliveries: DeliveryRecord[] = [];
    /** Events that exhausted their attempts. */
    readonly dropped: WebhookEvent[] = [];

    constructor(
        private readonly options: WebhookOptions,
        private readonly context: { portalId: number; appId: number; clock: SandboxClock; seed: number }
    ) {
        this.subscriptions = new Set(options.subscriptions ?? SUBSCRIPTION_TYPES);
        this.random = seededRandom(context.seed);
    }

    private subscriptionId(type: string): number {
        return 100_000 + SUBSCRIPTION_TYPES.indexOf(type);
    }

    /** Store listener: queues the notifications a change produces. */
    handle(change: CrmChange): void {
        for (const event of this.toEvents(change)) {
            if (!this.subscriptions.has(event.subscriptionType)) continue;
            this.queue.push(event);
        }
        this.scheduleFlush();
    }

    private base(
        subscriptionType: string,
        objectId: number,
        at: number,
        sourceType: string,
        sourceId?: string
    ): WebhookEvent {
        return {
            eventId: this.nextEventId++,
            subscriptionId: this.subscriptionId(subscriptionType),
            portalId: this.context.portalId,
            appId: this.context.appId,
            occurredAt: at,
            subscriptionType,
            attemptNumber: 0,
            objectId,
            changeSource: sourceType,
            ...(sourceId ? { sourceId } : {})
        };
    }

    private toEvents(change: CrmChange): WebhookEvent[] {
        if (change.kind === 'associationChange') {
            const from = OBJECT_TYPES[change.fromType].webhookName;
            const to = OBJECT_TYPES[change.toType].webhookName;
            const type = associationType(change.typeId);
            if (!from || !to || !type) return [];
            // HubSpot notifies both sides of an association.
            return [
                [from, to, change.fromId, change.toId, change.typeId],
                [to, from, change.toId, change.fromId, type.inverseTypeId]
            ].map(([a, b, fromId, toId, typeId]) => ({
                ...this.base(
                    `${a}.associationChange`,
                    fromId as number,
                    change.at,
                    change.source.sourceType,
                    change.source.sourceId
                ),
                associationType: `${String(a).toUpperCase()}_TO_${String(b).toUpperCase()}`,
                associationTypeId: typeId as number,
                fromObjectId: fromId as number,
                toObjectId: toId as number,
                associationRemoved: change.removed,
                isPrimaryAssociation: type.primary
            }));
        }
        const object = OBJECT_TYPES[change.type].webhookName;
        if (!object) return [];
        const { sourceType, sourceId } = change.source;
        switch (change.kind) {
            case 'creation':
                return [
                    {
                        ...this.base(`${object}.creation`, change.id, change.at, sourceType, sourceId),
                        changeFlag: 'CREATED'
                    }
                ];
            case 'deletion':
                return [
                    {
                        ...this.base(`${object}.deletion`, change.id, change.at, sourceType, sourceId),
                        changeFlag: 'DELETED'
                    }
                ];
            case 'propertyChange':
                return [
                    {
                        ...this.base(`${object}.propertyChange`, change.id, change.at, sourceType, sourceId),
                        propertyName: change.property,
                        propertyValue: change.value
                    }
                ];
            case 'merge':
                return [
                    {
                        ...this.base(`${object}.merge`, change.primaryId, change.at, sourceType, sourceId),
                        primaryObjectId: change.primaryId,
                        mergedObjectIds: change.mergedIds,
                        newObjectId: change.primaryId,
                        numberOfPropertiesMoved: 0
                    }
                ];
        }
    }

    private scheduleFlush(): void {
        if (this.closed || this.flushTimer || this.queue.length === 0) return;
        this.flushTimer = setTimeout(() => {
            this.flushTimer = undefined;
            this.flush();
        }, this.options.batchWindowMs);
    }

    private flush(): void {
        while (this.queue.length > 0) {
            const batch = this.queue.splice(0, this.options.maxBatchSize);
            if (this.options.shuffle) shuffle(batch, this.random);
            void this.deliver(batch, 0);
        }
    }

    private async deliver(events: WebhookEvent[], attemptNumber: number): Promise<void> {
        if (this.closed) return;
        this.inFlight++;
        const body = JSON.stringify(events.map((event) => ({ ...event, attemptNumber })));
        const timestamp = this.context.clock.now();
        let status: number | 'network-error';
        try {
            const response = await fetch(this.options.targetUrl, {
                method: 'POST',
                headers: {
                    'content-type': 'application/json',
                    'user-agent': 'HubSpot Connect 2.0 (http://dev.hubspot.com/) (namespace: webhooks-nonsecure)',
                    'x-hubspot-request-timestamp': String(timestamp),
                    'x-hubspot-signature-v3': signatureV3(
                        this.options.clientSecret,
                        'POST',
                        this.options.targetUrl,
                        body,
                        timestamp
                    )
                },
                body,
                // HubSpot gives up on a receiver after 5 seconds.
                signal: AbortSignal.timeout(5_000)
            });
            status = response.status;
            await response.arrayBuffer().catch(() => undefined);
        } catch {
            status = 'network-error';
        } finally {
            this.inFlight--;
        }
        this.deliveries.push({ attemptNumber, status, eventIds: events.map((e) => e.eventId), at: timestamp });
        if (this.deliveries.length > 10_000) this.deliveries.splice(0, this.deliveries.length - 10_000);
        const retryable = status === 'network-error' || status === 429 || status >= 500;
        const succeeded = typeof status === 'number' && status >= 200 && status < 300;
        if (succeeded) {
            const duplicates = events.filter(() => this.random() < this.options.duplicateRate);
            if (duplicates.length > 0) {
                this.queue.push(...duplicates);
                this.scheduleFlush();
            }
            return;
        }
        if (!retryable || attemptNumber + 1 >= this.options.maxAttempts) {
            this.dropped.push(...events);
            return;
        }
        const timer = setTimeout(
            () => {
                this.retryTimers.delete(timer);
                void this.deliver(events, attemptNumber + 1);
            },
            this.options.retryBaseMs * 2 ** attemptNumber
        );
        this.retryTimers.add(timer);
    }

    /** Nothing queued, in flight or waiting for a retry. */
    get idle(): boolean {
        return this.queue.length === 0 && this.inFlight === 0 && this.retryTimers.size === 0 && !this.flushTimer;
    }

    /** Resolves once idle (or after `timeoutMs`, returning false). */
    async waitUntilIdle(timeoutMs = 10_000): Promise<boolean> {
        const deadline = Date.now() + timeoutMs;
        while (!this.idle) {
            if (Date.now() > deadline) return false;
            await new Promise((resolve) => setTimeout(resolve, 10));
        }
        return true;
    }

    close(): void {
        this.closed = true;
        if (this.flushTimer) clearTimeout(this.flushTimer);
        for (const timer of this.retryTimers) clearTimeout(timer);
        this.retryTimers.clear();
        this.queue = [];
    }
}

function shuffle<T>(items: T[], random: () => number): void {
    for (let index = items.length - 1; index > 0; index--) {
        const other = Math.floor(random() * (index + 1));
        [items[index], items[other]] = [items[other], items[index]];
    }
}
