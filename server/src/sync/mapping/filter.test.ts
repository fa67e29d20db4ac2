import { escapeSoqlString, filterFields, HubSpotScope, renderSoqlFilter, SalesforceFilter } from './filter';

describe('renderSoqlFilter', () => {
    it.each([
        [{ field: 'Email', op: 'is_not_null' }, 'Email != null'],
        [{ field: 'Email', op: 'is_null' }, 'Email = null'],
        [{ field: 'Status', op: 'eq', value: 'Open' }, "Status = 'Open'"],
        [{ field: 'AnnualRevenue', op: 'gte', value: 1500000.5 }, 'AnnualRevenue >= 1500000.5'],
        [{ field: 'IsConverted', op: 'eq', value: false }, 'IsConverted = false'],
        [{ field: 'CloseDate', op: 'lt', value: { date: '2024-01-31' } }, 'CloseDate < 2024-01-31'],
        [
            { field: 'CreatedDate', op: 'gt', value: { dateTime: '2024-01-31T14:34:56.123+02:00' } },
            'CreatedDate > 2024-01-31T12:34:56Z'
        ],
        [{ field: 'CreatedDate', op: 'gt', value: { relativeDate: 'LAST_N_DAYS:30' } }, 'CreatedDate > LAST_N_DAYS:30'],
        [{ field: 'Name', op: 'like', value: 'Acme%' }, "Name LIKE 'Acme%'"],
        [{ field: 'Name', op: 'not_like', value: 'Test%' }, "(NOT Name LIKE 'Test%')"],
        [{ field: 'Status', op: 'in', value: ['A', 'B'] }, "Status IN ('A', 'B')"],
        [{ field: 'Status', op: 'not_in', value: ['A'] }, "Status NOT IN ('A')"],
        [{ field: 'Interests__c', op: 'includes', value: ['x;y'] }, "Interests__c INCLUDES ('x;y')"],
        [{ field: 'Account.Owner.Email', op: 'eq', value: 'a@b.co' }, "Account.Owner.Email = 'a@b.co'"]
    ])('renders %j as %s', (filter, soql) => {
        expect(renderSoqlFilter(filter as SalesforceFilter)).toBe(soql);
    });

    it('renders nested all/any/not groups with parentheses', () => {
        const filter: SalesforceFilter = {
            all: [
                { field: 'Email', op: 'is_not_null' },
                {
                    any: [
                        { field: 'LeadSource', op: 'eq', value: 'Web' },
                        { not: { field: 'Rating', op: 'eq', value: 'Cold' } }
                    ]
                }
            ]
        };
        expect(renderSoqlFilter(filter)).toBe("(Email != null AND (LeadSource = 'Web' OR (NOT Rating = 'Cold')))");
    });

    it('escapes quotes, backslashes and control characters so a value cannot end the literal', () => {
        const hostile = "O'Brien\\' OR Name != '' --\n";
        expect(renderSoqlFilter({ field: 'LastName', op: 'eq', value: hostile })).toBe(
            "LastName = 'O\\'Brien\\\\\\' OR Name != \\'\\' --\\n'"
        );
        expect(escapeSoqlString('tab\there "quoted"')).toBe('tab\\there \\"quoted\\"');
    });

    it.each([
        ['a field that is SOQL text', { field: 'Name = 1 OR Id', op: 'eq', value: 'x' }],
        ['an unknown operator', { field: 'Name', op: 'contains', value: 'x' }],
        ['an empty IN list', { field: 'Name', op: 'in', value: [] }],
        ['a non-finite number', { field: 'Amount', op: 'gt', value: Number.POSITIVE_INFINITY }],
        ['a malformed date', { field: 'CloseDate', op: 'gt', value: { date: '31/01/2024' } }],
        ['an unknown relative date', { field: 'CloseDate', op: 'gt', value: { relativeDate: 'TODAY OR Id != null' } }],
        ['a null comparison written as a value', { field: 'Email', op: 'eq', value: null }],
        ['an empty group', { all: [] }]
    ])('rejects %s', (_label, filter) => {
        expect(() => renderSoqlFilter(filter as SalesforceFilter)).toThrow();
    });

    it('lists every field a filter reads', () => {
        expect(
            filterFields({
                any: [{ field: 'A', op: 'is_null' }, { not: { all: [{ field: 'B', op: 'eq', value: 1 }] } }]
            })
        ).toEqual(['A', 'B']);
    });
});

describe('HubSpotScope', () => {
    it('accepts a list membership or property filter groups', () => {
        expect(HubSpotScope.safeParse({ listId: '42' }).success).toBe(true);
        expect(
            HubSpotScope.safeParse({
                filterGroups: [{ filters: [{ property: 'lifecyclestage', operator: 'IN', values: ['lead'] }] }]
            }).success
        ).toBe(true);
    });

    it.each([
        ['a non-numeric list id', { listId: 'abc' }],
        ['IN without values', { filterGroups: [{ filters: [{ property: 'email', operator: 'IN' }] }] }],
        [
            'BETWEEN without highValue',
            { filterGroups: [{ filters: [{ property: 'x', operator: 'BETWEEN', value: '1' }] }] }
        ],
        ['EQ without value', { filterGroups: [{ filters: [{ property: 'x', operator: 'EQ' }] }] }],
        [
            'six filter groups',
            {
                filterGroups: Array.from({ length: 6 }, () => ({
                    filters: [{ property: 'x', operator: 'HAS_PROPERTY' }]
                }))
            }
        ],
        [
            'more than 25 filters',
            {
                filterGroups: [
                    { filters: Array.from({ length: 26 }, () => ({ property: 'x', operator: 'HAS_PROPERTY' })) }
                ]
            }
        ]
    ])('rejects %s', (_label, scope) => {
        expect(HubSpotScope.safeParse(scope).success).toBe(false);
    });
});
