/** Serves the dashboard under `/ops/` (behind the operator login, like the API it calls). */
import { Router, type Request, type Response } from 'express';
import { matchesIfNoneMatch } from '../relay/etag';
import { parseRequest } from '../relay/validate';
import type { Asset, DashboardAssetCache, DashboardAssets } from './assets';

/**
 * Stricter than helmet's default: the page loads only its own script, stylesheet and API, and may not
 * be framed. Inline SVG is built through the DOM, so no inline script or style is needed.
 */
export const dashboardContentSecurityPolicy = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'"
].join('; ');

function send(req: Request, res: Response, asset: Asset): void {
    parseRequest(req, {});
    res.set({
        'Content-Security-Policy': dashboardContentSecurityPolicy,
        // Revalidate every time: the ETag makes that a 304 until the relay is upgraded.
        'Cache-Control': 'no-cache',
        ETag: asset.etag
    });
    if (matchesIfNoneMatch(req.get('if-none-match'), asset.etag)) {
        res.status(304).end();
        return;
    }
    res.type(asset.contentType).send(asset.body);
}

export function dashboardRoutes(assets: DashboardAssetCache): Router {
    const router = Router();
    const serve = (pick: (all: DashboardAssets) => Asset) => async (req: Request, res: Response) => {
        send(req, res, pick(await assets.get()));
    };
    router.get('/', (req: Request, res: Response, next) => {
        // Without the trailing slash relative links would resolve against `/`.
        if (!req.originalUrl.split('?')[0]!.endsWith('/')) {
            res.redirect(308, '/ops/');
            return;
        }
        return serve((all) => all.page)(req, res).catch(next);
    });
    router.get(
        '/assets/dashboard.js',
        serve((all) => all.script)
    );
    router.get(
        '/assets/dashboard.css',
        serve((all) => all.style)
    );
    return router;
}
