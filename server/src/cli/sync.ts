/**
 * `npm run sync -- --once [--dry-run] [--limit N] [--object X] [--ids a,b]`: one sync run against the
 * CRMs named in the environment (or `.env`), with a progress bar on a terminal (one line per step
 * otherwise) and a summary table. Without `--once` it keeps syncing
 * every SYNC_INTERVAL_MINUTES until interrupted (the run in flight finishes its batch first).
 *
 * Exit codes: 0 the run completed (per-record errors are reported, not fatal); 1 the run failed (fatal
 * mapping problems, a CRM refused the reads); 2 it could not start (bad arguments, configuration or
 * credentials, login refused).
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';

import { z } from 'zod';

import { ConfigError, loadRelayConfig, type LoadConfigOptions, type RelayConfig } from '../relay/config';
import { openSqliteStateStore } from '../state/sqlite-store';
import { connectHubSpot, connectSalesforce } from '../sync/adapters/connect';
import type { RunReport } from '../sync/engine/context';
import { SyncEngine } from '../sync/engine/engine';
import { formatRunReport } from '../sync/engine/report-format';
import { SyncScheduler } from '../sync/engine/scheduler';
import { errorMessage } from '../sync/errors';
import { loadMappingFileOrThrow } from '../sync/mapping/load';
import { barProgress, lineProgress, type ProgressDisplay, stderrIfTerminal } from './progress';

export const usage = `Usage: npm run sync -- [--once] [--dry-run] [--limit N] [--object NAME]... [--ids ID,ID,...]

  --once        run one sync and exit (without it: sync every SYNC_INTERVAL_MINUTES until Ctrl-C)
  --dry-run     read both CRMs, write nothing, print the plan per field and the calls it would spend
  --limit N     at most N changed records per object and side (a "test sync")
  --object X    only this mapping, Salesforce object or HubSpot object type (repeatable)
  --ids a,b     only these Salesforce or HubSpot record IDs`;

const Arguments = z.strictObject({
    once: z.boolean().default(false),
    dryRun: z.boolean().default(false),
    limit: z.coerce.number().int().positive().max(50_000).optional(),
    objects: z.array(z.string().min(1)).optional(),
    ids: z
        .string()
        .transform((value) =>
            value
                .split(',')
                .map((id) => id.trim())
                .filter((id) => id !== '')
        )
        .pipe(z.array(z.string()).min(1, 'needs at least one ID'))
        .optional(),
    help: z.boolean().default(false)
});

/**
 * Secrets only the relay's HTTP side uses (the Named Credential's token, webhook signatures, the
 * dashboard login); the configuration requires them for a live relay, a sync from the command line
 * needs none, so absent ones get throwaway random values that nothing ever sees.
 */
const relayOnlySecrets = ['RELAY_API_TOKEN', 'HUBSPOT_CLIENT_SECRET', 'DASHBOARD_PASSWORD'];

export interface CliIo {
    out(text: string): void;
    err(text: string): void;
}

export interface CliOptions extends LoadConfigOptions {
    io?: CliIo;
    /** Resolves when the long-running mode should stop (Ctrl-C); only used without --once. */
    stopSignal?: Promise<void>;
    /**
     * Where to draw the progress bar; null prints one line per step through `io.out` instead. By default the
     * bar goes to stderr when it is a terminal, unless `io` is injected.
     */
    terminal?: NodeJS.WritableStream | null;
}

function progressDisplay(options: CliOptions, io: CliIo): ProgressDisplay {
    const terminal = options.terminal !== undefined ? options.terminal : options.io ? null : stderrIfTerminal();
    return terminal ? barProgress(terminal) : lineProgress(io.out);
}

function loadConfig(options: CliOptions): RelayConfig {
    const env = { ...(options.env ?? process.env) };
    for (const key of relayOnlySecrets) {
        if ((env[key] ?? '').trim() === '') env[key] = randomBytes(32).toString('base64url');
    }
    if ((env.DASHBOARD_USER ?? '').trim() === '') env.DASHBOARD_USER = 'sync-cli';
    return loadRelayConfig({ ...options, env });
}

export async function runSyncCli(argv: string[], options: CliOptions = {}): Promise<number> {
    const io = options.io ?? { out: (text) => console.log(text), err: (text) => console.error(text) };
    let parsed: z.infer<typeof Arguments>;
    try {
        const { values } = parseArgs({
            args: argv,
            options: {
                once: { type: 'boolean' },
                'dry-run': { type: 'boolean' },
                limit: { type: 'string' },
                object: { type: 'string', multiple: true },
                ids: { type: 'string' },
                help: { type: 'boolean', short: 'h' }
            },
            strict: true,
            allowPositionals: false
        });
        parsed = Arguments.parse({
            once: values.once,
            dryRun: values['dry-run'],
            limit: values.limit,
            objects: values.object,
            ids: values.ids,
            help: values.help
        });
    } catch (error) {
        const message =
            error instanceof z.ZodError
                ? error.issues.map((issue) => `--${issue.path.join('.')}: ${issue.message}`).join('\n')
                : errorMessage(error);
        io.err(`${message}\n\n${usage}`);
        return 2;
    }
    if (parsed.help) {
        io.out(usage);
        return 0;
    }

    let config: RelayConfig;
    try {
        config = loadConfig(options);
    } catch (error) {
        io.err(error instanceof ConfigError ? error.message : `Cannot read the configuration: ${errorMessage(error)}`);
        return 2;
    }
    if (config.mode !== 'live' || !config.salesforce || !config.hubspot) {
        io.err(
            'Salesforce and HubSpot credentials are missing: set SALESFORCE_LOGIN_URL, SALESFORCE_CLIENT_ID, ' +
                'SALESFORCE_CLIENT_SECRET, SALESFORCE_USERNAME and SALESFORCE_PASSWORD (or SALESFORCE_JWT_KEY_FILE), ' +
                'HUBSPOT_ACCESS_TOKEN and HUBSPOT_PORTAL_ID in the environment or .env (see .env.example). ' +
                'To try the bridge against the built-in sandboxes, use `npm start`.'
        );
        return 2;
    }

    const progress = progressDisplay(options, io);
    let engine: SyncEngine;
    let closeStore: () => void;
    try {
        const mapping = loadMappingFileOrThrow(config.sync.configFile);
        const salesforce = await connectSalesforce(config.salesforce, config.salesforceApiVersion);
        const hubspot = connectHubSpot(config.hubspot);
        const store = openSqliteStateStore({ dataDir: config.sync.dataDir });
        closeStore = () => store.close();
        engine = new SyncEngine({
            salesforce,
            hubspot,
            store,
            mapping,
            ...(config.hubspotPortal.portalId === null ? {} : { hubspotPortalId: config.hubspotPortal.portalId }),
            hubspotAppBaseUrl: config.hubspotPortal.appBaseUrl,
            onProgress: (step) => progress.onProgress(step)
        });
    } catch (error) {
        io.err(errorMessage(error));
        return 2;
    }

    const printReport = (report: RunReport) => {
        progress.stop();
        (report.status === 'completed' ? io.out : io.err)(formatRunReport(report));
    };
    try {
        if (parsed.once) {
            const report = await engine.run({
                mode: parsed.dryRun ? 'dry_run' : 'incremental',
                ...(parsed.objects ? { objects: parsed.objects } : {}),
                ...(parsed.ids ? { ids: parsed.ids } : {}),
                ...(parsed.limit === undefined ? {} : { limit: parsed.limit })
            });
            printReport(report);
            return report.status === 'completed' ? 0 : 1;
        }
        const scheduler = new SyncScheduler(engine, {
            intervalMinutes: config.sync.intervalMinutes,
            onReport: printReport,
            onError: (error) => {
                progress.stop();
                io.err(errorMessage(error));
            }
        });
        io.out(`Syncing every ${config.sync.intervalMinutes} min; Ctrl-C stops after the batch in flight.`);
        scheduler.start();
        await (options.stopSignal ?? interrupted());
        await scheduler.stop();
        return 0;
    } catch (error) {
        // A run that could not start: invalid --ids, another process syncing.
        progress.stop();
        io.err(errorMessage(error));
        return 2;
    } finally {
        closeStore();
    }
}

function interrupted(): Promise<void> {
    return new Promise((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
    });
}

if (require.main === module) {
    runSyncCli(process.argv.slice(2)).then(
        (code) => {
            process.exitCode = code;
        },
        (error: unknown) => {
            console.error(errorMessage(error));
            process.exitCode = 2;
        }
    );
}
