/**
 * `npm start`. Without credentials it runs sandbox mode: both sandboxes with demo data, the relay, an
 * initial sync and then the schedule. With credentials in the environment or `.env` it connects to the
 * real Salesforce org and HubSpot portal. Invalid configuration: one message listing every problem.
 */
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';

import type { Logger } from 'pino';
import { loadRelayConfig, type RelayConfig } from './relay/config';
import { createRelayLogger } from './relay/logger';
import { startBridge, type BridgeConnections, type RunningBridge } from './runtime/bridge';
import { sandboxConnections } from './runtime/sandbox-connections';
import { startSandboxPair, type SandboxPair } from './sandbox/pair';
import { MappingConfigError } from './sync/mapping/load';
import { MappingSchemaError } from './sync/schema/problems';

async function main(): Promise<void> {
    let config = loadRelayConfig();
    const logger = createRelayLogger(config.logLevel);
    let sandboxes: SandboxPair | undefined;
    let connections: BridgeConnections;
    if (config.mode === 'sandbox') {
        // The HubSpot sandbox needs the relay's webhook URL before the relay listens.
        if (config.port === 0) config = { ...config, port: await freePort() };
        sandboxes = await startSandboxPair({
            dataDir: join(config.sync.dataDir, 'sandbox'),
            preset: 'demo',
            webhooks: {
                targetUrl: `http://127.0.0.1:${config.port}/webhooks/hubspot`,
                clientSecret: config.hubspotClientSecret
            }
        });
        connections = sandboxConnections(sandboxes);
    } else {
        connections = {
            salesforce: config.salesforce!,
            hubspot: config.hubspot!,
            hubspotPortalId: config.hubspotPortal.portalId!
        };
    }

    let bridge: RunningBridge;
    try {
        bridge = await startWithRetries(() => startBridge(config, connections, { logger }), logger);
    } catch (error) {
        await sandboxes?.close();
        throw error;
    }
    process.stdout.write(welcome(config, bridge, sandboxes));

    let stopping = false;
    const shutdown = (signal: string) => {
        if (stopping) return;
        stopping = true;
        logger.info({ signal }, 'shutting down: finishing the batch in flight');
        Promise.resolve()
            .then(() => bridge.close())
            .then(() => sandboxes?.close())
            .then(
                () => process.exit(0),
                (error: unknown) => {
                    logger.error({ err: error }, 'shutdown failed');
                    process.exit(1);
                }
            );
    };
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.once('SIGTERM', () => shutdown('SIGTERM'));
}

/** Attempts at starting before giving up, waiting 1, 2, 4, 8 s in between. */
const startAttempts = 5;

/**
 * A start that fails on the way to a CRM (a 5xx, a reset, a timeout while logging in or reading the
 * schemas) is tried again after a pause; a wrong configuration or mapping fails at once, listing its
 * problems. A process supervisor restarting the relay would otherwise restart it straight into the outage.
 */
async function startWithRetries<T>(start: () => Promise<T>, logger: Logger): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
        try {
            return await start();
        } catch (error) {
            const permanent = [MappingConfigError, MappingSchemaError].some((type) => error instanceof type);
            if (permanent || attempt === startAttempts) throw error;
            const waitMs = 1_000 * 2 ** (attempt - 1);
            logger.warn({ err: error, attempt, waitMs }, 'start failed; trying again');
            await new Promise((resolve) => setTimeout(resolve, waitMs));
        }
    }
}

async function freePort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    return port;
}

function welcome(config: RelayConfig, bridge: RunningBridge, sandboxes: SandboxPair | undefined): string {
    const url = `http://127.0.0.1:${bridge.server.port}`;
    const lines = [
        '',
        `HubSpot ⇄ Salesforce bridge running in ${config.mode} mode.`,
        `  Dashboard:  ${url}/ops/`,
        `  Log in as:  ${config.dashboard.user}` +
            (config.generatedSecrets.includes('DASHBOARD_PASSWORD')
                ? ` / ${config.dashboard.password}   (generated for this run; set DASHBOARD_PASSWORD in .env to keep one)`
                : '   (password: DASHBOARD_PASSWORD)'),
        `  Relay API:  ${url}/api/v1  (Bearer token: ` +
            (config.generatedSecrets.includes('RELAY_API_TOKEN')
                ? 'generated for this run; set RELAY_API_TOKEN to use it from Salesforce)'
                : 'RELAY_API_TOKEN)'),
        `  Sync:       an initial sync now, then every ${config.sync.intervalMinutes} minutes`
    ];
    if (sandboxes) {
        lines.push(
            `  Sandboxes:  Salesforce ${sandboxes.salesforce.url}, HubSpot ${sandboxes.hubspot.url}` +
                ` (data in ${join(config.sync.dataDir, 'sandbox')})`
        );
    }
    lines.push('Press Ctrl+C to stop.', '');
    return `${lines.join('\n')}\n`;
}

main().catch((error: unknown) => {
    // Configuration and mapping errors already list every problem; anything else is one sentence.
    process.stderr.write(`Cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
});
