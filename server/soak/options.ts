/** The soak's options (`npm run soak -- --seconds N --seed S --json FILE`), validated with zod. */
import { parseArgs } from 'node:util';
import { z } from 'zod';

export const SoakOptions = z.strictObject({
    /** Length of the chaos phase (edits, faults, kills); set-up and convergence come on top. */
    seconds: z.coerce.number().int().min(5).max(3_600).default(60),
    seed: z.coerce
        .number()
        .int()
        .min(0)
        .max(2 ** 31 - 1)
        .default(1),
    json: z.string().min(1).optional(),
    /** People created before the first sync (more are created during the chaos). */
    people: z.coerce.number().int().min(8).max(2_000).default(30),
    /** SIGKILLs of the relay during the chaos phase. */
    kills: z.coerce.number().int().min(1).max(100).default(3),
    /** Upper bound on the edit operations (each is one to two CRM writes). */
    maxOperations: z.coerce.number().int().min(1).max(100_000).default(400),
    /** Share of the relay's API calls answered with an injected fault during the chaos. */
    faultShare: z.coerce.number().min(0).max(0.5).default(0.1),
    workers: z.coerce.number().int().min(1).max(32).default(4),
    /** Longest wait for one convergence cycle (a run started by hand, after any run in flight). */
    cycleTimeoutSeconds: z.coerce.number().int().min(5).max(3_600).default(90),
    /** Keep the soak's folder (sandbox data, relay state and log) for inspection. */
    keep: z.boolean().default(false),
    /**
     * Creates, duplicate emails, conversions, moves between Accounts, deletes and merges besides the field edits
     * (on by default).
     */
    structural: z.boolean().default(true),
    /** Load `pending-promises.mjs` into the relay; a run still in flight after the faults stop is dumped. */
    probeHangs: z.boolean().default(false)
});
export type SoakOptions = z.infer<typeof SoakOptions>;
export type SoakOptionsInput = z.input<typeof SoakOptions>;

export const soakUsage = `Usage: npm run soak -- [options]
  --seconds N          length of the chaos phase (default 60)
  --seed N             seed of every random choice (default 1)
  --json FILE          also write the figures as JSON
  --people N           people created before the first sync (default 30)
  --kills N            SIGKILLs of the relay during the chaos (default 3)
  --max-operations N   bound on edit operations (default 400)
  --fault-share X      share of relay API calls that fail during the chaos (default 0.1)
  --cycle-timeout N    longest wait in seconds for one convergence cycle (default 90)
  --keep               keep the working folder (sandboxes, relay state, relay log)
  --fields-only        field edits and same-field conflicts only (no creates, duplicates, conversions,
                       moves between Accounts, deletes or merges)
  --probe-hangs        track the relay's pending promises (slower); a run still in flight after the
                       faults stop is written to pending-promises-<pid>.txt in the working folder (--keep)`;

export class SoakUsageError extends Error {}

export function parseSoakArgs(argv: string[]): SoakOptions {
    const { values } = parseArgs({
        args: argv,
        options: {
            seconds: { type: 'string' },
            seed: { type: 'string' },
            json: { type: 'string' },
            people: { type: 'string' },
            kills: { type: 'string' },
            'max-operations': { type: 'string' },
            'fault-share': { type: 'string' },
            keep: { type: 'boolean' },
            'fields-only': { type: 'boolean' },
            'probe-hangs': { type: 'boolean' },
            'cycle-timeout': { type: 'string' }
        },
        strict: true
    });
    const {
        'max-operations': maxOperations,
        'fault-share': faultShare,
        'cycle-timeout': cycleTimeoutSeconds,
        'fields-only': fieldsOnly,
        'probe-hangs': probeHangs,
        ...rest
    } = values;
    const parsed = SoakOptions.safeParse({
        ...rest,
        maxOperations,
        faultShare,
        cycleTimeoutSeconds,
        structural: fieldsOnly !== true,
        probeHangs: probeHangs === true
    });
    if (!parsed.success) {
        throw new SoakUsageError(
            `Invalid options:\n${parsed.error.issues.map((issue) => `  --${issue.path.join('.')}: ${issue.message}`).join('\n')}`
        );
    }
    return parsed.data;
}
