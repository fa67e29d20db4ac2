/**
 * From the four measurements to the one table `npm run bench` prints and the JSON `--json` writes,
 * with each goal checked. Pure: measurements in, rows and an object out.
 */
import type { ApiCallsResult } from '../measure/api-calls';
import type { LatencyResult } from '../measure/latency';
import type { PeakRssResult } from '../measure/peak-rss';
import type { ThroughputResult } from '../measure/throughput';
import { BenchConditions } from './profile';

export const Goals = {
    /** Calls ÷ lower bound from page and batch sizes. */
    callRatio: 1.15,
    /** HubSpot's own Salesforce connector: "up to 4 API calls per contact". */
    connectorCallsPerThousand: 4_000,
    eventP95Ms: 5_000,
    throughputShare: 0.8,
    peakRssMb: 300,
    /** "Flat as N grows": the largest size's peak at most this many times the smallest size's. */
    rssGrowth: 1.25
} as const;

export type NotMeasured = { notMeasured: string };

export interface BenchMeasurements {
    profile: 'quick' | 'full';
    apiCalls: ApiCallsResult;
    latency: { poll: LatencyResult; event: LatencyResult | NotMeasured };
    throughput: ThroughputResult;
    peakRss: PeakRssResult[];
}

type Verdict = 'met' | 'not met' | 'not measured' | 'no goal';

export interface GoalRow {
    measurement: string;
    result: string;
    goal: string;
    verdict: Verdict;
}

const verdict = (met: boolean): Verdict => (met ? 'met' : 'not met');
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const whole = (value: number) => Math.round(value).toLocaleString('en-US');
const percent = (share: number) => `${(share * 100).toFixed(0)}%`;
const isMeasured = (latency: LatencyResult | NotMeasured): latency is LatencyResult => !('notMeasured' in latency);

function latencyRow(label: string, latency: LatencyResult | NotMeasured, goal?: number): GoalRow {
    if (!isMeasured(latency)) {
        return {
            measurement: label,
            result: `n/a: ${latency.notMeasured}`,
            goal: goal === undefined ? '—' : `p95 ≤ ${goal / 1000} s`,
            verdict: 'not measured'
        };
    }
    const visible = latency.visible < latency.samples ? `, ${latency.samples - latency.visible} timed out` : '';
    return {
        measurement: label,
        result: `${seconds(latency.p50Ms)} / ${seconds(latency.p95Ms)} (${latency.samples} edits${visible}; ${latency.setting})`,
        goal: goal === undefined ? '—' : `p95 ≤ ${goal / 1000} s`,
        verdict: goal === undefined ? 'no goal' : verdict(latency.p95Ms <= goal && latency.visible === latency.samples)
    };
}

export function goalRows(measured: BenchMeasurements): GoalRow[] {
    const { apiCalls, latency, throughput, peakRss } = measured;
    const rows: GoalRow[] = [
        {
            measurement: `API calls per 1,000 changed records (${apiCalls.changedPerSide} per side)`,
            result: `${whole(apiCalls.perThousand)} (bound ${whole(apiCalls.lowerBoundPerThousand)}, ${apiCalls.ratio.toFixed(2)}×; ${apiCalls.synced}/${apiCalls.changed} synced)`,
            goal: `≤ ${Goals.callRatio}× bound`,
            verdict: verdict(apiCalls.ratio <= Goals.callRatio && apiCalls.synced === apiCalls.changed)
        },
        {
            measurement: 'API calls per 1,000 vs HubSpot connector (4 per contact)',
            result: `${whole(apiCalls.perThousand)} vs ${whole(Goals.connectorCallsPerThousand)}`,
            goal: `< ${whole(Goals.connectorCallsPerThousand)}`,
            verdict: verdict(apiCalls.perThousand < Goals.connectorCallsPerThousand)
        },
        latencyRow('Change-to-visible p50 / p95, event mode', latency.event, Goals.eventP95Ms),
        latencyRow('Change-to-visible p50 / p95, poll mode', latency.poll),
        {
            measurement: 'Initial-load throughput, share of HubSpot ceiling',
            result: `${percent(throughput.share)} (${throughput.hubspotBoundCalls} calls' work in ${throughput.seconds.toFixed(1)} s, ${whole(throughput.allowedCalls)} allowed; ${throughput.hubspotCalls} made, ${throughput.hubspotWriteCalls} of them writes: ${percent(throughput.writeCallShare)})`,
            goal: `≥ ${Goals.throughputShare * 100}%`,
            verdict: verdict(throughput.share >= Goals.throughputShare && throughput.status === 'completed')
        }
    ];
    for (const size of peakRss) {
        const peak = size.peakRssMb === null ? 'unknown' : `${whole(size.peakRssMb)} MB`;
        const before = size.baselineRssMb === null ? '' : `${whole(size.baselineRssMb)} MB before the sync; `;
        rows.push({
            measurement: `Peak RSS, initial sync of ${whole(size.records)} records`,
            result:
                size.status === 'completed'
                    ? `${peak} (${before}${size.seconds.toFixed(0)} s, ${size.errors} sync errors)`
                    : `${peak} (${size.seconds.toFixed(0)} s, ${size.status})`,
            goal: `≤ ${Goals.peakRssMb} MB`,
            verdict: verdict(
                size.peakRssMb !== null && size.peakRssMb <= Goals.peakRssMb && size.status === 'completed'
            )
        });
    }
    const growth = rssGrowth(peakRss);
    if (growth !== undefined) {
        rows.push({
            measurement: 'Peak RSS flat as N grows (largest ÷ smallest size)',
            result: `${growth.toFixed(2)}×`,
            goal: `≤ ${Goals.rssGrowth}×`,
            verdict: verdict(growth <= Goals.rssGrowth)
        });
    }
    return rows;
}

/** Largest ÷ smallest size's peak, over the sizes whose sync completed. */
function rssGrowth(peakRss: PeakRssResult[]): number | undefined {
    const completed = peakRss
        .filter((size) => size.status === 'completed' && size.peakRssMb !== null)
        .sort((left, right) => left.records - right.records);
    if (completed.length < 2) return undefined;
    return completed.at(-1)!.peakRssMb! / completed[0]!.peakRssMb!;
}

export function tableRows(rows: GoalRow[]): string[][] {
    return [
        ['measurement', 'result', 'goal', 'verdict'],
        ...rows.map((row) => [row.measurement, row.result, row.goal, row.verdict])
    ];
}

const roundOrNull = (value: number | null | undefined) =>
    value === null || value === undefined ? null : Math.round(value);

/** The `--json` document: the keys the resilience issue names first, then every detail. */
export function benchJson(measured: BenchMeasurements) {
    const { apiCalls, latency, throughput, peakRss } = measured;
    const largest = [...peakRss].sort((left, right) => left.records - right.records).at(-1);
    const percentileOf = (result: LatencyResult | NotMeasured, key: 'p50Ms' | 'p95Ms') =>
        isMeasured(result) ? Math.round(result[key]) : null;
    return {
        apiCallsPerThousand: Math.round(apiCalls.perThousand),
        /** Per 1,000 changed records, like apiCallsPerThousand. */
        apiCallsLowerBound: Math.round(apiCalls.lowerBoundPerThousand),
        /** Event mode is null when it was not measured (see latency.event.notMeasured). */
        latencyP50Ms: { event: percentileOf(latency.event, 'p50Ms'), poll: percentileOf(latency.poll, 'p50Ms') },
        latencyP95Ms: { event: percentileOf(latency.event, 'p95Ms'), poll: percentileOf(latency.poll, 'p95Ms') },
        throughputShare: Number(throughput.share.toFixed(3)),
        /** The measure before throughputShare: HubSpot write calls ÷ the calls allowed. */
        writeCallShare: Number(throughput.writeCallShare.toFixed(3)),
        /** Of the largest initial sync measured (peakRssBySize has every size). */
        peakRssMb: roundOrNull(largest?.peakRssMb),
        peakRssBySize: peakRss.map((size) => ({
            records: size.records,
            peakRssMb: roundOrNull(size.peakRssMb),
            baselineRssMb: roundOrNull(size.baselineRssMb),
            status: size.status
        })),
        profile: measured.profile,
        conditions: BenchConditions,
        goals: goalRows(measured).map((row) => ({
            measurement: row.measurement,
            goal: row.goal,
            verdict: row.verdict
        })),
        details: { apiCalls, latency, throughput, peakRss }
    };
}
