/**
 * One soak: sandboxes in this process, the relay as a child, a population, the chaos phase (edits on
 * both sides, 10% faults on the relay's calls, SIGKILLs), then faults off, two sync cycles, and the
 * end state of both CRMs against the oracle's.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { seededRandom } from '../src/sandbox/common/faults';
import { compareWithOracle, type Comparison } from './compare';
import { CrmEditor } from './crm';
import { EditGenerator, type OperationKind } from './chaos';
import { EditLog } from './edit-log';
import { fieldFor, loadSoakRules } from './mapping-rules';
import { computeExpectedState, SOAK_PROPERTIES } from './oracle';
import type { SoakOptions } from './options';
import { readRelayState, type OpenSyncError, type RelayStateSummary } from './relay-state';
import { freePort, RelayProcess, type RelayRun } from './relay-process';
import { startSoakSandboxes } from './sandboxes';

const repoRoot = resolve(__dirname, '../..');
/** Errors a real validation failure explains (the value itself was refused), not the bridge. */
const explainedCategories = new Set(['validation_rule', 'field_value', 'picklist']);

export interface SoakResult {
    options: SoakOptions;
    durationSeconds: number;
    edits: { logged: number; operations: Partial<Record<OperationKind, number>>; failed: string[] };
    people: number;
    relay: { starts: number; kills: number; unexpectedExits: number; hungStarts: number };
    faultsInjected: { salesforce: number; hubspot: number };
    convergence: { cycles: (RelayRun | null)[]; converged: boolean; hungRunRestart: boolean };
    comparison: Comparison;
    stuckErrors: OpenSyncError[];
    explainedErrors: OpenSyncError[];
    deadLetters: number;
    conflictsRecorded: number;
    runs: RelayStateSummary['runs'];
    /** Must-be-zero figures that are not zero (empty = pass). */
    failures: string[];
    workDir: string;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

export async function runSoak(options: SoakOptions, progress: (line: string) => void = () => {}): Promise<SoakResult> {
    const began = Date.now();
    const random = seededRandom(options.seed);
    const rules = loadSoakRules(join(repoRoot, 'config/sync-mapping.yaml'));
    const workDir = mkdtempSync(join(tmpdir(), 'bridge-soak-'));
    const port = await freePort();
    const relayDataDir = join(workDir, 'relay-data');
    const webhookSecret = 'soak-webhook-client-secret';
    const sandboxes = await startSoakSandboxes({
        dataDir: join(workDir, 'sandboxes'),
        seed: options.seed,
        webhooks: { targetUrl: `http://127.0.0.1:${port}/webhooks/hubspot`, clientSecret: webhookSecret }
    });
    const relay = new RelayProcess({
        port,
        dataDir: relayDataDir,
        workDir,
        logFile: join(workDir, 'relay.log'),
        salesforce: sandboxes.salesforce,
        hubspot: sandboxes.hubspot,
        webhookSecret,
        probeHangs: options.probeHangs
    });
    try {
        const log = new EditLog();
        const editor = await CrmEditor.connect(sandboxes, log);
        const generator = new EditGenerator({
            random,
            rules,
            editor,
            structuralBudget: Math.floor(options.people * 0.4),
            structural: options.structural,
            workers: options.workers,
            maxOperations: options.maxOperations
        });

        progress(`populating ${options.people} people on both sides`);
        await generator.populate(options.people);
        progress('starting the relay for the first sync');
        await relay.start();
        const first = await relay.waitIdle(options.cycleTimeoutSeconds * 1_000);
        if (!first || first.status !== 'completed') {
            throw new Error(
                `the first sync did not complete: ${JSON.stringify(first)} (log: ${join(workDir, 'relay.log')})`
            );
        }
        log.record({ kind: 'baseline' });
        await generator.resolveAll();

        progress(
            `chaos for ${options.seconds} s: edits, ${options.faultShare * 100}% faults, ${options.kills} SIGKILLs`
        );
        sandboxes.injectFaults(options.faultShare);
        const chaosMs = options.seconds * 1_000;
        const chaosEnd = Date.now() + chaosMs;
        const killer = (async () => {
            for (let index = 0; index < options.kills; index++) {
                const at = chaosEnd - chaosMs + ((index + 0.5 + (random() - 0.5) * 0.5) * chaosMs) / options.kills;
                await sleep(Math.max(0, at - Date.now()));
                // Kill mid-run (the case crash recovery is about): start one, or catch the one in flight.
                await relay.startRun();
                await sleep(random() * 300);
                await relay.kill();
                progress(`SIGKILL ${index + 1}/${options.kills}`);
                await sleep(300 + random() * 1_200);
                await relay.start().catch((error: unknown) => progress(`restart failed: ${(error as Error).message}`));
            }
        })();
        const trigger = (async () => {
            while (Date.now() < chaosEnd) {
                if (relay.running) await relay.startRun();
                await sleep(1_000 + random() * 2_000);
            }
        })();
        await generator.run(chaosMs);
        await Promise.all([killer, trigger]);
        sandboxes.clearFaults();
        const faultsInjected = sandboxes.faultHits();

        progress('faults off: two sync cycles');
        if (!relay.running) await relay.start();
        // A run hung on a request the faults never answered blocks the schedule; that is a finding.
        let hungRunRestart = false;
        if ((await relay.waitIdle(options.cycleTimeoutSeconds * 1_000)) === null) {
            hungRunRestart = true;
            progress('a run is still in flight after the faults stopped: SIGKILL and restart to measure the rest');
            const dump = await relay.dumpPendingPromises();
            if (dump) progress(`what the relay was waiting for: ${dump}`);
            await relay.kill();
            await relay.start();
        }
        const cycles = [
            await relay.runCycle(options.cycleTimeoutSeconds * 1_000),
            await relay.runCycle(options.cycleTimeoutSeconds * 1_000)
        ];

        progress('reading both CRMs');
        writeFileSync(join(workDir, 'edit-log.json'), `${JSON.stringify(log.entries, null, 1)}\n`);
        const expected = computeExpectedState(log.entries, rules);
        const fieldsOf = (object: 'Lead' | 'Contact') =>
            SOAK_PROPERTIES.map((property) => fieldFor(rules, object, property)?.salesforce).filter(
                (field): field is string => field !== undefined
            );
        const hubspotContacts = await editor.readHubSpot([...SOAK_PROPERTIES]);
        const comparison = compareWithOracle(
            expected,
            await editor.readSalesforce({ Lead: fieldsOf('Lead'), Contact: [...fieldsOf('Contact'), 'AccountId'] }),
            hubspotContacts,
            {
                accountCompanies: await editor.readAccountCompanies(),
                contactCompanies: await editor.readCompanyAssociations(hubspotContacts.map((contact) => contact.id))
            }
        );
        await relay.stop();
        const state = readRelayState(relayDataDir);
        const deliberateDuplicates = new Set(expected.flatMap((person) => person.excludedSalesforceIds));
        const explained = (error: OpenSyncError) =>
            explainedCategories.has(error.category) ||
            (error.category === 'duplicate' &&
                error.salesforceId !== null &&
                deliberateDuplicates.has(error.salesforceId));
        const converged = cycles.every((cycle) => cycle?.status === 'completed') && !hungRunRestart;

        const result: SoakResult = {
            options,
            durationSeconds: Math.round((Date.now() - began) / 1_000),
            edits: {
                logged: log.entries.filter((entry) => entry.kind !== 'baseline').length,
                operations: Object.fromEntries(generator.operations),
                failed: generator.failures
            },
            people: generator.people.length,
            relay: {
                starts: relay.starts,
                kills: relay.kills,
                unexpectedExits: relay.unexpectedExits,
                hungStarts: relay.hungStarts
            },
            faultsInjected,
            convergence: { cycles, converged, hungRunRestart },
            comparison,
            stuckErrors: state.openErrors.filter((error) => !explained(error)),
            explainedErrors: state.openErrors.filter(explained),
            deadLetters: state.deadLetters,
            conflictsRecorded: state.conflictsRecorded,
            runs: state.runs,
            failures: [],
            workDir
        };
        result.failures = mustBeZeroFailures(result);
        return result;
    } finally {
        await relay.stop();
        await sandboxes.close();
        if (!options.keep) rmSync(workDir, { recursive: true, force: true });
    }
}

/** The figures the issue requires to be zero (or true), each named when it is not. */
export function mustBeZeroFailures(result: SoakResult): string[] {
    const failures: string[] = [];
    const { comparison } = result;
    if (!result.convergence.converged)
        failures.push('did not converge within two sync cycles after the faults stopped');
    if (comparison.lostUpdates.length > 0) failures.push(`${comparison.lostUpdates.length} lost updates`);
    if (comparison.missingRecords.length > 0) failures.push(`${comparison.missingRecords.length} missing records`);
    if (comparison.wrongAssociations.length > 0)
        failures.push(`${comparison.wrongAssociations.length} wrong company associations`);
    if (comparison.duplicateRecords.length > 0)
        failures.push(`${comparison.duplicateRecords.length} duplicate records`);
    if (comparison.resurrected.length > 0) failures.push(`${comparison.resurrected.length} deleted records re-created`);
    if (result.stuckErrors.length > 0) failures.push(`${result.stuckErrors.length} records stuck in error`);
    if (result.edits.failed.length > 0) failures.push(`${result.edits.failed.length} soak edits the CRMs refused`);
    return failures;
}
