/**
 * How every timeline source talks to HubSpot: through the injected @hubspot/api-client, under the
 * source's AbortSignal, with failures reduced to a `HubSpotCallError` that carries what operators need
 * (status, category, correlation id) and nothing else — never request headers, so never the token.
 *
 * @hubspot/api-client 14 has no per-request AbortSignal, so an aborted source stops waiting at once and
 * starts no further calls; a request already on the wire finishes in the background and is dropped.
 */
import type { Client } from '@hubspot/api-client';
import type { z } from 'zod';

/** A HubSpot call that failed; `status` is null when no HTTP answer arrived (network error). */
export class HubSpotCallError extends Error {
    constructor(
        readonly operation: string,
        readonly status: number | null,
        readonly details: { category?: string; policyName?: string; correlationId?: string; networkCode?: string }
    ) {
        super(
            status === null
                ? `${operation}: no usable answer from HubSpot (${details.networkCode ?? 'network error'})`
                : `${operation}: HubSpot answered ${status}${details.category ? ` ${details.category}` : ''}` +
                      (details.correlationId ? ` (correlation id ${details.correlationId})` : '')
        );
        this.name = 'HubSpotCallError';
    }
}

/** HubSpot answered 2xx with a body the relay cannot read. */
export class HubSpotShapeError extends Error {
    constructor(
        readonly operation: string,
        readonly issues: unknown
    ) {
        super(`${operation}: unexpected response shape`);
        this.name = 'HubSpotShapeError';
    }
}

/** Settles like `promise`, or rejects with the signal's reason as soon as it aborts. */
export function untilAborted<T>(signal: AbortSignal, promise: Promise<T>): Promise<T> {
    if (signal.aborted) {
        promise.catch(() => undefined);
        return Promise.reject(signal.reason);
    }
    return new Promise<T>((resolve, reject) => {
        const onAbort = () => reject(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
        promise.then(
            (value) => {
                signal.removeEventListener('abort', onAbort);
                resolve(value);
            },
            (error: unknown) => {
                signal.removeEventListener('abort', onAbort);
                reject(error);
            }
        );
    });
}

function stringField(body: unknown, name: string): string | undefined {
    if (typeof body !== 'object' || body === null) return undefined;
    const value = (body as Record<string, unknown>)[name];
    return typeof value === 'string' ? value : undefined;
}

/** The parts of an ApiException (or a fetch failure) worth keeping, as a HubSpotCallError. */
export function describeFailure(operation: string, error: unknown): HubSpotCallError {
    if (error instanceof HubSpotCallError) return error;
    const candidate = error as { code?: unknown; body?: unknown; headers?: unknown; cause?: { code?: unknown } };
    if (typeof candidate?.code === 'number' && 'body' in candidate && 'headers' in candidate) {
        return new HubSpotCallError(operation, candidate.code, {
            category: stringField(candidate.body, 'category') ?? stringField(candidate.body, 'errorType'),
            policyName: stringField(candidate.body, 'policyName'),
            correlationId: stringField(candidate.body, 'correlationId')
        });
    }
    const networkCode =
        typeof candidate?.cause?.code === 'string'
            ? candidate.cause.code
            : error instanceof Error
              ? error.name
              : undefined;
    return new HubSpotCallError(operation, null, { networkCode });
}

/** Runs one client call under `signal`; its failure becomes a HubSpotCallError. */
export async function callHubSpot<T>(signal: AbortSignal, operation: string, call: () => Promise<T>): Promise<T> {
    if (signal.aborted) throw signal.reason;
    try {
        return await untilAborted(signal, call());
    } catch (error) {
        if (signal.aborted) throw signal.reason;
        throw describeFailure(operation, error);
    }
}

/**
 * GET of an endpoint the client has no typed API for (legacy email events, workflows v2, sequences,
 * scheduler), through `client.apiRequest` so base path, token and decorators still apply.
 */
export async function getJson<T>(
    client: Client,
    signal: AbortSignal,
    request: { operation: string; path: string; qs?: Record<string, string>; schema: z.ZodType<T> }
): Promise<T> {
    const body = await callHubSpot(signal, request.operation, async () => {
        const response = await client.apiRequest({ method: 'GET', path: request.path, qs: request.qs });
        const text = await response.text();
        let json: unknown = undefined;
        try {
            json = text ? JSON.parse(text) : undefined;
        } catch {
            json = undefined;
        }
        if (!response.ok) {
            throw new HubSpotCallError(request.operation, response.status, {
                category: stringField(json, 'category') ?? stringField(json, 'errorType'),
                policyName: stringField(json, 'policyName'),
                correlationId: stringField(json, 'correlationId')
            });
        }
        return json;
    });
    const parsed = request.schema.safeParse(body);
    if (!parsed.success) throw new HubSpotShapeError(request.operation, parsed.error.issues);
    return parsed.data;
}
