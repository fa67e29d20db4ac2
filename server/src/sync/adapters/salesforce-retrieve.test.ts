/**
 * Records by ID through sObject Collections retrieve, with the real jsforce against the Salesforce sandbox:
 * 2,000 IDs a call, IDs not found left out, values typed as a query's rows.
 */
import { startSalesforceSandbox, type RunningSalesforceSandbox } from '../../sandbox/salesforce';
import { connectSalesforce } from './connect';
import type { JsforceSalesforceAdapter } from './salesforce';
import { sandboxSalesforceLogin } from '../../runtime/sandbox-connections';

describe('JsforceSalesforceAdapter.retrieve', () => {
    let sandbox: RunningSalesforceSandbox;
    let adapter: JsforceSalesforceAdapter;
    let accountIds: string[];

    beforeAll(async () => {
        sandbox = await startSalesforceSandbox({ seed: { accounts: 2_100 } });
        const info = sandbox.connection;
        adapter = await connectSalesforce(sandboxSalesforceLogin(info), info.apiVersion);
        accountIds = (await adapter.query('SELECT Id FROM Account')).map((row) => row.id);
    });
    afterAll(() => sandbox.close());

    test('2,100 IDs in two calls, an unknown ID left out, rows as a query gives them', async () => {
        const unknown = `001${'0'.repeat(12)}ZZZ`;
        const fields = ['Id', 'Name', 'SystemModstamp'];
        sandbox.handle.requests.reset();
        const before = adapter.calls();

        const rows = await adapter.retrieve('Account', [...accountIds, unknown, accountIds[0]!], fields);

        expect(adapter.calls() - before).toBe(2);
        expect(sandbox.handle.requests.snapshot().byEndpoint).toEqual({ 'POST /composite/sobjects/Account': 2 });
        expect(rows.map((row) => row.id).sort()).toEqual([...accountIds].sort());
        const [queried] = await adapter.query(
            `SELECT Id, Name, SystemModstamp FROM Account WHERE Id = '${accountIds[0]}'`
        );
        expect(rows.find((row) => row.id === accountIds[0])).toEqual(queried);
    });
});
