import { compareWithOracle, type ObservedCompanies } from './compare';
import type { ObservedHubSpotContact, ObservedSalesforceRecord } from './crm';
import type { ExpectedPerson } from './oracle';

const person = (accountMoves: (string | null)[]): ExpectedPerson => ({
    person: 'p1',
    email: 'a@x.io',
    salesforce: { live: true, object: 'Contact', id: 'C1' },
    hubspot: { live: true, id: '501' },
    fields: [{ property: 'lastname', salesforceField: 'LastName', rule: 'two_way', value: 'King' }],
    salesforceRecords: 1,
    hubspotContacts: 1,
    excludedSalesforceIds: [],
    accountMoves
});

const contactOf = (accountId: string | null): ObservedSalesforceRecord => ({
    id: 'C1',
    object: 'Contact',
    email: 'a@x.io',
    values: { LastName: 'King', AccountId: accountId }
});

const hubspot: ObservedHubSpotContact[] = [{ id: '501', email: 'a@x.io', values: { lastname: 'King' } }];

const companies = (associated: string[]): ObservedCompanies => ({
    accountCompanies: new Map([
        ['001A', '9001'],
        ['001B', '9002'],
        ['001U', null]
    ]),
    contactCompanies: new Map([['501', associated]])
});

const compared = (moves: (string | null)[], accountId: string | null, associated: string[]) =>
    compareWithOracle([person(moves)], [contactOf(accountId)], hubspot, companies(associated));

describe('soak comparison of company associations', () => {
    it("passes a contact associated with its Account's company, whatever else HubSpot keeps", () => {
        const result = compared(['001A', '001B'], '001B', ['9002', '7777']);
        expect(result.wrongAssociations).toEqual([]);
        expect(result.associationsCompared).toBe(1);
        expect(result.lostUpdates).toEqual([]);
    });

    it("names a contact missing its Account's company, or still with the company of an Account it left", () => {
        expect(compared(['001A', '001B'], '001B', ['9001']).wrongAssociations).toEqual([
            'p1 <a@x.io>: contact 501 not associated with company 9002 of Account 001B (associated: 9001)',
            'p1 <a@x.io>: contact 501 still associated with company 9001 of Account 001A, which it left'
        ]);
        expect(compared(['001A', null], null, ['9001']).wrongAssociations).toEqual([
            'p1 <a@x.io>: contact 501 still associated with company 9001 of Account 001A, which it left'
        ]);
    });

    it('names a Contact that lost its last move, and an Account the relay never linked', () => {
        expect(compared(['001A'], null, []).wrongAssociations).toEqual([
            'p1 <a@x.io>: Contact C1 has Account null, moved to 001A'
        ]);
        expect(compared([], '001U', []).wrongAssociations).toEqual([
            'p1 <a@x.io>: Account 001U has no HubSpot company'
        ]);
    });

    it('compares no association for a Contact never given an Account', () => {
        const result = compared([], null, ['7777']);
        expect(result.wrongAssociations).toEqual([]);
        expect(result.associationsCompared).toBe(0);
    });
});
