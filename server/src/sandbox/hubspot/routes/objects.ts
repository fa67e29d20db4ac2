import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { SandboxContext } from '../context';
import { notFound, sendJson, validationError } from '../errors';
import { checkSearchRequest, runSearch, SEARCH_LIMITS, SearchRequestSchema } from '../search';
import { toApiObject, type ReadShape } from '../serialize';
import { runBatch } from './batch';
import { CreateInput, createRecord, PropertiesInput, writeShape } from './record-writes';
import {
    apiSource,
    associationTargets,
    objectTypeParam,
    parseBody,
    queryFlag,
    queryInteger,
    queryList,
    requestOrigin,
    requireObjectScope
} from './support';

const MAX_PAGE = 100;

const UpdateInput = z.object({ properties: PropertiesInput });
const GdprDeleteInput = z.object({ objectId: z.string().min(1), idProperty: z.string().optional() });
const MergeInput = z.object({
    primaryObjectId: z.union([z.string(), z.number()]).transform(String),
    objectIdToMerge: z.union([z.string(), z.number()]).transform(String)
});

function readShape(req: Request): ReadShape {
    return {
        properties: queryList(req.query.properties),
        propertiesWithHistory: queryList(req.query.propertiesWithHistory),
        associations: associationTargets(req.query.associations)
    };
}

export function objectsRouter(context: SandboxContext): Router {
    const router = Router();
    const { store } = context;

    router.get('/crm/v3/objects/:objectType', (req: Request, res: Response) => {
        const info = objectTypeParam(req.params.objectType);
        requireObjectScope(res, info, 'read');
        const limit = Math.min(Math.max(queryInteger(req.query.limit, 'limit', 10), 1), MAX_PAGE);
        const afterText = req.query.after === undefined ? '' : String(req.query.after);
        if (afterText !== '' && !/^\d+$/.test(afterText))
            throw validationError(`Invalid paging cursor after=${afterText}`);
        const page = store.list(
            info.name,
            afterText === '' ? 0 : Number(afterText),
            limit,
            queryFlag(req.query.archived)
        );
        const shape = readShape(req);
        const body: Record<string, unknown> = {
            results: page.records.map((r) => toApiObject(store, info.name, r, shape))
        };
        if (page.more) {
            const after = String(page.records[page.records.length - 1].id);
            body.paging = {
                next: { after, link: `${requestOrigin(req)}/crm/v3/objects/${info.name}?after=${after}&limit=${limit}` }
            };
        }
        sendJson(res, 200, body);
    });

    router.post('/crm/v3/objects/:objectType', (req: Request, res: Response) => {
        const info = objectTypeParam(req.params.objectType);
        requireObjectScope(res, info, 'write');
        const input = parseBody(CreateInput, req);
        const record = createRecord(context, info.name, input, apiSource(res));
        sendJson(res, 201, toApiObject(store, info.name, record, writeShape(info, input.properties)));
    });

    router.post('/crm/v3/objects/:objectType/search', (req: Request, res: Response) => {
        const info = objectTypeParam(req.params.objectType);
        requireObjectScope(res, info, 'read');
        if (JSON.stringify(req.body ?? {}).length > SEARCH_LIMITS.maxBodyCharacters)
            throw validationError(`Search request body is longer than ${SEARCH_LIMITS.maxBodyCharacters} characters`);
        const request = parseBody(SearchRequestSchema, req);
        const offset = checkSearchRequest(request);
        const indexedBefore = context.clock.now() - context.options.searchIndexLagMs;
        const result = runSearch(store, info.name, request, offset, info.searchableProperties, indexedBefore);
        const body: Record<string, unknown> = {
            total: result.total,
            results: result.records.map((r) => toApiObject(store, info.name, r, { properties: request.properties }))
        };
        if (result.nextAfter !== undefined) body.paging = { next: { after: result.nextAfter } };
        sendJson(res, 200, body);
    });

    router.post('/crm/v3/objects/:objectType/merge', (req: Request, res: Response) => {
        const info = objectTypeParam(req.params.objectType);
        requireObjectScope(res, info, 'write');
        if (!['contacts', 'companies', 'deals'].includes(info.name))
            throw validationError(`Merging ${info.name} is not supported`);
        const input = parseBody(MergeInput, req);
        const primary = store.merge(info.name, input.primaryObjectId, input.objectIdToMerge, apiSource(res));
        sendJson(res, 200, toApiObject(store, info.name, primary));
    });

    router.post('/crm/v3/objects/:objectType/gdpr-delete', (req: Request, res: Response) => {
        const info = objectTypeParam(req.params.objectType);
        if (info.name !== 'contacts') throw validationError('GDPR deletion is only available for contacts');
        requireObjectScope(res, info, 'write');
        const input = parseBody(GdprDeleteInput, req);
        store.assertIdProperty(info.name, input.idProperty);
        const record = store.find(info.name, input.objectId, input.idProperty, true);
        if (!record) throw notFound(input.objectId);
        store.purge(info.name, record, apiSource(res));
        res.status(204).end();
    });

    router.post('/crm/v3/objects/:objectType/batch/:action', (req: Request, res: Response) => {
        const info = objectTypeParam(req.params.objectType);
        const action = String(req.params.action);
        requireObjectScope(res, info, action === 'read' ? 'read' : 'write');
        const outcome = runBatch(context, info, action, req, res);
        if (outcome.status === 204) res.status(204).end();
        else sendJson(res, outcome.status, outcome.body);
    });

    router.get('/crm/v3/objects/:objectType/:objectId', (req: Request, res: Response) => {
        const info = objectTypeParam(req.params.objectType);
        requireObjectScope(res, info, 'read');
        const id = String(req.params.objectId);
        const idProperty = req.query.idProperty === undefined ? undefined : String(req.query.idProperty);
        store.assertIdProperty(info.name, idProperty);
        const record = store.find(info.name, id, idProperty, queryFlag(req.query.archived));
        if (!record) throw notFound(id);
        sendJson(res, 200, toApiObject(store, info.name, record, readShape(req)));
    });

    router.patch('/crm/v3/objects/:objectType/:objectId', (req: Request, res: Response) => {
        const info = objectTypeParam(req.params.objectType);
        requireObjectScope(res, info, 'write');
        const id = String(req.params.objectId);
        const idProperty = req.query.idProperty === undefined ? undefined : String(req.query.idProperty);
        store.assertIdProperty(info.name, idProperty);
        const input = parseBody(UpdateInput, req);
        const record = store.find(info.name, id, idProperty);
        if (!record) throw notFound(id);
        const values = store.prepareWrite(info.name, input.properties, { existing: record });
        store.transaction(() => store.apply(info.name, record, values, apiSource(res)));
        sendJson(res, 200, toApiObject(store, info.name, record, writeShape(info, input.properties)));
    });

    router.delete('/crm/v3/objects/:objectType/:objectId', (req: Request, res: Response) => {
        const info = objectTypeParam(req.params.objectType);
        requireObjectScope(res, info, 'write');
        // HubSpot answers 204 whether or not the record exists.
        const record = store.find(info.name, String(req.params.objectId));
        if (record) store.transaction(() => store.archive(info.name, record, apiSource(res)));
        res.status(204).end();
    });

    return router;
}
