/**
 * Sync engine benchmark: seeds both sandboxes (scaled from 20k Leads/Contacts with duplicate emails,
 * 5k Accounts, 8k Opportunities, 40k Tasks and an overlapping HubSpot side), then runs the initial
 * sync, an incremental sync with 1% of the records changed on each side, and a no-change sync. For
 * each phase, object and side it prints the API calls made against the lower bound from page and
 * batch sizes (goal ≤ 1.15×), records/s and the peak RSS of the engine's process (goal ≤ 300 MB): the
 * sandboxes run in a child process (this file with --sandbox-child), seeded and edited over IPC.
 *
 *   npm run bench:sync                      # --scale 0.1
 *   npm run bench:sync -- --scale 1 --json bench-sync.json
 */
import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { z } from 'zod';

import { salesforceBatchSize, type HubSpotPort, type SalesforcePort } from '../src/sync/adapters/ports';
import { SyncEngine } from '../src/sync/engine/engine';
import { shippedMappingFile, withoutOwnerSync } from '../src/sync/engine/test-support';
import { connectHubSpot, connectSalesforce } from '../src/sync/adapters/connect';
import { errorMessage } from '../src/sync/errors';
import { loadMappingFileOrThrow } from '../src/sync/mapping/load';
import { openSqliteStateStore } from '../src/state/sqlite-store';
import { startHubSpotSandbox, type RunningHubSpotSandbox } from '../src/sandbox/hubspot';
import { startSalesforceSandbox, type RunningSalesforceSandbox } from '../src/sandbox/salesforce';
import type { SalesforceConnectionInfo } from '../src/sandbox/salesforce';

const salesforceQueryPage = 2000;
const hubspotPage = 100;

const Options = z.object({
    scale: z.coerce.number().positive().max(1).default(0.1),
    json: z.string().min(1).optional()
});

/** Calls and records per object and operation, as the adapters spend them. */
class Ledger {
    readonly entries = new Map<string, { calls: number; records: number; pageSize: number }>();

    add(side: 'salesforce' | 'hubspot', object: string, operation: string, calls: number, records: number): void {
        const pageSize =
            operation === 'query' ? salesforceQueryPage : side === 'salesforce' ? salesforceBatchSize : hubspotPage;
        const key = `${side}|${object}|${operation}`;
        const entry = this.entries.get(key) ?? { calls: 0, records: 0, pageSize };
        entry.calls += calls;
        entry.records += records;
        this.entries.set(key, entry);
    }

    clear(): void {
        this.entries.clear();
    }
}

function countingSalesforce(inner: SalesforcePort, ledger: Ledger): SalesforcePort {
    const measured = async <T extends unknown[]>(object: string, operation: string, work: () => Promise<T>) => {
        const before = inner.calls();
        const result = await work();
        ledger.add('salesforce', object, operation, inner.calls() - before, result.length);
        return result;
    };
    return {
        get instanceUrl() {
            return inner.instanceUrl;
        },
        get userId() {
            return inner.userId;
        },
        describe: (name) => inner.describe(name),
        users: () => inner.users(),
        query: (soql, options) =>
            measured(/\bFROM\s+(\w+)/i.exec(soql)?.[1] ?? '?', 'query', () => inner.query(soql, options)),
        create: (object, records) => measured(object, 'create', () => inner.create(object, records)),
        update: (object, records) => measured(object, 'update', () => inner.update(object, records)),
        destroy: (object, ids) => measured(object, 'delete', () => inner.destroy(object, ids)),
        calls: () => inner.calls(),
        usage: () => inner.usage()
    };
}

function countingHubSpot(inner: HubSpotPort, ledger: Ledger): HubSpotPort {
    const measured = async <T>(
        object: string,
        operation: string,
        size: (result: T) => number,
        work: () => Promise<T>
    ) => {
        const before = inner.calls();
        const result = await work();
        ledger.add('hubspot', object, operation, inner.calls() - before, size(result));
        return result;
    };
    const length = (result: unknown[]) => result.length;
    return {
        properties: (type) => inner.properties(type),
        pipelines: (type) => inner.pipelines(type),
        owners: () => inner.owners(),
        search: (type, request) =>
            measured(
                type,
                'search',
                (page) => page.results.length,
                () => inner.search(type, request)
            ),
        read: (type, ids, properties, options) =>
            measured(type, 'read', length, () => inner.read(type, ids, properties, options)),
        create: (type, inputs) => measured(type, 'create', length, () => inner.create(type, inputs)),
        update: (type, inputs) => measured(type, 'update', length, () => inner.update(type, inputs)),
        listMembers: (listId) =>
            measured(
                `list ${listId}`,
                'memberships',
                (members) => members.size,
                () => inner.listMembers(listId)
            ),
        listArchived: (type) => measured(type, 'list_archived', length, () => inner.listArchived(type)),
        archive: (type, ids) => measured(type, 'archive', length, () => inner.archive(type, ids)),
        readAssociations: (from, to, ids) =>
            measured(
                `${from}→${to}`,
                'read',
                () => ids.length,
                () => inner.readAssociations(from, to, ids)
            ),
        createAssociations: (from, to, pairs, typeId) =>
            measured(`${from}→${to}`, 'create', length, () => inner.createAssociations(from, to, pairs, typeId)),
        archiveAssociations: (from, to, pairs) =>
            measured(
                `${from}→${to}`,
                'archive',
                () => pairs.length,
                () => inner.archiveAssociations(from, to, pairs)
            ),
        calls: () => inner.calls(),
        rateLimit: () => inner.rateLimit()
    };
}

interface PhaseRow {
    phase: string;
    side: string;
    object: string;
    calls: number;
    lowerBound: number;
    ratio: number;
    records: number;
}

function summarise(phase: string, ledger: Ledger): PhaseRow[] {
    const byObject = new Map<string, PhaseRow>();
    for (const [key, entry] of ledger.entries) {
        const [side, object, operation] = key.split('|');
        const row = byObject.get(`${side}|${object}`) ?? {
            phase,
            side,
            object,
            calls: 0,
            lowerBound: 0,
            ratio: 0,
            records: 0
        };
        row.calls += entry.calls;
        row.records += entry.records;
        // One change read per object and run is the floor even when nothing changed.
        const isChangeRead = operation === 'query' || operation === 'search';
        row.lowerBound += isChangeRead
            ? Math.max(1, Math.ceil(entry.records / entry.pageSize))
            : Math.ceil(entry.records / entry.pageSize);
        byObject.set(`${side}|${object}`, row);
    }
    return [...byObject.values()]
        .map((row) => ({ ...row, ratio: row.lowerBound === 0 ? 0 : row.calls / row.lowerBound }))
        .sort((left, right) => `${left.side}${left.object}`.localeCompare(`${right.side}${right.object}`));
}

/** What the sandbox child process is asked to do, and what it answers. */
type ChildCommand = { kind: 'seed'; scale: number } | { kind: 'change' } | { kind: 'rss' };
type ChildAnswer =
    | { kind: 'ready'; salesforce: SalesforceConnectionInfo; hubspot: { basePath: string; accessToken: string } }
    | { kind: 'done'; result: unknown }
    | { kind: 'failed'; message: string };

/** Every 100th record of each synced object is edited by a user, on both sides. */
function changeOnePercent(salesforceSandbox: RunningSalesforceSandbox, hubspotSandbox: RunningHubSpotSandbox): void {
    const salesforce = salesforceSandbox.handle;
    for (const object of ['Account', 'Contact', 'Lead', 'Opportunity']) {
        const rows = salesforce.query(`SELECT Id FROM ${object}`);
        for (let index = 0; index < rows.length; index += 100) {
            salesforce.editAsUser(String(rows[index].Id), { Description: `changed in the benchmark ${index}` });
        }
    }
    const hubspot = hubspotSandbox.handle;
    for (const type of ['contacts', 'companies'] as const) {
        const objects = (hubspot.export().objects[type] as { id: string; archived?: boolean }[]).filter(
            (object) => object.archived !== true
        );
        for (let index = 0; index < objects.length; index += 100) {
            hubspot.editAsUser(type, objects[index].id, { phone: `+1 555 ${String(index).padStart(4, '0')}` });
        }
    }
}

function seedBoth(salesforceSandbox: RunningSalesforceSandbox, hubspotSandbox: RunningHubSpotSandbox, scale: number) {
    const people = Math.round(20_000 * scale);
    const accounts = Math.round(5_000 * scale);
    salesforceSandbox.handle.seed({
        accounts,
        contacts: people / 2,
        leads: people / 2,
        opportunitiesPerAccount: 1.6,
        activitiesPerRecord: 2,
        duplicateEmailShare: 0.1,
        sharedDomainShare: 0.2,
        seed: 7
    });
    const leadEmails = salesforceSandbox.handle
        .query(`SELECT Email FROM Lead WHERE Email != null LIMIT ${Math.round(people * 0.1)}`)
        .map((row) => String(row.Email));
    hubspotSandbox.handle.seed({
        contacts: Math.round(people * 0.3),
        companies: Math.round(accounts * 0.3),
        dealsPerCompany: 0,
        engagementsPerContact: 0,
        leadEmails
    });
    const hubspotCount = (type: 'contacts' | 'companies') => hubspotSandbox.handle.export().objects[type].length;
    return {
        Account: salesforceSandbox.handle.count('Account'),
        Contact: salesforceSandbox.handle.count('Contact'),
        Lead: salesforceSandbox.handle.count('Lead'),
        Opportunity: salesforceSandbox.handle.count('Opportunity'),
        Task: salesforceSandbox.handle.count('Task'),
        hubspotContacts: hubspotCount('contacts'),
        hubspotCompanies: hubspotCount('companies')
    };
}

/**
 * The child process: both sandboxes, seeded and edited on command. They live apart from the engine so
 * the engine process's peak RSS is the engine's own.
 */
async function runSandboxChild(): Promise<void> {
    const salesforceSandbox = await startSalesforceSandbox({ seed: 'empty' });
    const hubspotSandbox = await startHubSpotSandbox({ seed: 'empty', tier: 'unlimited' });
    const answer = (message: ChildAnswer) => process.send!(message);
    process.on('message', (command: ChildCommand) => {
        try {
            if (command.kind === 'seed') {
                answer({ kind: 'done', result: seedBoth(salesforceSandbox, hubspotSandbox, command.scale) });
            } else if (command.kind === 'change') {
                changeOnePercent(salesforceSandbox, hubspotSandbox);
                answer({ kind: 'done', result: null });
            } else {
                answer({ kind: 'done', result: process.resourceUsage().maxRSS / 1024 });
            }
        } catch (error) {
            answer({ kind: 'failed', message: errorMessage(error) });
        }
    });
    process.on('disconnect', () => {
        void Promise.all([salesforceSandbox.close(), hubspotSandbox.close()]).then(() => process.exit(0));
    });
    answer({ kind: 'ready', salesforce: salesforceSandbox.connection, hubspot: hubspotSandbox.connection });
}

/** Starts the sandbox child (this file, with the same tsx loader) and talks to it one command at a time. */
async function startSandboxChild() {
    // A heap cap given to the engine's process (`--max-old-space-size`) is not the sandboxes' business.
    const execArgv = process.execArgv.filter((flag) => !flag.startsWith('--max-old-space-size'));
    const child = fork(__filename, [sandboxChildFlag], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const next = () =>
        new Promise<ChildAnswer>((resolve, reject) => {
            const onExit = (code: number | null) => reject(new Error(`the sandbox process exited (${code})`));
            child.once('exit', onExit);
            child.once('message', (message: ChildAnswer) => {
                child.off('exit', onExit);
                resolve(message);
            });
        });
    const ready = await next();
    if (ready.kind !== 'ready') throw new Error('the sandbox process did not start');
    const ask = async <T>(command: ChildCommand): Promise<T> => {
        const reply = next();
        child.send(command);
        const message = await reply;
        if (message.kind === 'failed') throw new Error(`sandbox process: ${message.message}`);
        if (message.kind !== 'done') throw new Error('unexpected answer from the sandbox process');
        return message.result as T;
    };
    return { connection: ready, ask, close: () => child.disconnect() };
}

async function main(): Promise<void> {
    const { values } = parseArgs({ options: { scale: { type: 'string' }, json: { type: 'string' } } });
    const options = Options.parse(values);
    const scale = options.scale;
    const sandboxes = await startSandboxChild();
    const { salesforce: info, hubspot: hubspotInfo } = sandboxes.connection;
    const store = openSqliteStateStore({ path: ':memory:' });
    const ledger = new Ledger();
    try {
        const salesforce = await connectSalesforce(
            {
                loginUrl: info.loginUrl,
                clientId: info.clientId,
                username: info.username,
                auth: { kind: 'password', clientSecret: info.clientSecret, password: info.password }
            },
            info.apiVersion
        );
        const engine = new SyncEngine({
            salesforce: countingSalesforce(salesforce, ledger),
            hubspot: countingHubSpot(
                connectHubSpot({ baseUrl: hubspotInfo.basePath, accessToken: hubspotInfo.accessToken }),
                ledger
            ),
            store,
            mapping: withoutOwnerSync(loadMappingFileOrThrow(shippedMappingFile))
        });
        const seeded = await sandboxes.ask<Record<string, number>>({ kind: 'seed', scale });
        console.log(`Seeded (scale ${scale}):`, seeded);

        const rows: PhaseRow[] = [];
        const phases: { phase: string; seconds: number; records: number; apiCalls: object; errors: number }[] = [];
        const run = async (phase: string) => {
            ledger.clear();
            const started = performance.now();
            const report = await engine.run({ mode: 'incremental' });
            const seconds = (performance.now() - started) / 1000;
            if (report.status !== 'completed') throw new Error(`${phase} failed: ${report.error}`);
            const phaseRows = summarise(phase, ledger);
            rows.push(...phaseRows);
            const records = phaseRows.reduce((total, row) => total + row.records, 0);
            phases.push({ phase, seconds, records, apiCalls: report.apiCalls, errors: report.errors.length });
            const kinds = new Map<string, number>();
            for (const error of report.errors) {
                const kind = `${error.mappingId} ${error.category}: ${error.message.replace(/[0-9A-Za-z]{15,18}|\d+/g, '#').slice(0, 90)}`;
                kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
            }
            for (const [kind, total] of kinds) console.log(`  ${phase} error ×${total} ${kind}`);
        };
        await run('initial');
        await sandboxes.ask({ kind: 'change' });
        await run('incremental 1%');
        await run('no change');

        const peakRssMb = process.resourceUsage().maxRSS / 1024;
        const sandboxPeakRssMb = await sandboxes.ask<number>({ kind: 'rss' });
        console.log('\nphase           side        object                        calls  bound  ratio  records');
        for (const row of rows) {
            console.log(
                `${row.phase.padEnd(15)} ${row.side.padEnd(11)} ${row.object.padEnd(28)} ${String(row.calls).padStart(6)} ${String(row.lowerBound).padStart(6)} ${row.ratio.toFixed(2).padStart(6)} ${String(row.records).padStart(8)}`
            );
        }
        console.log('\nphase           seconds  records/s  errors');
        for (const phase of phases) {
            console.log(
                `${phase.phase.padEnd(15)} ${phase.seconds.toFixed(1).padStart(7)} ${(phase.records / phase.seconds).toFixed(0).padStart(10)} ${String(phase.errors).padStart(7)}`
            );
        }
        console.log(
            `\npeak RSS: engine process ${peakRssMb.toFixed(0)} MB (goal ≤ 300), sandbox process ${sandboxPeakRssMb.toFixed(0)} MB`
        );
        if (options.json) {
            writeFileSync(
                options.json,
                JSON.stringify({ scale, seeded, phases, rows, peakRssMb, sandboxPeakRssMb }, null, 2)
            );
            console.log(`wrote ${options.json}`);
        }
    } finally {
        store.close();
        sandboxes.close();
    }
}

const sandboxChildFlag = '--sandbox-child';

(process.argv.includes(sandboxChildFlag) ? runSandboxChild() : main()).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
});
