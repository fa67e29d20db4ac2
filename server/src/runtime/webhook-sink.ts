import type { ReceivedWebhookEvent, WebhookEventSink } from '../relay/webhooks/sink';
import type { StateStore } from '../state/store';

/** What the intake table keeps of one HubSpot notification; the sync engine reads this back. */
export interface StoredWebhookEvent {
    disposition: ReceivedWebhookEvent['disposition'];
    subscriptionType: string;
    objectId: number;
    receivedAt: string;
    event: ReceivedWebhookEvent['payload'];
}

/**
 * The relay's webhook sink backed by the state store's durable intake table: one transaction per batch,
 * idempotent by the relay's dedupe key (the table ignores a repeated (source, event id)). Ignored
 * subscription types are kept too, so an operator can see what HubSpot sent, but the engine skips them.
 */
export function stateStoreWebhookSink(store: StateStore): WebhookEventSink {
    return {
        append: async (events) => {
            const accepted = store.enqueueEvents(
                events.map((event) => ({
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
            return { accepted, duplicates: events.length - accepted };
        }
    };
}
