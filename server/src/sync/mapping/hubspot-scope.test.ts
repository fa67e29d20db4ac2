import { hubspotScopeProperties, inHubSpotScope } from './hubspot-scope';
import type { HubSpotScope } from './filter';

const types: Record<string, string> = { amount: 'number', closedate: 'date', stage: 'enumeration', name: 'string' };
const typeOf = (property: string) => types[property];
const record = (values: Record<string, string | null>) => ({ id: '7', values });
const filters = (...list: Extract<HubSpotScope, { filterGroups: unknown }>['filterGroups'][number]['filters']) => ({
    filterGroups: [{ filters: list }]
});

describe('HubSpot scopes evaluated like HubSpot search', () => {
    it.each<[string, HubSpotScope, Record<string, string | null>, boolean]>([
        ['text EQ ignores case', filters({ property: 'name', operator: 'EQ', value: 'ACME' }), { name: 'acme' }, true],
        [
            'numbers compare as numbers',
            filters({ property: 'amount', operator: 'GT', value: '9' }),
            { amount: '10' },
            true
        ],
        [
            'dates compare as instants',
            filters({ property: 'closedate', operator: 'LT', value: '2026-01-01' }),
            { closedate: '2025-12-31' },
            true
        ],
        [
            'NEQ matches a record without the property',
            filters({ property: 'name', operator: 'NEQ', value: 'x' }),
            {},
            true
        ],
        ['EQ does not match a blank', filters({ property: 'name', operator: 'EQ', value: 'x' }), { name: '' }, false],
        [
            'IN checks each checkbox value',
            filters({ property: 'stage', operator: 'IN', values: ['b'] }),
            { stage: 'a;b' },
            true
        ],
        [
            'BETWEEN includes both ends',
            filters({ property: 'amount', operator: 'BETWEEN', value: '1', highValue: '5' }),
            { amount: '5' },
            true
        ],
        [
            'CONTAINS_TOKEN takes wildcards',
            filters({ property: 'name', operator: 'CONTAINS_TOKEN', value: '*@acme.com' }),
            { name: 'Jo@ACME.com' },
            true
        ],
        ['NOT_HAS_PROPERTY', filters({ property: 'name', operator: 'NOT_HAS_PROPERTY' }), { name: null }, true],
        [
            'groups are ORed, filters ANDed',
            {
                filterGroups: [
                    {
                        filters: [
                            { property: 'name', operator: 'EQ', value: 'a' },
                            { property: 'amount', operator: 'GT', value: '1' }
                        ]
                    },
                    { filters: [{ property: 'stage', operator: 'EQ', value: 'won' }] }
                ]
            },
            { name: 'a', amount: '0', stage: 'won' },
            true
        ]
    ])('%s', (_, scope, values, expected) => {
        expect(inHubSpotScope(scope, record(values), typeOf)).toBe(expected);
    });

    it('checks list scopes against the members read, and reads the filter properties', () => {
        expect(inHubSpotScope({ listId: '3' }, record({}), typeOf, new Set(['7']))).toBe(true);
        expect(inHubSpotScope({ listId: '3' }, record({}), typeOf, new Set(['8']))).toBe(false);
        expect(inHubSpotScope(undefined, record({}), typeOf)).toBe(true);
        expect(
            hubspotScopeProperties(
                filters(
                    { property: 'name', operator: 'HAS_PROPERTY' },
                    { property: 'name', operator: 'EQ', value: 'x' }
                )
            )
        ).toEqual(['name']);
        expect(hubspotScopeProperties({ listId: '3' })).toEqual([]);
    });
});
