/**
 * The admin's API budget, validated with zod. Per side a cap — an absolute number of calls per window or
 * a share of the org's daily limit — and the window rule; then how much of the cap each priority may
 * fill, and how much of HubSpot's ten-secondly allowance each priority leaves to the ones above it.
 */
import { z } from 'zod';

import type { SyncSide } from '../sync/errors';
import { WindowRule } from './window';

const share = z.number().min(0).max(1);

export const SideBudget = z.union([
    z.strictObject({
        share: z
            .number()
            .gt(0)
            .max(1)
            .meta({ description: "Share of the org's daily API limit this bridge may spend." }),
        dailyLimit: z
            .number()
            .int()
            .positive()
            .optional()
            .meta({ description: 'The daily limit to assume until the API reports one (HubSpot OAuth omits it).' }),
        window: WindowRule.optional()
    }),
    z.strictObject({
        absolute: z.number().int().positive().meta({ description: 'Calls this bridge may spend per window.' }),
        window: WindowRule.optional()
    })
]);
export type SideBudget = z.infer<typeof SideBudget>;

/** Share of the cap each kind of work may fill; above it that work waits for the window to free. */
export const PriorityCeilings = z
    .strictObject({
        backfill: share.default(0.75),
        poll: share.default(0.9),
        fast_path: share.default(1),
        interactive: share.default(1),
        retry: share.default(0.75).meta({ description: 'Automatic retries, whatever their priority.' })
    })
    .refine(
        (ceilings) =>
            ceilings.backfill <= ceilings.poll &&
            ceilings.poll <= ceilings.fast_path &&
            ceilings.fast_path <= ceilings.interactive,
        { message: 'ceilings must not decrease from backfill to poll to fast_path to interactive' }
    );
export type PriorityCeilings = z.infer<typeof PriorityCeilings>;

/** Share of each rolling interval limit (ten-secondly, secondly) a priority must leave untouched for higher ones. */
export const BurstReserve = z
    .strictObject({
        backfill: share.max(0.9).default(0.15),
        poll: share.max(0.9).default(0.1),
        fast_path: share.max(0.9).default(0.05),
        interactive: share.max(0.9).default(0)
    })
    .refine(
        (reserve) =>
            reserve.backfill >= reserve.poll &&
            reserve.poll >= reserve.fast_path &&
            reserve.fast_path >= reserve.interactive,
        { message: 'reserves must not increase from backfill to poll to fast_path to interactive' }
    );
export type BurstReserve = z.infer<typeof BurstReserve>;

export const BudgetConfig = z.strictObject({
    salesforce: SideBudget.default({ share: 0.5 }),
    hubspot: SideBudget.default({ share: 0.5 }),
    ceilings: PriorityCeilings.prefault({}),
    burstReserve: BurstReserve.prefault({}),
    idleBurstReserve: share.max(0.9).default(0.05).meta({
        description:
            'While no higher-priority work used a rolling interval, a lower priority keeps only this much of it free (its own reserve, if smaller): an idle reserve is lent, not wasted.'
    }),
    hubspotBurst: z
        .strictObject({
            max: z.number().int().positive().default(100),
            intervalMs: z.number().int().positive().default(10_000)
        })
        .prefault({})
        .meta({ description: 'The ten-secondly allowance assumed until headers tell (Free/Starter: 100 per 10 s).' }),
    hubspotSearchPerSecond: z.number().int().positive().default(5),
    orgRecheckMs: z
        .number()
        .int()
        .positive()
        .default(5 * 60_000)
        .meta({ description: 'After the org reported its limit exhausted, how long before one call probes again.' })
});
export type BudgetConfig = z.output<typeof BudgetConfig>;
export type BudgetConfigInput = z.input<typeof BudgetConfig>;

/** Salesforce counts over a rolling 24 h; HubSpot resets at midnight of the portal's zone (UTC unless configured). */
export const defaultWindows: Record<SyncSide, WindowRule> = {
    salesforce: { kind: 'rolling', hours: 24 },
    hubspot: { kind: 'daily', timeZone: 'UTC' }
};

export function windowFor(config: BudgetConfig, side: SyncSide): WindowRule {
    return config[side].window ?? defaultWindows[side];
}
