import { z } from 'zod';
import { ALL_SCOPES } from './auth';
import { RATE_LIMIT_TIERS } from './rate-limit';

/** Sizes and shapes of a deterministic dataset (see seed.ts). */
export const SeedSpec = z.strictObject({
    /** PRNG seed: the same spec always yields the same records. */
    seed: z.number().int().default(1),
    contacts: z.number().int().min(0).max(5_000_000).default(0),
    companies: z.number().int().min(0).max(5_000_000).default(0),
    /** Every Nth company reuses the domain of the one before it (companies are not unique by domain). */
    sharedDomainEvery: z.number().int().min(0).default(10),
    dealsPerCompany: z.number().int().min(0).max(50).default(0),
    /** Notes/emails/calls/meetings/tasks per contact, in rotation. */
    engagementsPerContact: z.number().int().min(0).max(50).default(0),
    /** Share of contacts whose lifecycle stage moved forward a few times (property history). */
    lifecycleHistoryShare: z.number().min(0).max(1).default(0.3),
    /** Emails that also exist as Salesforce leads: the first contacts get exactly these emails. */
    leadEmails: z.array(z.email()).default([]),
    pageViewsPerContact: z.number().int().min(0).max(100).default(0),
    formSubmissionsPerContact: z.number().int().min(0).max(20).default(0),
    emailEventsPerContact: z.number().int().min(0).max(100).default(0),
    /** Workflow and sequence enrollments for every Nth contact (0 = none). */
    enrollmentEvery: z.number().int().min(0).default(0)
});
export type SeedSpec = z.infer<typeof SeedSpec>;
export type SeedSpecInput = z.input<typeof SeedSpec>;

export const WebhookOptions = z.strictObject({
    targetUrl: z.url(),
    clientSecret: z.string().min(1),
    /** HubSpot's retry policy: at most 10 attempts per event. */
    maxAttempts: z.number().int().min(1).max(10).default(10),
    /** First retry delay; each later one doubles (HubSpot spreads retries over 24 h). */
    retryBaseMs: z.number().int().min(1).default(1_000),
    /** How long events gather before a batch (≤100 events) goes out. */
    batchWindowMs: z.number().int().min(0).default(100),
    maxBatchSize: z.number().int().min(1).max(100).default(100),
    /** Deliver each batch's events in a shuffled order (HubSpot guarantees no order). */
    shuffle: z.boolean().default(false),
    /** Share of events delivered a second time in a later batch (HubSpot delivers at least once). */
    duplicateRate: z.number().min(0).max(1).default(0),
    /** Subscription types (e.g. `contact.propertyChange`); all of contact/company/deal by default. */
    subscriptions: z
        .array(z.string().regex(/^(contact|company|deal)\.(creation|deletion|propertyChange|merge|associationChange)$/))
        .optional()
});
export type WebhookOptions = z.infer<typeof WebhookOptions>;

export const HubSpotSandboxOptions = z.strictObject({
    port: z.number().int().min(0).max(65_535).default(0),
    host: z.string().default('127.0.0.1'),
    /** SQLite file (node:sqlite) that keeps the state across processes; memory only when absent. */
    dataFile: z.string().min(1).optional(),
    /** Dataset loaded at start when the store is empty. */
    seed: z.union([z.enum(['empty', 'demo']), SeedSpec]).default('empty'),
    tier: z.enum(Object.keys(RATE_LIMIT_TIERS) as [keyof typeof RATE_LIMIT_TIERS]).default('professional'),
    baseLatencyMs: z.number().int().min(0).max(60_000).default(0),
    portalId: z.number().int().positive().default(62515),
    appId: z.number().int().positive().default(1234567),
    /** The private-app token clients use; a fixed, recognizable value by default. */
    accessToken: z.string().min(8).default('pat-na1-00000000-0000-4000-8000-000000062515'),
    scopes: z.array(z.enum(ALL_SCOPES)).default([...ALL_SCOPES]),
    /**
     * A second private app of the portal (another integration, all scopes): its writes carry its own app ID
     * in webhooks (`changeSource: INTEGRATION`, `sourceId`), so they are not the first app's own writes.
     */
    otherApp: z
        .strictObject({
            appId: z.number().int().positive(),
            accessToken: z.string().min(8)
        })
        .default({ appId: 7654321, accessToken: 'pat-na1-00000000-0000-4000-8000-000007654321' }),
    webhooks: WebhookOptions.optional(),
    /** Largest request body accepted (larger ones answer 413). */
    /**
     * How long a new record stays invisible to search (HubSpot indexes asynchronously; 0 = at once).
     * Rehearses the "search finds nothing, create answers 409" race.
     */
    searchIndexLagMs: z.number().int().min(0).max(600_000).default(0),
    maxBodyBytes: z
        .number()
        .int()
        .min(1_024)
        .default(10 * 1024 * 1024),
    faultSeed: z.number().int().default(42)
});
export type HubSpotSandboxOptions = z.infer<typeof HubSpotSandboxOptions>;
export type HubSpotSandboxOptionsInput = z.input<typeof HubSpotSandboxOptions>;
