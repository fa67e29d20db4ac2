import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openWorkQueue } from '../queue';
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
        expect(io.stdout()).toContain('Fast-path queue: 0 waiting, 0 dead letter(s)');
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

    it('lists dead letters and replays them by id or all at once', async () => {
        const queue = openWorkQueue({ dataDir }, { options: { maxAttempts: 1 } });
        const signal = (recordKey: string) => ({
            stream: 'salesforce:Contact',
            recordKey,
            priority: 'fast_path' as const,
            reason: 'cdc UPDATE'
        });
        queue.enqueue([signal('0035g0000000001AAA'), signal('0035g0000000002AAA')]);
        for (const item of queue.claim(10, 60_000, 'worker')) queue.fail(item, 'sync run 7 failed: HubSpot 503');
        const [first, second] = queue.deadLetters();

        const empty = capture();
        const listed = capture();
        expect(await runCli(['dead-letters'], listed, env())).toBe(0);
        expect(listed.stdout()).toMatch(
            new RegExp(`${first.id} +salesforce:Contact +0035g0000000001AAA +1 .*HubSpot 503`)
        );
        expect(listed.stdout()).toContain('0035g0000000002AAA');

        const status = capture();
        expect(await runCli(['status'], status, env())).toBe(0);
        expect(status.stdout()).toContain('Fast-path queue: 0 waiting, 2 dead letter(s)');

        const one = capture();
        expect(await runCli(['replay', String(first.id), String(first.id)], one, env())).toBe(0);
        expect(one.stdout()).toContain('1 dead letter(s) back in the queue');
        const missing = capture();
        expect(await runCli(['replay', String(first.id)], missing, env())).toBe(1);
        expect(missing.stdout()).toContain('1 id(s) were not dead letters');
        const rest = capture();
        expect(await runCli(['replay', 'all'], rest, env())).toBe(0);
        expect(rest.stdout()).toContain('1 dead letter(s) back in the queue');
        expect(queue.deadLetters()).toEqual([]);
        expect(
            queue
                .claim(10, 60_000, 'worker')
                .map((item) => item.id)
                .sort()
        ).toEqual([first.id, second.id].sort());
        expect(await runCli(['dead-letters'], empty, env())).toBe(0);
        expect(empty.stdout()).toBe('No dead letters.');
        queue.close();
    });

    it('rejects bad dead-letter arguments with exit code 2', async () => {
        for (const argv of [['replay'], ['replay', 'abc'], ['replay', 'all', '3'], ['dead-letters', '--limit', '0']]) {
            const io = capture();
            expect({ argv, code: await runCli(argv, io, env()) }).toEqual({ argv, code: 2 });
            expect(io.stderr()).toContain('Usage: npm run cli');
        }
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
