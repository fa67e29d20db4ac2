import { toId18 } from '../ids';
import { SalesforceError } from '../errors';
import type { SchemaCatalog } from '../schema/catalog';
import { isNumberType, isTextType, type FieldDef, type ObjectDef } from '../schema/types';
import type { RecordStore, SObjectRecord } from '../store';
import { attributes, toWireValue } from '../wire-format';
import type { ComparisonOperator, Condition, FieldPath, Literal, SelectQuery } from './ast';
import { formatQueryError, SoqlSyntaxError } from './errors';
import { parseSoql } from './parser';

/**
 * Plans and runs a parsed query against the store: resolves every field path (parent relationships
 * included), type-checks filter values as Salesforce does, then filters, sorts and pages.
 */

const DAY_MS = 86_400_000;

/** A field reached from the queried object, possibly through parent relationships. */
interface ResolvedPath {
    /** Reference fields to follow, in order. */
    hops: FieldDef[];
    field: FieldDef;
    /** Canonical spelling for output (Account.Name). */
    canonical: string[];
}

export interface QueryEnvironment {
    catalog: SchemaCatalog;
    store: RecordStore;
    now(): number;
}

/** A child subquery: the relationship it follows and the prepared inner query. */
interface PreparedSubquery {
    name: string;
    field: FieldDef;
    query: PreparedQuery;
}

export interface PreparedQuery {
    object: ObjectDef;
    /** Output order of the select list: a column index or a subquery index. */
    outputs: ({ kind: 'column'; index: number } | { kind: 'subquery'; index: number })[];
    subqueries: PreparedSubquery[];
    /** `COUNT()`: the answer is the size, with no rows. */
    countOnly: boolean;
    /** `COUNT(field)` / `COUNT()` with alias: one AggregateResult row. */
    aggregateAlias?: string;
    columns: ResolvedPath[];
    matches(record: SObjectRecord): boolean;
    compare: ((a: SObjectRecord, b: SObjectRecord) => number) | undefined;
    limit?: number;
    offset?: number;
}

export class QueryError extends SalesforceError {}

function queryError(code: string, text: string, position: number, reason: string): QueryError {
    return new QueryError(400, code, formatQueryError(text, position, reason));
}

export function prepareQuery(text: string, env: QueryEnvironment): PreparedQuery {
    let ast: SelectQuery;
    try {
        ast = parseSoql(text);
    } catch (error) {
        if (error instanceof SoqlSyntaxError) throw queryError('MALFORMED_QUERY', text, error.position, error.message);
        throw error;
    }
    const object = env.catalog.find(ast.from.name);
    if (!object) {
        throw queryError(
            'INVALID_TYPE',
            text,
            ast.from.position,
            `sObject type '${ast.from.name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`
        );
    }
    return prepareAst(ast, object, env, text);
}

function prepareAst(ast: SelectQuery, object: ObjectDef, env: QueryEnvironment, text: string): PreparedQuery {
    const resolve = (path: FieldPath) => resolvePath(path, object, env.catalog, text);
    const counts = ast.select.filter((item) => item.kind === 'count');
    if (counts.length > 0 && ast.select.length > 1) {
        throw queryError(
            'MALFORMED_QUERY',
            text,
            counts[0].position,
            'COUNT() must be the only element in the SELECT list'
        );
    }
    const count = counts[0];
    const columns: ResolvedPath[] = [];
    const subqueries: PreparedSubquery[] = [];
    const outputs: PreparedQuery['outputs'] = [];
    for (const item of ast.select) {
        if (item.kind === 'field') {
            outputs.push({ kind: 'column', index: columns.length });
            columns.push(resolve(item.path));
        } else if (item.kind === 'subquery') {
            outputs.push({ kind: 'subquery', index: subqueries.length });
            subqueries.push(prepareSubquery(item.query, object, env, text));
        }
    }
    const matches = ast.where ? compileCondition(ast.where, resolve, env, text) : () => true;
    const orderings = ast.orderBy.map((item) => ({ ...item, resolved: resolve(item.path) }));
    const compare =
        orderings.length === 0
            ? undefined
            : (a: SObjectRecord, b: SObjectRecord) => {
                  for (const ordering of orderings) {
                      const left = readPath(a, ordering.resolved, env.store);
                      const right = readPath(b, ordering.resolved, env.store);
                      const result = compareForSort(left, right, ordering.resolved.field, ordering.nullsLast);
                      if (result !== 0) return ordering.descending && left != null && right != null ? -result : result;
                  }
                  return 0;
              };
    if (count?.field) resolve(count.field);
    return {
        object,
        outputs,
        subqueries,
        countOnly: count !== undefined && count.field === undefined && count.alias === undefined,
        aggregateAlias:
            count && (count.field !== undefined || count.alias !== undefined) ? (count.alias ?? 'expr0') : undefined,
        columns,
        matches,
        compare,
        limit: ast.limit,
        offset: ast.offset
    };
}

function prepareSubquery(ast: SelectQuery, parent: ObjectDef, env: QueryEnvironment, text: string): PreparedSubquery {
    const relationship = env.catalog
        .childRelationships(parent)
        .find((r) => r.name.toLowerCase() === ast.from.name.toLowerCase());
    if (!relationship) {
        throw queryError(
            'INVALID_TYPE',
            text,
            ast.from.position,
            `Didn't understand relationship '${ast.from.name}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`
        );
    }
    const counts = ast.select.find((item) => item.kind === 'count');
    if (counts) throw queryError('MALFORMED_QUERY', text, counts.position, 'COUNT() is not supported in a subquery');
    return {
        name: relationship.name,
        field: relationship.field,
        query: prepareAst(ast, relationship.childObject, env, text)
    };
}

function resolvePath(path: FieldPath, object: ObjectDef, catalog: SchemaCatalog, text: string): ResolvedPath {
    let parts = path.parts;
    if (parts.length > 1 && parts[0].toLowerCase() === object.name.toLowerCase()) parts = parts.slice(1);
    const hops: FieldDef[] = [];
    const canonical: string[] = [];
    let current: ObjectDef = object;
    for (let i = 0; i < parts.length - 1; i++) {
        const reference = current.relationshipsByLowerName.get(parts[i].toLowerCase());
        if (!reference) {
            throw queryError(
                'INVALID_FIELD',
                text,
                path.position,
                `Didn't understand relationship '${parts[i]}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`
            );
        }
        hops.push(reference);
        canonical.push(reference.relationshipName!);
        // Polymorphic references (Who, What) expose the fields their targets share; use the first target.
        current = catalog.find(reference.referenceTo[0])!;
    }
    const last = parts[parts.length - 1];
    const field = current.fieldsByLowerName.get(last.toLowerCase());
    if (!field) {
        throw queryError(
            'INVALID_FIELD',
            text,
            path.position,
            `No such column '${last}' on entity '${current.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`
        );
    }
    canonical.push(field.name);
    return { hops, field, canonical };
}

/** The raw stored value at the end of a path, or undefined when a parent is missing. */
function readPath(record: SObjectRecord, path: ResolvedPath, store: RecordStore): unknown {
    let current: SObjectRecord | undefined = record;
    for (const hop of path.hops) {
        const parentId: unknown = current[hop.name];
        current = typeof parentId === 'string' ? store.get(parentId) : undefined;
        if (!current) return undefined;
    }
    return current[path.field.name];
}

type Range = { start: number; end: number };

function startOfDay(ms: number): number {
    return Math.floor(ms / DAY_MS) * DAY_MS;
}

function relativeRange(literal: Extract<Literal, { kind: 'relativeDate' }>, now: number): Range {
    const today = startOfDay(now);
    const n = literal.n ?? 0;
    const weekStart = today - new Date(today).getUTCDay() * DAY_MS;
    const monthStart = (offset: number) => {
        const d = new Date(today);
        return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 1);
    };
    switch (literal.name) {
        case 'TODAY':
            return { start: today, end: today + DAY_MS };
        case 'YESTERDAY':
            return { start: today - DAY_MS, end: today };
        case 'TOMORROW':
            return { start: today + DAY_MS, end: today + 2 * DAY_MS };
        case 'LAST_N_DAYS':
            return { start: today - n * DAY_MS, end: today + DAY_MS };
        case 'NEXT_N_DAYS':
            return { start: today + DAY_MS, end: today + (n + 1) * DAY_MS };
        case 'N_DAYS_AGO':
            return { start: today - n * DAY_MS, end: today - (n - 1) * DAY_MS };
        case 'THIS_WEEK':
            return { start: weekStart, end: weekStart + 7 * DAY_MS };
        case 'LAST_WEEK':
            return { start: weekStart - 7 * DAY_MS, end: weekStart };
        case 'THIS_MONTH':
            return { start: monthStart(0), end: monthStart(1) };
        default:
            return { start: monthStart(-1), end: monthStart(0) };
    }
}

/** Stored values of a field, normalised so that `<`/`=` work: numbers, or lower-cased strings. */
function comparable(field: FieldDef, value: unknown): number | string | boolean | undefined {
    if (value === undefined || value === null) return undefined;
    if (field.type === 'date') return Date.parse(`${value as string}T00:00:00Z`);
    if (field.type === 'id' || field.type === 'reference') return value as string;
    if (typeof value === 'string') return value.toLowerCase();
    return value as number | boolean;
}

type Operand = { kind: 'value'; value: number | string | boolean | undefined } | { kind: 'range'; range: Range };

function typeName(field: FieldDef): string {
    if (field.type === 'datetime') return 'dateTime';
    if (field.type === 'date') return 'date';
    if (isNumberType(field.type)) return field.type === 'int' ? 'int' : 'double';
    return field.type === 'id' || field.type === 'reference' ? 'id' : field.type === 'boolean' ? 'boolean' : 'string';
}

function literalOperand(literal: Literal, field: FieldDef, now: number, fail: (reason: string) => never): Operand {
    const mismatch = (): never => {
        const expected = typeName(field);
        const needsQuotes = expected === 'string' || expected === 'id';
        return fail(
            `value of filter criterion for field '${field.name}' must be of type ${expected} and ${
                needsQuotes ? 'should be enclosed in quotes' : 'should not be enclosed in quotes'
            }`
        );
    };
    if (literal.kind === 'null') return { kind: 'value', value: undefined };
    switch (field.type) {
        case 'boolean':
            return literal.kind === 'boolean' ? { kind: 'value', value: literal.value } : mismatch();
        case 'int':
        case 'double':
        case 'currency':
        case 'percent':
            return literal.kind === 'number' ? { kind: 'value', value: literal.value } : mismatch();
        case 'date':
            if (literal.kind === 'date') return { kind: 'value', value: Date.parse(`${literal.value}T00:00:00Z`) };
            if (literal.kind === 'relativeDate') return { kind: 'range', range: relativeRange(literal, now) };
            return mismatch();
        case 'datetime':
            if (literal.kind === 'datetime') return { kind: 'value', value: literal.value };
            if (literal.kind === 'relativeDate') return { kind: 'range', range: relativeRange(literal, now) };
            return mismatch();
        case 'id':
        case 'reference': {
            if (literal.kind !== 'string') return mismatch();
            const id = toId18(literal.value);
            if (!id) return fail(`invalid ID field: ${literal.value}`);
            return { kind: 'value', value: id };
        }
        default:
            return literal.kind === 'string' ? { kind: 'value', value: literal.value.toLowerCase() } : mismatch();
    }
}

function likeMatcher(pattern: string): (value: string) => boolean {
    let source = '';
    for (let i = 0; i < pattern.length; i++) {
        const ch = pattern[i];
        if (ch === '\\' && (pattern[i + 1] === '%' || pattern[i + 1] === '_')) {
            source += `\\${pattern[++i]}`;
        } else if (ch === '%') source += '[\\s\\S]*';
        else if (ch === '_') source += '[\\s\\S]';
        else source += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
    const regex = new RegExp(`^${source}$`, 'i');
    return (value) => regex.test(value);
}

function compareScalars(operator: ComparisonOperator, actual: unknown, operand: Operand): boolean {
    if (operand.kind === 'range') {
        if (typeof actual !== 'number') return operator === '!=';
        const { start, end } = operand.range;
        switch (operator) {
            case '=':
                return actual >= start && actual < end;
            case '!=':
                return actual < start || actual >= end;
            case '<':
                return actual < start;
            case '<=':
                return actual < end;
            case '>':
                return actual >= end;
            default:
                return actual >= start;
        }
    }
    const expected = operand.value;
    if (operator === '=') return actual === expected;
    if (operator === '!=') return actual !== expected;
    if (actual === undefined || expected === undefined) return false;
    const a = actual as number | string;
    const b = expected as number | string;
    switch (operator) {
        case '<':
            return a < b;
        case '<=':
            return a <= b;
        case '>':
            return a > b;
        default:
            return a >= b;
    }
}

function compileCondition(
    condition: Condition,
    resolve: (path: FieldPath) => ResolvedPath,
    env: QueryEnvironment,
    text: string
): (record: SObjectRecord) => boolean {
    switch (condition.kind) {
        case 'and': {
            const left = compileCondition(condition.left, resolve, env, text);
            const right = compileCondition(condition.right, resolve, env, text);
            return (r) => left(r) && right(r);
        }
        case 'or': {
            const left = compileCondition(condition.left, resolve, env, text);
            const right = compileCondition(condition.right, resolve, env, text);
            return (r) => left(r) || right(r);
        }
        case 'not': {
            const operand = compileCondition(condition.operand, resolve, env, text);
            return (r) => !operand(r);
        }
        case 'compare':
            return compileComparison(condition, resolve(condition.path), env, text);
    }
}

function compileComparison(
    condition: Extract<Condition, { kind: 'compare' }>,
    path: ResolvedPath,
    env: QueryEnvironment,
    text: string
): (record: SObjectRecord) => boolean {
    const { field } = path;
    const { operator } = condition;
    const fail = (reason: string, code = 'INVALID_FIELD'): never => {
        throw queryError(code, text, condition.valuePosition, reason);
    };
    const now = env.now();
    const read = (record: SObjectRecord) => comparable(field, readPath(record, path, env.store));
    if (operator === 'LIKE') {
        if (!isTextType(field.type) && field.type !== 'id' && field.type !== 'reference') {
            fail(`invalid operator on field '${field.name}': LIKE`, 'INVALID_QUERY_FILTER_OPERATOR');
        }
        const literal = condition.value as Literal;
        if (literal.kind !== 'string') fail(`LIKE requires a string value`, 'MALFORMED_QUERY');
        const matcher = likeMatcher((literal as { value: string }).value);
        return (r) => {
            const value = readPath(r, path, env.store);
            return typeof value === 'string' && matcher(value);
        };
    }
    if (operator === 'INCLUDES' || operator === 'EXCLUDES') {
        if (field.type !== 'multipicklist') {
            fail(`includes or excludes operator only valid on multipicklist field`, 'INVALID_QUERY_FILTER_OPERATOR');
        }
        const wanted = (condition.value as Literal[]).map((literal) => {
            if (literal.kind !== 'string') return fail('INCLUDES and EXCLUDES take string values', 'MALFORMED_QUERY');
            return literal.value
                .toLowerCase()
                .split(';')
                .map((v) => v.trim());
        });
        const includes = (r: SObjectRecord) => {
            const value = read(r);
            if (typeof value !== 'string') return false;
            const selected = new Set(value.split(';').map((v) => v.trim()));
            return wanted.some((combination) => combination.every((v) => selected.has(v)));
        };
        return operator === 'INCLUDES' ? includes : (r) => !includes(r);
    }
    if (operator === 'IN' || operator === 'NOT IN') {
        const operands = (condition.value as Literal[]).map((literal) => literalOperand(literal, field, now, fail));
        const isIn = (r: SObjectRecord) => {
            const value = read(r);
            return operands.some((operand) => compareScalars('=', value, operand));
        };
        return operator === 'IN' ? isIn : (r) => !isIn(r);
    }
    const literal = condition.value as Literal;
    if (literal.kind === 'null' && operator !== '=' && operator !== '!=') {
        fail(`invalid operator on null value: ${operator}`, 'MALFORMED_QUERY');
    }
    if (field.type === 'boolean' && operator !== '=' && operator !== '!=') {
        fail(`invalid operator on boolean field '${field.name}': ${operator}`, 'INVALID_QUERY_FILTER_OPERATOR');
    }
    const operand = literalOperand(literal, field, now, fail);
    return (r) => compareScalars(operator, read(r), operand);
}

function compareForSort(left: unknown, right: unknown, field: FieldDef, nullsLast: boolean): number {
    const a = comparable(field, left);
    const b = comparable(field, right);
    if (a === undefined && b === undefined) return 0;
    if (a === undefined) return nullsLast ? 1 : -1;
    if (b === undefined) return nullsLast ? -1 : 1;
    if (a === b) return 0;
    return a < b ? -1 : 1;
}

/** Runs a prepared query: ids of matching rows in order, after OFFSET/LIMIT. */
export function runQuery(prepared: PreparedQuery, env: QueryEnvironment, includeDeleted: boolean): string[] {
    const rows: SObjectRecord[] = [];
    for (const record of env.store.table(prepared.object.name).values()) {
        if (!includeDeleted && record.IsDeleted === true) continue;
        if (prepared.matches(record)) rows.push(record);
    }
    if (prepared.compare) rows.sort(prepared.compare);
    const start = prepared.offset ?? 0;
    const end = prepared.limit === undefined ? rows.length : start + prepared.limit;
    return rows.slice(start, end).map((r) => r.Id);
}

/** Children of the given parents for every subquery: subquery index -> parent id -> matching children. */
export type ChildIndex = Map<string, SObjectRecord[]>[];

export function indexChildren(
    prepared: PreparedQuery,
    parentIds: string[],
    env: QueryEnvironment,
    includeDeleted: boolean
): ChildIndex {
    const parents = new Set(parentIds);
    return prepared.subqueries.map((subquery) => {
        const byParent = new Map<string, SObjectRecord[]>();
        for (const child of env.store.table(subquery.query.object.name).values()) {
            const parentId = child[subquery.field.name];
            if (typeof parentId !== 'string' || !parents.has(parentId)) continue;
            if (!includeDeleted && child.IsDeleted === true) continue;
            if (!subquery.query.matches(child)) continue;
            const list = byParent.get(parentId);
            if (list) list.push(child);
            else byParent.set(parentId, [child]);
        }
        return byParent;
    });
}

/** One result row as the query endpoint returns it, parent relationships and child subqueries nested. */
export function projectRow(
    prepared: PreparedQuery,
    record: SObjectRecord,
    env: QueryEnvironment,
    apiVersion: string,
    children: ChildIndex = []
): Record<string, unknown> {
    const row: Record<string, unknown> = { attributes: attributes(apiVersion, prepared.object.name, record.Id) };
    for (const output of prepared.outputs) {
        if (output.kind === 'subquery') {
            const subquery = prepared.subqueries[output.index];
            const rows = [...(children[output.index]?.get(record.Id) ?? [])];
            if (subquery.query.compare) rows.sort(subquery.query.compare);
            const start = subquery.query.offset ?? 0;
            const end = subquery.query.limit === undefined ? rows.length : start + subquery.query.limit;
            const selected = rows.slice(start, end);
            row[subquery.name] =
                selected.length === 0
                    ? null
                    : {
                          totalSize: selected.length,
                          done: true,
                          records: selected.map((child) => projectRow(subquery.query, child, env, apiVersion))
                      };
            continue;
        }
        const column = prepared.columns[output.index];
        let target = row;
        let current: SObjectRecord | undefined = record;
        let skip = false;
        for (let i = 0; i < column.hops.length; i++) {
            const hop = column.hops[i];
            const key = column.canonical[i];
            const parentId: unknown = current?.[hop.name];
            current = typeof parentId === 'string' ? env.store.get(parentId) : undefined;
            if (!current) {
                if (!(key in target)) target[key] = null;
                skip = true;
                break;
            }
            if (target[key] === null || target[key] === undefined) {
                const parentObject = env.store.objectOfId(current.Id)!;
                target[key] = { attributes: attributes(apiVersion, parentObject, current.Id) };
            }
            target = target[key] as Record<string, unknown>;
        }
        if (skip) continue;
        target[column.field.name] = toWireValue(column.field, current?.[column.field.name]);
    }
    return row;
}
