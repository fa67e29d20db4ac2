import type { HubSpotWebhookEvent } from './hubspot-events';

/** What the relay hands to durable storage for each webhook event it accepted. */
export interface ReceivedWebhookEvent {
    /**
     * `<portalId>:<subscriptionId>:<eventId>`. HubSpot documents eventId as not guaranteed unique on
     * its own; a redelivery repeats all three, so this key identifies one notification.
     */
    dedupeKey: string;
    eventId: number;
    portalId: number;
    subscriptionType: string;
    objectId: number;
    occurredAt: string;
    receivedAt: string;
    /** `pending` for the sync engine to consume; `ignored` for subscription types it does not act on. */
    disposition: 'pending' | 'ignored';
    /** The event exactly as HubSpot sent it. */
    payload: HubSpotWebhookEvent;
}

/**
 * Durable storage of received webhook events (the sync engine's state store implements it). `append`
 * must be atomic and idempotent: events whose dedupeKey is already stored are skipped and counted as
 * duplicates; it resolves only once the accepted events are durable, because the relay answers
 * HubSpot right after and HubSpot will not deliver them again. A sink may leave out the relay's own writes
 * echoed back (they announce nothing the relay does not know) and count them as `ownWrites`.
 */
export interface WebhookEventSink {
    append(events: readonly ReceivedWebhookEvent[]): Promise<WebhookSinkReceipt>;
}

export interface WebhookSinkReceipt {
    accepted: number;
    duplicates: number;
    /** The relay's own writes echoed back, which a sink that recognises them does not store. */
    ownWrites?: number;
}
