import type { NextFunction, Request, Response } from 'express';
import { HttpError } from '../http-error';

const allowedMethods = 'GET, POST, OPTIONS';
const allowedHeaders = 'Authorization, Content-Type, If-None-Match, X-Request-Id';

/**
 * CORS with an explicit allow-list. Empty list (the default): no cross-origin browser access at all;
 * Salesforce calls the relay server-to-server through Apex, and the dashboard is same-origin.
 */
export function cors(allowedOrigins: readonly string[]) {
    const allowed = new Set(allowedOrigins);
    return (req: Request, res: Response, next: NextFunction): void => {
        const origin = req.get('origin');
        res.vary('Origin');
        const isPreflight = req.method === 'OPTIONS' && req.get('access-control-request-method') !== undefined;
        if (!origin || !allowed.has(origin)) {
            if (isPreflight) throw new HttpError(403, 'FORBIDDEN', 'This origin is not allowed to call the relay.');
            next();
            return;
        }
        res.set('Access-Control-Allow-Origin', origin);
        res.set('Access-Control-Expose-Headers', 'ETag, X-Request-Id, Retry-After');
        if (isPreflight) {
            res.set({
                'Access-Control-Allow-Methods': allowedMethods,
                'Access-Control-Allow-Headers': allowedHeaders,
                'Access-Control-Max-Age': '600'
            });
            res.status(204).end();
            return;
        }
        next();
    };
}
