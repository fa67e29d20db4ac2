/**
 * When a daily API allowance frees up, as an explicit rule per side (pure):
 * - `rolling`: Salesforce counts API requests over the last 24 hours, so every call leaves the window
 *   24 h after it was made;
 * - `daily`: HubSpot resets its daily limit at midnight in the portal's time zone.
 */
import { z } from 'zod';

function isTimeZone(value: string): boolean {
    try {
        new Intl.DateTimeFormat('en-US', { timeZone: value });
        return true;
    } catch {
        return false;
    }
}

export const WindowRule = z.discriminatedUnion('kind', [
    z.strictObject({
        kind: z.literal('rolling'),
        hours: z.number().int().min(1).max(168).default(24)
    }),
    z.strictObject({
        kind: z.literal('daily'),
        timeZone: z
            .string()
            .refine(isTimeZone, { message: 'not an IANA time zone (e.g. "America/New_York")' })
            .meta({ description: "The portal's time zone; the allowance resets at its midnight." })
    })
]);
export type WindowRule = z.infer<typeof WindowRule>;

const hourMs = 3_600_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar date (`YYYY-MM-DD`) at `ms` in `timeZone`. */
export function localDate(ms: number, timeZone: string): string {
    let formatter = formatters.get(timeZone);
    if (!formatter) {
        formatter = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
        formatters.set(timeZone, formatter);
    }
    return formatter.format(new Date(ms));
}

/**
 * The first instant (to the minute) whose local date in `timeZone` is `date`. A binary search rather than
 * offset arithmetic, so days that start at 01:00 because of a DST jump at midnight come out right.
 */
export function startOfLocalDate(date: string, timeZone: string): number {
    const [year, month, day] = date.split('-').map(Number) as [number, number, number];
    const utcMidnight = Date.UTC(year, month - 1, day);
    // Offsets lie within ±14 h; search a little wider, by whole minutes.
    let low = (utcMidnight - 15 * hourMs) / 60_000;
    let high = (utcMidnight + 15 * hourMs) / 60_000;
    while (low < high) {
        const middle = Math.floor((low + high) / 2);
        if (localDate(middle * 60_000, timeZone) >= date) high = middle;
        else low = middle + 1;
    }
    return low * 60_000;
}

function nextLocalDate(date: string): string {
    const [year, month, day] = date.split('-').map(Number) as [number, number, number];
    return new Date(Date.UTC(year, month - 1, day + 1)).toISOString().slice(0, 10);
}

/** Calls made at or after this instant count against the allowance at `nowMs`. */
export function windowStartMs(rule: WindowRule, nowMs: number): number {
    if (rule.kind === 'rolling') return nowMs - rule.hours * hourMs;
    return startOfLocalDate(localDate(nowMs, rule.timeZone), rule.timeZone);
}

/** The next midnight for a `daily` rule; undefined for `rolling`, which frees call by call. */
export function nextResetMs(rule: WindowRule, nowMs: number): number | undefined {
    if (rule.kind === 'rolling') return undefined;
    return startOfLocalDate(nextLocalDate(localDate(nowMs, rule.timeZone)), rule.timeZone);
}
