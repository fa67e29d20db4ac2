/** Operator endpoints built into the relay itself (behind the operator login). */
import { Router, type Request, type Response } from 'express';
import { type RelayConfig, describeConfig } from '../config';
import type { RelayMetrics } from '../metrics';
import { parseRequest } from '../validate';

export function opsRoutes(config: RelayConfig, metrics: RelayMetrics): Router {
    const router = Router();
    router.get('/ops/config', (req: Request, res: Response) => {
        parseRequest(req, {});
        res.set('Cache-Control', 'no-store').json(describeConfig(config));
    });
    router.get('/metrics', async (req: Request, res: Response) => {
        parseRequest(req, {});
        res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    });
    return router;
}
