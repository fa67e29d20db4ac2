import { Router, type Request, type Response } from 'express';
import type { SandboxContext } from '../context';
import { apiError, sendJson, validationError } from '../errors';
import { objectTypeParam, queryFlag, queryInteger, requestOrigin, requireObjectScope, requireScope } from './support';

const MAX_OWNERS_PAGE = 500;

/** Pipelines (deals carry the stages; other types have none here) and the owners directory. */
export function pipelinesAndOwnersRouter(context: SandboxContext): Router {
    const router = Router();
    const { store } = context;

    const pipelinesOf = (res: Response, segment: unknown) => {
        const info = objectTypeParam(segment);
        requireObjectScope(res, info, 'read');
        return info.name === 'deals' ? store.pipelines : [];
    };
    const pipelineOf = (req: Request, res: Response) => {
        const id = String(req.params.pipelineId);
        const pipeline = pipelinesOf(res, req.params.objectType).find((p) => p.id === id);
        if (!pipeline) throw apiError(404, 'OBJECT_NOT_FOUND', `Unable to find pipeline ${id}`);
        return pipeline;
    };

    router.get('/crm/v3/pipelines/:objectType', (req: Request, res: Response) => {
        sendJson(res, 200, { results: pipelinesOf(res, req.params.objectType) });
    });
    router.get('/crm/v3/pipelines/:objectType/:pipelineId', (req: Request, res: Response) => {
        sendJson(res, 200, pipelineOf(req, res));
    });
    router.get('/crm/v3/pipelines/:objectType/:pipelineId/stages', (req: Request, res: Response) => {
        sendJson(res, 200, { results: pipelineOf(req, res).stages });
    });
    router.get('/crm/v3/pipelines/:objectType/:pipelineId/stages/:stageId', (req: Request, res: Response) => {
        const stage = pipelineOf(req, res).stages.find((s) => s.id === String(req.params.stageId));
        if (!stage) throw apiError(404, 'OBJECT_NOT_FOUND', `Unable to find stage ${String(req.params.stageId)}`);
        sendJson(res, 200, stage);
    });

    router.get('/crm/v3/owners', (req: Request, res: Response) => {
        requireScope(res, 'crm.objects.owners.read');
        const limit = Math.min(Math.max(queryInteger(req.query.limit, 'limit', 100), 1), MAX_OWNERS_PAGE);
        const after = queryInteger(req.query.after, 'after', 0);
        const email = req.query.email === undefined ? undefined : String(req.query.email).toLowerCase();
        const archived = queryFlag(req.query.archived);
        const matching = store.owners.filter(
            (o) => o.archived === archived && (!email || o.email.toLowerCase() === email)
        );
        const body: Record<string, unknown> = { results: matching.slice(after, after + limit) };
        if (after + limit < matching.length) {
            const next = String(after + limit);
            body.paging = { next: { after: next, link: `${requestOrigin(req)}/crm/v3/owners/?after=${next}` } };
        }
        sendJson(res, 200, body);
    });

    router.get('/crm/v3/owners/:ownerId', (req: Request, res: Response) => {
        requireScope(res, 'crm.objects.owners.read');
        const idProperty = String(req.query.idProperty ?? 'id');
        if (idProperty !== 'id' && idProperty !== 'userId') throw validationError(`idProperty must be id or userId`);
        const id = String(req.params.ownerId);
        const owner = store.owners.find((o) => (idProperty === 'id' ? o.id === id : String(o.userId) === id));
        if (!owner) throw apiError(404, 'OBJECT_NOT_FOUND', `Unable to find owner ${id}`);
        sendJson(res, 200, owner);
    });

    return router;
}
