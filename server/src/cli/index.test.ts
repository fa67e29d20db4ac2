import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStateStore } from '../state/sqlite-store';
import { runCli } from './index';
import type { CliIo } from './sync';

function capture(): CliIo & { stdout: () => string; stderr: () => string } {
    const out: string[] = [];
    const err: string[] = [];
    return {
        out: (text) => out.push(text),
        err: (text) => err.push(text),
        stdout: () => out.join('\n'),
        stderr: () => err.join('\n')
    };
}

describe('npm run cli', () => {
    let dataDir: string;
    const env = () => ({ env: { DATA_DIR: dataDir, LOG_LEVEL: 'silent' }, envFile: null });

    beforeEach(() => {
        dataDir = mkdtempSync(join(tmpdir(), 'bridge-cli-'));
    });
    afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

    it('refuses an unknown command with the usage text and exit code 2', async () => {
        const io = capture();
        expect(await runCli(['frobnicate'], io, env())).toBe(2);
        expect(io.stderr()).toContain('Unknown command "frobnicate"');
        expect(io.stderr()).toContain('Usage: npm run cli');
    });

    it('reports status of a fresh installation', async () => {
        const io = capture();
        expect(await runCli(['status'], io, env())).toBe(0);
        expect(io.stdout()).toContain('No sync has run yet');
        expect(io.stdout()).toContain('Open errors: 0');
    });

    it('lists open errors by category, filters them, and fails on them when asked', async () => {
        const store = openSqliteStateStore({ dataDir });
        const run = store.startRun('incremental');
        store.recordErrors([
            {
                runId: run.id,
                mappingId: 'lead_to_contact',
                salesforceObject: 'Lead',
                salesforceId: '00Q5g0000000001EAA',
                field: 'Industry',
                category: 'picklist',
                message: 'Industry "Quantum" is not an option of industry'
            },
            {
                runId: run.id,
                mappingId: 'contact_to_contact',
                salesforceObject: 'Contact',
                salesforceId: '0035g0000000001AAA',
                category: 'duplicate',
                message: 'two contacts share ada@example.com'
            }
        ]);
        store.finishRun(run.id, { status: 'completed', counts: {}, apiCalls: { salesforce: 3, hubspot: 4 } });
        store.close();

        const status = capture();
        expect(await runCli(['status'], status, env())).toBe(0);
        expect(status.stdout()).toMatch(/picklist +1 +1/);
        expect(status.stdout()).toMatch(/duplicate +1 +1/);

        const picklist = capture();
        expect(await runCli(['errors', '--category', 'picklist', '--fail-on-errors'], picklist, env())).toBe(1);
        expect(picklist.stdout()).toContain('Industry "Quantum"');
        expect(picklist.stdout()).not.toContain('ada@example.com');

        const contacts = capture();
        expect(await runCli(['errors', '--object', 'Contact'], contacts, env())).toBe(0);
        expect(contacts.stdout()).toContain('ada@example.com');
    });

    it('rejects bad arguments before touching anything', async () => {
        const badCategory = capture();
        expect(await runCli(['errors', '--category', 'everything'], badCategory, env())).toBe(2);
        expect(badCategory.stderr()).toContain('--category');

        const badId = capture();
        expect(await runCli(['resync', "003'; DROP TABLE"], badId, env())).toBe(2);
        expect(badId.stderr()).toContain('Not Salesforce record IDs');

        const badMappings = capture();
        expect(await runCli(['mappings', 'publish'], badMappings, env())).toBe(2);
    });

    it('validates the shipped mapping against the sandboxes when no credentials are configured', async () => {
        const io = capture();
        expect(await runCli(['mappings', 'validate'], io, env())).toBe(0);
        expect(io.stdout()).toContain('against the sandboxes');
        expect(io.stdout()).toMatch(/0 fatal problem\(s\), \d+ warning\(s\)\./);
    }, 30_000);

    it('refuses a half-configured live mode with every problem listed', async () => {
        const io = capture();
        const code = await runCli(['status'], io, {
            env: { DATA_DIR: dataDir, HUBSPOT_ACCESS_TOKEN: 'pat-na1-123' },
            envFile: null
        });
        expect(code).toBe(2);
        expect(io.stderr()).toContain('SALESFORCE_CLIENT_ID');
        expect(io.stderr()).toContain('HUBSPOT_PORTAL_ID');
    });
});
