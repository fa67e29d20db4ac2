import { generateKeyPairSync, createSign } from 'node:crypto';
import jsforce from 'jsforce';
import type { RunningSalesforceSandbox } from './sandbox';
import { loggedIn, oauthConnection, rejection, startTestSandbox } from './testing';

/**
 * Inputs the real clients never send (malformed JSON, wrong content types, oversized bodies, invalid
 * IDs), the OAuth flows jsforce drives through `authorize`, and the control surface over HTTP.
 */
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

function signJwt(claims: Record<string, unknown>, key = privateKey): string {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const unsigned = `${encode({ alg: 'RS256' })}.${encode(claims)}`;
    const signature = createSign('RSA-SHA256').update(unsigned).sign(key).toString('base64url');
    return `${unsigned}.${signature}`;
}

type ErrorBody = { errorCode: string; message: string }[];
const errorsOf = async (response: Response) => (await response.json()) as ErrorBody;
const recordOf = async (response: Response) => (await response.json()) as Record<string, string>;

describe('Salesforce sandbox wire edge cases', () => {
    let sandbox: RunningSalesforceSandbox;
    let token: string;
    const api = (path: string, init: RequestInit = {}) =>
        fetch(`${sandbox.url}/services/data/v68.0${path}`, {
            ...init,
            headers: { Authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) }
        });

    beforeAll(async () => {
        sandbox = await startTestSandbox({
            maxBodyBytes: 64 * 1024,
            jwtCertificate: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
            validationRules: [
                {
                    object: 'Account',
                    name: 'Website_Must_Be_Https',
                    errorCondition: "Website LIKE 'http:%'",
                    errorMessage: 'Website must use https',
                    errorDisplayField: 'Website'
                }
            ],
            emailDuplicateRule: true
        });
        token = sandbox.handle.issueAccessToken();
    });
    afterAll(() => sandbox.close());

    test('malformed JSON, wrong content type and oversized bodies are rejected without side effects', async () => {
        const before = sandbox.handle.count('Account');
        const badJson = await api('/sobjects/Account', {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: '{"Name": '
        });
        expect(badJson.status).toBe(400);
        expect(badJson.headers.get('content-type')).toBe('application/json;charset=UTF-8');
        expect((await errorsOf(badJson))[0].errorCode).toBe('JSON_PARSER_ERROR');
        const wrongType = await api('/sobjects/Account', {
            method: 'POST',
            headers: { 'Content-Type': 'text/plain' },
            body: 'Name=x'
        });
        expect(wrongType.status).toBe(415);
        expect((await errorsOf(wrongType))[0].errorCode).toBe('UNSUPPORTED_MEDIA_TYPE');
        const huge = await api('/sobjects/Account', {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ Name: 'x'.repeat(100_000) })
        });
        expect(huge.status).toBe(413);
        const notObject = await api('/sobjects/Account', {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: '[1,2]'
        });
        expect((await errorsOf(notObject))[0].errorCode).toBe('JSON_PARSER_ERROR');
        expect(sandbox.handle.count('Account')).toBe(before);
    });

    test('invalid IDs, unknown objects, unknown versions and missing sessions', async () => {
        expect((await api('/sobjects/Account/not-an-id')).status).toBe(404);
        expect((await api('/sobjects/Account/003000000000000AAA')).status).toBe(404);
        const unknownObject = await api('/sobjects/Nope__c/describe');
        expect(unknownObject.status).toBe(404);
        expect((await errorsOf(unknownObject))[0].errorCode).toBe('NOT_FOUND');
        expect((await fetch(`${sandbox.url}/services/data/v12.0/limits`)).status).toBe(404);
        const anonymous = await fetch(`${sandbox.url}/services/data/v68.0/limits`);
        expect(anonymous.status).toBe(401);
        expect(anonymous.headers.get('www-authenticate')).toBe('Token');
        expect(await errorsOf(anonymous)).toEqual([
            { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }
        ]);
        const versions = (await (await fetch(`${sandbox.url}/services/data/`)).json()) as unknown[];
        expect(versions).toContainEqual({ label: 'API 68.0', url: '/services/data/v68.0', version: '68.0' });
        const badQuery = await api(`/query?q=${encodeURIComponent("SELECT Id FROM Lead WHERE Name = 'unterminated")}`);
        expect((await errorsOf(badQuery))[0].errorCode).toBe('MALFORMED_QUERY');
        const badSoap = await fetch(`${sandbox.url}/services/Soap/u/68.0`, {
            method: 'POST',
            headers: { 'Content-Type': 'text/xml' },
            body: '<nope'
        });
        expect(badSoap.status).toBe(500);
        expect(await badSoap.text()).toContain('<faultcode>soapenv:Client</faultcode>');
        const noSession = await fetch(`${sandbox.url}/services/Soap/u/68.0`, {
            method: 'POST',
            headers: { 'Content-Type': 'text/xml' },
            body: '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><convertLead/></soapenv:Body></soapenv:Envelope>'
        });
        expect(await noSession.text()).toContain('<faultcode>sf:INVALID_SESSION_ID</faultcode>');
    });

    test('bulk query results page with Sforce-Locator and end with the string null', async () => {
        sandbox.handle.seed({ seed: 3, leads: 25 });
        const open = await api('/jobs/query', {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ operation: 'query', query: 'SELECT Id, Email FROM Lead' })
        });
        const job = (await open.json()) as { id: string; state: string };
        expect(open.headers.get('sforce-locator')).toBeNull();
        let locator: string | null = '';
        let rows = 0;
        let pages = 0;
        while (locator !== 'null') {
            const page = await api(
                `/jobs/query/${job.id}/results?maxRecords=10${locator ? `&locator=${locator}` : ''}`,
                {
                    headers: { Accept: 'text/csv' }
                }
            );
            expect(page.headers.get('content-type')).toMatch(/^text\/csv/);
            const lines = (await page.text()).trim().split('\n');
            expect(lines[0]).toBe('Id,Email');
            rows += lines.length - 1;
            pages++;
            locator = page.headers.get('sforce-locator');
            expect(Number(page.headers.get('sforce-numberofrecords'))).toBe(lines.length - 1);
        }
        expect(rows).toBe(sandbox.handle.count('Lead'));
        expect(pages).toBe(Math.ceil(rows / 10));
    });

    test('validation rules and the e-mail duplicate rule answer with their error shapes', async () => {
        const conn = new jsforce.Connection({ instanceUrl: sandbox.url, accessToken: token, version: '68.0' });
        const rule = await rejection(
            conn.sobject('Account').create({ Name: 'Insecure', Website: 'http://insecure.example' })
        );
        expect(rule.errorCode).toBe('FIELD_CUSTOM_VALIDATION_EXCEPTION');
        expect(rule.message).toBe('Website must use https');
        await conn.sobject('Contact').create({ LastName: 'Original', Email: 'dup@rule.example' });
        const duplicate = await rejection(
            conn.sobject('Lead').create({ LastName: 'Copy', Company: 'C', Email: 'DUP@rule.example' })
        );
        expect(duplicate.errorCode).toBe('DUPLICATES_DETECTED');
        expect(
            (duplicate.data as { duplicateResult: { matchResults: { entityType: string }[] } }).duplicateResult
                .matchResults[0].entityType
        ).toBe('Contact');
        const allowed = await conn.request({
            method: 'POST',
            url: '/sobjects/Lead',
            body: JSON.stringify({ LastName: 'Copy', Company: 'C', Email: 'dup@rule.example' }),
            headers: { 'Content-Type': 'application/json', 'Sforce-Duplicate-Rule-Header': 'allowSave=true' }
        });
        expect(allowed).toMatchObject({ success: true });
    });

    test('OAuth: client credentials, JWT bearer, authorization code and wrong credentials', async () => {
        const c = sandbox.connection;
        const credentials = oauthConnection(sandbox);
        await credentials.authorize({ grant_type: 'client_credentials' });
        expect((await credentials.query('SELECT Id FROM User')).totalSize).toBeGreaterThan(0);

        const jwt = new jsforce.Connection({ loginUrl: c.loginUrl, version: '68.0', oauth2: { loginUrl: c.loginUrl } });
        const assertion = signJwt({
            iss: c.clientId,
            sub: c.username,
            aud: c.loginUrl,
            exp: Math.floor(Date.now() / 1000) + 180
        });
        await jwt.authorize({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion });
        expect(jwt.instanceUrl).toBe(sandbox.url);
        const forged = signJwt(
            { iss: c.clientId, sub: c.username, aud: c.loginUrl, exp: Math.floor(Date.now() / 1000) + 180 },
            generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
        );
        const rejected = await rejection(
            jwt.authorize({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: forged })
        );
        expect(rejected.name).toBe('invalid_grant');

        const authorizeUrl = `${c.loginUrl}/services/oauth2/authorize?response_type=code&client_id=${c.clientId}&redirect_uri=${encodeURIComponent('http://localhost/cb')}`;
        const redirect = await fetch(authorizeUrl, { redirect: 'manual' });
        const code = new URL(redirect.headers.get('location')!).searchParams.get('code')!;
        const web = new jsforce.Connection({
            loginUrl: c.loginUrl,
            version: '68.0',
            oauth2: {
                loginUrl: c.loginUrl,
                clientId: c.clientId,
                clientSecret: c.clientSecret,
                redirectUri: 'http://localhost/cb'
            }
        });
        await web.authorize(code);
        expect(web.refreshToken).toMatch(/^5Aep/);

        const revokedToken = web.accessToken!;
        await web.logout();
        const revoked = new jsforce.Connection({
            instanceUrl: sandbox.url,
            accessToken: revokedToken,
            version: '68.0'
        });
        expect((await rejection(revoked.query('SELECT Id FROM User'))).errorCode).toBe('INVALID_SESSION_ID');

        const wrong = await rejection(oauthConnection(sandbox).login(c.username, 'wrong'));
        expect(wrong.name).toBe('invalid_grant');
        expect(wrong.message).toBe('authentication failure');

        // Any active user of the org logs in with the org's password; their writes carry their own ID.
        const repId = sandbox.handle.users.salesRepIds[0];
        const repUsername = String(sandbox.handle.getRecord(repId)!.Username);
        const rep = oauthConnection(sandbox);
        await rep.login(repUsername, c.password);
        const created = (await rep.sobject('Lead').create({ LastName: 'Rep', Company: 'Acme' })) as { id: string };
        expect(sandbox.handle.getRecord(created.id)).toMatchObject({ CreatedById: repId, LastModifiedById: repId });
        expect((await rejection(oauthConnection(sandbox).login('nobody@example.com', c.password))).name).toBe(
            'invalid_grant'
        );
    });

    test('transient 503 faults are retried by jsforce and counted per endpoint', async () => {
        const conn = await loggedIn(sandbox);
        sandbox.handle.requests.reset();
        sandbox.handle.faults.add({ method: 'GET', path: '/limits$', kind: 'status', status: 503, times: 1 });
        await expect(conn.limits()).resolves.toHaveProperty('DailyApiRequests');
        expect(sandbox.handle.requests.snapshot().byEndpoint['GET /limits']).toBe(2);
        sandbox.handle.faults.add({ method: 'POST', path: '/sobjects/Lead$', kind: 'status', status: 500, times: 1 });
        const failure = await rejection(conn.sobject('Lead').create({ LastName: 'F', Company: 'G' }));
        expect(failure.errorCode).toBe('UNKNOWN_EXCEPTION');
        sandbox.handle.faults.add({ method: 'GET', path: '/limits$', kind: 'reset', times: 1 });
        await expect(conn.limits()).resolves.toHaveProperty('DailyApiRequests');
        sandbox.handle.faults.add({ method: 'GET', path: '/limits$', kind: 'delay', delayMs: 300, times: 1 });
        const started = Date.now();
        await conn.limits();
        expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    });

    test('the control surface over HTTP: edit as a user, clock, faults, counts, state', async () => {
        const control = (path: string, method = 'GET', body?: unknown) =>
            fetch(`${sandbox.url}/__sandbox${path}`, {
                method,
                headers: { 'Content-Type': 'application/json' },
                body: body === undefined ? undefined : JSON.stringify(body)
            });
        const created = await recordOf(
            await control('/records/Lead', 'POST', { fields: { LastName: 'Ctl', Company: 'Surface' } })
        );
        expect(created.CreatedById).toBe(sandbox.handle.users.salesRepIds[0]);
        const edited = await (
            await control(`/records/${created.Id}`, 'PATCH', {
                fields: { Title: 'VP' },
                userId: sandbox.handle.users.salesRepIds[1]
            })
        ).json();
        expect(edited).toMatchObject({ Title: 'VP', LastModifiedById: sandbox.handle.users.salesRepIds[1] });
        const invalid = await control(`/records/${created.Id}`, 'PATCH', { fields: { Status: 'Bogus' } });
        expect(invalid.status).toBe(400);
        expect((await errorsOf(invalid))[0].errorCode).toBe('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
        const clockBefore = Date.parse((await recordOf(await control('/clock'))).now);
        const moved = await recordOf(await control('/clock', 'POST', { advanceMs: 3_600_000 }));
        expect(Date.parse(moved.now) - clockBefore).toBeGreaterThanOrEqual(3_600_000);
        expect((await control('/faults', 'POST', { path: '/nothing', kind: 'bogus' })).status).toBe(400);
        expect(
            (await control('/faults', 'POST', { path: '/limits$', kind: 'delay', delayMs: 1, times: 1 })).status
        ).toBe(201);
        const active = ((await (await control('/faults')).json()) as { remaining?: number }[]).filter(
            (f) => f.remaining !== 0
        );
        expect(active).toHaveLength(1);
        await control('/faults', 'DELETE');
        const counts = (await (await control('/requests')).json()) as {
            total: number;
            byEndpoint: Record<string, number>;
        };
        expect(counts.total).toBeGreaterThan(0);
        expect(counts.byEndpoint).not.toHaveProperty('GET /__sandbox/requests');
        const state = (await (await control('/state')).json()) as { objects: Record<string, { Id: string }[]> };
        expect(state.objects.Lead.map((l) => l.Id)).toContain(created.Id);
        expect((await control('/seed', 'POST', { accounts: -1 })).status).toBe(400);
        expect((await control('/reset', 'POST')).status).toBe(204);
        expect(sandbox.handle.count('Lead')).toBe(0);
        expect(sandbox.handle.count('User')).toBe(4);
        expect(sandbox.handle.query('SELECT MasterLabel FROM LeadStatus WHERE IsConverted = true')).toEqual([
            expect.objectContaining({ MasterLabel: 'Closed - Converted' })
        ]);
        expect(sandbox.handle.requests.snapshot().total).toBe(0);
    });
});
