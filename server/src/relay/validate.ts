/**
 * Request validation: every route states the zod schema of each request part it reads and gets the
 * parsed, typed values back. A part without a schema must be empty, so unexpected input is refused
 * rather than ignored.
 */
import type { Request } from 'express';
import { z } from 'zod';
import { type RequestPart, type ValidationIssue, validationError, validationIssues } from './http-error';

const empty = z.strictObject({});
const noBody = z.union([z.undefined(), empty]);

interface Schemas<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
    params?: P;
    query?: Q;
    body?: B;
}

export interface ParsedRequest<P, Q, B> {
    params: P;
    query: Q;
    body: B;
}

export function parseRequest<
    P extends z.ZodType = typeof empty,
    Q extends z.ZodType = typeof empty,
    B extends z.ZodType = typeof noBody
>(req: Request, schemas: Schemas<P, Q, B>): ParsedRequest<z.output<P>, z.output<Q>, z.output<B>> {
    const issues: ValidationIssue[] = [];
    const parse = <S extends z.ZodType>(location: RequestPart, schema: S, value: unknown): z.output<S> => {
        const result = schema.safeParse(value);
        if (!result.success) issues.push(...validationIssues(location, result.error));
        return result.data as z.output<S>;
    };
    const params = parse('params', schemas.params ?? empty, { ...req.params });
    const query = parse('query', schemas.query ?? empty, { ...(req.query as object) });
    const body = parse('body', schemas.body ?? noBody, req.body);
    if (issues.length > 0) {
        const fields = [...new Set(issues.map((issue) => `${issue.location}${issue.path ? `.${issue.path}` : ''}`))];
        throw validationError(`The request is not valid: check ${fields.join(', ')}.`, issues);
    }
    return { params, query, body } as ParsedRequest<z.output<P>, z.output<Q>, z.output<B>>;
}
