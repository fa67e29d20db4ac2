/**
 * HubSpot sandbox benchmark: records/s through the batch endpoints driven by the real
 * @hubspot/api-client, and the time and peak memory to seed 1M records (memory and SQLite file).
 *
 *   npm run bench:sandbox:hubspot            # full run
 *   npm run bench:sandbox:hubspot -- --quick # 1/10 of the sizes (a smoke run)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@hubspot/api-client';
import { createHubSpotSandbox, startHubSpotSandbox } from '../src/sandbox/hubspot';

const quick = process.argv.includes('--quick');
const BATCH = 100;
const CONCURRENCY = 4;
const THROUGHPUT_RECORDS = quick ? 2_000 : 20_000;
/** 1M records: 100k companies + 100k deals + 400k contacts + 400k engagements. */
const SEED_SPEC = quick
    ? { contacts: 40_000, companies: 10_000, dealsPerCompany: 1, engagementsPerContact: 1 }
    : { contacts: 400_000, companies: 100_000, dealsPerCompany: 1, engagementsPerContact: 1 };

interface Row {
    measure: string;
    records: number;
    seconds: number;
    perSecond: number;
    peakRssMb?: number;
}

/** Runs `work` over `count` records in batches of 100, `CONCURRENCY` batches at a time. */
async function timeBatches(count: number, work: (offset: number, size: number) => Promise<unknown>): Promise<number> {
    const started = performance.now();
    let next = 0;
    const lane = async () => {
        while (next < count) {
            const offset = next;
            next += BATCH;
            await work(offset, Math.min(BATCH, count - offset));
        }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, lane));
    return (performance.now() - started) / 1000;
}

/** The four batch endpoints, in memory or (with `dataFile`) writing every change through to SQLite. */
async function throughput(dataFile?: string): Promise<Row[]> {
    const sandbox = await startHubSpotSandbox({ tier: 'unlimited', dataFile });
    const suffix = dataFile ? ' (SQLite file)' : '';
    const client = new Client(sandbox.connection);
    const rows: Row[] = [];
    const row = (measure: string, seconds: number) =>
        rows.push({
            measure: measure + suffix,
            records: THROUGHPUT_RECORDS,
            seconds,
            perSecond: THROUGHPUT_RECORDS / seconds
        });
    try {
        const ids: string[] = [];
        row(
            'batch/create contacts',
            await timeBatches(THROUGHPUT_RECORDS, async (offset, size) => {
                const result = await client.crm.contacts.batchApi.create({
                    inputs: Array.from({ length: size }, (_, n) => ({
                        properties: {
                            email: `bench${offset + n}@example.com`,
                            firstname: 'Bench',
                            lifecyclestage: 'lead'
                        },
                        associations: []
                    }))
                });
                ids.push(...result.results.map((r) => r.id));
            })
        );
        row(
            'batch/update contacts',
            await timeBatches(THROUGHPUT_RECORDS, (offset, size) =>
                client.crm.contacts.batchApi.update({
                    inputs: ids
                        .slice(offset, offset + size)
                        .map((id) => ({ id, properties: { jobtitle: `Title ${offset}` } }))
                })
            )
        );
        row(
            'batch/upsert contacts (email)',
            await timeBatches(THROUGHPUT_RECORDS, (offset, size) =>
                client.crm.contacts.batchApi.upsert({
                    inputs: Array.from({ length: size }, (_, n) => ({
                        id: `bench${offset + n}@example.com`,
                        idProperty: 'email',
                        properties: { lifecyclestage: 'marketingqualifiedlead' }
                    }))
                })
            )
        );
        row(
            'batch/read contacts',
            await timeBatches(THROUGHPUT_RECORDS, (offset, size) =>
                client.crm.contacts.batchApi.read({
                    inputs: ids.slice(offset, offset + size).map((id) => ({ id })),
                    properties: ['email', 'jobtitle', 'lifecyclestage'],
                    propertiesWithHistory: []
                })
            )
        );
    } finally {
        await sandbox.close();
    }
    return rows;
}

/** Seeds (or reopens) in a fresh child process so its peak RSS is the operation's own. */
function inChild(mode: '--seed-child' | '--load-child', dataFile: string | undefined): Row {
    const args = [...process.execArgv, __filename, mode, dataFile ?? '', ...(quick ? ['--quick'] : [])];
    const output = execFileSync(process.execPath, args, {
        encoding: 'utf8',
        maxBuffer: 1 << 20
    });
    const result = JSON.parse(output.trim().split('\n').pop()!) as {
        records: number;
        seconds: number;
        peakRssMb: number;
    };
    return {
        measure:
            mode === '--load-child'
                ? `reopen the ${result.records.toLocaleString('en-US')}-record SQLite file`
                : `seed ${result.records.toLocaleString('en-US')} records (${dataFile ? 'SQLite file' : 'memory'})`,
        records: result.records,
        seconds: result.seconds,
        perSecond: result.records / result.seconds,
        peakRssMb: result.peakRssMb
    };
}

function seedChild(dataFile: string): void {
    const started = performance.now();
    const sandbox = createHubSpotSandbox({ dataFile: dataFile || undefined });
    const summary = sandbox.handle.seed(SEED_SPEC);
    const seconds = (performance.now() - started) / 1000;
    sandbox.dispose();
    const records = summary.contacts + summary.companies + summary.deals + summary.engagements;
    // resourceUsage().maxRSS is in kilobytes.
    process.stdout.write(`${JSON.stringify({ records, seconds, peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
}

function loadChild(dataFile: string): void {
    const started = performance.now();
    const sandbox = createHubSpotSandbox({ dataFile });
    const seconds = (performance.now() - started) / 1000;
    const records = (
        ['contacts', 'companies', 'deals', 'notes', 'emails', 'calls', 'meetings', 'tasks'] as const
    ).reduce((sum, type) => sum + sandbox.handle.store.count(type), 0);
    sandbox.dispose();
    process.stdout.write(`${JSON.stringify({ records, seconds, peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
}

function printTable(rows: Row[]): void {
    const header = ['measure', 'records', 'seconds', 'records/s', 'peak RSS MB'];
    const lines = rows.map((r) => [
        r.measure,
        String(r.records),
        r.seconds.toFixed(2),
        Math.round(r.perSecond).toLocaleString('en-US'),
        r.peakRssMb === undefined ? '' : String(Math.round(r.peakRssMb))
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
    const format = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
    console.log(format(header));
    console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
    for (const line of lines) console.log(format(line));
}

async function main(): Promise<void> {
    const seedIndex = process.argv.indexOf('--seed-child');
    if (seedIndex >= 0) return seedChild(process.argv[seedIndex + 1] ?? '');
    const loadIndex = process.argv.indexOf('--load-child');
    if (loadIndex >= 0) return loadChild(process.argv[loadIndex + 1]);
    const directory = mkdtempSync(join(tmpdir(), 'hubspot-bench-'));
    const rows: Row[] = [];
    try {
        rows.push(...(await throughput()));
        rows.push(...(await throughput(join(directory, 'batches.db'))));
        rows.push(inChild('--seed-child', undefined));
        rows.push(inChild('--seed-child', join(directory, 'seed.db')));
        rows.push(inChild('--load-child', join(directory, 'seed.db')));
    } finally {
        rmSync(directory, { recursive: true, force: true });
    }
    printTable(rows);
    console.log(`goals: batch endpoints >= 5,000 records/s; seeding 1M records <= 60 s and <= 1,536 MB peak RSS`);
}

void main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
});
