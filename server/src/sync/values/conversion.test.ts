import { hsProperty, hsSelect, hsText, sfField, sfPicklist } from '../schema/standard-schemas.fixture';
import {
    canonicalHubSpot,
    canonicalSalesforce,
    chooseConversion,
    toHubSpot,
    toSalesforce,
    type Conversion,
    type SalesforceValue
} from './conversion';
import { buildOwnerDirectory } from './owners';
import { validateForHubSpot, validateForSalesforce } from './validate-value';

describe('chooseConversion (the seed’s compatibility table)', () => {
    it.each([
        ['string', hsText('x'), 'text'],
        ['textarea', hsProperty('x', 'string', 'textarea'), 'text'],
        ['email', hsText('x'), 'email'],
        ['phone', hsProperty('x', 'phone_number', 'phonenumber'), 'text'],
        ['url', hsText('x'), 'text'],
        ['picklist', hsSelect('x', []), 'picklist'],
        ['picklist', hsProperty('x', 'enumeration', 'radio'), 'picklist'],
        ['picklist', hsText('x'), 'picklist'],
        ['multipicklist', hsProperty('x', 'enumeration', 'checkbox'), 'multipicklist'],
        ['date', hsProperty('x', 'date', 'date'), 'date'],
        ['date', hsProperty('x', 'datetime', 'date'), 'date_to_datetime'],
        ['datetime', hsProperty('x', 'date', 'date'), 'datetime_to_date'],
        ['datetime', hsProperty('x', 'datetime', 'date'), 'datetime'],
        ['int', hsProperty('x', 'number', 'number'), 'number'],
        ['double', hsProperty('x', 'number', 'number'), 'number'],
        ['currency', hsProperty('x', 'number', 'number'), 'number'],
        ['percent', hsProperty('x', 'number', 'number'), 'number'],
        ['boolean', hsProperty('x', 'bool', 'booleancheckbox'), 'boolean'],
        ['boolean', hsProperty('x', 'enumeration', 'booleancheckbox'), 'boolean']
    ])('Salesforce %s ↔ HubSpot %j → %s', (type, property, expected) => {
        expect(chooseConversion(sfField('F', type), property, false)).toBe(expected);
    });

    it('maps a user lookup flagged as owner to the owner conversion only', () => {
        const owner = sfField('OwnerId', 'reference', { referenceTo: ['User'] });
        const property = hsProperty('hubspot_owner_id', 'enumeration', 'select', { externalOptions: true });
        expect(chooseConversion(owner, property, true)).toBe('owner');
        expect(chooseConversion(sfField('Name', 'string'), property, true)).toBeUndefined();
    });

    it.each([
        ['double', hsText('x')],
        ['boolean', hsText('x')],
        ['date', hsText('x')],
        ['string', hsProperty('x', 'number', 'number')],
        ['multipicklist', hsSelect('x', [])],
        ['address', hsText('x')],
        ['string', hsProperty('x', 'string', 'file')],
        ['string', hsProperty('x', 'object_coordinates', 'text')]
    ])('refuses Salesforce %s → HubSpot %j', (type, property) => {
        expect(chooseConversion(sfField('F', type), property, false)).toBeUndefined();
    });
});

describe('owners the bridge itself stands for', () => {
    const directory = buildOwnerDirectory(
        [
            { id: '005INTEGRATION', email: 'integration@bridge.example', isActive: true },
            { id: '005REP', email: 'rep@example.com', isActive: true },
            { id: '005NEWHIRE', email: 'new@example.com', isActive: true }
        ],
        [{ id: '201', email: 'rep@example.com' }],
        { unassignedUserIds: ['005INTEGRATION'] }
    );

    it('gives records owned by the integration user no HubSpot owner instead of an error', () => {
        expect(toHubSpot('owner', '005INTEGRATION', { owners: directory })).toEqual({ ok: true, value: '' });
        expect(directory.unmatchedSalesforceUsers).toEqual(['005NEWHIRE']);
    });

    it('still maps reps and still reports a rep with no HubSpot owner', () => {
        expect(toHubSpot('owner', '005REP', { owners: directory })).toEqual({ ok: true, value: '201' });
        expect(toHubSpot('owner', '005NEWHIRE', { owners: directory })).toMatchObject({
            ok: false,
            category: 'mapping'
        });
    });
});

describe('toHubSpot / toSalesforce', () => {
    const owners = buildOwnerDirectory(
        [
            { id: '005A', email: 'Ada@Example.com ', isActive: true },
            { id: '005B', email: 'bob@example.com', isActive: true },
            { id: '005C', email: 'old@example.com', isActive: false }
        ],
        [
            { id: '101', email: 'ada@example.com' },
            { id: '102', email: 'carol@example.com' },
            { id: '103', email: 'old@example.com' }
        ]
    );
    const valueMap = { 'Open - Not Contacted': 'NEW', 'Working - Contacted': 'IN_PROGRESS' };

    it.each<[Conversion, SalesforceValue, string]>([
        ['text', 'Ada', 'Ada'],
        ['text', null, ''],
        ['text', '', ''],
        ['picklist', 'Open - Not Contacted', 'NEW'],
        ['picklist', 'Unmapped', 'Unmapped'],
        ['multipicklist', 'Open - Not Contacted; Working - Contacted;;', 'NEW;IN_PROGRESS'],
        ['date', '2024-02-29', '2024-02-29'],
        ['date_to_datetime', '2024-02-29', '2024-02-29T00:00:00.000Z'],
        ['datetime', '2024-05-20T20:49:32.000+0000', '2024-05-20T20:49:32.000Z'],
        ['datetime_to_date', '2024-05-20T23:49:32.000+0000', '2024-05-20'],
        ['datetime_to_date', '2024-05-20T23:49:32.000-0200', '2024-05-21'],
        ['number', 1500000.5, '1500000.5'],
        ['number', 0, '0'],
        ['boolean', true, 'true'],
        ['boolean', false, 'false'],
        ['owner', '005A', '101']
    ])('%s: Salesforce %j → HubSpot %j', (conversion, value, expected) => {
        expect(toHubSpot(conversion, value, { valueMap, owners })).toEqual({ ok: true, value: expected });
    });

    it.each<[Conversion, string | null, SalesforceValue]>([
        ['text', 'Ada', 'Ada'],
        ['text', '', null],
        ['text', null, null],
        ['picklist', 'NEW', 'Open - Not Contacted'],
        ['picklist', 'OTHER', 'OTHER'],
        ['multipicklist', 'IN_PROGRESS;NEW', 'Working - Contacted;Open - Not Contacted'],
        ['date', '2024-02-29', '2024-02-29'],
        ['date', '1709164800000', '2024-02-29'],
        ['date_to_datetime', '2024-02-29T00:00:00.000Z', '2024-02-29'],
        ['datetime', '2024-05-20T20:49:32.123Z', '2024-05-20T20:49:32.123Z'],
        ['datetime_to_date', '2024-05-20', '2024-05-20T00:00:00.000Z'],
        ['number', '17', 17],
        ['number', ' 17.50 ', 17.5],
        ['boolean', 'true', true],
        ['boolean', 'false', false],
        ['owner', '101', '005A']
    ])('%s: HubSpot %j → Salesforce %j', (conversion, value, expected) => {
        expect(toSalesforce(conversion, value, { valueMap, owners })).toEqual({ ok: true, value: expected });
    });

    it.each<[Conversion, SalesforceValue, string]>([
        ['number', 'abc', 'field_value'],
        ['boolean', 'yes', 'field_value'],
        ['date', '31/12/2024', 'field_value'],
        ['datetime', 'yesterday', 'field_value'],
        ['owner', '005B', 'mapping'],
        ['owner', '005C', 'mapping']
    ])('%s: Salesforce %j fails as %s', (conversion, value, category) => {
        expect(toHubSpot(conversion, value, { owners })).toMatchObject({ ok: false, category });
    });

    it.each<[Conversion, string, string]>([
        ['number', 'twelve', 'field_value'],
        ['number', 'Infinity', 'field_value'],
        ['boolean', 'Yes', 'field_value'],
        ['date', 'soon', 'field_value'],
        ['owner', '102', 'mapping'],
        ['owner', '103', 'mapping']
    ])('%s: HubSpot %j fails as %s', (conversion, value, category) => {
        expect(toSalesforce(conversion, value, { owners })).toMatchObject({ ok: false, category });
    });

    it('fails owner conversion without an owner directory instead of guessing', () => {
        expect(toHubSpot('owner', '005A')).toMatchObject({ ok: false, category: 'mapping' });
    });
});

describe('canonical forms', () => {
    it.each<[Conversion, SalesforceValue, string | null, boolean]>([
        ['number', 17, '17.0', true],
        ['email', 'Ana@Example.com', 'ana@example.com', true],
        ['email', 'ana@example.com', 'bob@example.com', false],
        ['number', 17, '17.5', false],
        ['multipicklist', 'b;a', 'a;b', true],
        ['datetime', '2024-05-20T20:49:32.000+0000', '2024-05-20T20:49:32Z', true],
        ['datetime', '2024-05-20T20:49:32.000+0000', '1716238172000', true],
        ['date', '2024-05-20', '1716163200000', true],
        ['text', null, '', true],
        ['text', 'a', 'A', false],
        ['boolean', true, 'true', true]
    ])('%s: %j and %j are equal: %s', (conversion, salesforce, hubspot, equal) => {
        expect(canonicalSalesforce(conversion, salesforce) === canonicalHubSpot(conversion, hubspot)).toBe(equal);
    });
});

describe('owner directory', () => {
    it('matches by normalised email, skips inactive users and archived owners, and refuses shared emails', () => {
        const directory = buildOwnerDirectory(
            [
                { id: '005A', email: 'a@x.io', isActive: true },
                { id: '005S1', email: 'shared@x.io', isActive: true },
                { id: '005S2', email: 'SHARED@x.io', isActive: true },
                { id: '005N', email: null, isActive: true }
            ],
            [
                { id: '1', email: 'A@X.IO' },
                { id: '2', email: 'shared@x.io' },
                { id: '3', email: 'gone@x.io', archived: true }
            ]
        );
        expect(directory.hubspotOwnerForUser('005A')).toBe('1');
        expect(directory.salesforceUserForOwner('1')).toBe('005A');
        expect(directory.hubspotOwnerForUser('005S1')).toBeUndefined();
        expect(directory.ambiguousEmails).toEqual(['shared@x.io']);
        expect(directory.unmatchedSalesforceUsers).toEqual(['005S1', '005S2', '005N']);
        expect(directory.unmatchedHubSpotOwners).toEqual(['2']);
    });
});

describe('pre-write validation', () => {
    const status = sfField('Status', 'picklist', {
        restrictedPicklist: true,
        nillable: false,
        picklistValues: [
            { value: 'Open', active: true },
            { value: 'Legacy', active: false }
        ]
    });

    it.each<[string, SalesforceValue, ReturnType<typeof sfField>, string | undefined]>([
        ['an active picklist value', 'Open', status, undefined],
        ['an inactive picklist value', 'Legacy', status, 'picklist'],
        ['an unknown value of a restricted picklist', 'Nope', status, 'picklist'],
        ['an unknown value of an open picklist', 'Nope', sfPicklist('Source', ['Web']), undefined],
        ['an inactive value inside a multi-select', 'Open;Legacy', { ...status, type: 'multipicklist' }, 'picklist'],
        ['clearing a required field', null, status, 'field_value'],
        ['clearing an optional field', null, sfField('Title', 'string'), undefined],
        ['a value that is too long', 'x'.repeat(41), sfField('FirstName', 'string', { length: 40 }), 'field_value'],
        [
            'a value of exactly the maximum length',
            'x'.repeat(40),
            sfField('FirstName', 'string', { length: 40 }),
            undefined
        ],
        ['a malformed email', 'not-an-email', sfField('Email', 'email', { length: 80 }), 'field_value'],
        ['a fraction in an integer field', 2.5, sfField('NumberOfEmployees', 'int'), 'field_value'],
        ['a string in a currency field', '12', sfField('Amount', 'currency'), 'field_value'],
        ['a string in a checkbox', 'true', sfField('Flag__c', 'boolean'), 'field_value'],
        ['a malformed date', '2024-1-1', sfField('CloseDate', 'date'), 'field_value'],
        ['an unparseable datetime', 'noon', sfField('When__c', 'datetime'), 'field_value']
    ])('Salesforce: %s', (_label, value, field, category) => {
        expect(validateForSalesforce(value, field)?.category).toBe(category);
    });

    it.each<[string, string, ReturnType<typeof hsText>, string | undefined]>([
        ['a known option', 'NEW', hsSelect('hs_lead_status', ['NEW']), undefined],
        ['an unknown option', 'OLD', hsSelect('hs_lead_status', ['NEW']), 'picklist'],
        [
            'an unknown option inside a multi-select',
            'a;z',
            hsProperty('tags', 'enumeration', 'checkbox', { options: [{ value: 'a' }] }),
            'picklist'
        ],
        [
            'any value of an owner-like external enumeration',
            '42',
            hsProperty('hubspot_owner_id', 'enumeration', 'select', { externalOptions: true }),
            undefined
        ],
        ['clearing', '', hsSelect('hs_lead_status', ['NEW']), undefined],
        ['a non-number', 'abc', hsProperty('amount', 'number', 'number'), 'field_value'],
        ['a non-boolean', 'yes', hsProperty('flag', 'bool', 'booleancheckbox'), 'field_value'],
        ['a datetime in a date property', '2024-01-01T00:00:00Z', hsProperty('day', 'date', 'date'), 'field_value'],
        ['a bad datetime', 'noon', hsProperty('at', 'datetime', 'date'), 'field_value'],
        ['an over-long string', 'x'.repeat(65_537), hsText('notes'), 'field_value']
    ])('HubSpot: %s', (_label, value, property, category) => {
        expect(validateForHubSpot(value, property)?.category).toBe(category);
    });
});
