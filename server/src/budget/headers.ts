/**
 * What the two APIs tell us about their limits, parsed without trusting them: a figure that is missing or
 * malformed is left out (and named in `malformed`) rather than failing the call that carried it.
 */
import { z } from 'zod';

/** Node's `IncomingHttpHeaders`, a fetch `Headers`, or a plain record: names are matched case-insensitively. */
export type HeaderBag = Headers | Readonly<Record<string, string | readonly string[] | number | undefined | null>>;

export function headerValue(headers: HeaderBag | undefined, name: string): string | undefined {
    if (!headers) return undefined;
    if (typeof (headers as Headers).get === 'function' && typeof (headers as Headers).has === 'function') {
        return (headers as Headers).get(name) ?? undefined;
    }
    const wanted = name.toLowerCase();
    for (const [key, value] of Object.entries(headers as Record<string, unknown>)) {
        if (key.toLowerCase() !== wanted || value === undefined || value === null) continue;
        return Array.isArray(value) ? String(value[0]) : String(value);
    }
    return undefined;
}

export interface ParsedFigures<T> {
    figures: T;
    /** Header names whose value could not be read. */
    malformed: string[];
}

/** `Sforce-Limit-Info: api-usage=18/5000` (other entries such as `per-app-api-usage` are ignored). */
export function parseSforceLimitInfo(headers: HeaderBag | undefined): ParsedFigures<{ used?: number; limit?: number }> {
    const value = headerValue(headers, 'sforce-limit-info');
    if (value === undefined) return { figures: {}, malformed: [] };
    const match = /(?:^|[;,\s])api-usage=(\d+)\/(\d+)/.exec(value);
    if (!match || Number(match[2]) === 0) return { figures: {}, malformed: ['Sforce-Limit-Info'] };
    return { figures: { used: Number(match[1]), limit: Number(match[2]) }, malformed: [] };
}

const LimitEntry = z.object({ Max: z.number().int().nonnegative(), Remaining: z.number().int() });

export class LimitsResponseError extends Error {
    override readonly name = 'LimitsResponseError';
}

/** `GET /limits` → the org's `DailyApiRequests`; a body without it is an error, since the caller asked for it. */
export function parseSalesforceLimits(body: unknown): { max: number; remaining: number } {
    const parsed = z.object({ DailyApiRequests: LimitEntry }).safeParse(body);
    if (!parsed.success) {
        throw new LimitsResponseError(
            `the /limits answer has no readable DailyApiRequests: ${z.prettifyError(parsed.error)}`
        );
    }
    return { max: parsed.data.DailyApiRequests.Max, remaining: parsed.data.DailyApiRequests.Remaining };
}

export interface HubSpotLimitFigures {
    daily?: number;
    dailyRemaining?: number;
    /** The rolling interval's allowance (ten-secondly) and its length. */
    intervalMax?: number;
    intervalRemaining?: number;
    intervalMs?: number;
    secondly?: number;
    secondlyRemaining?: number;
}

const hubspotHeaders: Record<keyof HubSpotLimitFigures, { name: string; positive: boolean }> = {
    daily: { name: 'X-HubSpot-RateLimit-Daily', positive: true },
    dailyRemaining: { name: 'X-HubSpot-RateLimit-Daily-Remaining', positive: false },
    intervalMax: { name: 'X-HubSpot-RateLimit-Max', positive: true },
    intervalRemaining: { name: 'X-HubSpot-RateLimit-Remaining', positive: false },
    intervalMs: { name: 'X-HubSpot-RateLimit-Interval-Milliseconds', positive: true },
    secondly: { name: 'X-HubSpot-RateLimit-Secondly', positive: true },
    secondlyRemaining: { name: 'X-HubSpot-RateLimit-Secondly-Remaining', positive: false }
};

/** HubSpot's rate-limit headers; OAuth calls omit the daily pair and search answers may omit all of them. */
export function parseHubSpotRateLimitHeaders(headers: HeaderBag | undefined): ParsedFigures<HubSpotLimitFigures> {
    const figures: HubSpotLimitFigures = {};
    const malformed: string[] = [];
    for (const [key, { name, positive }] of Object.entries(hubspotHeaders) as [
        keyof HubSpotLimitFigures,
        { name: string; positive: boolean }
    ][]) {
        const value = headerValue(headers, name);
        if (value === undefined) continue;
        const trimmed = value.trim();
        if (!/^\d+$/.test(trimmed) || (positive && Number(trimmed) === 0)) {
            malformed.push(name);
            continue;
        }
        figures[key] = Number(trimmed);
    }
    return { figures, malformed };
}
