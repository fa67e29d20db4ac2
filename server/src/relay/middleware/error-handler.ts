import type { NextFunction, Request, Response } from 'express';
import { HttpError, sendError } from '../http-error';

/** Errors raised by Express's body parsers carry a `type`; map the ones a client can cause. */
function fromBodyParser(error: unknown): HttpError | null {
    if (typeof error !== 'object' || error === null || !('type' in error)) return null;
    switch ((error as { type: unknown }).type) {
        case 'entity.parse.failed':
            return new HttpError(400, 'VALIDATION_ERROR', 'The request body is not valid JSON.');
        case 'entity.too.large':
            return new HttpError(413, 'PAYLOAD_TOO_LARGE', 'The request body is too large.', {
                limitBytes: (error as { limit?: number }).limit
            });
        case 'encoding.unsupported':
        case 'charset.unsupported':
            return new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the request body as UTF-8 JSON.');
        case 'request.aborted':
        case 'request.size.invalid':
            return new HttpError(400, 'VALIDATION_ERROR', 'The request body was incomplete.');
        default:
            return null;
    }
}

export function notFound(req: Request): never {
    throw new HttpError(404, 'NOT_FOUND', `No route ${req.method} ${req.path}.`);
}

/** The last middleware: every failure leaves as the one envelope; unexpected ones are logged, never shown. */
export function errorHandler(error: unknown, req: Request, res: Response, next: NextFunction): void {
    if (res.headersSent) {
        next(error);
        return;
    }
    const known = error instanceof HttpError ? error : fromBodyParser(error);
    if (known) {
        sendError(res, known);
        return;
    }
    req.log.error({ err: error }, 'unhandled error');
    sendError(res, new HttpError(500, 'INTERNAL_ERROR', `The relay hit an unexpected error (request id ${req.id}).`));
}
