import { OPERATOR, type TestRelay, basic, bearer, readError, startRelay, testConfig } from './__tests__/support';
import { secretsEqual } from './middleware/auth';

describe('relay authentication', () => {
    let relay: TestRelay;
    beforeAll(async () => {
        relay = await startRelay();
    });
    afterAll(() => relay.server.close());

    const timeline = () => `${relay.url}/api/v1/timeline/contact/51`;

    it('lets the Named Credential in with the bearer token', async () => {
        expect((await fetch(timeline(), { headers: bearer() })).status).toBe(200);
        expect(
            (await fetch(timeline(), { headers: { authorization: `bearer  ${bearer().authorization.slice(7)}` } }))
                .status
        ).toBe(200);
    });

    it.each([
        ['no header', {}],
        ['an empty bearer', { authorization: 'Bearer ' }],
        ['a wrong token', bearer('x'.repeat(43))],
        ['a prefix of the token', bearer(bearer().authorization.slice(7, 20))],
        ['the token with extra characters', bearer(`${bearer().authorization.slice(7)}x`)],
        ['another scheme', basic()]
    ])('refuses the API with %s', async (_case, headers) => {
        const response = await fetch(timeline(), { headers });
        expect(response.headers.get('www-authenticate')).toBe('Bearer realm="hubspot-bridge"');
        expect(await readError(response)).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    });

    it('hides which API routes exist from unauthenticated callers', async () => {
        expect(await readError(await fetch(`${relay.url}/api/v1/anything`))).toMatchObject({
            status: 401,
            code: 'UNAUTHORIZED'
        });
    });

    it('lets the operator in with the dashboard login', async () => {
        const response = await fetch(`${relay.url}/ops/config`, { headers: basic() });
        expect(response.status).toBe(200);
        const body = await response.json();
        expect(body).toMatchObject({ mode: 'sandbox', dashboardUser: OPERATOR.user });
        expect(JSON.stringify(body)).not.toContain(OPERATOR.password);
    });

    it.each([
        ['no header', {}],
        ['a wrong password', basic(OPERATOR.user, 'wrong password!')],
        ['a wrong user', basic('admin', OPERATOR.password)],
        ['no password', { authorization: `Basic ${Buffer.from(OPERATOR.user).toString('base64')}` }],
        ['garbage', { authorization: 'Basic %%%' }],
        ['the API token', bearer()]
    ])('refuses the operator API and metrics with %s', async (_case, headers) => {
        for (const path of ['/ops/config', '/metrics']) {
            const response = await fetch(relay.url + path, { headers });
            expect(response.headers.get('www-authenticate')).toContain('Basic realm=');
            expect(await readError(response)).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
        }
    });

    it('accepts passwords containing colons and non-ASCII characters', async () => {
        const special = await startRelay({
            config: testConfig({ DASHBOARD_PASSWORD: 'pa:ss wörd 1234' })
        });
        try {
            expect(
                (await fetch(`${special.url}/ops/config`, { headers: basic(OPERATOR.user, 'pa:ss wörd 1234') })).status
            ).toBe(200);
        } finally {
            await special.server.close();
        }
    });
});

describe('secretsEqual', () => {
    it('compares secrets of any length without throwing', () => {
        expect(secretsEqual('abc', 'abc')).toBe(true);
        expect(secretsEqual('abc', 'abcd')).toBe(false);
        expect(secretsEqual('', 'abc')).toBe(false);
        expect(secretsEqual('é', 'e')).toBe(false);
    });
});
