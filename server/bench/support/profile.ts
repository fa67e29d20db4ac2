/** How big each measurement of `npm run bench` is: `--quick` (about a minute) or the full run. */
import { z } from 'zod';

export const BenchConditions = {
    /** Added to every API call by both sandboxes. */
    latencyMs: 50,
    /** HubSpot Professional: 190 requests per rolling 10 s, CRM search 5 per second. */
    hubspotTier: 'professional',
    tenSecondlyLimit: 190,
    tenSecondsMs: 10_000,
    searchPerSecond: 5,
    /** Inputs per HubSpot batch call. */
    hubspotBatchSize: 100
} as const;

const Profile = z.strictObject({
    name: z.enum(['quick', 'full']),
    /** Records seeded over both CRMs for the world of the call, latency and throughput measurements. */
    worldRecords: z.number().int().min(100),
    /** Records a user changes on each side before the measured incremental run. */
    changedPerSide: z.number().int().min(1),
    pollIntervalSeconds: z.number().positive(),
    /** Edits timed per mode, spread at random over `editWindowSeconds`. */
    latencySamples: z.number().int().min(2),
    editWindowSeconds: z.number().positive(),
    /** Initial-sync sizes for peak RSS, each in a fresh engine process. */
    rssSizes: z.array(z.number().int().min(100)).min(1)
});
export type Profile = z.infer<typeof Profile>;

export const profiles: Record<Profile['name'], Profile> = {
    quick: {
        name: 'quick',
        worldRecords: 3_000,
        changedPerSide: 200,
        pollIntervalSeconds: 2,
        latencySamples: 12,
        editWindowSeconds: 6,
        rssSizes: [5_000, 10_000]
    },
    full: {
        name: 'full',
        worldRecords: 20_000,
        changedPerSide: 1_000,
        pollIntervalSeconds: 5,
        latencySamples: 40,
        editWindowSeconds: 20,
        rssSizes: [50_000, 100_000, 200_000]
    }
};

export const BenchOptions = z.strictObject({
    quick: z.boolean().default(false),
    json: z.string().min(1).optional(),
    /** Overrides the profile's peak-RSS sizes, e.g. `--rss-sizes 20000,40000`. */
    rssSizes: z
        .string()
        .regex(/^\d+(,\d+)*$/, 'a comma-separated list of record counts')
        .transform((text) => text.split(',').map(Number))
        .pipe(z.array(z.number().int().min(100).max(1_000_000)))
        .optional()
});
export type BenchOptions = z.infer<typeof BenchOptions>;

export function chooseProfile(options: BenchOptions): Profile {
    const base = profiles[options.quick ? 'quick' : 'full'];
    return Profile.parse({ ...base, ...(options.rssSizes ? { rssSizes: options.rssSizes } : {}) });
}
