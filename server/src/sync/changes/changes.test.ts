import { resolve } from 'node:path';

import { loadMappingFileOrThrow } from '../mapping/load';
import { advanceCursor, compareCursorPositions, readWindowStart } from './cursor';
import {
    firstSearchStep,
    hubspotSearchResultCap,
    lastModifiedProperty,
    nextSearchStep,
    searchRequest,
    type SearchStep
} from './hubspot-search';
import { buildSalesforceChangesQuery, buildSalesforceDeletesQuery, salesforceReadFields } from './salesforce-query';

const mapping = loadMappingFileOrThrow(resolve(__dirname, '..', '..', '..', '..', 'config', 'sync-mapping.yaml'));
const recordById = (id: string) => mapping.records.find((record) => record.id === id)!;

describe('cursor', () => {
    it('orders by timestamp, then by ID', () => {
        const early = { modifiedAt: '2024-01-01T00:00:00.000Z', id: '00Q9' };
        const tieLow = { modifiedAt: '2024-01-02T00:00:00.000+00:00', id: '00Q1' };
        const tieHigh = { modifiedAt: '2024-01-02T00:00:00Z', id: '00Q2' };
        expect(compareCursorPositions(early, tieLow)).toBeLessThan(0);
        expect(compareCursorPositions(tieHigh, tieLow)).toBeGreaterThan(0);
        expect(advanceCursor(undefined, [tieHigh, early, tieLow])).toEqual({
            modifiedAt: '2024-01-02T00:00:00.000Z',
            id: '00Q2'
        });
        expect(advanceCursor(tieHigh, [early])).toBe(tieHigh);
        expect(advanceCursor(undefined, [])).toBeUndefined();
        expect(() => advanceCursor(undefined, [{ modifiedAt: 'never', id: 'x' }])).toThrow(
            /no valid modified timestamp/
        );
    });

    it('starts the next read a lookback window before the cursor', () => {
        expect(readWindowStart({ modifiedAt: '2024-01-01T00:10:00.000Z', id: 'x' }, 300).toISOString()).toBe(
            '2024-01-01T00:05:00.000Z'
        );
        expect(() => readWindowStart({ modifiedAt: '2024-01-01T00:10:00.000Z', id: 'x' }, -1)).toThrow(/lookback/);
    });
});

describe('Salesforce change queries', () => {
    it('reads only the fields the mapping needs', () => {
        expect(salesforceReadFields(mapping, recordById('lead_to_contact'))).toEqual([
            'Id',
            'SystemModstamp',
            'CreatedDate',
            'CreatedById',
            'LastModifiedById',
            'FirstName',
            'LastName',
            'Email',
            'Company',
            'Title',
            'Phone',
            'MobilePhone',
            'Website',
            'Street',
            'City',
            'State',
            'PostalCode',
            'Country',
            'Industry',
            'OwnerId',
            'Status',
            'HubSpot_Score__c',
            'HubSpot_Id__c',
            'HubSpot_Sync_Status__c',
            'HubSpot_Lifecycle_Stage__c',
            'IsConverted',
            'ConvertedContactId',
            'ConvertedAccountId'
        ]);
        expect(salesforceReadFields(mapping, recordById('opportunity_to_deal'))).toEqual(
            expect.arrayContaining(['StageName', 'AccountId', 'HubSpot_Id__c'])
        );
    });

    it('builds a full read, a strict cursor read and a lookback read', () => {
        const base = { object: 'Lead', fields: ['Id', 'Email'], scope: { field: 'Email', op: 'is_not_null' as const } };
        expect(buildSalesforceChangesQuery(base)).toBe(
            'SELECT Id, Email FROM Lead WHERE Email != null ORDER BY SystemModstamp ASC, Id ASC'
        );
        const since = { modifiedAt: '2024-05-20T20:49:32.000Z', id: "00Q'x" };
        expect(buildSalesforceChangesQuery({ ...base, since })).toBe(
            "SELECT Id, Email FROM Lead WHERE Email != null AND (SystemModstamp > 2024-05-20T20:49:32Z OR (SystemModstamp = 2024-05-20T20:49:32Z AND Id > '00Q\\'x')) ORDER BY SystemModstamp ASC, Id ASC"
        );
        expect(buildSalesforceChangesQuery({ object: 'Account', fields: ['Id'], since, lookbackSeconds: 120 })).toBe(
            'SELECT Id FROM Account WHERE SystemModstamp >= 2024-05-20T20:47:32Z ORDER BY SystemModstamp ASC, Id ASC'
        );
        expect(buildSalesforceDeletesQuery('Contact', since)).toBe(
            'SELECT Id, SystemModstamp FROM Contact WHERE IsDeleted = true AND SystemModstamp >= 2024-05-20T20:49:32Z ORDER BY SystemModstamp ASC, Id ASC'
        );
    });

    it('refuses object or field names that are not API names', () => {
        expect(() => buildSalesforceChangesQuery({ object: 'Lead WHERE 1=1', fields: ['Id'] })).toThrow();
        expect(() =>
            buildSalesforceChangesQuery({ object: 'Lead', fields: ['Id, (SELECT Id FROM Contacts)'] })
        ).toThrow();
    });
});

describe('HubSpot change search', () => {
    const context = { objectType: 'contacts', properties: ['email', 'firstname'] };

    it('filters and sorts on the object type’s last-modified property', () => {
        expect(lastModifiedProperty('contacts')).toBe('lastmodifieddate');
        expect(lastModifiedProperty('deals')).toBe('hs_lastmodifieddate');
        expect(searchRequest(context, firstSearchStep(1_700_000_000_000))).toEqual({
            filterGroups: [
                { filters: [{ propertyName: 'lastmodifieddate', operator: 'GTE', value: '1700000000000' }] }
            ],
            sorts: [{ propertyName: 'lastmodifieddate', direction: 'ASCENDING' }],
            properties: ['email', 'firstname', 'lastmodifieddate'],
            limit: 200
        });
    });

    it('adds the cursor to every scope group', () => {
        const request = searchRequest(
            {
                ...context,
                scope: {
                    filterGroups: [
                        { filters: [{ property: 'lifecyclestage', operator: 'EQ', value: 'lead' }] },
                        { filters: [{ property: 'hs_lead_status', operator: 'IN', values: ['NEW', 'OPEN'] }] }
                    ]
                }
            },
            { phase: { kind: 'range', fromMs: 5 }, after: '200' }
        );
        expect(request.filterGroups).toEqual([
            {
                filters: [
                    { propertyName: 'lifecyclestage', operator: 'EQ', value: 'lead' },
                    { propertyName: 'lastmodifieddate', operator: 'GTE', value: '5' }
                ]
            },
            {
                filters: [
                    { propertyName: 'hs_lead_status', operator: 'IN', values: ['NEW', 'OPEN'] },
                    { propertyName: 'lastmodifieddate', operator: 'GTE', value: '5' }
                ]
            }
        ]);
        expect(request.after).toBe('200');
    });

    it('refuses a scope that leaves no room for the cursor filters', () => {
        const filters = Array.from({ length: 24 }, () => ({ property: 'email', operator: 'HAS_PROPERTY' as const }));
        const scope = { filterGroups: [{ filters }] };
        expect(searchRequest({ ...context, scope }, firstSearchStep()).filterGroups[0].filters).toHaveLength(25);
        expect(() => searchRequest({ ...context, scope }, { phase: { kind: 'tie', atMs: 1, afterId: '0' } })).toThrow(
            /no room/
        );
    });

    it('pages within a query, then stops', () => {
        const step = firstSearchStep(0);
        expect(nextSearchStep(step, { results: [{ id: '1', modifiedAt: '10' }], nextAfter: '100' })).toEqual({
            phase: step.phase,
            after: '100'
        });
        expect(nextSearchStep(step, { results: [{ id: '1', modifiedAt: '10' }] })).toBeUndefined();
    });

    it('narrows the window from the last timestamp when the 10,000-result cap is reached', () => {
        const step: SearchStep = { phase: { kind: 'range', fromMs: 1000 }, after: '9900' };
        const page = {
            results: [
                { id: '7', modifiedAt: '2000' },
                { id: '8', modifiedAt: '1970-01-01T00:00:03.000Z' }
            ],
            nextAfter: String(hubspotSearchResultCap)
        };
        expect(nextSearchStep(step, page)).toEqual({ phase: { kind: 'range', fromMs: 3000 } });
    });

    it('walks 10,000 records sharing one timestamp by ID, then continues after that instant', () => {
        const stuck: SearchStep = { phase: { kind: 'range', fromMs: 3000 }, after: '9900' };
        const sameInstant = { results: [{ id: '50', modifiedAt: '3000' }], nextAfter: '10000' };
        const tie = nextSearchStep(stuck, sameInstant);
        expect(tie).toEqual({ phase: { kind: 'tie', atMs: 3000, afterId: '0' } });
        expect(searchRequest(context, tie!)).toMatchObject({
            filterGroups: [
                {
                    filters: [
                        { propertyName: 'lastmodifieddate', operator: 'EQ', value: '3000' },
                        { propertyName: 'hs_object_id', operator: 'GT', value: '0' }
                    ]
                }
            ],
            sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }]
        });
        const tieCapped = nextSearchStep(tie!, {
            results: [
                { id: '9', modifiedAt: '3000' },
                { id: '10050', modifiedAt: '3000' }
            ],
            nextAfter: '10000'
        });
        expect(tieCapped).toEqual({ phase: { kind: 'tie', atMs: 3000, afterId: '10050' } });
        expect(nextSearchStep(tieCapped!, { results: [{ id: '10060', modifiedAt: '3000' }] })).toEqual({
            phase: { kind: 'range', fromMs: 3001 }
        });
    });
});
