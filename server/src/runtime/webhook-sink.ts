import { isOwnHubSpotWrite } from '../fastpath/signals';
import type { ReceivedWebhookEvent, WebhookEventSink } from '../relay/webhooks/sink';
import type { StateStore } from '../state/store';

/** What the intake table keeps of one HubSpot notification; the fast path's webhook pump reads this back. */
export interface StoredWebhookEvent {
    disposition: ReceivedWebhookEvent['disposition'];
    subscriptionType: string;
    objectId: number;
    receivedAt: string;
    event: ReceivedWebhookEvent['payload'];
}

export interface StateStoreWebhookSinkOptions {
    /** Told after each commit that added events, with how many. */
    onAppended?: (accepted: number) => void;
    /**
     * Leave out the relay's own writes echoed back (`isOwnHubSpotWrite`; `ownHubSpotAppId` as the fast path
     * has it). A sync that writes 20,000 contacts hears back about 15 events for each, which would otherwise
     * all be stored, then read and dropped by the fast path: about a fifth of the relay's CPU during a load.
     */
    ownWrites?: { ownHubSpotAppId?: number };
}

/**
 * The relay's webhook sink backed by the state store's durable intake table: one transaction per batch,
 * idempotent by the relay's dedupe key (the table ignores a repeated (source, event id)). Ignored
 * subscription types are kept too, so an operator can see what HubSpot sent, but the fast path skips them.
 */
export function stateStoreWebhookSink(store: StateStore, options: StateStoreWebhookSinkOptions = {}): WebhookEventSink {
    const recognise = options.ownWrites;
    return {
        append: async (events) => {
            const news = recognise
                ? events.filter((event) => !isOwnHubSpotWrite(event.payload, recognise.ownHubSpotAppId))
                : events;
            const accepted = store.enqueueEvents(
                news.map((event) => ({
                    source: 'hubspot' as const,
                    eventId: event.dedupeKey,
                    occurredAt: event.occurredAt,
                    payload: {
                        disposition: event.disposition,
                        subscriptionType: event.subscriptionType,
                        objectId: event.objectId,
                        receivedAt: event.receivedAt,
                        event: event.payload
                    } satisfies StoredWebhookEvent
                }))
            );
            // Told after the commit, so whoever consumes the intake (the fast path) finds the events there.
            if (accepted > 0) options.onAppended?.(accepted);
            const ownWrites = events.length - news.length;
            return { accepted, duplicates: news.length - accepted, ownWrites };
        }
    };
}

/**
 * With the fast path off (FAST_PATH=off) nothing consumes webhook events one by one and the scheduled
 * poll is what syncs the changes they announce: a completed full-scope run read every change made before
 * it started, so the events received before then are settled. Returns how many were marked processed.
 */
export function settleEventsCoveredByRun(store: StateStore, runStartedAt: string, batchSize = 1_000): number {
    const cutoff = Date.parse(runStartedAt);
    let settled = 0;
    for (;;) {
        const covered = store
            .pendingEvents(batchSize)
            .filter((event) => event.source === 'hubspot' && Date.parse(event.receivedAt) < cutoff);
        if (covered.length === 0) return settled;
        store.markEventsProcessed(covered.map((event) => event.id));
        settled += covered.length;
    }
}
