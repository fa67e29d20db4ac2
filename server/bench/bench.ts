/**
 * The bridge's benchmark (resilience issue, "Proof"): against both sandboxes with 50 ms per API call
 * and HubSpot Professional rate limits (190 calls per 10 s, search 5/s), one table of
 *   1. API calls per 1,000 changed records vs the lower bound from batch sizes and vs HubSpot's connector;
 *   2. change-to-visible latency p50/p95 in event mode (the fast path) and in poll mode;
 *   3. initial-load throughput as a share of HubSpot's rate-limit ceiling;
 *   4. peak RSS of the engine process for initial syncs of growing size (200k at most).
 * 1–3 share one seeded world with the engine in this process; 4 runs every size in a fresh engine
 * process. The sandboxes always run in a process of their own.
 *
 *   npm run bench                           # full: about 10–15 minutes on 2 cores
 *   npm run bench -- --quick                # about a minute
 *   npm run bench -- --json bench.json      # also writes the figures as JSON
 *   npm run bench -- --rss-sizes 20000,40000
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';

import { z } from 'zod';

import { textTable } from '../src/shared/text-table';
import { errorMessage } from '../src/sync/errors';
import { measureApiCalls } from './measure/api-calls';
import { eventMode } from './measure/event-mode';
import { measureLatency, pollMode, type LatencyResult } from './measure/latency';
import { measurePeakRss, type PeakRssResult } from './measure/peak-rss';
import { TargetPool } from './measure/targets';
import { measureInitialLoad } from './measure/throughput';
import { startBenchWorld } from './measure/world';
import { productionEngineFlags } from './support/engine-flags';
import type { ErrorKind } from './support/error-kinds';
import { BenchConditions, BenchOptions, chooseProfile } from './support/profile';
import { benchJson, goalRows, tableRows, type BenchMeasurements, type NotMeasured } from './support/results';

const definitions = [
    'Conditions: both sandboxes add 50 ms to every API call; HubSpot Professional limits (190 calls per rolling 10 s, CRM search 5/s).',
    'API calls: one incremental run after N Contacts changed in Salesforce and N contacts in HubSpot (real clients); per 1,000 = calls × 1000 ÷ 2N.',
    '  Lower bound: per polled object and side ⌈changed ÷ page⌉ change reads (≥ 1; SOQL 2,000, search 200) + ⌈changed ÷ batch⌉ writes to the other side (Salesforce 200, HubSpot 100).',
    'Latency: from sending a user edit (real clients) to the new value seen in the other CRM (read every 25 ms inside the sandbox process); p50/p95 nearest rank; a timeout counts as its limit.',
    "Throughput share: the initial run's HubSpot reads and writes counted in the fewest calls that carry them (full pages and batches) ÷ max(190, 19/s × run seconds), the calls the ten-secondly limit allows in that time; write calls alone ÷ the same beside it.",
    "Peak RSS: maxRSS of a fresh engine process (with npm start's V8 flags) that runs only that initial sync (sandboxes in another process); flat = largest ÷ smallest size ≤ 1.25."
];

function readOptions(): BenchOptions {
    const { values } = parseArgs({
        options: { quick: { type: 'boolean' }, json: { type: 'string' }, 'rss-sizes': { type: 'string' } }
    });
    const parsed = BenchOptions.safeParse({ quick: values.quick, json: values.json, rssSizes: values['rss-sizes'] });
    if (!parsed.success) throw new Error(`bench: ${z.prettifyError(parsed.error)}`);
    return parsed.data;
}

const step = (message: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);

/** Sync errors are part of the result (a run that errs is cheap); their kinds say why. */
function reportErrors(kinds: ErrorKind[]): void {
    for (const { kind, count } of kinds) step(`  sync error ×${count} ${kind}`);
}

async function main(): Promise<void> {
    const options = readOptions();
    const profile = chooseProfile(options);
    const benchStarted = performance.now();
    step(
        `bench (${profile.name}): ${BenchConditions.latencyMs} ms per call, HubSpot ${BenchConditions.hubspotTier} limits`
    );

    step(`seeding ${profile.worldRecords.toLocaleString('en-US')} records for calls, latency and throughput`);
    const world = await startBenchWorld(profile.worldRecords);
    let measured: Omit<BenchMeasurements, 'peakRss'>;
    try {
        step('initial load (throughput)');
        const throughput = await measureInitialLoad(world);
        if (throughput.status !== 'completed') throw new Error(`the initial load ${throughput.status}`);
        reportErrors(throughput.errorKinds);
        const eachMode = Math.ceil(profile.latencySamples / 2);
        const pool = await TargetPool.pick(world, profile.changedPerSide + 2 * eachMode);

        step(`API calls: ${profile.changedPerSide} changed records per side`);
        const apiCalls = await measureApiCalls(world, pool, profile.changedPerSide);

        const latencyOptions = {
            samples: profile.latencySamples,
            windowSeconds: profile.editWindowSeconds,
            timeoutMs: Math.max(30_000, profile.pollIntervalSeconds * 4_000),
            seed: 17
        };
        step(`latency, poll mode: ${profile.latencySamples} edits, runs every ${profile.pollIntervalSeconds} s`);
        const poll = await measureLatency(world, pool, pollMode(world, profile.pollIntervalSeconds), latencyOptions);

        step(`latency, event mode: ${profile.latencySamples} edits through the fast path`);
        let event: LatencyResult | NotMeasured;
        try {
            event = await measureLatency(world, pool, eventMode(world, world.intake), latencyOptions);
        } catch (error) {
            event = { notMeasured: `the fast path failed: ${errorMessage(error)}` };
        }
        measured = { profile: profile.name, apiCalls, throughput, latency: { poll, event } };
    } finally {
        await world.close();
    }

    const peakRss: PeakRssResult[] = [];
    const engineFlags = productionEngineFlags();
    for (const records of profile.rssSizes) {
        step(
            `peak RSS: initial sync of ${records.toLocaleString('en-US')} records in a fresh engine process (${engineFlags.join(' ') || 'no V8 flags'})`
        );
        const size = await measurePeakRss(records, engineFlags);
        reportErrors(size.errorKinds);
        peakRss.push(size);
    }

    const results: BenchMeasurements = { ...measured, peakRss };
    console.log(`\n${textTable(tableRows(goalRows(results)))}\n`);
    for (const line of definitions) console.log(line);
    console.log(`  Engine V8 flags: ${engineFlags.join(' ') || 'none'}.`);
    console.log(`\nbench took ${((performance.now() - benchStarted) / 1000).toFixed(0)} s`);
    if (options.json) {
        mkdirSync(dirname(options.json), { recursive: true });
        writeFileSync(options.json, `${JSON.stringify(benchJson(results), null, 2)}\n`);
        console.log(`wrote ${options.json}`);
    }
}

/** Clients that keep a socket or timer open would hold the process after the run: name them, then end it. */
const lingerMs = 5_000;

main()
    .then(() => {
        const timer = setTimeout(() => {
            console.warn(`bench: still open after the run: ${process.getActiveResourcesInfo().join(', ')}; exiting`);
            process.exit();
        }, lingerMs);
        timer.unref();
    })
    .catch((error: unknown) => {
        console.error(error);
        process.exit(1);
    });
