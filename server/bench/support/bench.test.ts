/** The benchmark's pure pieces: bounds, percentiles, the rate ceiling, load shapes, options and the JSON it writes. */
import type { BenchMeasurements } from './results';
import { benchJson, goalRows } from './results';
import { v8FlagsOf } from './engine-flags';
import { summariseByObject } from './ledger';
import { incrementalLowerBound, operationLowerBound } from './lower-bound';
import { initialLoadShape, syncBenchShape } from './load-shape';
import { BenchOptions, chooseProfile } from './profile';
import { allowedCalls, ceilingRecordsPerSecond, hubspotWriteRequests } from './rate-ceiling';
import { highWaterMarkMb } from './proc-rss';
import { percentile } from './stats';

describe('lower bounds from page and batch sizes', () => {
    test('writes take full batches: 200 per Salesforce Collections call, 100 per HubSpot batch', () => {
        expect(operationLowerBound('salesforce', 'update', 401)).toBe(3);
        expect(operationLowerBound('hubspot', 'create', 100)).toBe(1);
        expect(operationLowerBound('hubspot', 'update', 101)).toBe(2);
        expect(operationLowerBound('hubspot', 'update', 0)).toBe(0);
    });

    test('a change read costs one call even when nothing changed, then one per page', () => {
        expect(operationLowerBound('salesforce', 'query', 0)).toBe(1);
        expect(operationLowerBound('salesforce', 'query', 4001)).toBe(3);
        expect(operationLowerBound('hubspot', 'search', 0)).toBe(1);
        expect(operationLowerBound('hubspot', 'search', 450)).toBe(3);
        expect(operationLowerBound('hubspot', 'memberships', 251)).toBe(2);
    });

    test('a record count that is not a count is refused', () => {
        expect(() => operationLowerBound('hubspot', 'update', -1)).toThrow(/count/);
        expect(() => operationLowerBound('hubspot', 'update', 1.5)).toThrow(/count/);
    });

    test('an incremental run: every polled object once, changed ones per page, each change written once', () => {
        const polled = [
            { side: 'salesforce' as const, object: 'Contact' },
            { side: 'salesforce' as const, object: 'Lead' },
            { side: 'hubspot' as const, object: 'contacts' },
            { side: 'hubspot' as const, object: 'companies' }
        ];
        const changed = [
            { side: 'salesforce' as const, object: 'Contact', records: 1000 },
            { side: 'hubspot' as const, object: 'contacts', records: 1000 }
        ];
        // Reads: Contact 1 + Lead 1 + contacts 5 + companies 1; writes: 10 to HubSpot, 5 to Salesforce.
        expect(incrementalLowerBound(polled, changed)).toBe(23);
        // A changed object the run did not poll still needs its read.
        expect(incrementalLowerBound([], changed)).toBe(1 + 5 + 10 + 5);
        // Polled twice (two mappings read the same object) counts once.
        expect(incrementalLowerBound([...polled, ...polled], changed)).toBe(23);
    });

    test('per object: calls against the bound of the records each operation moved', () => {
        const rows = summariseByObject([
            { side: 'hubspot', object: 'contacts', operation: 'search', calls: 3, records: 250 },
            { side: 'hubspot', object: 'contacts', operation: 'update', calls: 3, records: 150 },
            { side: 'salesforce', object: 'Lead', operation: 'query', calls: 1, records: 0 }
        ]);
        expect(rows).toEqual([
            { side: 'hubspot', object: 'contacts', calls: 6, lowerBound: 4, ratio: 1.5, records: 400 },
            { side: 'salesforce', object: 'Lead', calls: 1, lowerBound: 1, ratio: 1, records: 0 }
        ]);
    });
});

describe('percentiles (nearest rank)', () => {
    test('p50 and p95 of 1..20', () => {
        const samples = Array.from({ length: 20 }, (_, index) => 20 - index);
        expect(percentile(samples, 50)).toBe(10);
        expect(percentile(samples, 95)).toBe(19);
        expect(percentile(samples, 100)).toBe(20);
    });

    test('one sample is every percentile; none or a bad percent is refused', () => {
        expect(percentile([42], 50)).toBe(42);
        expect(percentile([42], 95)).toBe(42);
        expect(() => percentile([], 50)).toThrow(/no samples/);
        expect(() => percentile([1], 0)).toThrow(/percent/);
        expect(() => percentile([1], 101)).toThrow(/percent/);
    });
});

describe('the HubSpot rate-limit ceiling', () => {
    test('190 per 10 s: the whole window at once, then 19 per second', () => {
        expect(allowedCalls(3, 190, 10_000)).toBe(190);
        expect(allowedCalls(30, 190, 10_000)).toBe(570);
        expect(ceilingRecordsPerSecond(190, 10_000, 100)).toBe(1900);
        expect(() => allowedCalls(-1, 190, 10_000)).toThrow(RangeError);
    });

    test('write calls are the batch creates, updates and archives served in between, associations included', () => {
        const before = { 'POST /crm/v3/objects/contacts/batch/create': 3, 'POST /crm/v3/objects/contacts/search': 2 };
        const after = {
            'POST /crm/v3/objects/contacts/batch/create': 10,
            'POST /crm/v3/objects/contacts/batch/update': 4,
            'POST /crm/v3/objects/contacts/batch/read': 5,
            'POST /crm/v3/objects/contacts/search': 9,
            'POST /crm/v3/objects/companies/batch/archive': 1,
            'POST /crm/v4/associations/contacts/companies/batch/create': 6,
            'POST /crm/v4/associations/contacts/companies/batch/read': 2,
            'GET /crm/v3/objects/contacts': 1
        };
        expect(hubspotWriteRequests(before, after)).toBe(7 + 4 + 1 + 6);
        expect(hubspotWriteRequests(after, after)).toBe(0);
    });
});

describe('load shapes', () => {
    test('an initial load seeds exactly the records asked for', () => {
        for (const records of [1_000, 5_000, 200_000]) {
            const shape = initialLoadShape(records);
            const seeded =
                shape.salesforce.accounts +
                shape.salesforce.contacts +
                shape.salesforce.leads +
                shape.hubspot.contacts +
                shape.hubspot.companies;
            expect(seeded).toBe(records);
            expect(shape.leadEmailOverlap).toBeLessThanOrEqual(shape.salesforce.leads);
        }
        expect(() => initialLoadShape(5)).toThrow(RangeError);
    });

    test('bench:sync scales from 20k people', () => {
        expect(syncBenchShape(1).salesforce).toMatchObject({ accounts: 5_000, contacts: 10_000, leads: 10_000 });
        expect(() => syncBenchShape(2)).toThrow(RangeError);
    });
});

describe('engine flags', () => {
    test("the engine process gets npm start's --max-… V8 flags and nothing else", () => {
        expect(v8FlagsOf('tsx --max-old-space-size=160 --max-semi-space-size=4 server/src/main.ts')).toEqual([
            '--max-old-space-size=160',
            '--max-semi-space-size=4'
        ]);
        expect(v8FlagsOf('tsx --inspect server/src/main.ts')).toEqual([]);
    });
});

describe('options', () => {
    test('--quick picks the quick profile; --rss-sizes overrides its sizes', () => {
        expect(chooseProfile(BenchOptions.parse({ quick: true })).name).toBe('quick');
        expect(chooseProfile(BenchOptions.parse({})).rssSizes).toEqual([50_000, 100_000, 200_000]);
        expect(chooseProfile(BenchOptions.parse({ rssSizes: '20000,40000' })).rssSizes).toEqual([20_000, 40_000]);
    });

    test('bad sizes and unknown options are refused with a reason', () => {
        expect(BenchOptions.safeParse({ rssSizes: '20k' }).error?.issues[0]?.message).toMatch(/comma-separated/);
        expect(BenchOptions.safeParse({ rssSizes: '5' }).success).toBe(false);
        expect(BenchOptions.safeParse({ samples: 3 }).success).toBe(false);
    });
});

function measurements(event: BenchMeasurements['latency']['event']): BenchMeasurements {
    const latency = (p50Ms: number, p95Ms: number) => ({
        mode: 'poll' as const,
        setting: 'a run every 5 s',
        samples: 20,
        visible: 20,
        p50Ms,
        p95Ms,
        maxMs: p95Ms
    });
    const size = (records: number, peakRssMb: number) => ({
        records,
        peakRssMb,
        baselineRssMb: 150,
        v8Flags: ['--max-old-space-size=160'],
        seconds: 60,
        status: 'completed',
        errors: 0,
        errorKinds: [],
        apiCalls: { salesforce: 10, hubspot: 100 },
        sandboxPeakRssMb: 500
    });
    return {
        profile: 'full',
        apiCalls: {
            changedPerSide: 1000,
            changed: 2000,
            synced: 2000,
            calls: { salesforce: 12, hubspot: 20, total: 32 },
            lowerBound: 28,
            perThousand: 16,
            lowerBoundPerThousand: 14,
            ratio: 32 / 28,
            noChangeCalls: 14,
            settlingRuns: 2,
            noChangeOperations: [],
            errors: 0,
            operations: []
        },
        latency: { poll: latency(3_000, 6_000), event },
        throughput: {
            records: 20_000,
            seconds: 100,
            status: 'completed',
            errors: 0,
            errorKinds: [],
            hubspotWriteCalls: 1_710,
            hubspotRecordsWritten: 170_000,
            hubspotCalls: 1_800,
            salesforceCalls: 100,
            hubspotBoundCalls: 1_710,
            allowedCalls: 1_900,
            share: 0.9,
            writeCallShare: 0.9,
            recordsPerSecond: 1_700,
            ceilingRecordsPerSecond: 1_900
        },
        peakRss: [size(50_000, 200), size(200_000, 260)]
    };
}

describe('results', () => {
    test('an engine process that died is not met, shows what was seen and leaves the flatness check out', () => {
        const measured = measurements({ notMeasured: 'x' });
        measured.peakRss[1] = {
            ...measured.peakRss[1]!,
            peakRssMb: 412,
            baselineRssMb: null,
            status: 'died: engine-child.ts was killed by SIGABRT',
            apiCalls: null
        };
        const rows = goalRows(measured);
        const died = rows.find((row) => row.measurement.endsWith('200,000 records'))!;
        expect(died.verdict).toBe('not met');
        expect(died.result).toBe('412 MB (60 s, died: engine-child.ts was killed by SIGABRT)');
        expect(rows.some((row) => row.measurement.startsWith('Peak RSS flat'))).toBe(false);
        expect(benchJson(measured).peakRssBySize[1]).toEqual({
            records: 200_000,
            peakRssMb: 412,
            baselineRssMb: null,
            status: 'died: engine-child.ts was killed by SIGABRT'
        });
    });

    test('the JSON carries the keys the resilience issue names', () => {
        const json = benchJson(measurements({ ...measurements({ notMeasured: '' }).latency.poll, mode: 'event' }));
        expect(json).toMatchObject({
            apiCallsPerThousand: 16,
            apiCallsLowerBound: 14,
            latencyP50Ms: { event: 3_000, poll: 3_000 },
            latencyP95Ms: { event: 6_000, poll: 6_000 },
            throughputShare: 0.9,
            peakRssMb: 260
        });
        expect(json.peakRssBySize).toEqual([
            { records: 50_000, peakRssMb: 200, baselineRssMb: 150, status: 'completed' },
            { records: 200_000, peakRssMb: 260, baselineRssMb: 150, status: 'completed' }
        ]);
    });

    test('every goal gets a verdict; an unmeasured event mode says why and counts as not measured', () => {
        const rows = goalRows(measurements({ notMeasured: 'the fast path does not exist yet' }));
        const verdicts = Object.fromEntries(rows.map((row) => [row.measurement.split(' (')[0], row.verdict]));
        expect(verdicts).toEqual({
            'API calls per 1,000 changed records': 'met',
            'API calls per 1,000 vs HubSpot connector': 'met',
            'Change-to-visible p50 / p95, event mode': 'not measured',
            'Change-to-visible p50 / p95, poll mode': 'no goal',
            'Initial-load throughput, share of HubSpot ceiling': 'met',
            'Peak RSS, initial sync of 50,000 records': 'met',
            'Peak RSS, initial sync of 200,000 records': 'met',
            'Peak RSS flat as N grows': 'not met'
        });
        expect(rows.find((row) => row.verdict === 'not measured')?.result).toBe(
            'n/a: the fast path does not exist yet'
        );
        expect(benchJson(measurements({ notMeasured: 'x' })).latencyP95Ms.event).toBeNull();
    });

    test('throughput counts the work at full batches and shows the write-call share beside it', () => {
        const measured = measurements({ notMeasured: 'x' });
        measured.throughput = {
            ...measured.throughput,
            hubspotBoundCalls: 1_140,
            share: 0.6,
            hubspotWriteCalls: 1_000,
            writeCallShare: 1_000 / 1_900
        };
        const row = goalRows(measured).find((entry) => entry.measurement.startsWith('Initial-load throughput'))!;
        expect(row.result).toBe(
            "60% (1140 calls' work in 100.0 s, 1,900 allowed; 1800 made, 1000 of them writes: 53%)"
        );
        expect(row.verdict).toBe('not met');
        expect(benchJson(measured)).toMatchObject({ throughputShare: 0.6, writeCallShare: 0.526 });
    });
});

describe('peak RSS from /proc', () => {
    test('VmHWM in kB becomes MB; a status without it gives nothing', () => {
        expect(highWaterMarkMb('Name:\tnode\nVmPeak:\t 9000 kB\nVmHWM:\t  307200 kB\nVmRSS:\t 2048 kB\n')).toBe(300);
        expect(highWaterMarkMb('Name:\tnode\n')).toBeUndefined();
    });
});
