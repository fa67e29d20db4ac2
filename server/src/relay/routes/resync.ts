/** `POST /api/v1/records/:sfObject/:sfId/resync`: the component's Resync button. */
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { ResyncAccepted } from '../../contract/timeline';
import type { ResyncQueue } from '../resync-queue';
import { salesforceIdProblem } from '../salesforce-id';
import { parseRequest } from '../validate';

export function resyncRoutes(queue: ResyncQueue): Router {
    const objects = new Set(queue.objects);
    const ResyncPath = z
        .strictObject({
            sfObject: z.string().refine((name) => objects.has(name), {
                message: `must be one of the synced objects: ${[...objects].join(', ')}`
            }),
            sfId: z.string()
        })
        .superRefine((path, ctx) => {
            const problem = objects.has(path.sfObject) ? salesforceIdProblem(path.sfObject, path.sfId) : null;
            if (problem) ctx.addIssue({ code: 'custom', path: ['sfId'], message: problem });
        });

    const router = Router();
    router.post('/api/v1/records/:sfObject/:sfId/resync', async (req: Request, res: Response) => {
        const { params } = parseRequest(req, { params: ResyncPath });
        const { jobId } = await queue.enqueue({
            sfObject: params.sfObject,
            sfId: params.sfId,
            requestedAt: new Date().toISOString(),
            requestId: req.id
        });
        const accepted: ResyncAccepted = { status: 'QUEUED', jobId, sfObject: params.sfObject, sfId: params.sfId };
        res.status(202).json(accepted);
    });
    return router;
}
