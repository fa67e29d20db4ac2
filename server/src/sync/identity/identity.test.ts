import { resolve } from 'node:path';

import { loadMappingFileOrThrow } from '../mapping/load';
import { MappingFile } from '../mapping/schema';
import { normaliseDomain } from './domain';
import { resolveEmailDuplicates, type PersonRecord } from './duplicates';
import { normaliseEmail } from './email';
import { salesforceIdPropertyWrites } from './id-properties';
import { leadOnlyFields, planLeadConversion } from './lead-conversion';
import { deriveLifecycleStage, nextLifecycleStage, planLifecycle } from './lifecycle';
import { findCounterpart, indexByKey, naturalKeyOf } from './match';

const mapping = loadMappingFileOrThrow(resolve(__dirname, '..', '..', '..', '..', 'config', 'sync-mapping.yaml'));

describe('normaliseEmail', () => {
    it.each([
        ['  Ada@Example.COM ', 'ada@example.com'],
        ['ada+tag@example.co.uk', 'ada+tag@example.co.uk'],
        ['', undefined],
        ['   ', undefined],
        [null, undefined],
        [undefined, undefined],
        [42, undefined],
        ['not an email', undefined],
        ['ada@localhost', undefined],
        ['a@b@c.com', undefined]
    ])('%j → %j', (input, expected) => {
        expect(normaliseEmail(input)).toBe(expected);
    });
});

describe('normaliseDomain', () => {
    it.each([
        ['https://www.Acme.com/about?x=1#top', 'acme.com'],
        ['HTTP://acme.com:8080', 'acme.com'],
        ['www.acme.com', 'acme.com'],
        ['acme.com.', 'acme.com'],
        ['//cdn.acme.io/x', 'cdn.acme.io'],
        ['https://user:pw@shop.acme.de/', 'shop.acme.de'],
        ['www2.acme.com', 'acme.com'],
        ['  Acme.COM  ', 'acme.com'],
        ['http://192.168.0.1', undefined],
        ['localhost', undefined],
        ['acme', undefined],
        ['', undefined],
        [null, undefined],
        ['not a domain at all', undefined]
    ])('%j → %j', (input, expected) => {
        expect(normaliseDomain(input)).toBe(expected);
    });
});

describe('resolveEmailDuplicates', () => {
    const person = (
        salesforceObject: string,
        id: string,
        email: unknown,
        modifiedAt: string,
        createdAt: string
    ): PersonRecord => ({
        salesforceObject,
        id,
        email,
        modifiedAt,
        createdAt
    });
    const records = [
        person('Lead', '00QOLD', 'ada@x.io', '2024-03-01T00:00:00Z', '2020-01-01T00:00:00Z'),
        person('Lead', '00QNEW', ' ADA@x.io', '2024-05-01T00:00:00Z', '2023-01-01T00:00:00Z'),
        person('Contact', '003MID', 'ada@x.io', '2024-04-01T00:00:00Z', '2022-01-01T00:00:00Z'),
        person('Contact', '003BOB', 'bob@x.io', '2024-01-01T00:00:00Z', '2021-01-01T00:00:00Z'),
        person('Lead', '00QNONE', '', '2024-01-01T00:00:00Z', '2021-01-01T00:00:00Z'),
        person('Lead', '00QBAD', 'n/a', '2024-01-01T00:00:00Z', '2021-01-01T00:00:00Z')
    ];

    it.each([
        ['most_recently_updated', '00QNEW', ['00QOLD', '003MID']],
        ['prefer_contact', '003MID', ['00QOLD', '00QNEW']],
        ['oldest', '00QOLD', ['00QNEW', '003MID']]
    ] as const)('%s: %s wins, the others are Excluded with its ID', (policy, winner, losers) => {
        const resolution = resolveEmailDuplicates(records, policy);
        expect(resolution.winners.get('ada@x.io')?.id).toBe(winner);
        expect(resolution.winners.get('bob@x.io')?.id).toBe('003BOB');
        const ada = resolution.excluded.filter((entry) => entry.winnerId === winner);
        expect(ada.map((entry) => entry.record.id).sort()).toEqual([...losers].sort());
        expect(ada[0].reason).toContain(winner);
        expect(resolution.withoutEmail.map((record) => record.id)).toEqual(['00QNONE', '00QBAD']);
    });

    it('breaks timestamp ties by ID so every run picks the same winner', () => {
        const tied = [
            person('Lead', '00QB', 'x@y.io', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z'),
            person('Lead', '00QA', 'x@y.io', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z')
        ];
        expect(resolveEmailDuplicates(tied, 'most_recently_updated').winners.get('x@y.io')?.id).toBe('00QA');
        expect(resolveEmailDuplicates([...tied].reverse(), 'oldest').winners.get('x@y.io')?.id).toBe('00QA');
    });
});

describe('findCounterpart', () => {
    const notLinked = () => false;

    it('trusts the stored link first, then the ID field, then the natural key', () => {
        expect(
            findCounterpart({
                storedLink: '1',
                idFieldMatches: ['2'],
                naturalKeyMatches: ['3'],
                naturalKey: 'email',
                isLinkedElsewhere: notLinked
            })
        ).toEqual({ status: 'matched', counterpartId: '1', via: 'stored_link' });
        expect(
            findCounterpart({
                idFieldMatches: ['2'],
                naturalKeyMatches: ['3'],
                naturalKey: 'email',
                isLinkedElsewhere: notLinked
            })
        ).toEqual({
            status: 'matched',
            counterpartId: '2',
            via: 'id_field'
        });
        expect(
            findCounterpart({
                idFieldMatches: [],
                naturalKeyMatches: ['3'],
                naturalKey: 'domain',
                isLinkedElsewhere: notLinked
            })
        ).toEqual({
            status: 'matched',
            counterpartId: '3',
            via: 'domain'
        });
    });

    it('reports several candidates as ambiguous instead of linking one', () => {
        expect(
            findCounterpart({
                idFieldMatches: [],
                naturalKeyMatches: ['9', '3'],
                naturalKey: 'domain',
                isLinkedElsewhere: notLinked
            })
        ).toEqual({
            status: 'ambiguous',
            candidates: ['3', '9'],
            via: 'domain'
        });
        expect(
            findCounterpart({
                idFieldMatches: ['5', '4'],
                naturalKeyMatches: [],
                naturalKey: 'none',
                isLinkedElsewhere: notLinked
            })
        ).toEqual({
            status: 'ambiguous',
            candidates: ['4', '5'],
            via: 'id_field'
        });
    });

    it('skips natural-key candidates already linked to another record', () => {
        expect(
            findCounterpart({
                idFieldMatches: [],
                naturalKeyMatches: ['3', '9'],
                naturalKey: 'domain',
                isLinkedElsewhere: (id) => id === '9'
            })
        ).toEqual({ status: 'matched', counterpartId: '3', via: 'domain' });
    });

    it('never matches deals by anything but the link or the ID property', () => {
        expect(
            findCounterpart({
                idFieldMatches: [],
                naturalKeyMatches: ['7'],
                naturalKey: 'none',
                isLinkedElsewhere: notLinked
            })
        ).toEqual({
            status: 'unmatched'
        });
    });

    it('builds natural-key indexes from records', () => {
        const companies = [
            { id: '1', domain: 'acme.com' },
            { id: '2', domain: 'https://www.acme.com' },
            { id: '3', domain: null }
        ];
        const index = indexByKey(
            companies,
            (company) => company.id,
            (company) => naturalKeyOf('domain', company.domain)
        );
        expect([...index]).toEqual([['acme.com', ['1', '2']]]);
        expect(naturalKeyOf('none', 'x@y.io')).toBeUndefined();
        expect(naturalKeyOf('email', 'X@Y.io')).toBe('x@y.io');
    });
});

describe('ID properties', () => {
    it('sets the winner’s ID property and clears the other mappings’ on the same HubSpot object', () => {
        expect(salesforceIdPropertyWrites(mapping, 'contact_to_contact', '003A')).toEqual({
            salesforceleadid: '',
            salesforcecontactid: '003A'
        });
        expect(salesforceIdPropertyWrites(mapping, 'account_to_company', '001A')).toEqual({
            salesforceaccountid: '001A'
        });
        expect(() => salesforceIdPropertyWrites(mapping, 'nope', '1')).toThrow('unknown record mapping nope');
    });
});

describe('lifecycle stages', () => {
    const settings = mapping.lifecycle;
    const leadLifecycle = mapping.records[0].lifecycle!;
    const contactLifecycle = mapping.records[1].lifecycle!;

    it('derives a Lead’s stage from its status and a Contact’s from its opportunities', () => {
        expect(deriveLifecycleStage(leadLifecycle, { Status: 'Working - Contacted' })).toBe('salesqualifiedlead');
        expect(deriveLifecycleStage(leadLifecycle, { Status: 'Unknown' })).toBeUndefined();
        expect(deriveLifecycleStage(contactLifecycle, {}, [{ isClosed: false, isWon: false }])).toBe('opportunity');
        expect(
            deriveLifecycleStage(contactLifecycle, {}, [
                { isClosed: false, isWon: false },
                { isClosed: true, isWon: true }
            ])
        ).toBe('customer');
        // Neither open nor won: the shipped mapping's `otherwise`; without one, the stage is left to HubSpot.
        expect(deriveLifecycleStage(contactLifecycle, {}, [{ isClosed: true, isWon: false }])).toBe(
            'salesqualifiedlead'
        );
        expect(deriveLifecycleStage(contactLifecycle, {}, [])).toBe('salesqualifiedlead');
        const withoutOtherwise = { from: 'opportunities' as const, open: 'opportunity', closedWon: 'customer' };
        expect(deriveLifecycleStage(withoutOtherwise, {}, [])).toBeUndefined();
    });

    it.each([
        [null, 'lead', true, 'lead'],
        ['lead', 'salesqualifiedlead', true, 'salesqualifiedlead'],
        ['customer', 'opportunity', true, undefined],
        ['customer', 'opportunity', false, 'opportunity'],
        ['lead', 'lead', true, undefined],
        ['other', 'lead', true, undefined],
        ['lead', undefined, true, undefined]
    ])('from %j towards %j (forward only: %s) → %j', (current, target, forwardOnly, expected) => {
        expect(nextLifecycleStage(current, target, { ...settings, forwardOnly })).toBe(expected);
    });

    it('plans the HubSpot stage and mirrors the result into the package field', () => {
        expect(
            planLifecycle(
                settings,
                leadLifecycle,
                { Status: 'Working - Contacted', HubSpot_Lifecycle_Stage__c: 'lead' },
                'lead'
            )
        ).toEqual({
            hubspotStage: 'salesqualifiedlead',
            movesBackwards: false,
            salesforceMirror: 'salesqualifiedlead'
        });
        // HubSpot is further along: the stage stays, the package field catches up.
        expect(
            planLifecycle(
                settings,
                leadLifecycle,
                { Status: 'Open - Not Contacted', HubSpot_Lifecycle_Stage__c: null },
                'customer'
            )
        ).toEqual({
            movesBackwards: false,
            salesforceMirror: 'customer'
        });
        expect(
            planLifecycle(
                { ...settings, forwardOnly: false },
                leadLifecycle,
                { Status: 'Open - Not Contacted', HubSpot_Lifecycle_Stage__c: 'lead' },
                'customer'
            )
        ).toEqual({ hubspotStage: 'lead', movesBackwards: true });
        expect(
            planLifecycle(settings, contactLifecycle, { HubSpot_Lifecycle_Stage__c: 'customer' }, 'customer', [
                { isClosed: true, isWon: true }
            ])
        ).toEqual({
            movesBackwards: false
        });
    });
});

describe('lead conversion', () => {
    it('moves the HubSpot link to the converted Contact and the stage forward', () => {
        expect(
            planLeadConversion(
                mapping,
                { leadId: '00QA', convertedContactId: '003A', hubspotId: '501' },
                undefined,
                'lead'
            )
        ).toEqual({
            status: 'relink',
            leadId: '00QA',
            contactId: '003A',
            hubspotId: '501',
            hubspotWrites: { salesforcecontactid: '003A', salesforceleadid: '', lifecyclestage: 'salesqualifiedlead' }
        });
    });

    it('keeps a stage that is already further along', () => {
        const plan = planLeadConversion(
            mapping,
            { leadId: '00QA', convertedContactId: '003A', hubspotId: '501' },
            '501',
            'customer'
        );
        expect(plan).toMatchObject({
            status: 'relink',
            hubspotWrites: { salesforcecontactid: '003A', salesforceleadid: '' }
        });
        expect(plan.status === 'relink' && 'lifecyclestage' in plan.hubspotWrites).toBe(false);
    });

    it('reports a Contact that already syncs with another HubSpot contact instead of relinking', () => {
        expect(
            planLeadConversion(mapping, { leadId: '00QA', convertedContactId: '003A', hubspotId: '501' }, '777', 'lead')
        ).toEqual({
            status: 'contact_linked_elsewhere',
            leadId: '00QA',
            contactId: '003A',
            hubspotId: '501',
            contactHubSpotId: '777'
        });
    });

    it('does nothing for a Lead that never synced', () => {
        expect(planLeadConversion(mapping, { leadId: '00QA', convertedContactId: '003A' }, undefined, null)).toEqual({
            status: 'nothing_linked',
            leadId: '00QA',
            contactId: '003A'
        });
    });

    it('names the Lead fields whose values stop syncing after conversion', () => {
        expect(leadOnlyFields(mapping)).toEqual([
            'Lead.Company → company',
            'Lead.Website → website',
            'Lead.Industry → industry',
            'Lead.Status → hs_lead_status'
        ]);
        expect(leadOnlyFields(MappingFile.parse({ ...mapping, leadConversion: undefined }))).toEqual([]);
    });
});
