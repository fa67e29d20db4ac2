/** The soak's table for the terminal and its JSON figures. */
import { textTable } from '../src/shared/text-table';
import type { SoakResult } from './run-soak';

const status = (value: number, mustBeZero: boolean) => (mustBeZero ? (value === 0 ? 'ok' : 'FAIL') : '');

export function soakTable(result: SoakResult): string {
    const { comparison } = result;
    const operations = Object.entries(result.edits.operations)
        .map(([kind, count]) => `${kind} ${count}`)
        .join(', ');
    const rows: string[][] = [
        ['figure', 'value', 'must be 0'],
        ['lost updates', String(comparison.lostUpdates.length), status(comparison.lostUpdates.length, true)],
        [
            'duplicate records',
            String(comparison.duplicateRecords.length),
            status(comparison.duplicateRecords.length, true)
        ],
        [
            'deleted records re-created',
            String(comparison.resurrected.length),
            status(comparison.resurrected.length, true)
        ],
        ['missing records', String(comparison.missingRecords.length), status(comparison.missingRecords.length, true)],
        [
            'wrong company associations',
            `${comparison.wrongAssociations.length} (of ${comparison.associationsCompared} contacts with an Account)`,
            status(comparison.wrongAssociations.length, true)
        ],
        ['records stuck in error', String(result.stuckErrors.length), status(result.stuckErrors.length, true)],
        ['soak edits refused by a CRM', String(result.edits.failed.length), status(result.edits.failed.length, true)],
        ['errors explained by validation', String(result.explainedErrors.length), ''],
        ['dead letters', String(result.deadLetters), ''],
        [
            'converged within two cycles',
            result.convergence.converged ? 'yes' : 'no',
            result.convergence.converged ? 'ok' : 'FAIL'
        ],
        ['people / fields compared', `${comparison.peopleCompared} / ${comparison.fieldsCompared}`, ''],
        ['edits logged', String(result.edits.logged), ''],
        [
            'relay starts / SIGKILLs / crashes',
            `${result.relay.starts} / ${result.relay.kills} / ${result.relay.unexpectedExits}`,
            ''
        ],
        [
            'faults injected (SF / HubSpot)',
            `${result.faultsInjected.salesforce} / ${result.faultsInjected.hubspot}`,
            ''
        ],
        [
            'runs completed / failed / cut off (recovered)',
            `${result.runs.completed} / ${result.runs.failed} / ${result.runs.interrupted} (${result.runs.recovered})`,
            ''
        ],
        ['conflicts recorded', String(result.conflictsRecorded), ''],
        ['wall time (s)', String(result.durationSeconds), '']
    ];
    const details: string[] = [];
    const list = (title: string, items: string[]) => {
        if (items.length === 0) return;
        details.push(`${title}:`, ...items.slice(0, 15).map((item) => `  ${item}`));
        if (items.length > 15) details.push(`  … and ${items.length - 15} more (see --json)`);
    };
    list(
        'Lost updates',
        comparison.lostUpdates.map(
            (m) =>
                `${m.person} ${m.property} (${m.rule}): expected ${JSON.stringify(m.expected)}, ` +
                `Salesforce ${JSON.stringify(m.salesforce)}, HubSpot ${JSON.stringify(m.hubspot)}`
        )
    );
    list('Duplicate records', comparison.duplicateRecords);
    list('Re-created after delete/merge', comparison.resurrected);
    list('Missing records', comparison.missingRecords);
    list('Wrong company associations', comparison.wrongAssociations);
    list(
        'Stuck in error',
        result.stuckErrors.map(
            (e) =>
                `${e.category} ${e.mappingId} ${e.salesforceId ?? ''}/${e.hubspotId ?? ''} ${e.field ?? ''}: ${e.message}`
        )
    );
    list('Soak edits refused', result.edits.failed);
    return [
        `Soak (seed ${result.options.seed}, ${result.options.seconds} s of chaos, ${result.people} people; ${operations})`,
        textTable(rows),
        ...details,
        result.failures.length === 0 ? 'PASS' : `FAIL: ${result.failures.join('; ')}`
    ].join('\n');
}

export function soakJson(result: SoakResult) {
    return {
        seed: result.options.seed,
        seconds: result.options.seconds,
        lostUpdates: result.comparison.lostUpdates.length,
        duplicateRecords: result.comparison.duplicateRecords.length,
        resurrectedRecords: result.comparison.resurrected.length,
        missingRecords: result.comparison.missingRecords.length,
        wrongAssociations: result.comparison.wrongAssociations.length,
        associationsCompared: result.comparison.associationsCompared,
        stuckInError: result.stuckErrors.length,
        explainedErrors: result.explainedErrors.length,
        deadLetters: result.deadLetters,
        converged: result.convergence.converged,
        hungRunRestart: result.convergence.hungRunRestart,
        cyclesCompleted: result.convergence.cycles.filter((cycle) => cycle?.status === 'completed').length,
        pass: result.failures.length === 0,
        failures: result.failures,
        details: {
            lostUpdates: result.comparison.lostUpdates,
            duplicateRecords: result.comparison.duplicateRecords,
            resurrected: result.comparison.resurrected,
            missingRecords: result.comparison.missingRecords,
            wrongAssociations: result.comparison.wrongAssociations,
            stuckErrors: result.stuckErrors,
            editFailures: result.edits.failed
        },
        edits: result.edits.operations,
        editsLogged: result.edits.logged,
        relay: result.relay,
        faultsInjected: result.faultsInjected,
        runs: result.runs,
        cycles: result.convergence.cycles,
        conflictsRecorded: result.conflictsRecorded,
        durationSeconds: result.durationSeconds
    };
}
