/**
 * Initial-load throughput as a share of HubSpot's rate-limit ceiling. HubSpot is the bottleneck: its
 * ten-secondly limit (190 calls per rolling 10 s on Professional) caps the load. The ceiling is the calls the
 * limit admits in the run's time, max(190, 19/s × run seconds) (the full window may be spent at once); the
 * throughput is the load's HubSpot work counted in the fewest calls that could carry it (each operation's
 * records at full pages and batches, `support/lower-bound.ts`). So the share falls with every idle second and
 * every part-full call, and an engine that needs fewer calls for the same load is never measured as slower.
 * The share of write calls alone (the measure before) is reported beside it.
 */
import { errorKinds, type ErrorKind } from '../support/error-kinds';
import { BenchConditions } from '../support/profile';
import { operationLowerBound } from '../support/lower-bound';
import { allowedCalls, ceilingRecordsPerSecond, hubspotWriteRequests } from '../support/rate-ceiling';
import { sum } from '../support/stats';
import type { BenchWorld } from './world';

const hubspotWrites = new Set(['create', 'update', 'archive']);

export interface ThroughputResult {
    records: number;
    seconds: number;
    status: string;
    errors: number;
    errorKinds: ErrorKind[];
    hubspotWriteCalls: number;
    hubspotRecordsWritten: number;
    /** Every HubSpot call of the run (reads, searches and writes). */
    hubspotCalls: number;
    salesforceCalls: number;
    /** The fewest HubSpot calls that carry what the run read and wrote, from page and batch sizes. */
    hubspotBoundCalls: number;
    /** The calls the ten-secondly limit admits in the run's time. */
    allowedCalls: number;
    /** hubspotBoundCalls ÷ allowedCalls. */
    share: number;
    /** hubspotWriteCalls ÷ allowedCalls. */
    writeCallShare: number;
    recordsPerSecond: number;
    /** 19 calls/s × 100 records per call. */
    ceilingRecordsPerSecond: number;
}

export async function measureInitialLoad(world: BenchWorld): Promise<ThroughputResult> {
    const served = () => world.sandboxes.ask<Record<string, number>>({ kind: 'hubspot-requests' });
    const before = await served();
    world.ledger.clear();
    const started = performance.now();
    const report = await world.engine.run({ mode: 'incremental' });
    const seconds = (performance.now() - started) / 1000;
    // Calls as HubSpot served them: the ledger's per-method call counts overlap when calls run together.
    const hubspotWriteCalls = hubspotWriteRequests(before, await served());
    const hubspot = world.ledger.all().filter((entry) => entry.side === 'hubspot');
    const writes = hubspot.filter((entry) => hubspotWrites.has(entry.operation));
    const hubspotBoundCalls = sum(
        hubspot.map((entry) => operationLowerBound('hubspot', entry.operation, entry.records))
    );
    const allowed = allowedCalls(seconds, BenchConditions.tenSecondlyLimit, BenchConditions.tenSecondsMs);
    const hubspotRecordsWritten = sum(writes.map((entry) => entry.records));
    return {
        records: sum(Object.values(world.seeded)),
        seconds,
        status: report.status === 'completed' ? 'completed' : `failed: ${report.error}`,
        errors: report.errors.length,
        errorKinds: errorKinds(report.errors).slice(0, 5),
        hubspotWriteCalls,
        hubspotRecordsWritten,
        hubspotCalls: report.apiCalls.hubspot,
        salesforceCalls: report.apiCalls.salesforce,
        hubspotBoundCalls,
        allowedCalls: allowed,
        share: hubspotBoundCalls / allowed,
        writeCallShare: hubspotWriteCalls / allowed,
        recordsPerSecond: hubspotRecordsWritten / seconds,
        ceilingRecordsPerSecond: ceilingRecordsPerSecond(
            BenchConditions.tenSecondlyLimit,
            BenchConditions.tenSecondsMs,
            BenchConditions.hubspotBatchSize
        )
    };
}
