/**
 * HubSpot-side inclusion scopes evaluated on records the engine already read. A property-filter scope
 * follows HubSpot search semantics (groups ORed, filters ANDed; text compares without case, numbers and
 * dates as numbers; a record without the property matches only NEQ, NOT_IN and NOT_HAS_PROPERTY), so a
 * record is in scope exactly when a search with the same filter groups would return it.
 */
import type { HubSpotPropertyFilter, HubSpotScope } from './filter';

type Comparable = { kind: 'number'; value: number } | { kind: 'text'; value: string };

/** The HubSpot property type (`string`, `number`, `date`, `datetime`, `enumeration`, `bool`, ...). */
export type PropertyTypeOf = (property: string) => string | undefined;

function comparable(type: string | undefined, raw: string): Comparable | undefined {
    if (type === 'number') {
        const value = Number(raw);
        return Number.isFinite(value) ? { kind: 'number', value } : undefined;
    }
    if (type === 'date' || type === 'datetime') {
        const value = /^-?\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
        return Number.isNaN(value) ? undefined : { kind: 'number', value };
    }
    if (type === 'enumeration' || type === 'bool') return { kind: 'text', value: raw };
    return { kind: 'text', value: raw.toLowerCase() };
}

function compare(left: Comparable, right: Comparable): number {
    if (left.kind === 'number' && right.kind === 'number') return left.value - right.value;
    const a = String(left.value);
    const b = String(right.value);
    return a < b ? -1 : a > b ? 1 : 0;
}

function tokenMatches(value: string, pattern: string): boolean {
    const lower = value.toLowerCase();
    const tokens = [lower, ...lower.split(/[\s,;.@/:_-]+/).filter(Boolean)];
    const wanted = pattern.toLowerCase();
    if (!wanted.includes('*')) return tokens.includes(wanted);
    const parts = wanted.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
    const regex = new RegExp(`^${parts.join('.*')}$`);
    return tokens.some((token) => regex.test(token));
}

function matchesFilter(
    filter: HubSpotPropertyFilter,
    values: Record<string, string | null | undefined>,
    typeOf: PropertyTypeOf
): boolean {
    const raw = values[filter.property];
    const present = raw !== null && raw !== undefined && raw !== '';
    const type = typeOf(filter.property);
    const mine = present ? comparable(type, raw) : undefined;
    const relation = (value: string | undefined, test: (order: number) => boolean) => {
        const wanted = value === undefined ? undefined : comparable(type, value);
        return mine !== undefined && wanted !== undefined && test(compare(mine, wanted));
    };
    const inSet = () =>
        present &&
        (type === 'enumeration' ? raw.split(';') : [raw]).some((part) =>
            (filter.values ?? []).some((value) => sameValue(part, value, type))
        );
    switch (filter.operator) {
        case 'EQ':
            return relation(filter.value, (order) => order === 0);
        case 'NEQ':
            return !relation(filter.value, (order) => order === 0);
        case 'LT':
            return relation(filter.value, (order) => order < 0);
        case 'LTE':
            return relation(filter.value, (order) => order <= 0);
        case 'GT':
            return relation(filter.value, (order) => order > 0);
        case 'GTE':
            return relation(filter.value, (order) => order >= 0);
        case 'BETWEEN':
            return relation(filter.value, (order) => order >= 0) && relation(filter.highValue, (order) => order <= 0);
        case 'IN':
            return inSet();
        case 'NOT_IN':
            return !inSet();
        case 'HAS_PROPERTY':
            return present;
        case 'NOT_HAS_PROPERTY':
            return !present;
        case 'CONTAINS_TOKEN':
            return present && tokenMatches(raw, filter.value ?? '');
        case 'NOT_CONTAINS_TOKEN':
            return !present || !tokenMatches(raw, filter.value ?? '');
    }
}

function sameValue(left: string, right: string, type: string | undefined): boolean {
    const a = comparable(type, left);
    const b = comparable(type, right);
    return a !== undefined && b !== undefined && compare(a, b) === 0;
}

/** The properties a scope reads, so the change reads ask for them too. */
export function hubspotScopeProperties(scope: HubSpotScope | undefined): string[] {
    if (!scope || !('filterGroups' in scope)) return [];
    return [...new Set(scope.filterGroups.flatMap((group) => group.filters.map((filter) => filter.property)))];
}

/**
 * Whether a HubSpot record is in scope. A list scope needs the list's members (`listMembers`); without
 * a scope every record is in.
 */
export function inHubSpotScope(
    scope: HubSpotScope | undefined,
    record: { id: string; values: Record<string, string | null | undefined> },
    typeOf: PropertyTypeOf,
    listMembers?: { has(recordId: string): boolean }
): boolean {
    if (!scope) return true;
    if ('listId' in scope) return listMembers?.has(record.id) ?? false;
    return scope.filterGroups.some((group) =>
        group.filters.every((filter) => matchesFilter(filter, record.values, typeOf))
    );
}

/** Why a record is out of scope, for the Excluded status and the run report. */
export function describeHubSpotScope(scope: HubSpotScope): string {
    return 'listId' in scope ? `HubSpot list ${scope.listId}` : 'the HubSpot property filter';
}
