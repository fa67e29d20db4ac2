import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

// A caller's id is kept only when it is short and plain, so it cannot forge log lines or headers.
const acceptableId = /^[A-Za-z0-9._-]{8,64}$/;

/** Gives every request an id (the caller's `X-Request-Id` when safe) and echoes it in the response. */
export function requestId(req: Request, res: Response, next: NextFunction): void {
    const incoming = req.get('x-request-id');
    req.id = incoming && acceptableId.test(incoming) ? incoming : randomUUID();
    res.set('X-Request-Id', req.id);
    next();
}
