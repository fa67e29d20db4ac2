/**
 * API calls per 1,000 changed records: once runs after the initial sync write nothing more, a user changes
 * `perSide` Contacts in Salesforce and as many contacts in HubSpot (through the real clients); one
 * incremental run syncs them. Its calls are compared with the lower bound from page and batch sizes
 * (support/lower-bound.ts) and with HubSpot's own connector, "up to 4 API calls per contact".
 */
import { unsettledMs } from '../../src/sync/changes/cursor';
import type { LedgerEntry } from '../support/ledger';
import { incrementalLowerBound } from '../support/lower-bound';
import type { ReadValuesAnswer } from '../support/sandbox-protocol';
import { editAsUser, freshPhone, type TargetPool } from './targets';
import type { BenchWorld } from './world';

export interface ApiCallsResult {
    changedPerSide: number;
    changed: number;
    /** Changes whose new value reached the other CRM in the run. */
    synced: number;
    calls: { salesforce: number; hubspot: number; total: number };
    lowerBound: number;
    perThousand: number;
    lowerBoundPerThousand: number;
    /** calls ÷ lowerBound. */
    ratio: number;
    /** Calls of the run before the edits, with nothing to sync (the per-run floor). */
    noChangeCalls: number;
    /** Runs after the initial load until one wrote nothing. */
    settlingRuns: number;
    noChangeOperations: LedgerEntry[];
    errors: number;
    /** The measured run's calls and records per side, object and operation. */
    operations: LedgerEntry[];
}

const writeOperations = new Set(['create', 'update', 'delete', 'archive']);
const maxSettlingRuns = 6;

/**
 * Runs until one writes nothing: the runs after a load read back what the one before wrote (its echo),
 * and those reads belong to the load, not to the changes measured next. Returns the quiet run's calls.
 */
async function settle(world: BenchWorld): Promise<{ runs: number; calls: number; operations: LedgerEntry[] }> {
    for (let runs = 1; runs <= maxSettlingRuns; runs++) {
        // Runs a few seconds apart, as scheduled ones are minutes apart: a cursor in the last seconds before
        // a read is pulled back (see settledCursor), and back-to-back runs would read that span again.
        await new Promise((resolve) => setTimeout(resolve, unsettledMs + 1_000));
        world.ledger.clear();
        const report = await world.engine.run({ mode: 'incremental' });
        if (report.status !== 'completed') throw new Error(`a settling run failed: ${report.error}`);
        const wrote = world.ledger.all().some((entry) => writeOperations.has(entry.operation) && entry.records > 0);
        if (!wrote) {
            return {
                runs,
                calls: report.apiCalls.salesforce + report.apiCalls.hubspot,
                operations: world.ledger.all()
            };
        }
    }
    throw new Error(`the world did not settle: each of ${maxSettlingRuns} runs after the load still wrote`);
}

export async function measureApiCalls(world: BenchWorld, pool: TargetPool, perSide: number): Promise<ApiCallsResult> {
    const quiet = await settle(world);
    const edits = [...pool.take('salesforce', perSide), ...pool.take('hubspot', perSide)].map((target) => ({
        target,
        value: freshPhone()
    }));
    await editAsUser(world, edits);
    world.ledger.clear();
    const report = await world.engine.run({ mode: 'incremental' });
    if (report.status !== 'completed') throw new Error(`the measured run failed: ${report.error}`);
    const { values: visible } = await world.sandboxes.ask<ReadValuesAnswer>({
        kind: 'read-values',
        probes: edits.map((edit) => edit.target.counterpart)
    });
    const changed = edits.length;
    const total = report.apiCalls.salesforce + report.apiCalls.hubspot;
    const lowerBound = incrementalLowerBound(world.ledger.polled(), [
        { side: 'salesforce', object: 'Contact', records: perSide },
        { side: 'hubspot', object: 'contacts', records: perSide }
    ]);
    return {
        changedPerSide: perSide,
        changed,
        synced: visible.filter((value, index) => value === edits[index]!.value).length,
        calls: { ...report.apiCalls, total },
        lowerBound,
        perThousand: (total * 1000) / changed,
        lowerBoundPerThousand: (lowerBound * 1000) / changed,
        ratio: total / lowerBound,
        noChangeCalls: quiet.calls,
        settlingRuns: quiet.runs,
        noChangeOperations: quiet.operations,
        errors: report.errors.length,
        operations: world.ledger.all()
    };
}
