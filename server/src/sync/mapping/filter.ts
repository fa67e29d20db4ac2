/**
 * Inclusion scopes as data, never as query text.
 *
 * The Salesforce side is a tree of conditions that is validated here and rendered to a SOQL WHERE
 * clause by `renderSoqlFilter`, which escapes every literal; nothing from the configuration is ever
 * concatenated into SOQL unchecked. The HubSpot side is either a list membership or a set of property
 * filters in the shape the CRM search API takes.
 */
import { z } from 'zod';

/** `Name`, `Custom__c`, `Account.Owner.Email`: API names and relationship paths, nothing else. */
const salesforceFieldPath = z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*){0,4}$/, 'must be a Salesforce field API name or path');

const dateLiteral = z.strictObject({
    date: z.iso.date().meta({ description: 'A calendar date, YYYY-MM-DD.' })
});
const dateTimeLiteral = z.strictObject({
    dateTime: z.iso.datetime({ offset: true }).meta({ description: 'An ISO-8601 instant, e.g. 2024-01-31T12:00:00Z.' })
});
/** SOQL's relative date literals (TODAY, LAST_N_DAYS:30, ...), checked against the documented grammar. */
const relativeDateLiteral = z.strictObject({
    relativeDate: z
        .string()
        .regex(
            /^(YESTERDAY|TODAY|TOMORROW|(LAST|THIS|NEXT)_(WEEK|MONTH|QUARTER|YEAR|FISCAL_QUARTER|FISCAL_YEAR)|LAST_90_DAYS|NEXT_90_DAYS|(LAST|NEXT)_N_(DAYS|WEEKS|MONTHS|QUARTERS|YEARS|FISCAL_QUARTERS|FISCAL_YEARS):\d{1,4}|N_(DAYS|WEEKS|MONTHS|QUARTERS|YEARS|FISCAL_QUARTERS|FISCAL_YEARS)_AGO:\d{1,4})$/,
            'must be a SOQL relative date literal such as TODAY or LAST_N_DAYS:30'
        )
});

const scalarLiteral = z.union([
    z.string(),
    z.number().refine(Number.isFinite, 'must be a finite number'),
    z.boolean(),
    dateLiteral,
    dateTimeLiteral,
    relativeDateLiteral
]);
export type SoqlScalar = z.infer<typeof scalarLiteral>;

const comparisonOperators = ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'like', 'not_like'] as const;
const setOperators = ['in', 'not_in', 'includes', 'excludes'] as const;

const comparisonCondition = z.strictObject({
    field: salesforceFieldPath,
    op: z.enum(comparisonOperators),
    value: scalarLiteral
});
const nullCondition = z.strictObject({
    field: salesforceFieldPath,
    op: z.enum(['is_null', 'is_not_null'])
});
const setCondition = z.strictObject({
    field: salesforceFieldPath,
    op: z.enum(setOperators),
    value: z.array(scalarLiteral).min(1).max(1000)
});

export const SalesforceCondition = z.union([comparisonCondition, nullCondition, setCondition]);
export type SalesforceCondition = z.infer<typeof SalesforceCondition>;

export type SalesforceFilter =
    SalesforceCondition | { all: SalesforceFilter[] } | { any: SalesforceFilter[] } | { not: SalesforceFilter };

export const SalesforceFilter: z.ZodType<SalesforceFilter> = z.lazy(() =>
    z.union([
        SalesforceCondition,
        z.strictObject({ all: z.array(SalesforceFilter).min(1) }),
        z.strictObject({ any: z.array(SalesforceFilter).min(1) }),
        z.strictObject({ not: SalesforceFilter })
    ])
);

const soqlOperator: Record<(typeof comparisonOperators)[number] | (typeof setOperators)[number], string> = {
    eq: '=',
    ne: '!=',
    lt: '<',
    lte: '<=',
    gt: '>',
    gte: '>=',
    like: 'LIKE',
    not_like: 'LIKE',
    in: 'IN',
    not_in: 'NOT IN',
    includes: 'INCLUDES',
    excludes: 'EXCLUDES'
};

/** Escapes a string for a single-quoted SOQL literal (the escape sequences SOQL documents). */
export function escapeSoqlString(value: string): string {
    return value.replace(/[\\'"\n\r\t\b\f]/g, (character) => {
        switch (character) {
            case '\n':
                return '\\n';
            case '\r':
                return '\\r';
            case '\t':
                return '\\t';
            case '\b':
                return '\\b';
            case '\f':
                return '\\f';
            default:
                return `\\${character}`;
        }
    });
}

/** Datetimes are rendered in UTC without milliseconds, the form jsforce emits. */
function renderDateTime(value: string): string {
    return new Date(value).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function renderSoqlLiteral(value: SoqlScalar): string {
    if (typeof value === 'string') return `'${escapeSoqlString(value)}'`;
    if (typeof value === 'number') return String(value);
    if (typeof value === 'boolean') return value ? 'true' : 'false';
    if ('date' in value) return value.date;
    if ('dateTime' in value) return renderDateTime(value.dateTime);
    return value.relativeDate;
}

/**
 * Renders a validated filter as a SOQL boolean expression. The input is parsed again so that a value
 * built in code (not from the file) gets the same checks before it reaches a query.
 */
export function renderSoqlFilter(filter: SalesforceFilter): string {
    return renderNode(SalesforceFilter.parse(filter));
}

function renderNode(filter: SalesforceFilter): string {
    if ('all' in filter) return `(${filter.all.map(renderNode).join(' AND ')})`;
    if ('any' in filter) return `(${filter.any.map(renderNode).join(' OR ')})`;
    if ('not' in filter) return `(NOT ${renderNode(filter.not)})`;
    if (!('value' in filter)) return `${filter.field} ${filter.op === 'is_null' ? '=' : '!='} null`;
    if (filter.op === 'not_like') return `(NOT ${filter.field} LIKE ${renderSoqlLiteral(filter.value)})`;
    if (Array.isArray(filter.value)) {
        return `${filter.field} ${soqlOperator[filter.op]} (${filter.value.map(renderSoqlLiteral).join(', ')})`;
    }
    return `${filter.field} ${soqlOperator[filter.op]} ${renderSoqlLiteral(filter.value)}`;
}

/** Every field a filter reads, so the live-schema check can confirm they exist. */
export function filterFields(filter: SalesforceFilter): string[] {
    if ('all' in filter) return filter.all.flatMap(filterFields);
    if ('any' in filter) return filter.any.flatMap(filterFields);
    if ('not' in filter) return filterFields(filter.not);
    return [filter.field];
}

/** Operators of the HubSpot CRM search API. */
export const hubspotFilterOperators = [
    'EQ',
    'NEQ',
    'LT',
    'LTE',
    'GT',
    'GTE',
    'BETWEEN',
    'IN',
    'NOT_IN',
    'HAS_PROPERTY',
    'NOT_HAS_PROPERTY',
    'CONTAINS_TOKEN',
    'NOT_CONTAINS_TOKEN'
] as const;

const hubspotPropertyName = z.string().regex(/^[a-z0-9_]+$/i, 'must be a HubSpot property internal name');

export const HubSpotPropertyFilter = z
    .strictObject({
        property: hubspotPropertyName,
        operator: z.enum(hubspotFilterOperators),
        value: z.string().optional(),
        highValue: z.string().optional(),
        values: z.array(z.string()).min(1).optional()
    })
    .superRefine((filter, context) => {
        const needs = (key: 'value' | 'highValue' | 'values') => {
            if (filter[key] === undefined) {
                context.addIssue({ code: 'custom', path: [key], message: `${filter.operator} needs ${key}` });
            }
        };
        if (filter.operator === 'IN' || filter.operator === 'NOT_IN') needs('values');
        else if (filter.operator === 'BETWEEN') {
            needs('value');
            needs('highValue');
        } else if (filter.operator !== 'HAS_PROPERTY' && filter.operator !== 'NOT_HAS_PROPERTY') needs('value');
    });
export type HubSpotPropertyFilter = z.infer<typeof HubSpotPropertyFilter>;

/** HubSpot's own limits: five filter groups, 25 filters in total (search API, 2024). */
export const HubSpotScope = z.union([
    z.strictObject({
        listId: z
            .string()
            .regex(/^[0-9]+$/, 'HubSpot list IDs are numeric')
            .meta({ description: 'Only members of this HubSpot list are in scope.' })
    }),
    z.strictObject({
        filterGroups: z
            .array(z.strictObject({ filters: z.array(HubSpotPropertyFilter).min(1) }))
            .min(1)
            .max(5)
            .refine(
                (groups) => groups.reduce((total, group) => total + group.filters.length, 0) <= 25,
                'HubSpot search accepts at most 25 filters in total'
            )
            .meta({ description: 'Groups are ORed; filters inside a group are ANDed (HubSpot search semantics).' })
    })
]);
export type HubSpotScope = z.infer<typeof HubSpotScope>;
