/**
 * Authentication of the two human/system callers. Secrets are compared as SHA-256 digests with
 * timingSafeEqual: equal-length inputs, and the time taken says nothing about how much matched.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { HttpError } from '../http-error';

export function secretsEqual(provided: string, expected: string): boolean {
    const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
    return timingSafeEqual(digest(provided), digest(expected));
}

/** The Salesforce-facing API: `Authorization: Bearer <RELAY_API_TOKEN>`, sent by the package's Named Credential. */
export function requireBearerToken(expectedToken: string) {
    return (req: Request, _res: Response, next: NextFunction): void => {
        const match = /^Bearer +([^\s]+) *$/i.exec(req.get('authorization') ?? '');
        if (!match || !secretsEqual(match[1]!, expectedToken)) {
            throw new HttpError(
                401,
                'UNAUTHORIZED',
                match
                    ? 'The bearer token is not valid.'
                    : 'Send the relay API token as `Authorization: Bearer <token>`.',
                undefined,
                { 'WWW-Authenticate': 'Bearer realm="hubspot-bridge"' }
            );
        }
        next();
    };
}

/**
 * The operator API, metrics and dashboard: HTTP Basic with DASHBOARD_USER / DASHBOARD_PASSWORD.
 * Basic keeps the relay stateless (no session store, no CSRF surface) and works the same for the
 * browser, curl and Prometheus; serve the relay over HTTPS in production.
 */
export function requireOperator(credentials: { user: string; password: string }) {
    return (req: Request, _res: Response, next: NextFunction): void => {
        const match = /^Basic +([A-Za-z0-9+/=]+) *$/i.exec(req.get('authorization') ?? '');
        const decoded = match ? Buffer.from(match[1]!, 'base64').toString('utf8') : '';
        const separator = decoded.indexOf(':');
        const user = separator >= 0 ? decoded.slice(0, separator) : '';
        const password = separator >= 0 ? decoded.slice(separator + 1) : '';
        // Both comparisons always run, so a wrong user name takes as long as a wrong password.
        const userOk = secretsEqual(user, credentials.user);
        const passwordOk = secretsEqual(password, credentials.password);
        if (!(userOk && passwordOk)) {
            throw new HttpError(401, 'UNAUTHORIZED', 'Log in with the dashboard user name and password.', undefined, {
                'WWW-Authenticate': 'Basic realm="HubSpot Bridge operator", charset="UTF-8"'
            });
        }
        next();
    };
}
