import { Client } from '@hubspot/api-client';
import { rawRequest, rejectionOf, startWithClient, UUID, type SandboxUnderTest } from './test-support';

describe('HubSpot sandbox: tokens, scopes, rate limits and faults', () => {
    let env: SandboxUnderTest;

    beforeEach(async () => {
        env = await startWithClient({ tier: 'starter' });
    });
    afterEach(async () => {
        await env.sandbox.close();
    });

    it('answers 401 INVALID_AUTHENTICATION for unknown or missing tokens', async () => {
        const stranger = new Client({ accessToken: 'pat-na1-wrong', basePath: env.sandbox.url });
        const error = await rejectionOf(stranger.crm.contacts.basicApi.getPage());
        expect(error.code).toBe(401);
        expect(error.body).toEqual({
            status: 'error',
            message:
                'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
            correlationId: expect.stringMatching(UUID),
            category: 'INVALID_AUTHENTICATION'
        });
        const anonymous = await rawRequest(env.sandbox, 'GET', '/crm/v3/objects/contacts', { token: null });
        expect(anonymous.status).toBe(401);
    });

    it('answers 403 MISSING_SCOPES naming the scope the app lacks', async () => {
        env.sandbox.handle.tokens.add('pat-na1-companies-only', { appId: 77, scopes: ['crm.objects.companies.read'] });
        const limited = new Client({ accessToken: 'pat-na1-companies-only', basePath: env.sandbox.url });
        await expect(limited.crm.companies.basicApi.getPage()).resolves.toBeDefined();
        const error = await rejectionOf(limited.crm.contacts.basicApi.getPage());
        expect(error.code).toBe(403);
        expect(error.body).toEqual({
            status: 'error',
            message:
                "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
            correlationId: expect.stringMatching(UUID),
            errors: [
                {
                    message: 'One or more of the following scopes are required.',
                    context: { requiredGranularScopes: ['crm.objects.contacts.read'] }
                }
            ],
            links: { scopes: 'https://developers.hubspot.com/scopes' },
            category: 'MISSING_SCOPES'
        });
        const write = await rejectionOf(
            limited.crm.companies.basicApi.create({ properties: { name: 'x' }, associations: [] })
        );
        expect(write.code).toBe(403);
    });

    it('sends the X-HubSpot-RateLimit headers and a TEN_SECONDLY_ROLLING 429 past the burst limit', async () => {
        const { client, sandbox } = env;
        const first = await rawRequest(sandbox, 'GET', '/crm/v3/objects/contacts');
        expect(first.headers.get('x-hubspot-ratelimit-max')).toBe('100');
        expect(first.headers.get('x-hubspot-ratelimit-remaining')).toBe('99');
        expect(first.headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('10000');
        expect(first.headers.get('x-hubspot-ratelimit-daily')).toBe('40000');
        expect(first.headers.get('x-hubspot-ratelimit-daily-remaining')).toBe('39999');
        expect(first.headers.get('x-hubspot-ratelimit-secondly')).toBe('10');
        expect(first.headers.get('x-hubspot-ratelimit-secondly-remaining')).not.toBeNull();
        for (let n = 0; n < 99; n++) await client.crm.contacts.basicApi.getPage(1);
        const limited = await rejectionOf(client.crm.contacts.basicApi.getPage(1));
        expect(limited.code).toBe(429);
        expect(limited.body).toEqual({
            status: 'error',
            message: 'You have reached your ten_secondly_rolling limit.',
            errorType: 'RATE_LIMIT',
            correlationId: expect.stringMatching(UUID),
            policyName: 'TEN_SECONDLY_ROLLING',
            groupName: expect.stringContaining('ten-secondly')
        });
        sandbox.handle.advanceClock(10_001);
        await expect(client.crm.contacts.basicApi.getPage(1)).resolves.toBeDefined();
    });

    it('limits search to 5 requests a second with the secondly body, and ends the day with DAILY', async () => {
        const { client, sandbox } = env;
        const search = () =>
            client.crm.contacts.searchApi.doSearch({
                filterGroups: [],
                properties: [],
                limit: 1,
                after: '0',
                sorts: []
            } as never);
        for (let n = 0; n < 5; n++) await search();
        const secondly = await rejectionOf(search());
        expect(secondly.code).toBe(429);
        expect(secondly.body).toMatchObject({
            message: 'You have reached your secondly limit.',
            policyName: 'SECONDLY',
            errorType: 'RATE_LIMIT'
        });
        sandbox.handle.advanceClock(1_001);
        await expect(search()).resolves.toBeDefined();

        sandbox.handle.limiter.consumeDaily(40_000);
        const daily = await rejectionOf(client.crm.contacts.basicApi.getPage());
        expect(daily.code).toBe(429);
        expect(daily.body).toMatchObject({ message: 'You have reached your daily limit.', policyName: 'DAILY' });
        sandbox.handle.advanceClock(86_400_000);
        await expect(client.crm.contacts.basicApi.getPage()).resolves.toBeDefined();
    });

    it('injects 5xx, delays, connection resets and timeouts per route, then recovers', async () => {
        const { client, sandbox } = env;
        sandbox.handle.addFault({
            path: '^/crm/v3/objects/companies$',
            method: 'GET',
            kind: 'status',
            status: 503,
            times: 1
        });
        const unavailable = await rejectionOf(client.crm.companies.basicApi.getPage());
        expect(unavailable.code).toBe(503);
        expect(unavailable.body).toMatchObject({ status: 'error', category: 'INTERNAL_ERROR' });
        await expect(client.crm.companies.basicApi.getPage()).resolves.toBeDefined();

        sandbox.handle.addFault({ path: '^/crm/v3/objects/deals', kind: 'reset', times: 1 });
        await expect(client.crm.deals.basicApi.getPage()).rejects.toThrow();
        await expect(client.crm.deals.basicApi.getPage()).resolves.toBeDefined();

        sandbox.handle.addFault({ path: '^/crm/v3/owners', kind: 'delay', delayMs: 150, times: 1 });
        const started = Date.now();
        await client.crm.owners.ownersApi.getPage();
        expect(Date.now() - started).toBeGreaterThanOrEqual(140);

        sandbox.handle.addFault({ path: '^/crm/v3/pipelines', kind: 'timeout', times: 1 });
        const hung = await Promise.race([
            client.crm.pipelines.pipelinesApi.getAll('deals').then(() => 'answered'),
            new Promise((resolve) => setTimeout(() => resolve('no answer'), 300))
        ]);
        expect(hung).toBe('no answer');

        sandbox.handle.addFault({ path: '^/crm/v3/objects/contacts$', kind: 'expired-session', times: 1 });
        const expired = await rejectionOf(client.crm.contacts.basicApi.getPage());
        expect(expired.code).toBe(401);
        expect(expired.body.category).toBe('EXPIRED_AUTHENTICATION');
        expect(sandbox.handle.requestCounts().byEndpoint['GET /crm/v3/objects/companies']).toBe(2);
    });
});
