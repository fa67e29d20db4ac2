/**
 * The relay's one error shape. Handlers throw HttpError; the error middleware turns it (and anything
 * unexpected) into the contract's ErrorEnvelope, so no route formats errors on its own.
 */
import type { Response } from 'express';
import type { z } from 'zod';
import type { ErrorCode, ErrorEnvelope } from '../contract/timeline';

export class HttpError extends Error {
    constructor(
        readonly status: number,
        readonly code: ErrorCode,
        message: string,
        readonly details?: unknown,
        /** Extra response headers, e.g. `WWW-Authenticate` or `Retry-After`. */
        readonly headers: Record<string, string> = {}
    ) {
        super(message);
        this.name = 'HttpError';
    }
}

export type RequestPart = 'params' | 'query' | 'body' | 'headers';

export interface ValidationIssue {
    location: RequestPart;
    path: string;
    message: string;
}

/** Flattens zod issues into `{location, path, message}` entries clients can show next to a field. */
export function validationIssues(location: RequestPart, error: z.ZodError): ValidationIssue[] {
    return error.issues.map((issue) => ({
        location,
        path: issue.path.map(String).join('.'),
        message: issue.message
    }));
}

export function validationError(message: string, details?: ValidationIssue[]): HttpError {
    return new HttpError(400, 'VALIDATION_ERROR', message, details);
}

export function sendError(res: Response, error: HttpError): void {
    const body: ErrorEnvelope = {
        error: {
            code: error.code,
            message: error.message,
            ...(error.details === undefined ? {} : { details: error.details })
        }
    };
    res.set(error.headers).status(error.status).json(body);
}
