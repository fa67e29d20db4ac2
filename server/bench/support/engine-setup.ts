/**
 * The real adapters (jsforce, @hubspot/api-client) against the sandboxes behind the API budget, as the bridge
 * runs them (paced to HubSpot's rolling limits, batches in flight together), counted, and the engine over them.
 */
import { sandboxSalesforceLogin } from '../../src/runtime/sandbox-connections';
import { ApiBudget, budgetedHubSpot, budgetedSalesforce, currentPriority } from '../../src/budget';
import type { StateStore } from '../../src/state/store';
import { connectHubSpot, connectSalesforce } from '../../src/sync/adapters/connect';
import { SyncEngine } from '../../src/sync/engine/engine';
import { shippedMappingFile, withoutOwnerSync } from '../../src/sync/engine/test-support';
import { loadMappingFileOrThrow } from '../../src/sync/mapping/load';
import type { MappingFile } from '../../src/sync/mapping/schema';
import { countingHubSpot, countingSalesforce, Ledger } from './ledger';
import type { SandboxConnections } from './sandbox-protocol';

/** The shipped mapping without owner fields (records the integration user creates have no HubSpot owner). */
export function benchMapping(): MappingFile {
    return withoutOwnerSync(loadMappingFileOrThrow(shippedMappingFile));
}

export interface CountedEngine {
    engine: SyncEngine;
    ledger: Ledger;
    mapping: MappingFile;
}

/**
 * `recordUrls` gives the engine the Hub ID, as the bridge does, so it writes the HubSpot record URL to
 * Salesforce (the calls that costs are then part of what is measured).
 */
export async function countedEngine(
    connections: SandboxConnections,
    store: StateStore,
    options: { recordUrls: boolean }
): Promise<CountedEngine> {
    const ledger = new Ledger();
    const salesforce = await connectSalesforce(
        sandboxSalesforceLogin(connections.salesforce),
        connections.salesforce.apiVersion
    );
    const hubspot = connectHubSpot(
        { baseUrl: connections.hubspot.basePath, accessToken: connections.hubspot.accessToken },
        { paceSearches: false }
    );
    const mapping = benchMapping();
    // The bridge's priorities: the first load is backfill until a run completes, later runs poll.
    let initialLoadDone = false;
    const priority = () => {
        initialLoadDone ||= store.recentRuns(20).some((run) => run.status === 'completed');
        return currentPriority(initialLoadDone ? 'poll' : 'backfill');
    };
    const budget = new ApiBudget();
    const engine = new SyncEngine({
        salesforce: countingSalesforce(budgetedSalesforce(salesforce, budget, priority), ledger),
        hubspot: countingHubSpot(budgetedHubSpot(hubspot, budget, priority), ledger),
        store,
        mapping,
        ...(options.recordUrls ? { hubspotPortalId: connections.hubspot.portalId } : {})
    });
    return { engine, ledger, mapping };
}
