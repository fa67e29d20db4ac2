/**
 * `npm run sandbox`: both sandboxes as their own process. The first line on stdout is one JSON object
 * with everything a client needs to connect; nothing is printed before it.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { startSandboxPair } from './pair';

const usage = `Usage: npm run sandbox -- [options]
  --salesforce-port N   port of the Salesforce sandbox (default 4010, 0 = any free port)
  --hubspot-port N      port of the HubSpot sandbox (default 4020, 0 = any free port)
  --data-dir DIR        keep both sandboxes' data in SQLite files in DIR (default: memory only)
  --preset NAME         dataset loaded into an empty sandbox: demo (default) or empty
  --latency MS          latency added to every API call (default 0)
  --help                show this help`;

const port = z.coerce.number().int().min(0).max(65_535);
const Options = z.strictObject({
    'salesforce-port': port.default(4010),
    'hubspot-port': port.default(4020),
    'data-dir': z.string().min(1).optional(),
    preset: z.enum(['demo', 'empty']).default('demo'),
    latency: z.coerce.number().int().min(0).max(60_000).default(0),
    help: z.boolean().optional()
});

/** Starts both sandboxes and keeps them running until SIGINT/SIGTERM. */
export async function runSandboxCli(argv: string[]): Promise<void> {
    const { values } = parseArgs({
        args: argv,
        options: {
            'salesforce-port': { type: 'string' },
            'hubspot-port': { type: 'string' },
            'data-dir': { type: 'string' },
            preset: { type: 'string' },
            latency: { type: 'string' },
            help: { type: 'boolean' }
        },
        strict: true
    });
    const parsed = Options.safeParse(values);
    if (!parsed.success) {
        const problems = parsed.error.issues.map((issue) => `  --${issue.path.join('.')}: ${issue.message}`);
        throw new UsageError(`Invalid options:\n${problems.join('\n')}`);
    }
    const options = parsed.data;
    if (options.help) {
        process.stdout.write(`${usage}\n`);
        return;
    }
    const pair = await startSandboxPair({
        salesforcePort: options['salesforce-port'],
        hubspotPort: options['hubspot-port'],
        dataDir: options['data-dir'],
        preset: options.preset,
        baseLatencyMs: options.latency
    });
    process.stdout.write(`${JSON.stringify(pair.connectionInfo())}\n`);
    process.stderr.write(
        `Salesforce sandbox on ${pair.salesforce.url}, HubSpot sandbox on ${pair.hubspot.url} (${options.preset} data` +
            `${options['data-dir'] ? `, kept in ${options['data-dir']}` : ', in memory'}). Ctrl+C stops both.\n`
    );
    const stop = () => {
        pair.close().then(
            () => process.exit(0),
            () => process.exit(1)
        );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
}

export class UsageError extends Error {}

/** Exit code for a failed start: 2 for bad options (with the usage text), 1 otherwise. */
export function reportSandboxFailure(error: unknown): number {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`${message}\n${error instanceof UsageError ? `\n${usage}\n` : ''}`);
    return error instanceof UsageError ? 2 : 1;
}

if (require.main === module) {
    runSandboxCli(process.argv.slice(2)).catch((error: unknown) => process.exit(reportSandboxFailure(error)));
}
