/**
 * Timeline benchmark: the relay's `GET /api/v1/timeline/...` over HTTP, backed by the HubSpot sources and
 * the real @hubspot/api-client against the HubSpot sandbox with 50 ms added to every HubSpot call.
 * Cold = first request for a record (full fan-out; portal metadata already cached by one warm-up request
 * for another record), warm = the same request again (served from the relay's cache).
 *
 *   npm run bench:timeline                               # 40 contacts, 10 companies, 10 deals
 *   npm run bench:timeline -- --requests 100 --json bench-results/timeline.json
 *
 * Goal (relay issue): p95 ≤ 150 ms cold for contacts. Exit code 1 when it is missed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Client } from '@hubspot/api-client';
import { z } from 'zod';
import { TimelineResponse, type TimelineObjectType } from '../src/contract/timeline';
import { bearer, startRelay, testConfig } from '../src/relay/__tests__/support';
import { startHubSpotSandbox } from '../src/sandbox/hubspot';
import { createHubSpotTimelineService } from '../src/timeline/hubspot-timeline';

const GOAL_P95_COLD_MS = 150;

const Args = z.strictObject({
    requests: z.coerce.number().int().min(5).max(1_000).default(40),
    latency: z.coerce.number().int().min(0).max(1_000).default(50),
    json: z.string().min(1).optional()
});

function parseArgs(argv: string[]): z.infer<typeof Args> {
    const raw: Record<string, string> = {};
    for (let i = 0; i < argv.length; i++) {
        const match = /^--(requests|latency|json)$/.exec(argv[i]!);
        if (!match || argv[i + 1] === undefined) {
            throw new Error(
                `Unknown or incomplete argument "${argv[i]}". Use --requests N, --latency MS, --json FILE.`
            );
        }
        raw[match[1]!] = argv[++i]!;
    }
    const parsed = Args.safeParse(raw);
    if (!parsed.success) throw new Error(z.prettifyError(parsed.error));
    return parsed.data;
}

interface Stats {
    requests: number;
    p50Ms: number;
    p95Ms: number;
    maxMs: number;
}

function stats(samples: number[]): Stats {
    const sorted = [...samples].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
    const round = (ms: number) => Math.round(ms * 10) / 10;
    return { requests: sorted.length, p50Ms: round(at(0.5)), p95Ms: round(at(0.95)), maxMs: round(sorted.at(-1)!) };
}

interface Row {
    objectType: TimelineObjectType;
    cold: Stats;
    warm: Stats;
    hubspotCallsPerColdRequest: number;
    events: number;
}

async function main(): Promise<void> {
    const args = parseArgs(process.argv.slice(2));
    const companies = Math.max(2, Math.ceil(args.requests / 4));
    // `unlimited`: a Professional portal's 190 calls per 10 s would throttle a back-to-back benchmark.
    const sandbox = await startHubSpotSandbox({
        tier: 'unlimited',
        seed: {
            seed: 11,
            contacts: args.requests + 1,
            companies: companies + 1,
            dealsPerCompany: 1,
            engagementsPerContact: 5,
            lifecycleHistoryShare: 0.6,
            pageViewsPerContact: 12,
            formSubmissionsPerContact: 2,
            emailEventsPerContact: 8,
            enrollmentEvery: 1
        }
    });
    sandbox.handle.setBaseLatency(args.latency);
    const client = new Client(sandbox.connection);
    const relay = await startRelay({
        timeline: createHubSpotTimelineService({ client, portalId: sandbox.handle.portalId }),
        config: testConfig({ RATE_LIMIT_PER_MINUTE: '1000000' })
    });

    const request = async (objectType: TimelineObjectType, id: string) => {
        const started = performance.now();
        const response = await fetch(`${relay.url}/api/v1/timeline/${objectType}/${id}?pageSize=100`, {
            headers: bearer()
        });
        const body = TimelineResponse.parse(await response.json());
        const elapsed = performance.now() - started;
        const failed = Object.entries(body.sections).filter(([, section]) => section.status === 'error');
        if (response.status !== 200 || failed.length > 0) {
            throw new Error(
                `${objectType} ${id}: status ${response.status}, failed sections ${JSON.stringify(failed)}`
            );
        }
        return { elapsed, events: body.events.length };
    };

    try {
        const exported = sandbox.handle.store.export();
        const idsOf = (type: 'contacts' | 'companies' | 'deals') => exported[type].map((record) => String(record.id));
        const [warmUp, ...contacts] = idsOf('contacts');
        await request('contact', warmUp!);

        const plan: [TimelineObjectType, string[]][] = [
            ['contact', contacts.slice(0, args.requests)],
            ['company', idsOf('companies').slice(0, companies)],
            ['deal', idsOf('deals').slice(0, companies)]
        ];
        const rows: Row[] = [];
        for (const [objectType, ids] of plan) {
            sandbox.handle.resetRequestCounts();
            const cold: number[] = [];
            let events = 0;
            for (const id of ids) {
                const result = await request(objectType, id);
                cold.push(result.elapsed);
                events += result.events;
            }
            const calls = sandbox.handle.requestCounts().total;
            const warm: number[] = [];
            for (const id of ids) warm.push((await request(objectType, id)).elapsed);
            rows.push({
                objectType,
                cold: stats(cold),
                warm: stats(warm),
                hubspotCallsPerColdRequest: Math.round((calls / ids.length) * 10) / 10,
                events: Math.round(events / ids.length)
            });
        }

        console.log(`Timeline through the relay, HubSpot sandbox latency ${args.latency} ms per call\n`);
        console.table(
            rows.map((row) => ({
                object: row.objectType,
                requests: row.cold.requests,
                'cold p50 ms': row.cold.p50Ms,
                'cold p95 ms': row.cold.p95Ms,
                'cold max ms': row.cold.maxMs,
                'warm p50 ms': row.warm.p50Ms,
                'warm p95 ms': row.warm.p95Ms,
                'warm max ms': row.warm.maxMs,
                'HubSpot calls/req': row.hubspotCallsPerColdRequest,
                'events/req': row.events
            }))
        );
        const contactP95 = rows[0]!.cold.p95Ms;
        const met = contactP95 <= GOAL_P95_COLD_MS;
        console.log(
            `\nGoal p95 cold ≤ ${GOAL_P95_COLD_MS} ms (contacts): ${contactP95} ms → ${met ? 'met' : 'MISSED'}`
        );
        if (args.json) {
            mkdirSync(dirname(args.json), { recursive: true });
            writeFileSync(
                args.json,
                `${JSON.stringify({ latencyMs: args.latency, goalP95ColdMs: GOAL_P95_COLD_MS, goalMet: met, rows }, null, 4)}\n`
            );
            console.log(`Figures written to ${args.json}`);
        }
        if (!met) process.exitCode = 1;
    } finally {
        await relay.server.close();
        await sandbox.close();
    }
}

main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
});
