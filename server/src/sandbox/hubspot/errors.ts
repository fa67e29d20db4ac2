import { randomUUID } from 'node:crypto';
import type { Response } from 'express';

/** `{status:'error', message, correlationId, category, ...}`: HubSpot's error body (spec `Error` + `status`). */
export interface ErrorBody {
    status: 'error';
    message: string;
    correlationId: string;
    /** Present on every error except the 429s, which carry `errorType` + `policyName` instead. */
    category?: string;
    subCategory?: string;
    errors?: {
        message: string;
        code?: string;
        in?: string;
        subCategory?: string;
        context?: Record<string, string[]>;
    }[];
    context?: Record<string, string[]>;
    links?: Record<string, string>;
    [extra: string]: unknown;
}

/** An API failure carrying the exact status and body HubSpot would send. Route handlers throw it. */
export class HubSpotApiError extends Error {
    constructor(
        readonly status: number,
        readonly body: ErrorBody
    ) {
        super(body.message);
    }
}

type ErrorExtras = Omit<ErrorBody, 'status' | 'message' | 'correlationId' | 'category'>;

export function errorBody(category: string, message: string, extras: ErrorExtras = {}): ErrorBody {
    return { status: 'error', message, correlationId: randomUUID(), category, ...extras };
}

export function apiError(status: number, category: string, message: string, extras?: ErrorExtras): HubSpotApiError {
    return new HubSpotApiError(status, errorBody(category, message, extras));
}

export const validationError = (message: string, extras?: ErrorExtras) =>
    apiError(400, 'VALIDATION_ERROR', message, extras);

export const notFound = (id: string) =>
    apiError(404, 'OBJECT_NOT_FOUND', 'Object not found.  objectId are usually numeric.', { context: { id: [id] } });

/** HubSpot answers `application/json;charset=utf-8` (the client refuses a body without a JSON content type). */
export function sendJson(res: Response, status: number, body: unknown): void {
    // Written directly: Express's send() would rewrite the content type to `application/json; charset=utf-8`.
    const text = JSON.stringify(body);
    res.status(status).setHeader('content-type', 'application/json;charset=utf-8');
    res.setHeader('content-length', Buffer.byteLength(text));
    res.end(text);
}

export function sendError(res: Response, error: HubSpotApiError): void {
    res.set('x-hubspot-correlation-id', error.body.correlationId);
    sendJson(res, error.status, error.body);
}

/** The body a non-HubSpot failure (a bug in the sandbox) is answered with: HubSpot's 500 shape. */
export function internalError(): HubSpotApiError {
    return apiError(500, 'INTERNAL_ERROR', 'internal error');
}
