/** Probes: `/healthz` says the process serves HTTP; `/readyz` says its dependencies are usable. */
import { Router, type Request, type Response } from 'express';
import { type ReadinessCheck, checkReadiness } from '../readiness';
import { parseRequest } from '../validate';

export const READINESS_TIMEOUT_MS = 2000;

export function healthRoutes(checks: readonly ReadinessCheck[], timeoutMs = READINESS_TIMEOUT_MS): Router {
    const router = Router();
    router.get('/healthz', (req: Request, res: Response) => {
        parseRequest(req, {});
        res.set('Cache-Control', 'no-store').json({ status: 'ok' });
    });
    router.get('/readyz', async (req: Request, res: Response) => {
        parseRequest(req, {});
        const report = await checkReadiness(checks, timeoutMs);
        res.set('Cache-Control', 'no-store')
            .status(report.status === 'ready' ? 200 : 503)
            .json(report);
    });
    return router;
}
