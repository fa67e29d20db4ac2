import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, describeConfig, loadRelayConfig, parseRelayConfig, relayEnvVariables } from './config';

const token = 'a'.repeat(40);
const liveEnv = {
    RELAY_API_TOKEN: token,
    HUBSPOT_CLIENT_SECRET: 'hs-secret',
    DASHBOARD_USER: 'ops',
    DASHBOARD_PASSWORD: 'a long dashboard password',
    SALESFORCE_CLIENT_ID: 'client-id',
    SALESFORCE_CLIENT_SECRET: 'client-secret',
    SALESFORCE_USERNAME: 'integration@example.com',
    SALESFORCE_PASSWORD: 'sf-password',
    HUBSPOT_ACCESS_TOKEN: 'pat-na1-123',
    HUBSPOT_PORTAL_ID: '4410001'
};

function problemsOf(env: Record<string, string>, cwd?: string): string[] {
    try {
        parseRelayConfig(env, cwd);
    } catch (error) {
        if (error instanceof ConfigError) return error.problems;
        throw error;
    }
    throw new Error('expected a ConfigError');
}

describe('relay configuration', () => {
    it('runs in sandbox mode with defaults and generated secrets when nothing is configured', () => {
        const config = parseRelayConfig({}, '/srv/bridge');
        expect(config).toMatchObject({
            mode: 'sandbox',
            port: 3000,
            logLevel: 'info',
            corsOrigins: [],
            trustProxy: false,
            salesforce: null,
            hubspot: null,
            salesforceApiVersion: '68.0',
            hubspotBaseUrl: 'https://api.hubapi.com',
            dashboard: { user: 'admin' },
            sync: {
                configFile: '/srv/bridge/config/sync-mapping.yaml',
                dataDir: '/srv/bridge/data',
                intervalMinutes: 15,
                fastPath: true,
                retries: { maxAttempts: 12, backoff: { capMs: 15 * 60_000 } }
            }
        });
        expect(config.generatedSecrets).toEqual(['RELAY_API_TOKEN', 'HUBSPOT_CLIENT_SECRET', 'DASHBOARD_PASSWORD']);
        expect(config.relayApiToken.length).toBeGreaterThanOrEqual(32);
        expect(config.relayApiToken).not.toBe(parseRelayConfig({}).relayApiToken);
    });

    it('runs live with complete credentials (username-password flow)', () => {
        const config = parseRelayConfig({ ...liveEnv, PORT: '8080', SYNC_INTERVAL_MINUTES: '5' });
        expect(config.mode).toBe('live');
        expect(config.port).toBe(8080);
        expect(config.sync.intervalMinutes).toBe(5);
        expect(parseRelayConfig({ ...liveEnv, FAST_PATH: 'off' }).sync.fastPath).toBe(false);
        expect(() => parseRelayConfig({ ...liveEnv, FAST_PATH: 'maybe' })).toThrow('FAST_PATH: must be on or off');
        expect(
            parseRelayConfig({ ...liveEnv, FAST_PATH_MAX_ATTEMPTS: '20', FAST_PATH_RETRY_CAP_MINUTES: '60' }).sync
                .retries
        ).toEqual({ maxAttempts: 20, backoff: { capMs: 3_600_000 } });
        expect(config.generatedSecrets).toEqual([]);
        expect(config.salesforce).toEqual({
            loginUrl: 'https://login.salesforce.com',
            clientId: 'client-id',
            username: 'integration@example.com',
            auth: { kind: 'password', clientSecret: 'client-secret', password: 'sf-password' }
        });
        expect(config.hubspot).toEqual({ baseUrl: 'https://api.hubapi.com', accessToken: 'pat-na1-123' });
        expect(config.hubspotPortal.appId).toBeNull();
        expect(parseRelayConfig({ ...liveEnv, HUBSPOT_APP_ID: '2043851' }).hubspotPortal.appId).toBe(2043851);
        expect(() => parseRelayConfig({ ...liveEnv, HUBSPOT_APP_ID: 'my-app' })).toThrow(
            'HUBSPOT_APP_ID: must be the numeric app ID'
        );
    });

    it('accepts the JWT bearer flow with an existing key file', () => {
        const dir = mkdtempSync(join(tmpdir(), 'relay-config-'));
        writeFileSync(join(dir, 'server.key'), 'key');
        const { SALESFORCE_PASSWORD: _password, SALESFORCE_CLIENT_SECRET: _secret, ...jwtEnv } = liveEnv;
        const config = parseRelayConfig({ ...jwtEnv, SALESFORCE_JWT_KEY_FILE: 'server.key' }, dir);
        expect(config.salesforce?.auth).toEqual({ kind: 'jwt', keyFile: join(dir, 'server.key') });
    });

    it('refuses a partial configuration, naming every missing variable in one error', () => {
        const problems = problemsOf({ HUBSPOT_ACCESS_TOKEN: 'pat-na1-123' });
        expect(problems).toEqual(
            expect.arrayContaining([
                expect.stringMatching(/^HUBSPOT_PORTAL_ID: required because HUBSPOT_ACCESS_TOKEN is set/),
                expect.stringMatching(/^SALESFORCE_CLIENT_ID: required because HUBSPOT_ACCESS_TOKEN is set/),
                expect.stringMatching(/^SALESFORCE_USERNAME: required/),
                expect.stringMatching(/^SALESFORCE_PASSWORD or SALESFORCE_JWT_KEY_FILE: one is required/),
                expect.stringMatching(/^RELAY_API_TOKEN: required/),
                expect.stringMatching(/^HUBSPOT_CLIENT_SECRET: required/),
                expect.stringMatching(/^DASHBOARD_USER: required/),
                expect.stringMatching(/^DASHBOARD_PASSWORD: required/)
            ])
        );
        expect(problems).toHaveLength(8);
    });

    it('lists field errors and combination errors together', () => {
        const problems = problemsOf({
            ...liveEnv,
            PORT: 'eighty',
            RELAY_API_TOKEN: 'short',
            LOG_LEVEL: 'loud',
            CORS_ORIGINS: 'https://ok.example.com,not a url,https://x.example.com/path',
            HUBSPOT_BASE_URL: 'ftp://example.com',
            SALESFORCE_JWT_KEY_FILE: '/does/not/exist.key',
            SYNC_INTERVAL_MINUTES: '0'
        });
        expect(problems).toEqual([
            'PORT: must be a whole number',
            'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent',
            'CORS_ORIGINS: "not a url" is not an origin like https://crm.example.com',
            'CORS_ORIGINS: "https://x.example.com/path" is not an origin like https://crm.example.com',
            'RELAY_API_TOKEN: must be at least 32 characters (e.g. `openssl rand -base64 32`)',
            'HUBSPOT_BASE_URL: must be an http(s) URL',
            'SYNC_INTERVAL_MINUTES: must be at least 1',
            'SALESFORCE_PASSWORD and SALESFORCE_JWT_KEY_FILE: set one of them, not both'
        ]);
        expect(() => parseRelayConfig({ PORT: 'eighty' })).toThrow(/Invalid configuration:\n {2}- PORT/);
    });

    it('lists API budget, call deadline and retry problems with the others; all have working defaults', () => {
        const problems = problemsOf({
            SALESFORCE_API_BUDGET: 'lots',
            HUBSPOT_API_BUDGET: '150%',
            CRM_CALL_TIMEOUT_SECONDS: '1',
            FAST_PATH_MAX_ATTEMPTS: '0',
            FAST_PATH_RETRY_CAP_MINUTES: 'an hour',
            PORT: 'eighty'
        });
        expect(problems).toEqual(
            expect.arrayContaining([
                'PORT: must be a whole number',
                'CRM_CALL_TIMEOUT_SECONDS: must be at least 5',
                'FAST_PATH_MAX_ATTEMPTS: must be at least 1',
                'FAST_PATH_RETRY_CAP_MINUTES: must be a whole number',
                expect.stringMatching(/^SALESFORCE_API_BUDGET: /),
                expect.stringMatching(/^HUBSPOT_API_BUDGET: /)
            ])
        );
        expect(problems).toHaveLength(6);
        const config = parseRelayConfig({});
        expect(config.callTimeoutMs).toBe(120_000);
        expect(config.budget.salesforce).toEqual(expect.objectContaining({ share: 0.5 }));
    });

    it('requires the client secret for the password flow and an existing JWT key file', () => {
        const { SALESFORCE_CLIENT_SECRET: _secret, ...noSecret } = liveEnv;
        expect(problemsOf(noSecret)).toEqual([
            'SALESFORCE_CLIENT_SECRET: required with SALESFORCE_PASSWORD (username-password OAuth flow)'
        ]);
        const { SALESFORCE_PASSWORD: _password, ...noPassword } = liveEnv;
        expect(problemsOf({ ...noPassword, SALESFORCE_JWT_KEY_FILE: 'missing.key' }, '/tmp')).toEqual([
            'SALESFORCE_JWT_KEY_FILE: file not found: /tmp/missing.key'
        ]);
    });

    it('requires a named mapping file to exist', () => {
        expect(problemsOf({ SYNC_CONFIG: 'config/missing.yaml' }, '/srv/bridge')).toEqual([
            'SYNC_CONFIG: file not found: /srv/bridge/config/missing.yaml'
        ]);
    });

    it('parses the proxy trust setting and refuses to trust everyone', () => {
        expect(parseRelayConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
        expect(parseRelayConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toEqual([
            'loopback',
            '10.0.0.0/8'
        ]);
        expect(problemsOf({ TRUST_PROXY: 'true' })[0]).toMatch(/^TRUST_PROXY: use a hop count/);
        expect(problemsOf({ TRUST_PROXY: 'evil.example.com' })[0]).toMatch(/^TRUST_PROXY: must be false/);
    });

    it('treats empty values as unset and normalises CORS origins', () => {
        const config = parseRelayConfig({
            PORT: '',
            HUBSPOT_ACCESS_TOKEN: '',
            CORS_ORIGINS: ' https://a.example.com/ '
        });
        expect(config.mode).toBe('sandbox');
        expect(config.port).toBe(3000);
        expect(config.corsOrigins).toEqual(['https://a.example.com']);
    });

    it('reads .env under the real environment, which wins', () => {
        const dir = mkdtempSync(join(tmpdir(), 'relay-env-'));
        writeFileSync(join(dir, '.env'), `# comment\nPORT=4100\nLOG_LEVEL=debug\nRELAY_API_TOKEN="${token}"\n`);
        const config = loadRelayConfig({ env: { LOG_LEVEL: 'warn' }, cwd: dir });
        expect(config.port).toBe(4100);
        expect(config.logLevel).toBe('warn');
        expect(config.relayApiToken).toBe(token);
        expect(loadRelayConfig({ env: {}, cwd: dir, envFile: null }).port).toBe(3000);
    });

    it('describes itself without any secret', () => {
        const config = parseRelayConfig(liveEnv);
        const described = JSON.stringify(describeConfig(config));
        for (const secret of [
            token,
            'hs-secret',
            'a long dashboard password',
            'client-secret',
            'sf-password',
            'pat-na1-123'
        ]) {
            expect(described).not.toContain(secret);
        }
        expect(describeConfig(config)).toMatchObject({ mode: 'live', salesforce: { authFlow: 'password' } });
    });

    it('.env.example documents every variable with a comment and, copied as is, starts sandbox mode', () => {
        const examplePath = join(__dirname, '../../../.env.example');
        const lines = readFileSync(examplePath, 'utf8').split('\n');
        for (const name of relayEnvVariables) {
            const index = lines.findIndex((line) => line.startsWith(`${name}=`));
            expect({ name, found: index >= 0 }).toEqual({ name, found: true });
            expect({
                name,
                commented: lines
                    .slice(0, index)
                    .reverse()
                    .find((line) => !/^[A-Z_]+=/.test(line))
            }).toEqual({
                name,
                commented: expect.stringMatching(/^# /)
            });
        }
        expect(loadRelayConfig({ env: {}, envFile: examplePath }).mode).toBe('sandbox');
    });
});
