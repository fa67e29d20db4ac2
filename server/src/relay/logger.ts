/**
 * Structured logs with pino. Secrets never reach a log line: request headers that carry credentials
 * are redacted by pino itself, query strings are reduced to parameter names, and any object property
 * named like a secret is censored wherever it appears in the first two levels.
 */
import type { NextFunction, Request, Response } from 'express';
import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config';

const secretNames = [
    'authorization',
    'cookie',
    'set-cookie',
    'password',
    'token',
    'accessToken',
    'access_token',
    'refreshToken',
    'clientSecret',
    'client_secret',
    'secret',
    'apiKey',
    'relayApiToken',
    'hubspotClientSecret'
];

export const redactPaths = [
    'req.headers.authorization',
    'req.headers.cookie',
    'req.headers["x-hubspot-signature"]',
    'req.headers["x-hubspot-signature-v3"]',
    'res.headers["set-cookie"]',
    ...secretNames.flatMap((name) => [`${quote(name)}`, `*.${quote(name)}`, `*.*.${quote(name)}`])
];

function quote(name: string): string {
    return /^[A-Za-z_$][\w$]*$/.test(name) ? name : `["${name}"]`;
}

export function createRelayLogger(level: LogLevel, destination?: DestinationStream): Logger {
    const options = { level, redact: { paths: redactPaths, censor: '[redacted]' }, base: { service: 'relay' } };
    return destination ? pino(options, destination) : pino(options);
}

/** `/path?token=abc&x=1` → `/path?token&x`: parameter names help debugging, values may be secrets. */
export function loggableUrl(url: string): string {
    const queryStart = url.indexOf('?');
    if (queryStart < 0) return url;
    const names = new URLSearchParams(url.slice(queryStart + 1)).keys();
    return `${url.slice(0, queryStart)}?${[...new Set(names)].join('&')}`;
}

/** One line per request when the response finishes (pino-http's shape, without its dependency). */
export function requestLogger(logger: Logger) {
    return (req: Request, res: Response, next: NextFunction): void => {
        const started = process.hrtime.bigint();
        req.log = logger.child({ requestId: req.id });
        res.on('finish', () => {
            const responseTimeMs = Number(process.hrtime.bigint() - started) / 1e6;
            const level = res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info';
            req.log[level](
                {
                    req: {
                        method: req.method,
                        url: loggableUrl(req.originalUrl),
                        remoteAddress: req.ip,
                        headers: { ...req.headers }
                    },
                    res: { statusCode: res.statusCode, headers: res.getHeaders() },
                    responseTimeMs: Math.round(responseTimeMs * 10) / 10
                },
                'request completed'
            );
        });
        next();
    };
}
