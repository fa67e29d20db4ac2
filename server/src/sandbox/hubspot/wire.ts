import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import type { FaultRenderer, FaultRule } from '../common/faults';
import type { SandboxContext } from './context';
import { apiError, HubSpotApiError, internalError, sendError } from './errors';
import { rateLimitError, secondlyLimitError } from './rate-limit';

export const CONTROL_PREFIX = '/__sandbox';

export function isApiRequest(req: Request): boolean {
    return !req.path.startsWith(CONTROL_PREFIX);
}

/** `POST /crm/v3/objects/contacts/123` → `POST /crm/v3/objects/contacts/{id}`: request-count keys. */
export function classifyEndpoint(method: string, path: string): string | undefined {
    if (path.startsWith(CONTROL_PREFIX)) return undefined;
    const template = path
        .replace(/\/+$/, '')
        .split('/')
        .map((segment) =>
            /^\d+$/.test(segment) || segment.includes('@') || segment.includes('%40') ? '{id}' : segment
        )
        .join('/');
    return `${method.toUpperCase()} ${template || '/'}`;
}

/** Injected faults answer in HubSpot's format: a 429 with a retryable policy, 5xx, expired tokens. */
export const hubSpotFaultRenderer: FaultRenderer = {
    status(res: Response, status: number, rule: FaultRule) {
        if (status === 429) {
            // A one-second Retry-After stands for the secondly limit (the client retries it after 1 s);
            // anything else is the ten-secondly rolling limit (retried after 10 s).
            const secondly = rule.retryAfterSeconds !== undefined && rule.retryAfterSeconds <= 1;
            if (rule.retryAfterSeconds !== undefined) res.set('Retry-After', String(rule.retryAfterSeconds));
            return sendError(
                res,
                secondly
                    ? secondlyLimitError()
                    : rateLimitError(
                          'You have reached your ten_secondly_rolling limit.',
                          'TEN_SECONDLY_ROLLING',
                          'publicapi:private-app-api-calls-ten-secondly'
                      )
            );
        }
        if (status >= 500)
            return sendError(
                res,
                apiError(status, 'INTERNAL_ERROR', status === 503 ? 'Service Unavailable' : 'internal error')
            );
        return sendError(res, apiError(status, 'VALIDATION_ERROR', `Injected failure with status ${status}`));
    },
    expiredSession(res: Response) {
        sendError(
            res,
            apiError(401, 'EXPIRED_AUTHENTICATION', 'The OAuth token used to make this call expired 0 second(s) ago.', {
                context: { 'expire time': [new Date().toISOString()] }
            })
        );
    }
};

/** Bearer token → private app, or HubSpot's 401. */
export function authenticate(context: SandboxContext): RequestHandler {
    return (req, res, next) => {
        const app = context.tokens.authenticate(req);
        if (app instanceof HubSpotApiError) return sendError(res, app);
        res.locals.app = app;
        next();
    };
}

/** Counts the request against the app's limits and sets the `X-HubSpot-RateLimit-*` headers. */
export function rateLimit(context: SandboxContext): RequestHandler {
    return (req, res, next) => {
        const kind =
            req.method === 'POST' && /^\/crm\/v3\/objects\/[^/]+\/search\/?$/.test(req.path) ? 'search' : 'standard';
        const outcome = context.limiter.take(kind);
        res.set(outcome.headers);
        if (outcome.error) return sendError(res, outcome.error);
        next();
    };
}

/** Bodies must be JSON (HubSpot answers 415 otherwise). */
export const requireJsonBody: RequestHandler = (req, res, next) => {
    const hasBody = Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;
    if (['POST', 'PUT', 'PATCH'].includes(req.method) && hasBody && !req.is('application/json'))
        return sendError(
            res,
            apiError(
                415,
                'VALIDATION_ERROR',
                `Content type '${req.get('content-type') ?? 'none'}' not supported; send application/json`
            )
        );
    next();
};

export const notFoundRoute: RequestHandler = (req, res) => {
    sendError(res, apiError(404, 'OBJECT_NOT_FOUND', `No route for ${req.method} ${req.path}`));
};

/** Maps thrown errors (ours and body-parser's) to HubSpot error responses; nothing escapes as a crash. */
export const errorHandler: ErrorRequestHandler = (error: unknown, _req, res, next) => {
    if (res.headersSent) return next(error);
    if (error instanceof HubSpotApiError) return sendError(res, error);
    const type = (error as { type?: string }).type;
    const message = error instanceof Error ? error.message : String(error);
    if (type === 'entity.parse.failed')
        return sendError(res, apiError(400, 'VALIDATION_ERROR', `Invalid input JSON: ${message}`));
    if (type === 'entity.too.large')
        return sendError(res, apiError(413, 'VALIDATION_ERROR', 'Request body is too large'));
    if (type === 'encoding.unsupported' || type === 'charset.unsupported')
        return sendError(res, apiError(415, 'VALIDATION_ERROR', message));
    sendError(res, internalError());
};
