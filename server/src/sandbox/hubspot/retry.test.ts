import { rejectionOf, startWithClient, type SandboxUnderTest } from './test-support';

// The client keeps its retry decorators in a process-wide singleton, so this file uses one setting only.
describe('HubSpot sandbox: the client’s own retries (numberOfApiCallRetries)', () => {
    let env: SandboxUnderTest;
    let consoleError: jest.SpyInstance;

    beforeEach(async () => {
        env = await startWithClient({ tier: 'unlimited' }, { numberOfApiCallRetries: 3 });
        consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    });
    afterEach(async () => {
        consoleError.mockRestore();
        await env.sandbox.close();
    });

    it('retries a transient secondly 429 and succeeds', async () => {
        const { client, sandbox } = env;
        await client.crm.contacts.basicApi.create({ properties: { email: 'r@x.test' }, associations: [] });
        sandbox.handle.addFault({ path: '/search$', kind: 'status', status: 429, retryAfterSeconds: 1, times: 1 });
        const result = await client.crm.contacts.searchApi.doSearch({
            filterGroups: [],
            properties: [],
            limit: 10,
            after: '0',
            sorts: []
        } as never);
        expect(result.total).toBe(1);
        expect(sandbox.handle.requestCounts().byEndpoint['POST /crm/v3/objects/contacts/search']).toBe(2);
        expect(consoleError).toHaveBeenCalledWith(expect.stringContaining('Request failed with status code [429]'));
    });

    it('retries 5xx and gives up after the configured attempts', async () => {
        const { client, sandbox } = env;
        sandbox.handle.addFault({
            path: '^/crm/v3/objects/companies$',
            method: 'GET',
            kind: 'status',
            status: 500,
            times: 2
        });
        await expect(client.crm.companies.basicApi.getPage()).resolves.toBeDefined();
        sandbox.handle.addFault({
            path: '^/crm/v3/objects/companies$',
            method: 'GET',
            kind: 'status',
            status: 502,
            times: 3
        });
        const error = await rejectionOf(client.crm.companies.basicApi.getPage());
        expect(error.code).toBe(502);
        expect(sandbox.handle.requestCounts().byEndpoint['GET /crm/v3/objects/companies']).toBe(6);
    });

    it('does not retry a daily 429', async () => {
        const { client, sandbox } = env;
        sandbox.handle.setTier('professional');
        sandbox.handle.limiter.consumeDaily(40_000);
        const error = await rejectionOf(client.crm.companies.basicApi.getPage());
        expect(error.code).toBe(429);
        expect(sandbox.handle.requestCounts().byEndpoint['GET /crm/v3/objects/companies']).toBe(1);
    });
});
