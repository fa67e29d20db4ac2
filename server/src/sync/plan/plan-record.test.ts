import type { SyncRule } from '../mapping/schema';
import { hsProperty, hsSelect, hsText, sfField } from '../schema/standard-schemas.fixture';
import type { ResolvedField } from '../schema/validate-mapping';
import { canonicalHubSpot, canonicalSalesforce, type Conversion, type SalesforceValue } from '../values/conversion';
import { buildOwnerDirectory } from '../values/owners';
import { planRecord, valueHash, type FieldSnapshot, type RecordPairState } from './plan-record';

const older = '2024-05-01T10:00:00.000Z';
const newer = '2024-05-02T10:00:00.000Z';

function textField(
    rule: SyncRule,
    writable = { salesforce: rule !== 'always_salesforce' && rule !== 'dont_sync', hubspot: rule !== 'dont_sync' }
): ResolvedField {
    return {
        salesforce: sfField('Title', 'string', { length: 20 }),
        hubspot: hsText('jobtitle'),
        rule,
        conversion: 'text',
        owner: false,
        writable
    };
}

function snapshot(conversion: Conversion, salesforce: SalesforceValue, hubspot: string | null): FieldSnapshot {
    return {
        salesforceValue: salesforce,
        hubspotValue: hubspot,
        salesforceHash: valueHash(canonicalSalesforce(conversion, salesforce)),
        hubspotHash: valueHash(canonicalHubSpot(conversion, hubspot))
    };
}

interface Case {
    salesforce: SalesforceValue;
    hubspot: string | null;
    /** [salesforce, hubspot] at the last sync, or undefined for a first sync. */
    last?: [SalesforceValue, string | null];
    salesforceAt?: string;
    hubspotAt?: string;
}

function stateFor(field: ResolvedField, c: Case): RecordPairState {
    return {
        salesforce: {
            id: '003A',
            values: { [field.salesforce.name]: c.salesforce },
            modifiedAt: c.salesforceAt ?? older
        },
        hubspot: {
            id: '501',
            values: { [field.hubspot.name]: c.hubspot },
            modifiedAt: newer,
            propertyChangedAt: { [field.hubspot.name]: c.hubspotAt ?? older }
        },
        snapshots: c.last ? { [field.salesforce.name]: snapshot(field.conversion, c.last[0], c.last[1]) } : {}
    };
}

/** `sf:X` = write X to Salesforce, `hs:X` = write X to HubSpot, `-` = nothing. */
function outcome(field: ResolvedField, c: Case): string {
    const plan = planRecord([field], stateFor(field, c));
    const writes = [
        ...Object.values(plan.toSalesforce).map((value) => `sf:${JSON.stringify(value)}`),
        ...Object.values(plan.toHubSpot).map((value) => `hs:${JSON.stringify(value)}`)
    ];
    return writes.join(' ') || '-';
}

describe('two_way', () => {
    const field = textField('two_way');
    it.each<[string, Case, string]>([
        ['nothing changed', { salesforce: 'CEO', hubspot: 'CEO', last: ['CEO', 'CEO'] }, '-'],
        ['Salesforce changed', { salesforce: 'CTO', hubspot: 'CEO', last: ['CEO', 'CEO'] }, 'hs:"CTO"'],
        ['HubSpot changed', { salesforce: 'CEO', hubspot: 'CFO', last: ['CEO', 'CEO'] }, 'sf:"CFO"'],
        ['Salesforce cleared', { salesforce: null, hubspot: 'CEO', last: ['CEO', 'CEO'] }, 'hs:""'],
        ['HubSpot cleared', { salesforce: 'CEO', hubspot: '', last: ['CEO', 'CEO'] }, 'sf:null'],
        [
            'both changed, Salesforce newer',
            { salesforce: 'CTO', hubspot: 'CFO', last: ['CEO', 'CEO'], salesforceAt: newer, hubspotAt: older },
            'hs:"CTO"'
        ],
        [
            'both changed, HubSpot newer',
            { salesforce: 'CTO', hubspot: 'CFO', last: ['CEO', 'CEO'], salesforceAt: older, hubspotAt: newer },
            'sf:"CFO"'
        ],
        [
            'both changed at the same instant: Salesforce wins',
            { salesforce: 'CTO', hubspot: 'CFO', last: ['CEO', 'CEO'] },
            'hs:"CTO"'
        ],
        ['both changed to the same value', { salesforce: 'CTO', hubspot: 'CTO', last: ['CEO', 'CEO'] }, '-'],
        ['first sync, equal values', { salesforce: 'CEO', hubspot: 'CEO' }, '-'],
        ['first sync, Salesforce blank', { salesforce: null, hubspot: 'CEO' }, 'sf:"CEO"'],
        ['first sync, HubSpot blank', { salesforce: 'CEO', hubspot: null }, 'hs:"CEO"'],
        [
            'first sync, differing values, HubSpot newer',
            { salesforce: 'CTO', hubspot: 'CFO', hubspotAt: newer },
            'sf:"CFO"'
        ],
        [
            'first sync, differing values, Salesforce newer',
            { salesforce: 'CTO', hubspot: 'CFO', salesforceAt: newer },
            'hs:"CTO"'
        ],
        [
            'out of sync with no change since the snapshot (a lost write)',
            { salesforce: 'CTO', hubspot: 'CEO', last: ['CTO', 'CEO'] },
            'hs:"CTO"'
        ]
    ])('%s', (_label, c, expected) => {
        expect(outcome(field, c)).toBe(expected);
    });

    it('records a conflict with both values and the winner', () => {
        const plan = planRecord(
            [field],
            stateFor(field, {
                salesforce: 'CTO',
                hubspot: 'CFO',
                last: ['CEO', 'CEO'],
                salesforceAt: older,
                hubspotAt: newer
            })
        );
        expect(plan.conflicts).toEqual([
            {
                field: 'Title',
                property: 'jobtitle',
                salesforceValue: 'CTO',
                hubspotValue: 'CFO',
                salesforceChangedAt: older,
                hubspotChangedAt: newer,
                winner: 'hubspot'
            }
        ]);
        expect(plan.audit).toEqual([
            {
                field: 'Title',
                property: 'jobtitle',
                direction: 'to_salesforce',
                rule: 'two_way',
                reason: 'conflict_hubspot_newer',
                before: 'CTO',
                after: 'CFO'
            }
        ]);
    });

    it('uses the property history timestamp, not the record’s, to decide who changed last', () => {
        const state = stateFor(field, { salesforce: 'CTO', hubspot: 'CFO', last: ['CEO', 'CEO'], salesforceAt: newer });
        state.hubspot.modifiedAt = '2030-01-01T00:00:00.000Z';
        expect(planRecord([field], state).toHubSpot).toEqual({ jobtitle: 'CTO' });
        delete state.hubspot.propertyChangedAt;
        expect(planRecord([field], state).toSalesforce).toEqual({ Title: 'CFO' });
    });

    it('takes a record only the engine wrote as older than any HubSpot value (its modstamp is the copy)', () => {
        const first = stateFor(field, {
            salesforce: 'Copied',
            hubspot: 'Edited',
            salesforceAt: newer,
            hubspotAt: older
        });
        expect(planRecord([field], first).toHubSpot).toEqual({ jobtitle: 'Copied' });
        first.salesforce.writtenByIntegrationOnly = true;
        expect(planRecord([field], first).toSalesforce).toEqual({ Title: 'Edited' });
    });

    it('times a user’s edit by the record even when an engine write since made the integration user its last modifier', () => {
        // The engine's own writes are in the snapshot: a Salesforce value off it is someone else's edit.
        const conflict = stateFor(field, {
            salesforce: 'Rep edit',
            hubspot: 'Older HubSpot edit',
            last: ['CEO', 'CEO'],
            salesforceAt: newer,
            hubspotAt: older
        });
        conflict.salesforce.writtenByIntegrationOnly = true;
        const plan = planRecord([field], conflict);
        expect(plan.toHubSpot).toEqual({ jobtitle: 'Rep edit' });
        expect(plan.conflicts).toEqual([expect.objectContaining({ winner: 'salesforce' })]);
    });

    describe('first sync of a pair whose records existed apart (no snapshot)', () => {
        it('decides each field by its own change time and records the conflict', () => {
            const state = stateFor(field, { salesforce: 'CTO', hubspot: 'CFO', salesforceAt: newer, hubspotAt: older });
            // The HubSpot record changed last (another property), yet this property is older than Salesforce's edit.
            state.hubspot.modifiedAt = '2030-01-01T00:00:00.000Z';
            const plan = planRecord([field], state);
            expect(plan.toHubSpot).toEqual({ jobtitle: 'CTO' });
            expect(plan.conflicts).toEqual([
                expect.objectContaining({
                    field: 'Title',
                    salesforceValue: 'CTO',
                    hubspotValue: 'CFO',
                    salesforceChangedAt: newer,
                    hubspotChangedAt: older,
                    winner: 'salesforce'
                })
            ]);
            expect(plan.audit[0]).toMatchObject({ reason: 'first_sync_newer_wins', direction: 'to_hubspot' });
        });

        it('records no conflict where only one side holds a value, or both hold the same', () => {
            for (const c of [
                { salesforce: null, hubspot: 'CFO' },
                { salesforce: 'CTO', hubspot: null },
                { salesforce: 'CTO', hubspot: 'CTO' }
            ]) {
                expect(planRecord([field], stateFor(field, c)).conflicts).toEqual([]);
            }
        });

        it('compares against the last value both sides held (HubSpot’s history): the side that kept it loses', () => {
            // Salesforce still holds what HubSpot had before its edit, although its record changed later.
            const state = stateFor(field, {
                salesforce: 'Engineer',
                hubspot: 'CTO',
                salesforceAt: newer,
                hubspotAt: older
            });
            state.hubspot.propertyEarlierValues = { jobtitle: ['Lead Engineer', 'Engineer'] };
            const plan = planRecord([field], state);
            expect(plan.toSalesforce).toEqual({ Title: 'CTO' });
            expect(plan.conflicts).toEqual([]);
            expect(plan.audit[0]).toMatchObject({ reason: 'hubspot_changed' });
            // The agreed base is not stored: the snapshot is the state after this sync.
            expect(plan.snapshots.Title).toMatchObject({ salesforceValue: 'CTO', hubspotValue: 'CTO' });
        });

        it('times a Salesforce value HubSpot never held like any other: the newer side wins', () => {
            const state = stateFor(field, { salesforce: 'CTO', hubspot: 'CFO', salesforceAt: newer, hubspotAt: older });
            state.hubspot.propertyEarlierValues = { jobtitle: ['Engineer'] };
            expect(planRecord([field], state).toHubSpot).toEqual({ jobtitle: 'CTO' });
        });

        it('records no conflict against a record only the engine wrote (its values are copies)', () => {
            const state = stateFor(field, { salesforce: 'Copied', hubspot: 'Edited', salesforceAt: newer });
            state.salesforce.writtenByIntegrationOnly = true;
            const plan = planRecord([field], state);
            expect(plan.toSalesforce).toEqual({ Title: 'Edited' });
            expect(plan.conflicts).toEqual([]);
        });

        it('keeps the one-way rules: always_salesforce and prefer_salesforce_unless_blank ignore HubSpot’s history', () => {
            for (const rule of ['always_salesforce', 'prefer_salesforce_unless_blank'] as const) {
                const oneWay = textField(rule);
                const state = stateFor(oneWay, { salesforce: 'Engineer', hubspot: 'CTO', hubspotAt: newer });
                state.hubspot.propertyEarlierValues = { jobtitle: ['Engineer'] };
                const plan = planRecord([oneWay], state);
                expect(plan.toHubSpot).toEqual({ jobtitle: 'Engineer' });
                expect(plan.conflicts).toEqual([]);
            }
            const blank = textField('prefer_salesforce_unless_blank');
            const state = stateFor(blank, { salesforce: null, hubspot: 'CTO' });
            state.hubspot.propertyEarlierValues = { jobtitle: ['Engineer'] };
            expect(planRecord([blank], state).toSalesforce).toEqual({ Title: 'CTO' });
        });
    });

    it('flows a computed value from its owner only', () => {
        const score: ResolvedField = {
            salesforce: sfField('HubSpot_Score__c', 'double'),
            hubspot: hsProperty('hubspotscore', 'number', 'number', { calculated: true }),
            rule: 'two_way',
            conversion: 'number',
            owner: false,
            writable: { salesforce: true, hubspot: false }
        };
        expect(outcome(score, { salesforce: 12, hubspot: '40', last: [10, '10'], salesforceAt: newer })).toBe('sf:40');
        expect(outcome(score, { salesforce: 12, hubspot: '10', last: [10, '10'] })).toBe('sf:10');
        expect(outcome(score, { salesforce: 10, hubspot: '10.0', last: [10, '10'] })).toBe('-');
    });
});

describe('always_salesforce', () => {
    const field = textField('always_salesforce');
    it.each<[string, Case, string]>([
        ['in sync', { salesforce: 'CEO', hubspot: 'CEO', last: ['CEO', 'CEO'] }, '-'],
        ['Salesforce changed', { salesforce: 'CTO', hubspot: 'CEO', last: ['CEO', 'CEO'] }, 'hs:"CTO"'],
        [
            'a HubSpot edit is overwritten',
            { salesforce: 'CEO', hubspot: 'CFO', last: ['CEO', 'CEO'], hubspotAt: newer },
            'hs:"CEO"'
        ],
        [
            'a HubSpot edit never reaches Salesforce, even when newer',
            { salesforce: 'CTO', hubspot: 'CFO', last: ['CEO', 'CEO'], hubspotAt: newer },
            'hs:"CTO"'
        ],
        ['Salesforce blank clears HubSpot', { salesforce: null, hubspot: 'CFO' }, 'hs:""'],
        ['first sync', { salesforce: 'CEO', hubspot: null }, 'hs:"CEO"']
    ])('%s', (_label, c, expected) => {
        expect(outcome(field, c)).toBe(expected);
    });

    it('names an overwritten HubSpot edit in the audit trail', () => {
        const plan = planRecord([field], stateFor(field, { salesforce: 'CEO', hubspot: 'CFO', last: ['CEO', 'CEO'] }));
        expect(plan.audit[0]).toMatchObject({
            reason: 'hubspot_edit_overwritten',
            before: 'CFO',
            after: 'CEO',
            direction: 'to_hubspot'
        });
        expect(plan.conflicts).toEqual([]);
    });
});

describe('prefer_salesforce_unless_blank', () => {
    const field = textField('prefer_salesforce_unless_blank');
    it.each<[string, Case, string]>([
        [
            'HubSpot fills a blank Salesforce field',
            { salesforce: null, hubspot: 'CFO', last: [null, null] },
            'sf:"CFO"'
        ],
        ['HubSpot fills a blank Salesforce field on first sync', { salesforce: null, hubspot: 'CFO' }, 'sf:"CFO"'],
        [
            'a HubSpot edit never overwrites a Salesforce value',
            { salesforce: 'CEO', hubspot: 'CFO', last: ['CEO', 'CEO'], hubspotAt: newer },
            'hs:"CEO"'
        ],
        [
            'a Salesforce value always overwrites HubSpot',
            { salesforce: 'CTO', hubspot: 'CEO', last: ['CEO', 'CEO'] },
            'hs:"CTO"'
        ],
        ['clearing in Salesforce clears HubSpot', { salesforce: null, hubspot: 'CEO', last: ['CEO', 'CEO'] }, 'hs:""'],
        [
            'clearing in Salesforce wins over a HubSpot edit',
            { salesforce: null, hubspot: 'CFO', last: ['CEO', 'CEO'], hubspotAt: newer },
            'hs:""'
        ],
        ['both blank', { salesforce: null, hubspot: null, last: [null, null] }, '-'],
        ['in sync', { salesforce: 'CEO', hubspot: 'CEO', last: ['CEO', 'CEO'] }, '-']
    ])('%s', (_label, c, expected) => {
        expect(outcome(field, c)).toBe(expected);
    });
});

describe('dont_sync', () => {
    it('never writes and keeps no snapshot', () => {
        const field = textField('dont_sync');
        const plan = planRecord([field], stateFor(field, { salesforce: 'CEO', hubspot: 'CFO', last: ['A', 'B'] }));
        expect(plan).toEqual({ toSalesforce: {}, toHubSpot: {}, conflicts: [], errors: [], audit: [], snapshots: {} });
    });
});

describe('echo suppression and snapshots', () => {
    const field = textField('two_way');

    it('hashes values exactly as the snapshots stored by earlier versions hold them', () => {
        // The first 22 base64url characters of SHA-256 over `s:<value>` (`\0null` for null): changing them
        // would make every stored snapshot look changed and resync every record once.
        expect([null, '', 'Ann', 'ünïcödé ✓'].map(valueHash)).toEqual([
            'sBjSHc6LapOK7MK7X_3vbB',
            'Bdi9SQ8E5gjFMNww1jZH1d',
            'P9JvaA_D9TBJtqTSINEb_Q',
            'RNLgvjR4F5UYR65nX5XOe5'
        ]);
    });

    it('does not treat the value the engine just wrote as a HubSpot change', () => {
        const first = planRecord([field], stateFor(field, { salesforce: 'CTO', hubspot: 'CEO', last: ['CEO', 'CEO'] }));
        expect(first.toHubSpot).toEqual({ jobtitle: 'CTO' });
        // Next run: HubSpot now shows our write with a newer timestamp; nothing must flow back.
        const echoed: RecordPairState = {
            ...stateFor(field, { salesforce: 'CTO', hubspot: 'CTO', hubspotAt: newer }),
            snapshots: first.snapshots
        };
        const second = planRecord([field], echoed);
        expect(second.toSalesforce).toEqual({});
        expect(second.toHubSpot).toEqual({});
        expect(second.snapshots).toEqual({});
    });

    it('ignores representation differences (number formatting, datetime offsets)', () => {
        const amount: ResolvedField = {
            salesforce: sfField('Amount', 'currency'),
            hubspot: hsProperty('amount', 'number', 'number'),
            rule: 'two_way',
            conversion: 'number',
            owner: false,
            writable: { salesforce: true, hubspot: true }
        };
        expect(outcome(amount, { salesforce: 1500, hubspot: '1500.00', last: [1500, '1500'] })).toBe('-');
        const when: ResolvedField = {
            salesforce: sfField('When__c', 'datetime'),
            hubspot: hsProperty('when', 'datetime', 'date'),
            rule: 'two_way',
            conversion: 'datetime',
            owner: false,
            writable: { salesforce: true, hubspot: true }
        };
        expect(outcome(when, { salesforce: '2024-05-20T20:49:32.000+0000', hubspot: '1716238172000' })).toBe('-');
    });

    it('stores the agreed state on a first sync with equal values, so later edits are detected', () => {
        const plan = planRecord([field], stateFor(field, { salesforce: 'CEO', hubspot: 'CEO' }));
        expect(plan.snapshots.Title).toEqual(snapshot('text', 'CEO', 'CEO'));
    });

    it('keeps the old snapshot when a field errors, so the change is retried', () => {
        const plan = planRecord(
            [field],
            stateFor(field, { salesforce: 'CEO', hubspot: 'x'.repeat(21), last: ['CEO', 'CEO'] })
        );
        expect(plan.errors).toEqual([
            {
                field: 'Title',
                property: 'jobtitle',
                direction: 'to_salesforce',
                category: 'field_value',
                message: 'Title holds at most 20 characters; the value has 21'
            }
        ]);
        expect(plan.snapshots).toEqual({});
    });
});

describe('per-field errors', () => {
    it('catches a value the target would reject and still syncs the record’s other fields', () => {
        const status: ResolvedField = {
            salesforce: sfField('Status', 'picklist', {
                restrictedPicklist: true,
                picklistValues: [
                    { value: 'Open', active: true },
                    { value: 'Legacy', active: false }
                ]
            }),
            hubspot: hsSelect('hs_lead_status', ['OPEN', 'LEGACY']),
            rule: 'two_way',
            conversion: 'picklist',
            valueMap: { Open: 'OPEN', Legacy: 'LEGACY' },
            owner: false,
            writable: { salesforce: true, hubspot: true }
        };
        const owner: ResolvedField = {
            salesforce: sfField('OwnerId', 'reference'),
            hubspot: hsProperty('hubspot_owner_id', 'enumeration', 'select', { externalOptions: true }),
            rule: 'two_way',
            conversion: 'owner',
            owner: true,
            writable: { salesforce: true, hubspot: true }
        };
        const title = textField('two_way');
        const state: RecordPairState = {
            salesforce: { id: '00Q1', values: { Status: 'Open', OwnerId: '005A', Title: 'CEO' }, modifiedAt: older },
            hubspot: {
                id: '9',
                values: { hs_lead_status: 'LEGACY', hubspot_owner_id: '77', jobtitle: 'CTO' },
                modifiedAt: newer,
                propertyChangedAt: {}
            },
            snapshots: {
                Status: snapshot('picklist', 'Open', 'OPEN'),
                OwnerId: snapshot('owner', '005A', '1'),
                Title: snapshot('text', 'CEO', 'CEO')
            }
        };
        const owners = buildOwnerDirectory(
            [{ id: '005A', email: 'a@x.io', isActive: true }],
            [{ id: '1', email: 'a@x.io' }]
        );
        const plan = planRecord([status, owner, title], state, { owners });
        expect(plan.errors).toEqual([
            {
                field: 'Status',
                property: 'hs_lead_status',
                direction: 'to_salesforce',
                category: 'picklist',
                message: '"Legacy" is an inactive value of Status'
            },
            {
                field: 'OwnerId',
                property: 'hubspot_owner_id',
                direction: 'to_salesforce',
                category: 'mapping',
                message: 'HubSpot owner 77 has no active Salesforce user with the same email'
            }
        ]);
        expect(plan.toSalesforce).toEqual({ Title: 'CTO' });
        expect(Object.keys(plan.snapshots)).toEqual(['Title']);
    });

    it('maps picklist values and owners in both directions', () => {
        const owners = buildOwnerDirectory(
            [{ id: '005A', email: 'a@x.io', isActive: true }],
            [{ id: '1', email: 'a@x.io' }]
        );
        const owner: ResolvedField = {
            salesforce: sfField('OwnerId', 'reference'),
            hubspot: hsProperty('hubspot_owner_id', 'enumeration', 'select', { externalOptions: true }),
            rule: 'two_way',
            conversion: 'owner',
            owner: true,
            writable: { salesforce: true, hubspot: true }
        };
        const state = stateFor(owner, { salesforce: '005A', hubspot: null });
        expect(planRecord([owner], state, { owners }).toHubSpot).toEqual({ hubspot_owner_id: '1' });
        const back = stateFor(owner, { salesforce: null, hubspot: '1' });
        expect(planRecord([owner], back, { owners }).toSalesforce).toEqual({ OwnerId: '005A' });
    });
});
