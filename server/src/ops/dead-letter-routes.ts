/**
 * `/ops/api/dead-letters`: the fast path's work that used every retry, with the reason, and replay (back
 * to the queue with attempts reset; the engine's runs are idempotent, so a replay never duplicates a
 * record). Mounted by `operatorApiRoutes` when the relay has a work queue.
 */
import { Router, type Request, type Response } from 'express';

import type { DeadLetter } from '../queue';
import { HttpError } from '../relay/http-error';
import { parseRequest } from '../relay/validate';
import type { DeadLetterQueue } from './ports';
import { DeadLettersQuery, ReplayBody } from './schemas';
import type { DeadLetterView, DeadLettersView } from './views';

/** Every dead letter in the queue (not capped like the list). */
export function countDeadLetters(queue: DeadLetterQueue): number {
    return queue
        .depth()
        .counts.filter((entry) => entry.state === 'dead')
        .reduce((sum, entry) => sum + entry.count, 0);
}

function deadLetterView(letter: DeadLetter): DeadLetterView {
    return {
        id: letter.id,
        stream: letter.stream,
        recordKey: letter.recordKey,
        priority: letter.priority,
        reason: letter.reason,
        attempts: letter.attempts,
        lastError: letter.lastError,
        enqueuedAt: letter.enqueuedAt.toISOString(),
        deadAt: letter.deadAt.toISOString()
    };
}

export function deadLetterRoutes(queue: DeadLetterQueue): Router {
    const router = Router();

    router.get('/api/dead-letters', (req: Request, res: Response) => {
        const { query } = parseRequest(req, { query: DeadLettersQuery });
        const letters = queue.deadLetters({ order: query.order, offset: query.offset, limit: query.limit });
        const body: DeadLettersView = {
            items: letters.map(deadLetterView),
            total: countDeadLetters(queue),
            offset: query.offset,
            limit: query.limit
        };
        res.json(body);
    });

    router.post('/api/dead-letters/replay', (req: Request, res: Response) => {
        const { body } = parseRequest(req, { body: ReplayBody });
        if ('ids' in body) {
            const known = new Set(
                queue.deadLetters({ ids: body.ids, limit: body.ids.length }).map((letter) => letter.id)
            );
            const missing = body.ids.filter((id) => !known.has(id));
            if (missing.length > 0) {
                throw new HttpError(404, 'NOT_FOUND', `No dead letters with ids ${missing.join(', ')}.`);
            }
        }
        res.json({ replayed: queue.replay('ids' in body ? body.ids : 'all') });
    });

    return router;
}
