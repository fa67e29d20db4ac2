import { hsProperty, hsText, sfField } from '../sync/schema/standard-schemas.fixture';
import type { ResolvedField } from '../sync/schema/validate-mapping';
import { planRecord, type RecordPairState } from '../sync/plan/plan-record';
import { openSqliteStateStore } from './sqlite-store';

const fields: ResolvedField[] = [
    {
        salesforce: sfField('Title', 'string'),
        hubspot: hsText('jobtitle'),
        rule: 'two_way',
        conversion: 'text',
        owner: false,
        writable: { salesforce: true, hubspot: true }
    },
    {
        salesforce: sfField('Amount__c', 'currency'),
        hubspot: hsProperty('amount', 'number', 'number'),
        rule: 'two_way',
        conversion: 'number',
        owner: false,
        writable: { salesforce: true, hubspot: true }
    }
];

it('suppresses the echo of a write across runs, through snapshots stored in SQLite', () => {
    const store = openSqliteStateStore({ path: ':memory:' });
    const ref = { salesforceObject: 'Contact', salesforceId: '003A' };
    const state = (
        salesforce: RecordPairState['salesforce']['values'],
        hubspot: RecordPairState['hubspot']['values']
    ): RecordPairState => ({
        salesforce: { id: '003A', values: salesforce, modifiedAt: '2026-01-01T00:00:00.000Z' },
        hubspot: { id: '501', values: hubspot, modifiedAt: '2026-01-02T00:00:00.000Z' },
        snapshots: store.snapshotsFor('Contact', ['003A']).get('003A') ?? {}
    });

    // Run 1: first sync; Salesforce has data HubSpot lacks.
    const first = planRecord(fields, state({ Title: 'CTO', Amount__c: 1500 }, { jobtitle: null, amount: null }));
    expect(first.toHubSpot).toEqual({ jobtitle: 'CTO', amount: '1500' });
    store.saveSnapshots([{ ...ref, snapshots: first.snapshots }]);

    // Run 2: HubSpot echoes the write back (newer timestamp, its own number format): nothing to do.
    const echo = planRecord(fields, state({ Title: 'CTO', Amount__c: 1500 }, { jobtitle: 'CTO', amount: '1500.0' }));
    expect(echo.toSalesforce).toEqual({});
    expect(echo.toHubSpot).toEqual({});

    // Run 3: a real HubSpot edit flows to Salesforce.
    const edit = planRecord(fields, state({ Title: 'CTO', Amount__c: 1500 }, { jobtitle: 'CEO', amount: '1500' }));
    expect(edit.toSalesforce).toEqual({ Title: 'CEO' });
    store.close();
});
