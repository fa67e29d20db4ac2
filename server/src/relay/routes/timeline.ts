/** `GET /api/v1/timeline/:objectType/:hubspotId`: what the HubSpot Intelligence component shows. */
import { Router, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { TimelinePath, TimelineQuery, type TimelineSection } from '../../contract/timeline';
import { decodeCursor } from '../../timeline/cursor';
import {
    type TimelineService,
    TimelineRecordNotFoundError,
    TimelineRecordUnavailableError
} from '../../timeline/service';
import { matchesIfNoneMatch, weakEtag } from '../etag';
import { HttpError, validationError } from '../http-error';
import type { RelayMetrics } from '../metrics';
import { parseRequest } from '../validate';

export function timelineRoutes(service: TimelineService): Router {
    const router = Router();
    router.get('/api/v1/timeline/:objectType/:hubspotId', async (req: Request, res: Response) => {
        const { params, query } = parseRequest(req, { params: TimelinePath, query: TimelineQuery });
        const after = query.cursor === undefined ? null : decodeCursor(query.cursor);
        if (query.cursor !== undefined && !after) {
            throw validationError('The cursor is not valid. Load the timeline again from the first page.', [
                { location: 'query', path: 'cursor', message: 'not a cursor issued by this relay' }
            ]);
        }

        const timeline = await service
            .getTimeline(params, { types: query.types, after, pageSize: query.pageSize })
            .catch((error: unknown) => {
                if (error instanceof TimelineRecordNotFoundError) {
                    throw new HttpError(404, 'NOT_FOUND', error.message);
                }
                if (error instanceof TimelineRecordUnavailableError) {
                    throw new HttpError(503, 'HUBSPOT_UNAVAILABLE', error.message, { reason: error.code });
                }
                throw error;
            });

        const body = JSON.stringify(timeline);
        const etag = weakEtag(body);
        // `no-cache`: Salesforce may keep the answer but must revalidate it (cheap 304s through the ETag).
        res.set({ ETag: etag, 'Cache-Control': 'private, no-cache' });
        if (matchesIfNoneMatch(req.get('if-none-match'), etag)) {
            res.status(304).end();
            return;
        }
        res.type('application/json').send(body);
    });
    return router;
}

/** The TimelineService's `onSourceError` hook: count the failure and log it (with the cause) for operators. */
export function timelineSourceErrorReporter(metrics: RelayMetrics, logger: Logger) {
    return (section: TimelineSection, code: string, error: unknown): void => {
        metrics.timelineSourceErrors.inc({ section, code });
        logger.warn({ section, code, err: error }, 'timeline section failed');
    };
}
