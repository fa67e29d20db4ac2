import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repoRoot = resolve(__dirname, '../..');
const tsx = require.resolve('tsx/cli');
const main = require.resolve('./main.ts');
const operator = { user: 'operator', password: 'a long dashboard password' };
const basic = { authorization: `Basic ${Buffer.from(`${operator.user}:${operator.password}`).toString('base64')}` };

/** `npm start` as a newcomer runs it: no credentials, so sandbox mode. Runs in an empty folder so no `.env` leaks in. */
function startBridge(env: Record<string, string>, cwd: string): ChildProcessWithoutNullStreams {
    const clean = Object.fromEntries(
        Object.entries(process.env).filter(
            ([key]) => !/^(SALESFORCE_|HUBSPOT_|RELAY_|DASHBOARD_|SYNC_|DATA_DIR|PORT)/.test(key)
        )
    );
    return spawn(process.execPath, [tsx, main], {
        cwd,
        env: { ...clean, LOG_LEVEL: 'warn', SYNC_CONFIG: join(repoRoot, 'config/sync-mapping.yaml'), ...env },
        stdio: 'pipe'
    });
}

function collect(stream: NodeJS.ReadableStream): { text: () => string } {
    let text = '';
    stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
    return { text: () => text };
}

async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const value = await probe();
        if (value !== undefined) return value;
        if (Date.now() > deadline) throw new Error('timed out');
        await new Promise((r) => setTimeout(r, 200));
    }
}

describe('npm start', () => {
    let dir: string;
    let child: ChildProcessWithoutNullStreams | undefined;

    beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), 'bridge-start-'));
    });

    afterEach(async () => {
        if (child && child.exitCode === null) {
            child.kill('SIGKILL');
            await once(child, 'exit');
        }
        rmSync(dir, { recursive: true, force: true });
    });

    it('runs sandbox mode without credentials: dashboard, initial sync, graceful stop', async () => {
        child = startBridge(
            {
                PORT: '0',
                DATA_DIR: join(dir, 'data'),
                DASHBOARD_USER: operator.user,
                DASHBOARD_PASSWORD: operator.password
            },
            dir
        );
        const stdout = collect(child.stdout);
        const stderr = collect(child.stderr);
        const started = child;
        const dashboard = await waitFor(() => {
            if (started.exitCode !== null) throw new Error(`exited with ${started.exitCode}`);
            return /Dashboard: +(\S+)/.exec(stdout.text())?.[1];
        }, 60_000).catch(() => {
            throw new Error(`npm start did not come up:\n${stdout.text()}\n${stderr.text()}`);
        });
        expect(stdout.text()).toContain('running in sandbox mode');
        const base = dashboard.replace(/\/ops\/$/, '');

        expect((await fetch(`${base}/healthz`)).status).toBe(200);
        const page = await fetch(dashboard, { headers: basic });
        expect(page.status).toBe(200);
        expect(await page.text()).toContain('<script');
        expect((await fetch(dashboard)).status).toBe(401);

        // The initial sync links the demo records both ways.
        const lastRun = await waitFor(async () => {
            const status = (await (await fetch(`${base}/ops/api/status`, { headers: basic })).json()) as {
                lastRun: { status: string; records: number } | null;
            };
            return status.lastRun ?? undefined;
        }, 120_000);
        expect(lastRun.status).toBe('completed');
        expect(lastRun.records).toBeGreaterThan(0);
        expect((await fetch(`${base}/readyz`)).status).toBe(200);

        // The run's figures reach Prometheus: runs by outcome, records by object, API usage per side.
        const metrics = await (await fetch(`${base}/metrics`, { headers: basic })).text();
        expect(metrics).toMatch(/^sync_runs_total\{outcome="completed"\} [1-9]/m);
        expect(metrics).toMatch(
            /^sync_records_total\{object="lead_to_contact",direction="to_hubspot",outcome="created_in_hubspot"\} [1-9]/m
        );
        expect(metrics).toMatch(/^crm_api_calls_used\{side="salesforce",window="daily"\} [1-9]/m);
        expect(metrics).toMatch(/^crm_api_calls_remaining\{side="hubspot",window="daily"\} [1-9]/m);
        expect(metrics).toMatch(/^sync_queue_depth\{source="hubspot_webhooks"\} \d+/m);
        expect(metrics).toMatch(/^sync_dead_letters 0$/m);

        // The fast path: a Contact created in Salesforce reaches HubSpot through CDC, long before the next poll.
        const [, salesforceUrl, hubspotUrl] = /Sandboxes: +Salesforce (\S+), HubSpot (\S+)/.exec(stdout.text())!;
        const email = `fast-path-${Date.now()}@example.com`;
        const createdAt = Date.now();
        const created = await fetch(`${salesforceUrl}/__sandbox/records/Contact`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ fields: { LastName: 'Fast', Email: email } })
        });
        expect(created.status).toBe(201);
        await waitFor(async () => {
            const exported = (await (await fetch(`${hubspotUrl}/__sandbox/export`)).json()) as {
                objects: { contacts: { properties: { email?: string } }[] };
            };
            return exported.objects.contacts.some((contact) => contact.properties.email === email) || undefined;
        }, 10_000);
        expect(Date.now() - createdAt).toBeLessThan(10_000);

        // And back: a HubSpot edit arrives as a signed webhook, becomes a signal, and reaches Salesforce.
        const exported = (await (await fetch(`${hubspotUrl}/__sandbox/export`)).json()) as {
            objects: { contacts: { id: string; properties: { salesforcecontactid?: string | null } }[] };
        };
        const linked = exported.objects.contacts.find((contact) => contact.properties.salesforcecontactid)!;
        const salesforceId = linked.properties.salesforcecontactid!;
        const edited = await fetch(`${hubspotUrl}/__sandbox/records/contacts/${linked.id}`, {
            method: 'PATCH',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ properties: { jobtitle: 'Edited in HubSpot' } })
        });
        expect(edited.status).toBe(200);
        await waitFor(async () => {
            const record = (await (await fetch(`${salesforceUrl}/__sandbox/records/${salesforceId}`)).json()) as {
                Title?: string;
            };
            return record.Title === 'Edited in HubSpot' || undefined;
        }, 10_000);

        child.kill('SIGTERM');
        const [code] = await once(child, 'exit');
        expect(code).toBe(0);
    }, 180_000);

    it('refuses a half-configured live mode with one message listing every problem', async () => {
        child = startBridge({ SALESFORCE_USERNAME: 'integration@example.com', DATA_DIR: join(dir, 'data') }, dir);
        const stderr = collect(child.stderr);
        const [code] = await once(child, 'exit');
        expect(code).toBe(1);
        expect(stderr.text()).toContain('Invalid configuration');
        expect(stderr.text()).toContain('HUBSPOT_ACCESS_TOKEN');
        expect(stderr.text()).toContain('SALESFORCE_CLIENT_ID');
    }, 30_000);
});
