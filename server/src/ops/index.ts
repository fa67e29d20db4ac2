/**
 * `createOperatorRouter(deps)`: the operator API (`/ops/api/…`) and the dashboard (`/ops/`), one router
 * for the relay's `operatorRouter` slot, which mounts it under `/ops` behind the operator login.
 */
import { Router } from 'express';
import { DashboardAssetCache } from '../dashboard/assets';
import { dashboardRoutes } from '../dashboard/routes';
import { type OperatorApiDependencies, operatorApiRoutes } from './api-routes';

export type OperatorDependencies = OperatorApiDependencies;

export interface OperatorRouter {
    router: Router;
    /** Bundles the dashboard now (call at start-up so a broken build fails fast, not on first visit). */
    prepareDashboard(): Promise<void>;
}

export function createOperatorRouter(deps: OperatorDependencies): OperatorRouter {
    const assets = new DashboardAssetCache();
    const router = Router();
    router.use(operatorApiRoutes(deps));
    router.use(dashboardRoutes(assets));
    return { router, prepareDashboard: () => assets.prepare() };
}

export { SqliteConflictInbox } from './conflict-inbox';
export * from './ports';
