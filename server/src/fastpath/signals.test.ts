import type { ClaimedItem } from '../queue';
import { loadMappingFileOrThrow } from '../sync/mapping/load';
import { shippedMappingFile } from '../sync/engine/test-support';
import { changeEventSignals, fastPathScope, isOwnHubSpotWrite, isOwnWrite, planRuns, webhookSignals } from './signals';

const scope = fastPathScope(loadMappingFileOrThrow(shippedMappingFile));
const leadId = '00Q000000000001AAA';

const header = (changes: Partial<{ changeType: string; changeOrigin: string; recordIds: string[] }>) => ({
    entityName: 'Lead',
    recordIds: [leadId],
    changeType: 'UPDATE',
    changeOrigin: '',
    ...changes
});

let nextId = 1;
function claimed(stream: string, recordKey: string): ClaimedItem {
    const id = nextId++;
    return {
        id,
        stream,
        recordKey,
        priority: 'fast_path',
        reason: 'test',
        payload: null,
        attempts: 1,
        enqueuedAt: new Date(0),
        lastError: null,
        leaseToken: 1,
        leaseExpiresAt: new Date(60_000)
    };
}

describe('fast-path scope', () => {
    test('follows the Salesforce objects of the enabled mappings and groups Lead with Contact', () => {
        expect(scope.salesforceObjects).toEqual(['Lead', 'Contact', 'Account', 'Opportunity']);
        expect(Object.fromEntries(scope.runGroupOf)).toMatchObject({
            Lead: 'contacts',
            Contact: 'contacts',
            contacts: 'contacts',
            Account: 'companies',
            Opportunity: 'deals'
        });
    });
});

describe('change events as signals', () => {
    test('our own writes are known by the exact client name in changeOrigin', () => {
        expect(
            isOwnWrite(header({ changeOrigin: 'com/salesforce/api/rest/68.0;client=hubspot-bridge' }), 'hubspot-bridge')
        ).toBe(true);
        expect(
            isOwnWrite(
                header({ changeOrigin: 'com/salesforce/api/rest/68.0;client=hubspot-bridge-2' }),
                'hubspot-bridge'
            )
        ).toBe(false);
        expect(isOwnWrite(header({ changeOrigin: '' }), 'hubspot-bridge')).toBe(false);
    });

    test('creates, updates and undeletes signal their records; deletes and gaps without IDs reconcile the object', () => {
        expect(changeEventSignals(header({}), 'hubspot-bridge')).toEqual({
            kind: 'signals',
            signals: [{ stream: 'salesforce:Lead', recordKey: leadId, priority: 'fast_path', reason: 'cdc UPDATE' }]
        });
        expect(
            changeEventSignals(
                header({ changeOrigin: 'com/salesforce/api/soap/68.0;client=hubspot-bridge' }),
                'hubspot-bridge'
            )
        ).toEqual({ kind: 'own_write' });
        for (const changeType of ['DELETE', 'GAP_DELETE', 'GAP_OVERFLOW']) {
            expect(
                changeEventSignals(
                    header({ changeType, recordIds: changeType === 'GAP_OVERFLOW' ? [] : [leadId] }),
                    'x'
                )
            ).toEqual({
                kind: 'signals',
                signals: [
                    { stream: 'reconcile', recordKey: 'Lead', priority: 'fast_path', reason: `cdc ${changeType}` }
                ]
            });
        }
        // Wildcard IDs (a bulk change summarised) name no record: the object is reconciled.
        expect(changeEventSignals(header({ recordIds: ['00Q*'] }), 'x')).toMatchObject({
            signals: [{ stream: 'reconcile', recordKey: 'Lead' }]
        });
        expect(changeEventSignals(header({ changeType: 'GAP_UPDATE', recordIds: [leadId, 'bad'] }), 'x')).toMatchObject(
            {
                signals: [{ stream: 'salesforce:Lead', recordKey: leadId, reason: 'cdc GAP_UPDATE' }]
            }
        );
    });
});

describe('webhook events as signals', () => {
    const stored = (subscriptionType: string, objectId = 501, disposition = 'pending') => ({
        disposition,
        subscriptionType,
        objectId,
        receivedAt: '2026-01-01T00:00:00.000Z',
        event: {}
    });

    test('record changes signal the record, deletions reconcile the type, merges do both', () => {
        for (const type of ['contact.creation', 'contact.propertyChange', 'contact.restore']) {
            expect(webhookSignals(stored(type), scope.runGroupOf)).toEqual({
                kind: 'signals',
                signals: [
                    { stream: 'hubspot:contacts', recordKey: '501', priority: 'fast_path', reason: `webhook ${type}` }
                ]
            });
        }
        expect(webhookSignals(stored('company.deletion', 9), scope.runGroupOf)).toMatchObject({
            signals: [{ stream: 'reconcile', recordKey: 'companies' }]
        });
        expect(webhookSignals(stored('contact.privacyDeletion'), scope.runGroupOf)).toMatchObject({
            signals: [{ stream: 'reconcile', recordKey: 'contacts' }]
        });
        expect(webhookSignals(stored('deal.merge', 77), scope.runGroupOf)).toMatchObject({
            signals: [
                { stream: 'hubspot:deals', recordKey: '77' },
                { stream: 'reconcile', recordKey: 'deals' }
            ]
        });
    });

    test('ignored types, association changes and unmapped objects are no work; a malformed event is invalid', () => {
        expect(webhookSignals(stored('contact.propertyChange', 1, 'ignored'), scope.runGroupOf).kind).toBe('no_work');
        expect(webhookSignals(stored('contact.associationChange'), scope.runGroupOf)).toEqual({
            kind: 'no_work',
            why: 'associations sync on the scheduled poll'
        });
        expect(webhookSignals(stored('ticket.creation'), scope.runGroupOf).kind).toBe('no_work');
        expect(webhookSignals(stored('contact.creation'), new Map([['companies', 'companies']])).kind).toBe('no_work');
        const invalid = webhookSignals({ subscriptionType: 'contact.creation', objectId: -1 }, scope.runGroupOf);
        expect(invalid).toMatchObject({ kind: 'invalid' });
        expect(invalid.kind === 'invalid' && invalid.error).toMatch(/^unreadable webhook event:.*objectId/s);
        expect(webhookSignals('not an object', scope.runGroupOf).kind).toBe('invalid');
    });
});

describe("the relay's own HubSpot writes", () => {
    const byApp = (sourceId: string, changeSource = 'INTEGRATION', appId: number | null = 1234567) => ({
        disposition: 'pending',
        subscriptionType: 'contact.propertyChange',
        objectId: 501,
        receivedAt: '2026-01-01T00:00:00.000Z',
        event: { ...(appId === null ? {} : { appId }), changeSource, sourceId }
    });

    test('an integration write by the app that sent the webhook is an own write, and no work', () => {
        expect(webhookSignals(byApp('1234567'), scope.runGroupOf)).toEqual({ kind: 'own_write' });
        expect(isOwnHubSpotWrite({ appId: 1234567, changeSource: 'INTEGRATION', sourceId: '1234567' })).toBe(true);
    });

    test('a configured app ID wins over the subscribing app', () => {
        expect(webhookSignals(byApp('42', 'INTEGRATION', 1234567), scope.runGroupOf, 42)).toEqual({
            kind: 'own_write'
        });
        expect(webhookSignals(byApp('1234567'), scope.runGroupOf, 42).kind).toBe('signals');
        expect(webhookSignals(byApp('42', 'INTEGRATION', null), scope.runGroupOf, 42).kind).toBe('own_write');
    });

    test("a user's edit, an import, another integration or an unknown source still signal", () => {
        for (const event of [
            byApp('userId:9000001', 'CRM_UI'),
            byApp('1234567', 'CRM_UI'),
            byApp('', 'IMPORT'),
            byApp('7654321'),
            byApp('1234567', 'INTEGRATION', null)
        ]) {
            expect(webhookSignals(event, scope.runGroupOf)).toMatchObject({
                kind: 'signals',
                signals: [{ stream: 'hubspot:contacts', recordKey: '501' }]
            });
        }
        const { event: _, ...withoutSource } = byApp('1234567');
        expect(webhookSignals(withoutSource, scope.runGroupOf).kind).toBe('signals');
    });

    test('a malformed change source is an invalid event, not a silent drop', () => {
        const outcome = webhookSignals({ ...byApp('1'), event: { sourceId: 7 } }, scope.runGroupOf);
        expect(outcome.kind === 'invalid' && outcome.error).toMatch(/sourceId/);
    });
});

describe('planning runs from a claimed batch', () => {
    test('one ids run per HubSpot object type, one run per reconciled object, unknown streams apart', () => {
        const lead = claimed('salesforce:Lead', leadId);
        const contact = claimed('salesforce:Contact', '003000000000001AAA');
        const hubspotContact = claimed('hubspot:contacts', '501');
        const account = claimed('salesforce:Account', '001000000000001AAA');
        const reconcile = claimed('reconcile', 'Opportunity');
        const unknownStream = claimed('salesforce:Case', '500000000000001AAA');
        const unknownReconcile = claimed('reconcile', 'Case');
        const { runs, unrunnable } = planRuns(
            [lead, contact, hubspotContact, account, reconcile, unknownStream, unknownReconcile],
            scope.runGroupOf
        );
        expect(runs).toEqual([
            {
                kind: 'records',
                objects: ['contacts'],
                ids: [leadId, '003000000000001AAA', '501'],
                items: [lead, contact, hubspotContact]
            },
            { kind: 'records', objects: ['companies'], ids: ['001000000000001AAA'], items: [account] },
            { kind: 'reconcile', objects: ['Opportunity'], items: [reconcile] }
        ]);
        expect(unrunnable).toEqual([unknownStream, unknownReconcile]);
    });
});
