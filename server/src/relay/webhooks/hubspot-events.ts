/**
 * The body HubSpot POSTs to a webhook target: a JSON array of event notifications. Fields the sync
 * engine relies on are validated strictly (numeric ids, so nothing but digits ever reaches the
 * store); fields HubSpot adds later are kept as they are in the stored payload.
 */
import { z } from 'zod';

export const MAX_EVENTS_PER_BATCH = 1000;

/** Subscription types the sync engine acts on; other well-formed types are stored as ignored. */
export const handledSubscriptionTypes = new Set(
    ['contact', 'company', 'deal'].flatMap((object) =>
        ['creation', 'deletion', 'propertyChange', 'merge', 'associationChange', 'restore'].map(
            (change) => `${object}.${change}`
        )
    )
).add('contact.privacyDeletion');

const id = z.number().int().nonnegative();

export const HubSpotWebhookEvent = z.looseObject({
    eventId: id,
    subscriptionId: id,
    portalId: id,
    appId: id.optional(),
    occurredAt: id.max(8_640_000_000_000_000, 'must be a valid epoch millisecond time'),
    subscriptionType: z
        .string()
        .max(100)
        .regex(/^[a-z][a-z_]*\.[a-zA-Z]+$/, 'must look like contact.propertyChange'),
    attemptNumber: z.number().int().nonnegative(),
    objectId: id,
    propertyName: z.string().max(255).optional(),
    propertyValue: z.string().optional(),
    changeSource: z.string().max(100).optional(),
    sourceId: z.string().max(255).optional(),
    changeFlag: z.string().max(50).optional(),
    mergedObjectIds: z.array(id).max(1000).optional(),
    primaryObjectId: id.optional(),
    newObjectId: id.optional(),
    fromObjectId: id.optional(),
    toObjectId: id.optional(),
    associationType: z.string().max(100).optional(),
    associationRemoved: z.boolean().optional()
});
export type HubSpotWebhookEvent = z.infer<typeof HubSpotWebhookEvent>;

export const HubSpotWebhookBatch = z
    .array(HubSpotWebhookEvent, { error: 'expected a JSON array of HubSpot webhook events' })
    .min(1, 'expected at least one event')
    .max(MAX_EVENTS_PER_BATCH, `at most ${MAX_EVENTS_PER_BATCH} events per request`);
