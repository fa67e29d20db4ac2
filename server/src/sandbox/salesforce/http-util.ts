import type { Request, Response } from 'express';
import type { SalesforceError } from './errors';

/** Salesforce's exact JSON content type (jsforce matches `^application/json`). */
export const JSON_TYPE = 'application/json;charset=UTF-8';

export function sendJson(res: Response, status: number, body: unknown, headers: Record<string, string> = {}): void {
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    if (status === 204 || body === undefined) {
        res.status(status).end();
        return;
    }
    // `end` with a Buffer keeps the header byte-exact (`send` would rewrite the charset).
    res.status(status)
        .setHeader('Content-Type', JSON_TYPE)
        .end(Buffer.from(JSON.stringify(body)));
}

export function sendError(res: Response, error: SalesforceError): void {
    if (error.errorCode === 'INVALID_SESSION_ID') res.setHeader('WWW-Authenticate', 'Token');
    sendJson(res, error.httpStatus, error.toRestBody());
}

export function bearerToken(req: Request): string | undefined {
    return /^(?:Bearer|OAuth)\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
}

export function header(req: Request, name: string): string | undefined {
    const value = req.headers[name.toLowerCase()];
    return Array.isArray(value) ? value.join(', ') : value;
}
