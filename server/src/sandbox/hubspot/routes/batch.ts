import type { Request, Response } from 'express';
import { z } from 'zod';
import type { FaultRule } from '../../common/faults';
import type { ObjectTypeInfo } from '../catalogue/object-types';
import type { SandboxContext } from '../context';
import { validationError } from '../errors';
import { toApiObject } from '../serialize';
import type { StoredObject } from '../store/crm-store';
import { CreateInput, createRecord, writeShape } from './record-writes';
import { apiSource, batchResponse, parseBody, queryFlag, standardError } from './support';

/** "Object API batch endpoints are limited to 100 inputs per request." */
export const MAX_BATCH_INPUTS = 100;

const Id = z.union([z.string(), z.number()]).transform(String);
const Properties = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));

const ReadBody = z.object({
    inputs: z.array(z.object({ id: Id })),
    properties: z.array(z.string()).default([]),
    propertiesWithHistory: z.array(z.string()).default([]),
    idProperty: z.string().optional()
});
/** `objectWriteTraceId` lets a caller match results and errors to its inputs. */
const TraceId = z.string().min(1).optional();
const CreateBody = z.object({ inputs: z.array(CreateInput.extend({ objectWriteTraceId: TraceId })) });
const UpdateBody = z.object({
    inputs: z.array(
        z.object({ id: Id, idProperty: z.string().optional(), properties: Properties, objectWriteTraceId: TraceId })
    )
});
const UpsertBody = z.object({
    inputs: z.array(
        z.object({ id: Id, idProperty: z.string().min(1), properties: Properties, objectWriteTraceId: TraceId })
    )
});
const ArchiveBody = z.object({ inputs: z.array(z.object({ id: Id })) });

function checkSize(inputs: unknown[]): void {
    if (inputs.length > MAX_BATCH_INPUTS)
        throw validationError(
            `Batch input size limit exceeded: ${inputs.length} inputs, the maximum is ${MAX_BATCH_INPUTS}`
        );
}

/** HubSpot refuses a batch that names the same record twice. */
function checkUnique(ids: string[]): void {
    const seen = new Set<string>();
    const duplicates = new Set<string>();
    for (const id of ids.map((value) => value.toLowerCase())) (seen.has(id) ? duplicates : seen).add(id);
    if (duplicates.size > 0)
        throw validationError(
            `Duplicate IDs found in batch input: [${[...duplicates].join(', ')}]. IDs must be unique`
        );
}

function missingError(info: ObjectTypeInfo, verb: string, ids: string[]) {
    return standardError(
        'OBJECT_NOT_FOUND',
        `Could not ${verb} some ${info.messageName} objects, they may be deleted or not exist. Check that ids are valid.`,
        { ids }
    );
}

/** Which inputs an injected `partial` fault fails (deterministic by position). */
function partialFailures(context: SandboxContext, req: Request, count: number): Set<number> {
    const rule: FaultRule | undefined = context.faults.take(req.method, req.path, ['partial']);
    const failed = new Set<number>();
    if (!rule) return failed;
    for (let index = 0; index < count; index++) if (context.faults.failsItem(rule, index)) failed.add(index);
    return failed;
}

/** One error per input an injected `partial` fault failed, naming it by trace id, id or position. */
function injectedErrors(
    info: ObjectTypeInfo,
    failed: Set<number>,
    inputs: { id?: string; objectWriteTraceId?: string }[]
) {
    return [...failed].map((index) => {
        const input = inputs[index];
        const context: Record<string, string[]> = input.objectWriteTraceId
            ? { objectWriteTraceId: [input.objectWriteTraceId] }
            : input.id !== undefined
              ? { ids: [input.id] }
              : { inputIndex: [String(index)] };
        return standardError(
            'VALIDATION_ERROR',
            `Could not process some ${info.messageName} objects because of a temporary error; retry them.`,
            context
        );
    });
}

/** The written object as a batch result, echoing the input's trace id. */
function written(
    context: SandboxContext,
    type: ObjectTypeInfo,
    record: StoredObject,
    properties: Record<string, unknown>,
    objectWriteTraceId: string | undefined
) {
    const result = toApiObject(context.store, type.name, record, writeShape(type, properties));
    return objectWriteTraceId ? { ...result, objectWriteTraceId } : result;
}

/**
 * The five batch actions. A bad value or an existing contact email fails the whole batch (400/409,
 * as HubSpot answers); missing ids and injected partial faults fail only their inputs (207).
 */
export function runBatch(
    context: SandboxContext,
    info: ObjectTypeInfo,
    action: string,
    req: Request,
    res: Response
): { status: number; body?: unknown } {
    const { store } = context;
    const type = info.name;
    const startedAt = context.clock.date();
    const source = apiSource(res);
    switch (action) {
        case 'read': {
            const body = parseBody(ReadBody, req);
            checkSize(body.inputs);
            store.assertIdProperty(type, body.idProperty);
            const archived = queryFlag(req.query.archived);
            const failed = partialFailures(context, req, body.inputs.length);
            const results: ReturnType<typeof toApiObject>[] = [];
            const missing: string[] = [];
            body.inputs.forEach((input, index) => {
                if (failed.has(index)) return;
                const record = store.find(type, input.id, body.idProperty, archived);
                if (!record) return void missing.push(input.id);
                results.push(
                    toApiObject(store, type, record, {
                        properties: body.properties,
                        propertiesWithHistory: body.propertiesWithHistory
                    })
                );
            });
            const errors = injectedErrors(info, failed, body.inputs);
            if (missing.length > 0) errors.unshift(missingError(info, 'get', missing));
            return batchResponse(context.clock, startedAt, results, errors);
        }
        case 'create': {
            const body = parseBody(CreateBody, req);
            checkSize(body.inputs);
            // Everything is validated before anything is written: the batch is all-or-nothing.
            for (const input of body.inputs) store.prepareWrite(type, input.properties);
            store.assertDistinctUniqueValues(
                type,
                body.inputs.map((input) => input.properties)
            );
            const failed = partialFailures(context, req, body.inputs.length);
            const results = store.transaction(() =>
                body.inputs.flatMap((input, index) =>
                    failed.has(index)
                        ? []
                        : [
                              written(
                                  context,
                                  info,
                                  createRecord(context, type, input, source),
                                  input.properties,
                                  input.objectWriteTraceId
                              )
                          ]
                )
            );
            const outcome = batchResponse(context.clock, startedAt, results, injectedErrors(info, failed, body.inputs));
            return { status: outcome.status === 200 ? 201 : outcome.status, body: outcome.body };
        }
        case 'update': {
            const body = parseBody(UpdateBody, req);
            checkSize(body.inputs);
            checkUnique(body.inputs.map((input) => input.id));
            const failed = partialFailures(context, req, body.inputs.length);
            const missing: string[] = [];
            const planned: {
                record: StoredObject;
                values: Record<string, string>;
                input: (typeof body.inputs)[number];
            }[] = [];
            body.inputs.forEach((input, index) => {
                store.assertIdProperty(type, input.idProperty);
                const record = store.find(type, input.id, input.idProperty);
                const values = store.prepareWrite(type, input.properties, { existing: record });
                if (failed.has(index)) return;
                if (record) planned.push({ record, values, input });
                else missing.push(input.id);
            });
            store.transaction(() => {
                for (const { record, values } of planned) store.apply(type, record, values, source);
            });
            const results = planned.map(({ record, input }) =>
                written(context, info, record, input.properties, input.objectWriteTraceId)
            );
            const errors = injectedErrors(info, failed, body.inputs);
            if (missing.length > 0) errors.unshift(missingError(info, 'update', missing));
            return batchResponse(context.clock, startedAt, results, errors);
        }
        case 'upsert': {
            const body = parseBody(UpsertBody, req);
            checkSize(body.inputs);
            checkUnique(body.inputs.map((input) => input.id));
            const failed = partialFailures(context, req, body.inputs.length);
            const planned = body.inputs.flatMap((input, index) => {
                store.assertIdProperty(type, input.idProperty);
                const record = store.find(type, input.id, input.idProperty);
                // The idProperty value becomes part of a created record (e.g. the contact's email) and is
                // shown in every result.
                const shown = { ...input.properties, [input.idProperty]: input.id };
                const values = store.prepareWrite(type, record ? input.properties : shown, { existing: record });
                return failed.has(index) ? [] : [{ record, shown, values, traceId: input.objectWriteTraceId }];
            });
            store.assertDistinctUniqueValues(
                type,
                planned.map((plan) => plan.shown)
            );
            const results = store.transaction(() =>
                planned.map(({ record, shown, values, traceId }) => {
                    if (record) {
                        store.apply(type, record, values, source);
                        return { ...written(context, info, record, shown, traceId), new: false };
                    }
                    const created = createRecord(context, type, { properties: shown }, source);
                    return { ...written(context, info, created, shown, traceId), new: true };
                })
            );
            return batchResponse(context.clock, startedAt, results, injectedErrors(info, failed, body.inputs));
        }
        case 'archive': {
            const body = parseBody(ArchiveBody, req);
            checkSize(body.inputs);
            store.transaction(() => {
                for (const input of body.inputs) {
                    const record = store.find(type, input.id);
                    if (record) store.archive(type, record, source);
                }
            });
            return { status: 204 };
        }
        default:
            throw validationError(`Unknown batch action: ${action}`);
    }
}
