import type { Request, Response } from 'express';
import type { SandboxClock } from '../../common/clock';
import type { z } from 'zod';
import { missingScopes, type PrivateApp } from '../auth';
import { resolveObjectType, type ObjectTypeInfo, type ObjectTypeName } from '../catalogue/object-types';
import { validationError } from '../errors';
import type { WriteSource } from '../store/crm-store';

/** The app `authenticate` put on the response (every API route runs after it). */
export function appOf(res: Response): PrivateApp {
    return res.locals.app as PrivateApp;
}

/** HubSpot's scope check: any one of `scopes` suffices. */
export function requireScope(res: Response, ...scopes: string[]): void {
    const app = appOf(res);
    if (!scopes.some((scope) => app.scopes.has(scope))) throw missingScopes(scopes);
}

export function objectTypeParam(segment: unknown): ObjectTypeInfo {
    const info = typeof segment === 'string' ? resolveObjectType(segment) : undefined;
    if (!info) throw validationError(`Unable to infer object type from: ${String(segment)}`);
    return info;
}

export function requireObjectScope(res: Response, info: ObjectTypeInfo, access: 'read' | 'write'): void {
    requireScope(res, `crm.objects.${info.scopeObject}.${access}`);
}

/** A list query parameter: repeated (`?p=a&p=b`, what the client sends) or comma-separated (the docs' form). */
export function queryList(value: unknown): string[] {
    const parts = Array.isArray(value) ? value : value === undefined ? [] : [value];
    return parts
        .flatMap((part) => String(part).split(','))
        .map((part) => part.trim())
        .filter(Boolean);
}

export function queryFlag(value: unknown): boolean {
    return String(Array.isArray(value) ? value[0] : value).toLowerCase() === 'true';
}

export function queryInteger(value: unknown, name: string, fallback: number): number {
    if (value === undefined || value === '') return fallback;
    const parsed = Number(Array.isArray(value) ? value[0] : value);
    if (!Number.isInteger(parsed) || parsed < 0)
        throw validationError(`${name} must be a non-negative integer, got ${String(value)}`);
    return parsed;
}

export function associationTargets(value: unknown): ObjectTypeName[] {
    return queryList(value)
        .map((name) => resolveObjectType(name)?.name)
        .filter((name): name is ObjectTypeName => name !== undefined);
}

/** Who an API write comes from: the private app (`INTEGRATION`, source id = app id). */
export function apiSource(res: Response): WriteSource {
    return { sourceType: 'INTEGRATION', sourceId: String(appOf(res).appId) };
}

/** Validates a JSON body; HubSpot words schema failures as "Invalid input JSON ...". */
export function parseBody<Schema extends z.ZodType>(schema: Schema, req: Request): z.infer<Schema> {
    const result = schema.safeParse(req.body);
    if (result.success) return result.data;
    const issue = result.error.issues[0];
    const where = issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    throw validationError(`Invalid input JSON${where}: ${issue.message}`);
}

/** `{status, results, startedAt, completedAt}` plus `numErrors`/`errors` when some inputs failed. */
export function batchResponse<T>(
    clock: SandboxClock,
    startedAt: Date,
    results: T[],
    errors: Record<string, unknown>[]
): { status: number; body: Record<string, unknown> } {
    const body: Record<string, unknown> = {
        status: 'COMPLETE',
        results,
        startedAt: startedAt.toISOString(),
        completedAt: clock.date().toISOString()
    };
    if (errors.length === 0) return { status: 200, body };
    return { status: 207, body: { ...body, numErrors: errors.length, errors } };
}

/** A per-input error inside a 207 (spec `StandardError`). */
export function standardError(category: string, message: string, context: Record<string, string[]>) {
    return { status: 'error', category, message, context, errors: [], links: {} };
}

export function requestOrigin(req: Request): string {
    return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}
