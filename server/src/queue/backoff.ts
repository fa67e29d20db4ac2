/**
 * Retry timing, pure: capped exponential back-off with full jitter (AWS "Exponential Backoff and
 * Jitter"), so many records failing together do not retry together, and `Retry-After` as a floor
 * because the server knows better than our guess.
 */
import { z } from 'zod';

/** The relay's configuration documents the cap in minutes (FAST_PATH_RETRY_CAP_MINUTES). */
export const defaultRetryCapMinutes = 15;

export const BackoffPolicy = z
    .strictObject({
        baseMs: z.number().int().positive().default(1_000).meta({ description: 'Ceiling of the first retry delay.' }),
        capMs: z
            .number()
            .int()
            .positive()
            .default(defaultRetryCapMinutes * 60_000)
            .meta({ description: 'No computed delay exceeds this (a Retry-After may).' })
    })
    .refine((policy) => policy.capMs >= policy.baseMs, { message: 'capMs must be at least baseMs' });
export type BackoffPolicy = z.infer<typeof BackoffPolicy>;

/**
 * The delay before retry number `attempt` (1 = the first retry): uniform in [0, min(cap, base·2^(attempt-1))],
 * and never shorter than `retryAfterMs` when the server sent one.
 */
export function backoffDelayMs(
    attempt: number,
    policy: BackoffPolicy,
    random: () => number,
    retryAfterMs?: number
): number {
    if (!Number.isInteger(attempt) || attempt < 1)
        throw new RangeError(`attempt must be a positive integer, got ${attempt}`);
    // 2^52 already exceeds any cap; clamping the exponent keeps the arithmetic finite.
    const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(attempt - 1, 52));
    const jittered = Math.floor(random() * ceiling);
    return Math.max(jittered, retryAfterMs ?? 0);
}

/**
 * `Retry-After` as milliseconds from `now`: delta-seconds or an HTTP date (RFC 9110 §10.2.3). Undefined when
 * absent or unreadable — a malformed header must not stop the retry, it only loses its hint.
 */
export function parseRetryAfter(value: string | undefined | null, now: Date): number | undefined {
    if (value === undefined || value === null) return undefined;
    const trimmed = value.trim();
    if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1_000;
    if (!/[a-z]/i.test(trimmed)) return undefined;
    const at = Date.parse(trimmed);
    if (Number.isNaN(at)) return undefined;
    return Math.max(0, at - now.getTime());
}
