/**
 * The relay as a child process in live mode against the soak's sandboxes (`npm start`'s entry point,
 * unchanged), killed with SIGKILL and started again on the same DATA_DIR; plus the operator API calls
 * the soak makes (start a run, read runs).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RunningHubSpotSandbox } from '../src/sandbox/hubspot';
import type { RunningSalesforceSandbox } from '../src/sandbox/salesforce';

const repoRoot = resolve(__dirname, '../..');

export interface RelayRun {
    id: number;
    status: 'running' | 'completed' | 'failed';
    startedAt: string;
    endedAt: string | null;
    error: string | null;
}

export async function freePort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const { port } = server.address() as AddressInfo;
    await new Promise((done) => server.close(done));
    return port;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

export interface RelayProcessOptions {
    port: number;
    dataDir: string;
    /** Folder the child runs in (no `.env` there, so only the variables below count). */
    workDir: string;
    logFile: string;
    salesforce: RunningSalesforceSandbox;
    hubspot: RunningHubSpotSandbox;
    webhookSecret: string;
    /** Load `pending-promises.mjs` into the relay (see `dumpPendingPromises`). */
    probeHangs?: boolean;
}

export class RelayProcess {
    private child: ChildProcess | null = null;
    private readonly log: WriteStream;
    private readonly operator = { user: 'soak', password: 'soak-operator-password' };
    readonly url: string;
    starts = 0;
    kills = 0;
    /** Exits the soak did not cause (a crash, or a start that failed under faults). */
    unexpectedExits = 0;
    /** Starts that hung (never listened) and were killed. */
    hungStarts = 0;

    constructor(private readonly options: RelayProcessOptions) {
        this.url = `http://127.0.0.1:${options.port}`;
        this.log = createWriteStream(options.logFile, { flags: 'a' });
    }

    private environment(): NodeJS.ProcessEnv {
        const { salesforce, hubspot } = this.options;
        return {
            PATH: process.env.PATH,
            HOME: process.env.HOME,
            PORT: String(this.options.port),
            LOG_LEVEL: 'info',
            RATE_LIMIT_PER_MINUTE: '1000000',
            RELAY_API_TOKEN: 'soak-relay-api-token-0123456789abcdef',
            HUBSPOT_CLIENT_SECRET: this.options.webhookSecret,
            DASHBOARD_USER: this.operator.user,
            DASHBOARD_PASSWORD: this.operator.password,
            SALESFORCE_LOGIN_URL: salesforce.connection.loginUrl,
            SALESFORCE_CLIENT_ID: salesforce.connection.clientId,
            SALESFORCE_CLIENT_SECRET: salesforce.connection.clientSecret,
            SALESFORCE_USERNAME: salesforce.connection.username,
            SALESFORCE_PASSWORD: salesforce.connection.password,
            HUBSPOT_BASE_URL: hubspot.connection.basePath,
            HUBSPOT_ACCESS_TOKEN: hubspot.connection.accessToken,
            HUBSPOT_PORTAL_ID: String(hubspot.handle.portalId),
            SYNC_CONFIG: join(repoRoot, 'config/sync-mapping.yaml'),
            DATA_DIR: this.options.dataDir,
            SYNC_INTERVAL_MINUTES: '1',
            // A call the faults never answer is abandoned well inside one convergence cycle.
            CRM_CALL_TIMEOUT_SECONDS: '10'
        };
    }

    get running(): boolean {
        return this.child !== null;
    }

    /**
     * Starts the relay and waits until it answers /healthz. A start that exits is retried; one that hangs
     * (a start-up call the server never answered) is killed after `attemptMs` and retried, until `deadlineMs`.
     */
    async start(deadlineMs = 60_000, attemptMs = 20_000): Promise<void> {
        const deadline = Date.now() + deadlineMs;
        while (Date.now() < deadline) {
            this.spawnChild();
            const attemptEnd = Math.min(deadline, Date.now() + attemptMs);
            while (this.child && Date.now() < attemptEnd) {
                if (await this.healthy()) return;
                await sleep(200);
            }
            if (this.child) {
                this.hungStarts += 1;
                await this.sigkill('SIGKILL (start hung)');
            }
            await sleep(500);
        }
        throw new Error(`the relay did not start within ${deadlineMs} ms (log: ${this.options.logFile})`);
    }

    private spawnChild(): void {
        // Node with tsx's loader in the same process (the tsx CLI would put the relay in a grandchild a
        // SIGKILL does not reach).
        const loader = pathToFileURL(require.resolve('tsx')).href;
        const node = join(repoRoot, 'node_modules/.bin/node');
        const probe = this.options.probeHangs
            ? ['--import', pathToFileURL(join(__dirname, 'pending-promises.mjs')).href]
            : [];
        const child = spawn(node, [...probe, '--import', loader, join(repoRoot, 'server/src/main.ts')], {
            cwd: this.options.workDir,
            env: this.environment(),
            stdio: ['ignore', 'pipe', 'pipe']
        });
        this.starts += 1;
        child.stdout.pipe(this.log, { end: false });
        child.stderr.pipe(this.log, { end: false });
        child.once('exit', (code, signal) => {
            if (this.child === child) {
                this.child = null;
                if (signal !== 'SIGKILL' && signal !== 'SIGTERM') this.unexpectedExits += 1;
                this.log.write(`\n[soak] relay exited (code ${code}, signal ${signal})\n`);
            }
        });
        this.child = child;
    }

    private async healthy(): Promise<boolean> {
        try {
            return (await fetch(`${this.url}/healthz`, { signal: AbortSignal.timeout(1_000) })).ok;
        } catch {
            return false;
        }
    }

    /**
     * With `probeHangs`, asks the relay to write the promises pending for more than 15 s and returns the
     * file's path (in the working folder); undefined without the probe or a relay.
     */
    async dumpPendingPromises(): Promise<string | undefined> {
        const child = this.child;
        if (!this.options.probeHangs || !child?.pid) return undefined;
        child.kill('SIGUSR2');
        await sleep(1_000);
        return join(this.options.workDir, `pending-promises-${child.pid}.txt`);
    }

    /** The chaos SIGKILL: no shutdown hook runs, whatever the relay was writing is cut off. */
    async kill(): Promise<void> {
        if (!this.child) return;
        this.kills += 1;
        await this.sigkill('SIGKILL');
    }

    private async sigkill(reason: string): Promise<void> {
        const child = this.child;
        if (!child) return;
        const exited = new Promise((done) => child.once('exit', done));
        this.child = null;
        this.log.write(`\n[soak] ${reason}\n`);
        child.kill('SIGKILL');
        await exited;
    }

    /** SIGTERM and wait: the relay finishes the batch in flight and closes its database. */
    async stop(): Promise<void> {
        const child = this.child;
        if (!child) return;
        const exited = new Promise((done) => child.once('exit', done));
        this.child = null;
        child.kill('SIGTERM');
        await Promise.race([exited, sleep(20_000)]);
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        this.log.end();
    }

    private async operatorCall(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Response> {
        const authorization = `Basic ${Buffer.from(`${this.operator.user}:${this.operator.password}`).toString('base64')}`;
        return fetch(`${this.url}${path}`, {
            method,
            headers: { authorization, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
            ...(body === undefined ? {} : { body: JSON.stringify(body) }),
            signal: AbortSignal.timeout(5_000)
        });
    }

    /** Starts an incremental run; null when one is already running (409) or the relay is down. */
    async startRun(): Promise<number | null> {
        try {
            const response = await this.operatorCall('POST', '/ops/api/runs', {});
            if (response.status !== 202) return null;
            return ((await response.json()) as { runId: number }).runId;
        } catch {
            return null;
        }
    }

    async runs(limit = 200): Promise<RelayRun[]> {
        const response = await this.operatorCall('GET', `/ops/api/runs?limit=${limit}`);
        if (!response.ok) throw new Error(`GET /ops/api/runs answered ${response.status}`);
        return ((await response.json()) as { runs: RelayRun[] }).runs;
    }

    /** Waits until no run is in progress; returns the newest run, or null after `timeoutMs`. */
    async waitIdle(timeoutMs: number): Promise<RelayRun | null> {
        const deadline = Date.now() + timeoutMs;
        while (Date.now() < deadline) {
            try {
                const runs = await this.runs(5);
                // No run yet: the relay has not started its first one (it subscribes to CDC first).
                if (runs.length > 0 && !runs.some((run) => run.status === 'running')) return runs[0];
            } catch {
                // The relay may be restarting; ask again.
            }
            await sleep(250);
        }
        return null;
    }

    /** Runs one complete cycle by hand: waits for any run in flight, starts one, waits for its end. */
    async runCycle(timeoutMs: number): Promise<RelayRun | null> {
        const deadline = Date.now() + timeoutMs;
        while (Date.now() < deadline) {
            if ((await this.waitIdle(deadline - Date.now())) === null) return null;
            const runId = await this.startRun();
            if (runId === null) continue;
            while (Date.now() < deadline) {
                const run = (await this.runs(20).catch(() => [])).find((candidate) => candidate.id === runId);
                if (run && run.status !== 'running') return run;
                await sleep(250);
            }
        }
        return null;
    }
}
