import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { associationType, defaultAssociationType } from '../catalogue/associations';
import type { ObjectTypeInfo } from '../catalogue/object-types';
import type { SandboxContext } from '../context';
import { notFound, sendJson, validationError } from '../errors';
import type { StoredObject } from '../store/crm-store';
import {
    apiSource,
    batchResponse,
    objectTypeParam,
    parseBody,
    queryInteger,
    requestOrigin,
    requireObjectScope,
    standardError
} from './support';

const MAX_ASSOCIATIONS_PAGE = 500;
/** Association batch endpoints accept more than the object ones. */
const MAX_ASSOCIATION_BATCH = 1_000;

const Id = z.union([z.string(), z.number()]).transform(String);
const Spec = z.object({
    associationCategory: z.enum(['HUBSPOT_DEFINED', 'USER_DEFINED', 'INTEGRATOR_DEFINED']),
    associationTypeId: z.number().int()
});
const Specs = z.array(Spec).min(1);
const BatchRead = z.object({ inputs: z.array(z.object({ id: Id, after: z.string().optional() })) });
const BatchCreate = z.object({
    inputs: z.array(z.object({ from: z.object({ id: Id }), to: z.object({ id: Id }), types: Specs }))
});
const BatchDefault = z.object({ inputs: z.array(z.object({ from: z.object({ id: Id }), to: z.object({ id: Id }) })) });
const BatchArchive = z.object({
    inputs: z.array(z.object({ from: z.object({ id: Id }), to: z.array(z.object({ id: Id })) }))
});

function checkBatchSize(inputs: unknown[]): void {
    if (inputs.length > MAX_ASSOCIATION_BATCH)
        throw validationError(
            `Batch input size limit exceeded: ${inputs.length} inputs, the maximum is ${MAX_ASSOCIATION_BATCH}`
        );
}

/** `{category, typeId, label}` entries as v4 reports them. */
function describeTypes(typeIds: number[]) {
    return typeIds.map((typeId) => {
        const type = associationType(typeId);
        return { category: type?.category ?? 'HUBSPOT_DEFINED', typeId, label: type?.label ?? null };
    });
}

export function associationsRouter(context: SandboxContext): Router {
    const router = Router();
    const { store } = context;

    const pair = (req: Request, res: Response, fromKey: string, toKey: string, access: 'read' | 'write') => {
        const from = objectTypeParam(req.params[fromKey]);
        const to = objectTypeParam(req.params[toKey]);
        requireObjectScope(res, from, access);
        requireObjectScope(res, to, access);
        return { from, to };
    };
    const record = (info: ObjectTypeInfo, id: string) => {
        const found = store.find(info.name, id);
        if (!found) throw notFound(id);
        return found;
    };
    const labelsBetween = (
        from: ObjectTypeInfo,
        fromId: number,
        to: ObjectTypeInfo,
        toId: number,
        typeIds: number[]
    ) => ({
        fromObjectTypeId: from.objectTypeId,
        fromObjectId: fromId,
        toObjectTypeId: to.objectTypeId,
        toObjectId: toId,
        labels: typeIds.map((id) => associationType(id)?.label).filter((label): label is string => !!label)
    });

    router.put(
        '/crm/v4/objects/:fromType/:fromId/associations/default/:toType/:toId',
        (req: Request, res: Response) => {
            const startedAt = context.clock.date();
            const { from, to } = pair(req, res, 'fromType', 'toType', 'write');
            const source = record(from, String(req.params.fromId));
            const target = record(to, String(req.params.toId));
            const type = defaultAssociationType(from.name, to.name);
            if (!type) throw validationError(`${from.name} cannot be associated with ${to.name}`);
            store.transaction(() =>
                store.associate(from.name, source.id, to.name, target.id, [type.typeId], apiSource(res))
            );
            const spec = (typeId: number) => ({ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: typeId });
            const results = [
                { from: { id: String(source.id) }, to: { id: String(target.id) }, associationSpec: spec(type.typeId) },
                {
                    from: { id: String(target.id) },
                    to: { id: String(source.id) },
                    associationSpec: spec(type.inverseTypeId)
                }
            ];
            sendJson(res, 200, batchResponse(context.clock, startedAt, results, []).body);
        }
    );

    router.put('/crm/v4/objects/:fromType/:fromId/associations/:toType/:toId', (req: Request, res: Response) => {
        const { from, to } = pair(req, res, 'fromType', 'toType', 'write');
        const specs = parseBody(Specs, req);
        const source = record(from, String(req.params.fromId));
        const target = record(to, String(req.params.toId));
        const typeIds = store.transaction(() =>
            store.associate(
                from.name,
                source.id,
                to.name,
                target.id,
                specs.map((s) => s.associationTypeId),
                apiSource(res)
            )
        );
        sendJson(res, 201, labelsBetween(from, source.id, to, target.id, typeIds));
    });

    router.get('/crm/v4/objects/:fromType/:fromId/associations/:toType', (req: Request, res: Response) => {
        const { from, to } = pair(req, res, 'fromType', 'toType', 'read');
        const source = record(from, String(req.params.fromId));
        const limit = Math.min(
            Math.max(queryInteger(req.query.limit, 'limit', MAX_ASSOCIATIONS_PAGE), 1),
            MAX_ASSOCIATIONS_PAGE
        );
        const after = queryInteger(req.query.after, 'after', 0);
        const all = [...store.associationsOf(from.name, source.id, to.name)];
        const page = all
            .slice(after, after + limit)
            .map(([toObjectId, typeIds]) => ({ toObjectId, associationTypes: describeTypes(typeIds) }));
        const body: Record<string, unknown> = { results: page };
        if (after + limit < all.length) {
            const next = String(after + limit);
            body.paging = {
                next: { after: next, link: `${requestOrigin(req)}${req.path}?after=${next}&limit=${limit}` }
            };
        }
        sendJson(res, 200, body);
    });

    router.delete('/crm/v4/objects/:fromType/:fromId/associations/:toType/:toId', (req: Request, res: Response) => {
        const { from, to } = pair(req, res, 'fromType', 'toType', 'write');
        const source = store.find(from.name, String(req.params.fromId));
        const target = store.find(to.name, String(req.params.toId));
        if (source && target)
            store.transaction(() =>
                store.dissociate(from.name, source.id, to.name, target.id, undefined, apiSource(res))
            );
        res.status(204).end();
    });

    router.get('/crm/v4/associations/:fromType/:toType/labels', (req: Request, res: Response) => {
        const { from, to } = pair(req, res, 'fromType', 'toType', 'read');
        const results = store.associationDefinitions(from.name, to.name).map((type) => ({
            category: type.category,
            typeId: type.typeId,
            label: type.label
        }));
        sendJson(res, 200, { results });
    });

    router.post('/crm/v4/associations/:fromType/:toType/batch/:action', (req: Request, res: Response) => {
        const startedAt = context.clock.date();
        const action = String(req.params.action);
        const { from, to } = pair(req, res, 'fromType', 'toType', action === 'read' ? 'read' : 'write');
        const source = apiSource(res);
        const missingError = (ids: string[], of: ObjectTypeInfo = from) =>
            standardError('OBJECT_NOT_FOUND', `No ${of.singular} objects found with ids: ${ids.join(', ')}`, { ids });
        switch (action) {
            case 'read': {
                const body = parseBody(BatchRead, req);
                checkBatchSize(body.inputs);
                const missing: string[] = [];
                const results = [];
                for (const input of body.inputs) {
                    const found = store.find(from.name, input.id);
                    const targets = found ? [...store.associationsOf(from.name, found.id, to.name)] : [];
                    // Inputs without associations are reported as errors, as HubSpot does.
                    if (targets.length === 0) {
                        missing.push(input.id);
                        continue;
                    }
                    results.push({
                        from: { id: input.id },
                        to: targets.map(([toObjectId, typeIds]) => ({
                            toObjectId,
                            associationTypes: describeTypes(typeIds)
                        }))
                    });
                }
                const outcome = batchResponse(
                    context.clock,
                    startedAt,
                    results,
                    missing.length > 0 ? [missingError(missing)] : []
                );
                return sendJson(res, outcome.status, outcome.body);
            }
            case 'create': {
                const body = parseBody(BatchCreate, req);
                checkBatchSize(body.inputs);
                const missing: string[] = [];
                const missingTargets: string[] = [];
                const planned: { a: StoredObject; b: StoredObject; typeIds: number[] }[] = [];
                for (const input of body.inputs) {
                    const a = store.find(from.name, input.from.id);
                    const b = store.find(to.name, input.to.id);
                    const typeIds = input.types.map((t) => t.associationTypeId);
                    store.resolveAssociationTypes(from.name, to.name, typeIds);
                    if (a && b) planned.push({ a, b, typeIds });
                    else if (a) missingTargets.push(input.to.id);
                    else missing.push(input.from.id);
                }
                const results = store.transaction(() =>
                    planned.map(({ a, b, typeIds }) =>
                        labelsBetween(
                            from,
                            a.id,
                            to,
                            b.id,
                            store.associate(from.name, a.id, to.name, b.id, typeIds, source)
                        )
                    )
                );
                const outcome = batchResponse(context.clock, startedAt, results, [
                    ...(missing.length > 0 ? [missingError(missing)] : []),
                    ...(missingTargets.length > 0 ? [missingError(missingTargets, to)] : [])
                ]);
                return sendJson(res, outcome.status === 200 ? 201 : outcome.status, outcome.body);
            }
            case 'archive': {
                const body = parseBody(BatchArchive, req);
                checkBatchSize(body.inputs);
                store.transaction(() => {
                    for (const input of body.inputs) {
                        const a = store.find(from.name, input.from.id);
                        if (!a) continue;
                        for (const target of input.to) {
                            const b = store.find(to.name, target.id);
                            if (b) store.dissociate(from.name, a.id, to.name, b.id, undefined, source);
                        }
                    }
                });
                return void res.status(204).end();
            }
            default:
                throw validationError(`Unknown batch action: ${action}`);
        }
    });

    router.post('/crm/v4/associations/:fromType/:toType/batch/associate/default', (req: Request, res: Response) => {
        const startedAt = context.clock.date();
        const { from, to } = pair(req, res, 'fromType', 'toType', 'write');
        const body = parseBody(BatchDefault, req);
        checkBatchSize(body.inputs);
        const type = defaultAssociationType(from.name, to.name);
        if (!type) throw validationError(`${from.name} cannot be associated with ${to.name}`);
        const pairs = body.inputs.map((input) => ({ a: record(from, input.from.id), b: record(to, input.to.id) }));
        const results = store.transaction(() =>
            pairs.map(({ a, b }) => {
                store.associate(from.name, a.id, to.name, b.id, [type.typeId], apiSource(res));
                return {
                    from: { id: String(a.id) },
                    to: { id: String(b.id) },
                    associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: type.typeId }
                };
            })
        );
        sendJson(res, 200, batchResponse(context.clock, startedAt, results, []).body);
    });

    router.post('/crm/v4/associations/:fromType/:toType/batch/labels/archive', (req: Request, res: Response) => {
        const { from, to } = pair(req, res, 'fromType', 'toType', 'write');
        const body = parseBody(BatchCreate, req);
        checkBatchSize(body.inputs);
        store.transaction(() => {
            for (const input of body.inputs) {
                const a = store.find(from.name, input.from.id);
                const b = store.find(to.name, input.to.id);
                const typeIds = input.types.map((t) => t.associationTypeId);
                if (a && b) store.dissociate(from.name, a.id, to.name, b.id, typeIds, apiSource(res));
            }
        });
        res.status(204).end();
    });

    return router;
}
