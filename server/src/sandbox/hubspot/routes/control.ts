import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { FaultRule } from '../../common/faults';
import { OBJECT_TYPE_NAMES } from '../catalogue/object-types';
import { sendJson, validationError } from '../errors';
import type { HubSpotSandboxHandle } from '../handle';
import { SeedSpec } from '../options';
import { RATE_LIMIT_TIERS } from '../rate-limit';
import { AssociationInput } from './record-writes';
import { objectTypeParam, parseBody } from './support';

const SeedBody = z.union([z.object({ preset: z.enum(['empty', 'demo']) }), SeedSpec]);
const UserWrite = z.object({
    properties: z.record(z.string(), z.string()),
    associations: z.array(AssociationInput).optional()
});
const Merge = z.object({ primaryObjectId: z.string(), objectIdToMerge: z.string() });
const Associate = z.object({
    fromType: z.enum(OBJECT_TYPE_NAMES),
    fromId: z.string(),
    toType: z.enum(OBJECT_TYPE_NAMES),
    toId: z.string(),
    associationTypeIds: z.array(z.number().int()).min(1)
});
const Advance = z.object({ ms: z.number().int().min(0) });
const Latency = z.object({ baseLatencyMs: z.number().int().min(0).max(60_000) });
const RateLimits = z.object({
    tier: z.enum(Object.keys(RATE_LIMIT_TIERS) as [keyof typeof RATE_LIMIT_TIERS]).optional(),
    consumeDaily: z.number().int().min(0).optional(),
    reset: z.boolean().optional()
});

/** `/__sandbox/*`: the handle's operations over HTTP (no auth, never counted, never faulted). */
export function controlRouter(handle: HubSpotSandboxHandle, maxBodyBytes: number): Router {
    const router = Router();
    router.use(express.json({ limit: maxBodyBytes }));

    router.get('/state', (_req: Request, res: Response) => {
        sendJson(res, 200, {
            counts: Object.fromEntries(OBJECT_TYPE_NAMES.map((type) => [type, handle.store.count(type)])),
            now: handle.clock.date().toISOString(),
            rateLimits: handle.limiter.usage(),
            faults: handle.faults.list(),
            webhooks: handle.webhooks
                ? { idle: handle.webhooks.idle, deliveries: handle.webhooks.deliveries.length }
                : null
        });
    });
    router.post('/reset', (_req: Request, res: Response) => {
        handle.reset();
        res.status(204).end();
    });
    router.post('/seed', (req: Request, res: Response) => {
        const body = parseBody(SeedBody, req);
        sendJson(res, 200, handle.seed('preset' in body ? body.preset : body));
    });
    router.get('/export', (_req: Request, res: Response) => sendJson(res, 200, handle.export()));

    router.post('/records/:objectType', (req: Request, res: Response) => {
        const info = objectTypeParam(req.params.objectType);
        const body = parseBody(UserWrite, req);
        sendJson(res, 201, handle.createAsUser(info.name, body.properties, body.associations));
    });
    router.patch('/records/:objectType/:id', (req: Request, res: Response) => {
        const info = objectTypeParam(req.params.objectType);
        sendJson(res, 200, handle.editAsUser(info.name, String(req.params.id), parseBody(UserWrite, req).properties));
    });
    router.delete('/records/:objectType/:id', (req: Request, res: Response) => {
        handle.archiveAsUser(objectTypeParam(req.params.objectType).name, String(req.params.id));
        res.status(204).end();
    });
    router.post('/records/:objectType/merge', (req: Request, res: Response) => {
        const body = parseBody(Merge, req);
        sendJson(
            res,
            200,
            handle.mergeAsUser(objectTypeParam(req.params.objectType).name, body.primaryObjectId, body.objectIdToMerge)
        );
    });
    router.post('/associations', (req: Request, res: Response) => {
        const body = parseBody(Associate, req);
        handle.associateAsUser(body.fromType, body.fromId, body.toType, body.toId, body.associationTypeIds);
        res.status(204).end();
    });

    router.get('/faults', (_req: Request, res: Response) => sendJson(res, 200, handle.faults.list()));
    router.post('/faults', (req: Request, res: Response) => {
        const rule = parseBody(FaultRule, req);
        try {
            new RegExp(rule.path);
        } catch {
            throw validationError(`path is not a valid regular expression: ${rule.path}`);
        }
        sendJson(res, 201, handle.addFault(rule));
    });
    router.delete('/faults', (_req: Request, res: Response) => {
        handle.clearFaults();
        res.status(204).end();
    });
    router.delete('/faults/:id', (req: Request, res: Response) => {
        handle.clearFaults(Number(req.params.id));
        res.status(204).end();
    });

    router.get('/clock', (_req: Request, res: Response) =>
        sendJson(res, 200, { now: handle.clock.date().toISOString() })
    );
    router.post('/clock/advance', (req: Request, res: Response) => {
        const now = handle.advanceClock(parseBody(Advance, req).ms);
        sendJson(res, 200, { now: new Date(now).toISOString() });
    });
    router.put('/latency', (req: Request, res: Response) => {
        handle.setBaseLatency(parseBody(Latency, req).baseLatencyMs);
        res.status(204).end();
    });
    router.post('/rate-limits', (req: Request, res: Response) => {
        const body = parseBody(RateLimits, req);
        if (body.reset) handle.limiter.reset();
        if (body.tier) handle.setTier(body.tier);
        if (body.consumeDaily) handle.limiter.consumeDaily(body.consumeDaily);
        sendJson(res, 200, handle.limiter.usage());
    });

    router.get('/requests', (_req: Request, res: Response) => sendJson(res, 200, handle.requestCounts()));
    router.delete('/requests', (_req: Request, res: Response) => {
        handle.resetRequestCounts();
        res.status(204).end();
    });
    router.get('/webhooks', (_req: Request, res: Response) =>
        sendJson(res, 200, { deliveries: handle.webhooks?.deliveries ?? [], dropped: handle.webhooks?.dropped ?? [] })
    );
    return router;
}
