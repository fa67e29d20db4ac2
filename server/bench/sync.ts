/**
 * Sync engine benchmark: seeds both sandboxes (scaled from 20k Leads/Contacts with duplicate emails,
 * 5k Accounts, 8k Opportunities, 40k Tasks and an overlapping HubSpot side), then runs the initial
 * sync, an incremental sync with 1% of the records changed on each side, and a no-change sync. For
 * each phase, object and side it prints the API calls made against the lower bound from page and
 * batch sizes (goal ≤ 1.15×), records/s and the peak RSS of the engine's process (goal ≤ 300 MB): the
 * sandboxes run in a child process (support/sandbox-child.ts), seeded and edited over IPC.
 *
 *   npm run bench:sync                      # --scale 0.1
 *   npm run bench:sync -- --scale 1 --json bench-sync.json
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { z } from 'zod';

import { textTable } from '../src/shared/text-table';
import { openSqliteStateStore } from '../src/state/sqlite-store';
import { countedEngine } from './support/engine-setup';
import { errorKinds } from './support/error-kinds';
import { summariseByObject, type ObjectSummary } from './support/ledger';
import { syncBenchShape } from './support/load-shape';
import { startSandboxProcess } from './support/sandbox-process';
import type { SeededCounts } from './support/sandbox-protocol';
import { sum } from './support/stats';

const Options = z.strictObject({
    scale: z.coerce.number().positive().max(1).default(0.1),
    json: z.string().min(1).optional()
});

type PhaseRow = ObjectSummary & { phase: string };

async function main(): Promise<void> {
    const { values } = parseArgs({ options: { scale: { type: 'string' }, json: { type: 'string' } } });
    const options = Options.parse(values);
    const scale = options.scale;
    const sandboxes = await startSandboxProcess({
        salesforce: { seed: 'empty' },
        hubspot: { seed: 'empty', tier: 'unlimited' }
    });
    // A state file as in production: an in-memory database would count the whole state as the engine's RSS.
    const dataDir = mkdtempSync(join(tmpdir(), 'bench-sync-'));
    const store = openSqliteStateStore({ dataDir });
    try {
        const { engine, ledger } = await countedEngine(sandboxes.connections, store, { recordUrls: false });
        const seeded = await sandboxes.ask<SeededCounts>({ kind: 'seed', shape: syncBenchShape(scale) });
        console.log(`Seeded (scale ${scale}):`, seeded);

        const rows: PhaseRow[] = [];
        const phases: { phase: string; seconds: number; records: number; apiCalls: object; errors: number }[] = [];
        const run = async (phase: string) => {
            ledger.clear();
            const started = performance.now();
            const report = await engine.run({ mode: 'incremental' });
            const seconds = (performance.now() - started) / 1000;
            if (report.status !== 'completed') throw new Error(`${phase} failed: ${report.error}`);
            const phaseRows = summariseByObject(ledger.all()).map((row) => ({ phase, ...row }));
            rows.push(...phaseRows);
            const records = sum(phaseRows.map((row) => row.records));
            phases.push({ phase, seconds, records, apiCalls: report.apiCalls, errors: report.errors.length });
            for (const { kind, count } of errorKinds(report.errors)) console.log(`  ${phase} error ×${count} ${kind}`);
        };
        await run('initial');
        await sandboxes.ask({ kind: 'change-one-percent' });
        await run('incremental 1%');
        await run('no change');

        const peakRssMb = process.resourceUsage().maxRSS / 1024;
        const sandboxPeakRssMb = await sandboxes.ask<number>({ kind: 'rss' });
        console.log(
            `\n${textTable([
                ['phase', 'side', 'object', 'calls', 'bound', 'ratio', 'records'],
                ...rows.map((row) => [
                    row.phase,
                    row.side,
                    row.object,
                    String(row.calls),
                    String(row.lowerBound),
                    row.ratio.toFixed(2),
                    String(row.records)
                ])
            ])}`
        );
        console.log(
            `\n${textTable([
                ['phase', 'seconds', 'records/s', 'errors'],
                ...phases.map((phase) => [
                    phase.phase,
                    phase.seconds.toFixed(1),
                    (phase.records / phase.seconds).toFixed(0),
                    String(phase.errors)
                ])
            ])}`
        );
        console.log(
            `\npeak RSS: engine process ${peakRssMb.toFixed(0)} MB (goal ≤ 300; V8 flags ${process.execArgv.filter((flag) => flag.startsWith('--max-')).join(' ') || 'none'}), sandbox process ${sandboxPeakRssMb.toFixed(0)} MB`
        );
        if (options.json) {
            writeFileSync(
                options.json,
                JSON.stringify({ scale, seeded, phases, rows, peakRssMb, sandboxPeakRssMb }, null, 2)
            );
            console.log(`wrote ${options.json}`);
        }
    } finally {
        store.close();
        sandboxes.close();
    }
}

main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
});
