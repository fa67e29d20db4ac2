import { Client } from '@hubspot/api-client';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import jsforce from 'jsforce';

const tsx = require.resolve('tsx/cli');
const cli = require.resolve('./cli.ts');

function startCli(args: string[]): ChildProcessWithoutNullStreams {
    return spawn(process.execPath, [tsx, cli, ...args], { stdio: 'pipe' });
}

describe('npm run sandbox', () => {
    let child: ChildProcessWithoutNullStreams | undefined;

    afterEach(async () => {
        if (child && child.exitCode === null) {
            child.kill('SIGTERM');
            await once(child, 'exit');
        }
    });

    it('prints the connection JSON first, and both real clients connect with it', async () => {
        child = startCli(['--salesforce-port', '0', '--hubspot-port', '0']);
        const [firstLine] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
        const info = JSON.parse(firstLine);
        expect(Object.keys(info.salesforce).sort()).toEqual(
            ['apiVersion', 'clientId', 'clientSecret', 'instanceUrl', 'loginUrl', 'password', 'username'].sort()
        );
        expect(Object.keys(info.hubspot).sort()).toEqual(['accessToken', 'basePath', 'otherAppAccessToken']);

        const conn = new jsforce.Connection({
            loginUrl: info.salesforce.loginUrl,
            version: info.salesforce.apiVersion,
            oauth2: { clientId: info.salesforce.clientId, clientSecret: info.salesforce.clientSecret }
        });
        await conn.login(info.salesforce.username, info.salesforce.password);
        const leads = await conn.query<{ Email: string }>(
            'SELECT Email FROM Lead WHERE Email != null ORDER BY Email LIMIT 1'
        );
        expect(leads.records).toHaveLength(1);

        // The demo datasets overlap: the first leads' emails already exist as HubSpot contacts.
        const hubspot = new Client({ accessToken: info.hubspot.accessToken, basePath: info.hubspot.basePath });
        const contact = await hubspot.crm.contacts.basicApi.getById(
            leads.records[0]!.Email,
            ['email'],
            undefined,
            undefined,
            false,
            'email'
        );
        expect(contact.properties.email).toBe(leads.records[0]!.Email);
    }, 60_000);

    it('refuses a bad option with the usage text and exit code 2', async () => {
        child = startCli(['--preset', 'huge']);
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        const [code] = await once(child, 'exit');
        expect(code).toBe(2);
        expect(stderr).toContain('--preset');
        expect(stderr).toContain('Usage: npm run sandbox');
    }, 30_000);
});
