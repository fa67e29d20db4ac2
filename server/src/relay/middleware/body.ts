import express, { type NextFunction, type Request, type Response } from 'express';
import { HttpError } from '../http-error';

export const JSON_BODY_LIMIT = '256kb';

function hasBody(req: Request): boolean {
    const length = req.get('content-length');
    return req.get('transfer-encoding') !== undefined || (length !== undefined && length !== '0');
}

/** A request that carries a body must say it is JSON; anything else is refused before it is read. */
export function requireJsonContentType(req: Request, _res: Response, next: NextFunction): void {
    if (hasBody(req) && !req.is('application/json')) {
        throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the request body as application/json.');
    }
    next();
}

/** JSON bodies for the API routes: bounded, objects/arrays only (strict). */
export const jsonBody = [requireJsonContentType, express.json({ limit: JSON_BODY_LIMIT, strict: true })];
