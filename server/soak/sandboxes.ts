/**
 * The two sandboxes, run by the soak process itself so they outlive every relay it kills. Their state
 * lives in SQLite files under the soak's folder. Faults are injected only on what the relay calls
 * (Salesforce API version RELAY_API_VERSION, HubSpot search/batch/associations/schema reads and the
 * archived list): the soak's own edits use another API version and HubSpot's single-record endpoints,
 * so the edit log records exactly what each CRM accepted.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FaultRuleInput } from '../src/sandbox/common/faults';
import { startHubSpotSandbox, type RunningHubSpotSandbox } from '../src/sandbox/hubspot';
import { startSalesforceSandbox, type RunningSalesforceSandbox } from '../src/sandbox/salesforce';

/** The relay's Salesforce API version (its default); the soak's editor uses EDITOR_API_VERSION. */
export const RELAY_API_VERSION = '68.0';
export const EDITOR_API_VERSION = '67.0';

export interface SoakSandboxes {
    salesforce: RunningSalesforceSandbox;
    hubspot: RunningHubSpotSandbox;
    /** Turns the chaos faults on: `share` of the relay's calls fail, spread over every kind. */
    injectFaults(share: number): void;
    clearFaults(): void;
    /** Requests each sandbox answered with an injected fault so far. */
    faultHits(): { salesforce: number; hubspot: number };
    close(): Promise<void>;
}

const faultKinds: Omit<FaultRuleInput, 'path' | 'probability'>[] = [
    { kind: 'status', status: 429, retryAfterSeconds: 1 },
    { kind: 'status', status: 500 },
    { kind: 'status', status: 503 },
    { kind: 'timeout' },
    { kind: 'reset' },
    { kind: 'expired-session' }
];

const relaySalesforcePaths = [
    `^/services/data/v${RELAY_API_VERSION.replace('.', '\\.')}/`,
    `^/services/Soap/u/${RELAY_API_VERSION.replace('.', '\\.')}`
];
const relayHubSpotPaths = [
    '^/crm/v3/objects/[^/]+/(batch/[a-z]+|search)$',
    '^/crm/v4/',
    '^/crm/v3/(properties|pipelines|owners)/'
];

export async function startSoakSandboxes(options: {
    dataDir: string;
    seed: number;
    webhooks: { targetUrl: string; clientSecret: string };
}): Promise<SoakSandboxes> {
    mkdirSync(options.dataDir, { recursive: true });
    const salesforce = await startSalesforceSandbox({
        dataFile: join(options.dataDir, 'salesforce-sandbox.sqlite'),
        seed: 'empty',
        faultSeed: options.seed
    });
    let hubspot: RunningHubSpotSandbox;
    try {
        hubspot = await startHubSpotSandbox({
            dataFile: join(options.dataDir, 'hubspot-sandbox.sqlite'),
            seed: 'empty',
            faultSeed: options.seed + 1,
            // The soak injects its own 429s; the real limiter would also throttle the soak's editor.
            tier: 'unlimited',
            webhooks: { ...options.webhooks, retryBaseMs: 500, maxAttempts: 10 }
        });
    } catch (error) {
        await salesforce.close();
        throw error;
    }
    const faultIds: { salesforce: number[]; hubspot: number[] } = { salesforce: [], hubspot: [] };
    const clearedHits = { salesforce: 0, hubspot: 0 };
    const hits = (list: { hits: number }[]) => list.reduce((sum, fault) => sum + fault.hits, 0);
    return {
        salesforce,
        hubspot,
        injectFaults(share) {
            const each = share / faultKinds.length;
            for (const kind of faultKinds) {
                for (const path of relaySalesforcePaths) {
                    faultIds.salesforce.push(salesforce.handle.faults.add({ ...kind, path, probability: each }).id);
                }
                for (const path of relayHubSpotPaths) {
                    faultIds.hubspot.push(hubspot.handle.faults.add({ ...kind, path, probability: each }).id);
                }
                // The archived list (deletes) is the one plain GET list the relay makes.
                faultIds.hubspot.push(
                    hubspot.handle.faults.add({
                        ...kind,
                        method: 'GET',
                        path: '^/crm/v3/objects/[^/]+/?$',
                        probability: each
                    }).id
                );
            }
        },
        clearFaults() {
            clearedHits.salesforce += hits(salesforce.handle.faults.list());
            clearedHits.hubspot += hits(hubspot.handle.faults.list());
            for (const id of faultIds.salesforce) salesforce.handle.faults.clear(id);
            for (const id of faultIds.hubspot) hubspot.handle.faults.clear(id);
        },
        faultHits() {
            return {
                salesforce: clearedHits.salesforce + hits(salesforce.handle.faults.list()),
                hubspot: clearedHits.hubspot + hits(hubspot.handle.faults.list())
            };
        },
        async close() {
            await Promise.all([hubspot.close(), salesforce.close()]);
        }
    };
}
