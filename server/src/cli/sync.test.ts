/**
 * The sync CLI in process, against both sandboxes through the same environment variables an operator
 * sets for real CRMs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startEngineWorld, type EngineWorld } from '../sync/engine/test-support';
import { runSyncCli } from './sync';

describe('npm run sync', () => {
    let world: EngineWorld;
    let dataDir: string;
    let output: { out: string[]; err: string[] };
    const io = {
        out: (text: string) => output.out.push(text),
        err: (text: string) => output.err.push(text)
    };

    beforeEach(async () => {
        world = await startEngineWorld();
        dataDir = mkdtempSync(join(tmpdir(), 'sync-cli-'));
        output = { out: [], err: [] };
    });
    afterEach(async () => {
        await world.close();
        rmSync(dataDir, { recursive: true, force: true });
    });

    const sandboxEnv = (overrides: Record<string, string> = {}) => {
        const salesforce = world.salesforceSandbox.connection;
        return {
            SALESFORCE_LOGIN_URL: salesforce.loginUrl,
            SALESFORCE_CLIENT_ID: salesforce.clientId,
            SALESFORCE_CLIENT_SECRET: salesforce.clientSecret,
            SALESFORCE_USERNAME: salesforce.username,
            SALESFORCE_PASSWORD: salesforce.password,
            SALESFORCE_API_VERSION: salesforce.apiVersion,
            HUBSPOT_BASE_URL: world.hubspotSandbox.connection.basePath,
            HUBSPOT_ACCESS_TOKEN: world.hubspotSandbox.connection.accessToken,
            HUBSPOT_PORTAL_ID: String(world.hubspotSandbox.handle.portalId),
            DATA_DIR: dataDir,
            ...overrides
        };
    };
    const cli = (argv: string[], env: Record<string, string>) => runSyncCli(argv, { env, envFile: null, io });

    test('--once syncs with the shipped mapping, prints a summary table and exits 0', async () => {
        world.createInSalesforce('Contact', { LastName: 'Doe', Email: 'doe@acme.com' });
        const code = await cli(['--once'], sandboxEnv());

        expect(output.err).toEqual([]);
        expect(code).toBe(0);
        const printed = output.out.join('\n');
        expect(printed).toMatch(/Sync run 1 \(incremental\) completed/);
        expect(printed).toMatch(/contact_to_contact\s+1\s+1/);
        expect(printed).toMatch(/contact_to_contact OwnerId ↔ hubspot_owner_id to_hubspot: 1/);
        expect(world.hubspotObjects('contacts')).toHaveLength(1);
    });

    test('without a terminal it prints one plain line per step before the summary, no bar', async () => {
        world.createInSalesforce('Contact', { LastName: 'Doe', Email: 'doe@acme.com' });
        expect(await cli(['--once'], sandboxEnv())).toBe(0);

        const steps = output.out.filter((line) => line.startsWith('['));
        const total = steps.length;
        expect(steps[0]).toBe(`[1/${total}] schemas, 0 records read so far`);
        expect(steps).toContainEqual(
            expect.stringMatching(
                /^\[\d+\/\d+\] records: contacts \(.*contact_to_contact.*\), \d+ records read so far$/
            )
        );
        expect(steps.slice(-2)).toEqual([
            `[${total - 1}/${total}] associations, 1 records read so far`,
            `[${total}/${total}] activities, 1 records read so far`
        ]);
        expect(output.out.indexOf(steps.at(-1)!)).toBeLessThan(output.out.findIndex((line) => /Sync run 1/.test(line)));
        expect(output.out.join('\n')).not.toContain('\u001b[');
    });

    test('per-record errors are reported and the exit code stays 0', async () => {
        world.createInSalesforce('Opportunity', {
            Name: 'Odd',
            StageName: 'Prospecting',
            CloseDate: '2027-01-01',
            Type: 'Existing Customer - Replacement'
        });
        const code = await cli(['--once'], sandboxEnv());

        expect(code).toBe(0);
        expect(output.out.join('\n')).toMatch(
            /Errors \(1\): picklist 1[\s\S]*\[picklist\] opportunity_to_deal .*\.Type/
        );
    });

    test('--dry-run writes nothing and says what it would spend', async () => {
        world.createInSalesforce('Contact', { LastName: 'Doe', Email: 'doe@acme.com' });
        const code = await cli(['--once', '--dry-run', '--object', 'Contact'], sandboxEnv());

        expect(code).toBe(0);
        expect(output.out.join('\n')).toMatch(/Dry run: nothing was written/);
        expect(output.out.join('\n')).toMatch(/contact_to_contact LastName ↔ lastname to_hubspot: 1/);
        expect(world.hubspotObjects('contacts')).toHaveLength(0);
    });

    test('without credentials it says so and exits non-zero', async () => {
        const code = await cli(['--once'], { DATA_DIR: dataDir });

        expect(code).toBe(2);
        expect(output.err.join('\n')).toMatch(/credentials are missing/);
    });

    test('a refused login exits non-zero with the reason, never the password', async () => {
        const code = await cli(['--once'], sandboxEnv({ SALESFORCE_PASSWORD: 'wrong-secret-value' }));

        expect(code).toBe(2);
        expect(output.err.join('\n')).toMatch(/Salesforce login as .* failed/);
        expect(output.err.join('\n')).not.toContain('wrong-secret-value');
    });

    test('bad arguments print the usage and exit non-zero', async () => {
        expect(await cli(['--once', '--limit', 'many'], sandboxEnv())).toBe(2);
        expect(await cli(['--bogus'], sandboxEnv())).toBe(2);
        expect(output.err.join('\n')).toMatch(/Usage: npm run sync/);
    });
});
