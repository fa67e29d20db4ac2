/**
 * The connection factory against the Salesforce sandbox: both login flows, and sessions renewed on
 * their own when Salesforce expires them, through the real jsforce.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startSalesforceSandbox, type RunningSalesforceSandbox } from '../../sandbox/salesforce';
import { connectSalesforce, ConnectionError } from './connect';

describe('connectSalesforce', () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    let sandbox: RunningSalesforceSandbox;
    let folder: string;
    let keyFile: string;

    beforeAll(async () => {
        sandbox = await startSalesforceSandbox({
            seed: 'empty',
            jwtCertificate: publicKey.export({ type: 'spki', format: 'pem' }).toString()
        });
        folder = mkdtempSync(join(tmpdir(), 'connect-'));
        keyFile = join(folder, 'server.key');
        writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    });
    afterAll(async () => {
        await sandbox.close();
        rmSync(folder, { recursive: true, force: true });
    });

    const base = () => ({
        loginUrl: sandbox.connection.loginUrl,
        clientId: sandbox.connection.clientId,
        username: sandbox.connection.username
    });

    test('the JWT bearer flow logs in and renews an expired session with a fresh assertion', async () => {
        const adapter = await connectSalesforce(
            { ...base(), auth: { kind: 'jwt', keyFile } },
            sandbox.connection.apiVersion
        );
        expect(await adapter.query('SELECT Id FROM Account')).toEqual([]);
        sandbox.handle.expireSessions();
        expect(await adapter.query('SELECT Id FROM Account')).toEqual([]);
    });

    test('the username-password flow renews an expired session too', async () => {
        const adapter = await connectSalesforce(
            {
                ...base(),
                auth: {
                    kind: 'password',
                    clientSecret: sandbox.connection.clientSecret,
                    password: sandbox.connection.password
                }
            },
            sandbox.connection.apiVersion
        );
        sandbox.handle.expireSessions();
        expect((await adapter.users()).length).toBeGreaterThan(0);
    });

    test('a refused login is a ConnectionError naming the user, never the secret', async () => {
        const attempt = connectSalesforce(
            { ...base(), auth: { kind: 'password', clientSecret: 'wrong-client-secret', password: 'wrong-password' } },
            sandbox.connection.apiVersion
        );
        await expect(attempt).rejects.toBeInstanceOf(ConnectionError);
        await expect(attempt).rejects.toThrow(new RegExp(`login as ${sandbox.connection.username}`));
        await expect(attempt).rejects.not.toThrow(/wrong-password|wrong-client-secret/);
    });
});
