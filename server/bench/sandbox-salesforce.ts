/**
 * Benchmark of the Salesforce sandbox: records/s through sObject Collections driven by the real jsforce,
 * and the time and peak memory to seed one million records (in memory, and into a node:sqlite file).
 *
 *   npm run bench:sandbox:salesforce [-- --records 20000 --seed-records 1000000]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import jsforce from 'jsforce';
import { z } from 'zod';
import { createSalesforceSandbox, startSalesforceSandbox } from '../src/sandbox/salesforce';

const Args = z.object({
    records: z.coerce.number().int().positive().default(20_000),
    'seed-records': z.coerce.number().int().positive().default(1_000_000),
    latency: z.coerce.number().int().min(0).default(50),
    concurrency: z.coerce.number().int().positive().default(10),
    'seed-child': z.string().optional()
});

const { values } = parseArgs({
    options: {
        records: { type: 'string' },
        'seed-records': { type: 'string' },
        latency: { type: 'string' },
        concurrency: { type: 'string' },
        'seed-child': { type: 'string' }
    }
});
const args = Args.parse(values);

/** A dataset of about `total` records: 10% accounts, 40% contacts, 40% leads, opportunities and roles. */
function shapeFor(total: number) {
    const accounts = Math.round(total * 0.1);
    return {
        seed: 1,
        accounts,
        contacts: accounts * 4,
        leads: accounts * 4,
        opportunitiesPerAccount: 0.5,
        activitiesPerRecord: 0
    };
}

async function seedChild(mode: string): Promise<void> {
    const directory = mode === 'sqlite' ? mkdtempSync(join(tmpdir(), 'sf-bench-')) : undefined;
    const started = performance.now();
    const sandbox = createSalesforceSandbox({
        seed: shapeFor(args['seed-records']),
        dataFile: directory ? join(directory, 'bench.sqlite') : undefined
    });
    const seconds = (performance.now() - started) / 1000;
    const created = ['Account', 'Contact', 'Lead', 'Opportunity', 'OpportunityContactRole'].reduce(
        (n, o) => n + sandbox.handle.count(o),
        0
    );
    sandbox.dispose();
    if (directory) rmSync(directory, { recursive: true, force: true });
    process.stdout.write(JSON.stringify({ seconds, created, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
}

async function collectionsThroughput(latencyMs: number) {
    const sandbox = await startSalesforceSandbox({ baseLatencyMs: latencyMs });
    try {
        const c = sandbox.connection;
        const conn = new jsforce.Connection({
            loginUrl: c.loginUrl,
            version: c.apiVersion,
            maxRequest: args.concurrency,
            oauth2: { loginUrl: c.loginUrl, clientId: c.clientId, clientSecret: c.clientSecret }
        });
        await conn.login(c.username, c.password);
        const chunks = Array.from({ length: Math.ceil(args.records / 200) }, (_, chunk) =>
            Array.from({ length: Math.min(200, args.records - chunk * 200) }, (_, i) => ({
                LastName: `Bench ${chunk * 200 + i}`,
                Company: 'Bench Inc',
                Email: `bench${chunk * 200 + i}@bench.example`
            }))
        );
        const run = async (work: (chunk: (typeof chunks)[number]) => Promise<unknown>) => {
            const started = performance.now();
            let next = 0;
            await Promise.all(
                Array.from({ length: args.concurrency }, async () => {
                    while (next < chunks.length) await work(chunks[next++]);
                })
            );
            return args.records / ((performance.now() - started) / 1000);
        };
        sandbox.handle.requests.reset();
        const ids: string[] = [];
        const createRate = await run(async (chunk) => {
            const results = await conn.sobject('Lead').create(chunk);
            for (const r of results) if (r.success) ids.push(r.id!);
        });
        const updateRate = await run(async (chunk) => {
            const start = chunks.indexOf(chunk) * 200;
            await conn.sobject('Lead').update(chunk.map((_, i) => ({ Id: ids[start + i], Title: 'Benchmarked' })));
        });
        const calls = sandbox.handle.requests.snapshot().byEndpoint;
        return {
            createRate,
            updateRate,
            calls: (calls['POST /composite/sobjects'] ?? 0) + (calls['PATCH /composite/sobjects'] ?? 0)
        };
    } finally {
        await sandbox.close();
    }
}

function measureSeed(mode: 'memory' | 'sqlite') {
    const child = spawnSync(
        process.execPath,
        [...process.execArgv, __filename, '--seed-child', mode, '--seed-records', String(args['seed-records'])],
        {
            encoding: 'utf8',
            maxBuffer: 1024 * 1024
        }
    );
    if (child.status !== 0) throw new Error(`seed child failed: ${child.stderr}`);
    return JSON.parse(child.stdout) as { seconds: number; created: number; peakRssMb: number };
}

async function main(): Promise<void> {
    if (args['seed-child']) return seedChild(args['seed-child']);
    const rows: Record<string, string>[] = [];
    for (const latency of [0, args.latency]) {
        const result = await collectionsThroughput(latency);
        rows.push({
            measure: `collections via jsforce, ${args.records} leads, ${latency} ms latency, ${args.concurrency} parallel`,
            result: `create ${Math.round(result.createRate)} rec/s, update ${Math.round(result.updateRate)} rec/s (${result.calls} calls)`,
            goal: '>= 5000 rec/s'
        });
    }
    for (const mode of ['memory', 'sqlite'] as const) {
        const seed = measureSeed(mode);
        rows.push({
            measure: `seed ${seed.created} records (${mode})`,
            result: `${seed.seconds.toFixed(1)} s, peak RSS ${Math.round(seed.peakRssMb)} MB`,
            goal: '<= 60 s, <= 1536 MB'
        });
    }
    console.table(rows);
}

main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
});
