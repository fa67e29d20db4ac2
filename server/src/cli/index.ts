/**
 * `npm run cli -- <command>` (also the `hubspot-bridge` bin): the operator's command line.
 *
 * Exit codes scripts can rely on: 0 done; 1 the work ran and found problems (a failed sync run, fatal
 * mapping problems, open errors with `errors --fail-on-errors`); 2 it could not run (bad arguments,
 * configuration or credentials).
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ConfigError, loadRelayConfig, type LoadConfigOptions, type RelayConfig } from '../relay/config';
import { startSandboxPair } from '../sandbox/pair';
import { reportSandboxFailure, runSandboxCli } from '../sandbox/cli';
import { openWorkQueue, type WorkQueue } from '../queue';
import { openSqliteStateStore } from '../state/sqlite-store';
import { connectHubSpot, connectSalesforce } from '../sync/adapters/connect';
import { readLiveSchemas } from '../sync/engine/live-schemas';
import { errorCategories, errorMessage } from '../sync/errors';
import { loadMappingFile, formatMappingProblems } from '../sync/mapping/load';
import { validateMappingAgainstSchemas } from '../sync/schema/validate-mapping';
import { stderrIfTerminal } from './progress';
import { runSyncCli, type CliIo } from './sync';
import { textTable } from '../shared/text-table';

export const usage = `Usage: npm run cli -- <command> [options]

Commands:
  sync [--once] [--dry-run] [--limit N] [--object X] [--ids a,b]   run a sync (see: sync --help)
  status                                  last runs, open errors by category, queued work, dead letters
  errors [--category C] [--object O] [--limit N] [--fail-on-errors]   open sync errors
  resync <salesforce-id> [...]            sync these records now
  dead-letters [--limit N]                fast-path work that used every retry, with the reason
  replay <id> [...] | replay all          send dead letters back to the queue, attempts reset
  mappings validate                       check the mapping file against both live schemas
  sandbox [options]                       start both sandboxes (see: sandbox --help)

Connection settings come from the environment or .env (see .env.example).`;

const defaultIo: CliIo = { out: (text) => console.log(text), err: (text) => console.error(text) };

export async function runCli(argv: string[], io: CliIo = defaultIo, env: LoadConfigOptions = {}): Promise<number> {
    const [command, ...rest] = argv;
    const withConfig = (work: (config: RelayConfig) => Promise<number> | number) => loadConfigThen(io, env, work);
    switch (command) {
        case 'sync':
            return runSyncCli(rest, { io, ...env, terminal: io === defaultIo ? stderrIfTerminal() : null });
        case 'resync':
            return resync(rest, io, env);
        case 'status':
            return withConfig((config) => status(config, io));
        case 'dead-letters':
            return deadLetters(rest, io, withConfig);
        case 'replay':
            return replay(rest, io, withConfig);
        case 'errors':
            return errors(rest, io, withConfig);
        case 'mappings':
            if (rest[0] === 'validate' && rest.length === 1) return withConfig((config) => validate(config, io));
            io.err(`Unknown mappings command.\n\n${usage}`);
            return 2;
        case 'sandbox':
            // Runs until interrupted; a failure to start is the only way back here.
            try {
                await runSandboxCli(rest);
                return 0;
            } catch (error) {
                return reportSandboxFailure(error);
            }
        case undefined:
        case 'help':
        case '--help':
        case '-h':
            io.out(usage);
            return command === undefined ? 2 : 0;
        default:
            io.err(`Unknown command "${command}".\n\n${usage}`);
            return 2;
    }
}

type WithConfig = (work: (config: RelayConfig) => Promise<number> | number) => Promise<number>;

async function loadConfigThen(
    io: CliIo,
    env: LoadConfigOptions,
    work: (config: RelayConfig) => Promise<number> | number
): Promise<number> {
    let config: RelayConfig;
    try {
        config = loadRelayConfig(env);
    } catch (error) {
        io.err(error instanceof ConfigError ? error.message : `Cannot read the configuration: ${errorMessage(error)}`);
        return 2;
    }
    return work(config);
}

const salesforceId = /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/;

async function resync(ids: string[], io: CliIo, env: LoadConfigOptions): Promise<number> {
    const bad = ids.filter((id) => !salesforceId.test(id));
    if (ids.length === 0 || bad.length > 0) {
        io.err(
            `${ids.length === 0 ? 'resync needs at least one Salesforce record ID' : `Not Salesforce record IDs: ${bad.join(', ')}`}\n\n${usage}`
        );
        return 2;
    }
    return runSyncCli(['--once', '--ids', ids.join(',')], { io, ...env });
}

function status(config: RelayConfig, io: CliIo): number {
    const store = openSqliteStateStore({ dataDir: config.sync.dataDir });
    try {
        const runs = store.recentRuns(5);
        io.out(`State: ${config.sync.dataDir} (${config.mode} configuration)`);
        if (runs.length === 0) {
            io.out('No sync has run yet. Start one with `npm run sync -- --once` or `npm start`.');
        } else {
            io.out('\nRecent runs');
            io.out(
                textTable([
                    ['run', 'mode', 'status', 'started', 'seconds', 'SF calls', 'HS calls'],
                    ...runs.map((run) => [
                        String(run.id),
                        run.mode,
                        run.status,
                        run.startedAt,
                        run.endedAt ? ((Date.parse(run.endedAt) - Date.parse(run.startedAt)) / 1000).toFixed(1) : '—',
                        String(run.apiCalls.salesforce),
                        String(run.apiCalls.hubspot)
                    ])
                ])
            );
        }
        const open = store.listErrors({ resolved: false, limit: 100_000 });
        io.out(`\nOpen errors: ${open.length}`);
        if (open.length > 0) {
            const byCategory = errorCategories
                .map((category) => [category, open.filter((error) => error.category === category)] as const)
                .filter(([, list]) => list.length > 0);
            io.out(
                textTable([
                    ['category', 'errors', 'records'],
                    ...byCategory.map(([category, list]) => [
                        category,
                        String(list.length),
                        String(new Set(list.map((error) => error.salesforceId ?? error.hubspotId)).size)
                    ])
                ])
            );
        }
        io.out(`\nQueued webhook events: ${store.pendingEvents(100_000).length}`);
        const { counts } = withQueue(config, (queue) => queue.depth());
        const total = (states: string[]) =>
            counts.filter((entry) => states.includes(entry.state)).reduce((sum, entry) => sum + entry.count, 0);
        io.out(`Fast-path queue: ${total(['ready', 'delayed', 'leased'])} waiting, ${total(['dead'])} dead letter(s)`);
        return 0;
    } finally {
        store.close();
    }
}

function withQueue<T>(config: RelayConfig, work: (queue: WorkQueue) => T): T {
    const queue = openWorkQueue({ dataDir: config.sync.dataDir });
    try {
        return work(queue);
    } finally {
        queue.close();
    }
}

const DeadLettersArguments = z.strictObject({
    limit: z.coerce.number().int().positive().max(10_000).default(50)
});

/** Dead letters, oldest first; exit 0 either way (they are shown, not a failure of this command). */
async function deadLetters(argv: string[], io: CliIo, withConfig: WithConfig): Promise<number> {
    let options: z.infer<typeof DeadLettersArguments>;
    try {
        const { values } = parseArgs({ args: argv, options: { limit: { type: 'string' } }, strict: true });
        options = DeadLettersArguments.parse(values);
    } catch (error) {
        io.err(`${argumentProblems(error)}\n\n${usage}`);
        return 2;
    }
    return withConfig((config) =>
        withQueue(config, (queue) => {
            const list = queue.deadLetters({ limit: options.limit + 1 });
            if (list.length === 0) {
                io.out('No dead letters.');
                return 0;
            }
            const shown = list.slice(0, options.limit);
            io.out(
                textTable([
                    ['id', 'stream', 'record', 'attempts', 'dead since', 'reason'],
                    ...shown.map((letter) => [
                        String(letter.id),
                        letter.stream,
                        letter.recordKey,
                        String(letter.attempts),
                        letter.deadAt.toISOString(),
                        (letter.lastError ?? '—').replace(/\s+/g, ' ').slice(0, 120)
                    ])
                ])
            );
            if (list.length > options.limit) io.out('… more (use --limit).');
            io.out('Replay with `npm run cli -- replay <id> [...]` or `npm run cli -- replay all`.');
            return 0;
        })
    );
}

async function replay(argv: string[], io: CliIo, withConfig: WithConfig): Promise<number> {
    const all = argv.length === 1 && argv[0] === 'all';
    const bad = all ? [] : argv.filter((id) => !/^[1-9]\d{0,15}$/.test(id));
    if (argv.length === 0 || bad.length > 0) {
        io.err(
            `${argv.length === 0 ? 'replay needs dead-letter ids (see `dead-letters`) or `all`' : `Not dead-letter ids: ${bad.join(', ')}`}\n\n${usage}`
        );
        return 2;
    }
    return withConfig((config) =>
        withQueue(config, (queue) => {
            const requested = all ? 'all' : [...new Set(argv.map(Number))];
            const replayed = queue.replay(requested);
            io.out(
                `${replayed} dead letter(s) back in the queue; the running bridge syncs them within seconds.` +
                    (requested !== 'all' && replayed < requested.length
                        ? ` ${requested.length - replayed} id(s) were not dead letters.`
                        : '')
            );
            return requested !== 'all' && replayed < requested.length ? 1 : 0;
        })
    );
}

function argumentProblems(error: unknown): string {
    return error instanceof z.ZodError
        ? error.issues.map((issue) => `--${issue.path.join('.')}: ${issue.message}`).join('\n')
        : errorMessage(error);
}

const ErrorsArguments = z.strictObject({
    category: z.enum(errorCategories).optional(),
    object: z.string().min(1).optional(),
    limit: z.coerce.number().int().positive().max(10_000).default(50),
    'fail-on-errors': z.boolean().default(false)
});

async function errors(argv: string[], io: CliIo, withConfig: WithConfig): Promise<number> {
    let options: z.infer<typeof ErrorsArguments>;
    try {
        const { values } = parseArgs({
            args: argv,
            options: {
                category: { type: 'string' },
                object: { type: 'string' },
                limit: { type: 'string' },
                'fail-on-errors': { type: 'boolean' }
            },
            strict: true
        });
        options = ErrorsArguments.parse(values);
    } catch (error) {
        io.err(`${argumentProblems(error)}\n\n${usage}`);
        return 2;
    }
    return withConfig((config) => {
        const store = openSqliteStateStore({ dataDir: config.sync.dataDir });
        try {
            const list = store
                .listErrors({
                    resolved: false,
                    ...(options.category ? { category: options.category } : {}),
                    limit: 100_000
                })
                .filter((error) => !options.object || error.salesforceObject === options.object);
            if (list.length === 0) {
                io.out('No open sync errors.');
                return 0;
            }
            const shown = list.slice(0, options.limit);
            io.out(
                textTable([
                    ['category', 'record', 'field', 'runs', 'last seen', 'message'],
                    ...shown.map((error) => [
                        error.category,
                        error.salesforceId ?? `${error.hubspotObjectType ?? ''} ${error.hubspotId ?? ''}`.trim(),
                        error.field ?? '—',
                        String(error.occurrences),
                        error.lastSeenAt,
                        error.message.replace(/\s+/g, ' ').slice(0, 120)
                    ])
                ])
            );
            if (shown.length < list.length) io.out(`… ${list.length - shown.length} more (use --limit).`);
            return options['fail-on-errors'] ? 1 : 0;
        } finally {
            store.close();
        }
    });
}

/**
 * Validates the mapping file, then against both live schemas: the configured CRMs, or in sandbox mode
 * (no credentials) the sandboxes, whose schemas are those of a default org and portal.
 */
async function validate(config: RelayConfig, io: CliIo): Promise<number> {
    const loaded = loadMappingFile(config.sync.configFile);
    if (!loaded.ok) {
        io.err(formatMappingProblems(loaded.problems));
        return 1;
    }
    const sandboxes = config.mode === 'sandbox' ? await startSandboxPair({ preset: 'empty' }) : undefined;
    try {
        const info = sandboxes?.connectionInfo();
        const salesforce = await connectSalesforce(
            info
                ? {
                      loginUrl: info.salesforce.loginUrl,
                      clientId: info.salesforce.clientId,
                      username: info.salesforce.username,
                      auth: {
                          kind: 'password',
                          clientSecret: info.salesforce.clientSecret,
                          password: info.salesforce.password
                      }
                  }
                : config.salesforce!,
            info?.salesforce.apiVersion ?? config.salesforceApiVersion
        );
        const hubspot = connectHubSpot(
            info ? { baseUrl: info.hubspot.basePath, accessToken: info.hubspot.accessToken } : config.hubspot!
        );
        const validation = validateMappingAgainstSchemas(
            loaded.mapping,
            await readLiveSchemas(loaded.mapping, salesforce, hubspot)
        );
        io.out(
            `Mapping ${config.sync.configFile} against ${sandboxes ? 'the sandboxes (no credentials configured)' : 'the configured Salesforce org and HubSpot portal'}:`
        );
        const problems = [
            ...validation.fatal.map((problem) => ['fatal', problem] as const),
            ...validation.warnings.map((problem) => ['warning', problem] as const)
        ];
        if (problems.length > 0) {
            io.out(
                textTable([
                    ['severity', 'code', 'mapping', 'field', 'message'],
                    ...problems.map(([severity, problem]) => [
                        severity,
                        problem.code,
                        problem.mapping,
                        problem.field ?? '—',
                        problem.message
                    ])
                ])
            );
        }
        io.out(`${validation.fatal.length} fatal problem(s), ${validation.warnings.length} warning(s).`);
        return validation.fatal.length > 0 ? 1 : 0;
    } catch (error) {
        io.err(`Cannot validate against the live schemas: ${errorMessage(error)}`);
        return 2;
    } finally {
        await sandboxes?.close();
    }
}

/** Runs a command and exits with its code; `sandbox` keeps the process alive until interrupted. */
export function main(argv: string[]): void {
    runCli(argv).then(
        (code) => {
            if (argv[0] !== 'sandbox' || code !== 0) process.exit(code);
        },
        (error: unknown) => {
            console.error(errorMessage(error));
            process.exit(2);
        }
    );
}

if (require.main === module) main(process.argv.slice(2));
