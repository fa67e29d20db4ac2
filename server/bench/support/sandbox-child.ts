/**
 * The sandbox process: both sandboxes, started, seeded, edited and read on command over IPC. They live
 * apart from the engine so the engine process's peak RSS is the engine's own. Forked by sandbox-process.ts.
 */
import { startHubSpotSandbox } from '../../src/sandbox/hubspot';
import { startSalesforceSandbox } from '../../src/sandbox/salesforce';
import { errorMessage } from '../../src/sync/errors';
import type { ReadValuesAnswer, SandboxAnswer, SandboxCommand, SandboxStart } from './sandbox-protocol';
import { changeOnePercent, readValues, salesforceIds, seedPair, type SandboxPair } from './sandbox-world';

function perform(pair: SandboxPair, command: SandboxCommand): unknown {
    switch (command.kind) {
        case 'seed':
            return seedPair(pair, command.shape);
        case 'change-one-percent':
            changeOnePercent(pair);
            return null;
        case 'salesforce-ids':
            return salesforceIds(pair, command.object, command.limit);
        case 'read-values':
            // Stamped here, where the values were read: the answer may wait behind API requests to be sent.
            return { at: Date.now(), values: readValues(pair, command.probes) } satisfies ReadValuesAnswer;
        case 'rss':
            return process.resourceUsage().maxRSS / 1024;
        case 'hubspot-requests':
            return pair.hubspot.handle.requestCounts().byEndpoint;
    }
}

function answer(message: SandboxAnswer): void {
    process.send!(message);
}

process.once('message', (start: SandboxStart) => {
    void (async () => {
        const pair: SandboxPair = {
            salesforce: await startSalesforceSandbox(start.salesforce),
            hubspot: await startHubSpotSandbox(start.hubspot)
        };
        process.on('message', (command: SandboxCommand) => {
            try {
                answer({ kind: 'done', result: perform(pair, command) });
            } catch (error) {
                answer({ kind: 'failed', message: errorMessage(error) });
            }
        });
        process.on('disconnect', () => {
            void Promise.all([pair.salesforce.close(), pair.hubspot.close()]).then(() => process.exit(0));
        });
        answer({
            kind: 'ready',
            salesforce: pair.salesforce.connection,
            hubspot: { ...pair.hubspot.connection, portalId: pair.hubspot.handle.portalId }
        });
    })().catch((error: unknown) => {
        answer({ kind: 'failed', message: errorMessage(error) });
        process.exit(1);
    });
});
