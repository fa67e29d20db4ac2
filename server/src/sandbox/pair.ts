/**
 * Both sandboxes started together, with the demo datasets lined up the way a real portal and org are:
 * some Salesforce leads' emails already exist as HubSpot contacts, so the first sync has matches,
 * duplicates and creates on both sides. Used by `npm run sandbox` and by `npm start` in sandbox mode.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_SEED, startHubSpotSandbox, type RunningHubSpotSandbox, type WebhookOptions } from './hubspot';
import { startSalesforceSandbox, type RunningSalesforceSandbox } from './salesforce';

export type SandboxPreset = 'empty' | 'demo';

export interface SandboxPairOptions {
    salesforcePort?: number;
    hubspotPort?: number;
    /** Folder for the two SQLite files; memory only when absent. */
    dataDir?: string;
    preset?: SandboxPreset;
    baseLatencyMs?: number;
    /** Where the HubSpot sandbox delivers webhooks (the relay's `/webhooks/hubspot`). */
    webhooks?: Pick<WebhookOptions, 'targetUrl' | 'clientSecret'>;
}

export interface SandboxPair {
    salesforce: RunningSalesforceSandbox;
    hubspot: RunningHubSpotSandbox;
    /** What any client needs to connect; printed by `npm run sandbox`. */
    connectionInfo(): {
        salesforce: RunningSalesforceSandbox['connection'];
        hubspot: RunningHubSpotSandbox['connection'];
    };
    close(): Promise<void>;
}

/** How many demo leads also exist in HubSpot (by email) before the first sync. */
const SHARED_DEMO_EMAILS = 20;

export async function startSandboxPair(options: SandboxPairOptions = {}): Promise<SandboxPair> {
    const preset = options.preset ?? 'demo';
    if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
    const salesforce = await startSalesforceSandbox({
        port: options.salesforcePort ?? 0,
        seed: preset,
        baseLatencyMs: options.baseLatencyMs ?? 0,
        ...(options.dataDir ? { dataFile: join(options.dataDir, 'salesforce-sandbox.sqlite') } : {})
    });
    try {
        const leadEmails =
            preset === 'demo'
                ? salesforce.handle
                      .query(`SELECT Email FROM Lead WHERE Email != null ORDER BY Email LIMIT ${SHARED_DEMO_EMAILS}`)
                      .map((lead) => String(lead.Email))
                : [];
        const hubspot = await startHubSpotSandbox({
            port: options.hubspotPort ?? 0,
            seed: preset === 'demo' ? { ...DEMO_SEED, leadEmails } : 'empty',
            baseLatencyMs: options.baseLatencyMs ?? 0,
            ...(options.dataDir ? { dataFile: join(options.dataDir, 'hubspot-sandbox.sqlite') } : {}),
            ...(options.webhooks ? { webhooks: options.webhooks } : {})
        });
        return {
            salesforce,
            hubspot,
            connectionInfo: () => ({ salesforce: salesforce.connection, hubspot: hubspot.connection }),
            close: async () => {
                await Promise.all([hubspot.close(), salesforce.close()]);
            }
        };
    } catch (error) {
        await salesforce.close();
        throw error;
    }
}
