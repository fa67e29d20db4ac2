/**
 * `npm run package:check`: converts the Salesforce package source, validates every metadata file against
 * the Metadata API schema, resolves what the permission sets reference and parses every Apex file.
 * Prints one line per check and exits non-zero listing every problem.
 */
import { resolve } from 'node:path';
import { runPackageChecks } from '../src/package-checks/package-checks';

async function main(): Promise<number> {
    const projectRoot = resolve(__dirname, '..', '..');
    const outcomes = await runPackageChecks(projectRoot);
    for (const outcome of outcomes) {
        const verdict = outcome.problems.length === 0 ? 'ok' : `${outcome.problems.length} problem(s)`;
        console.log(`${outcome.name}: ${verdict} (${outcome.subject}, ${Math.round(outcome.durationMs)} ms)`);
    }
    const problems = outcomes.flatMap((outcome) => outcome.problems.map((problem) => `[${outcome.name}] ${problem}`));
    if (problems.length > 0) {
        console.error(`\npackage:check failed:\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
        return 1;
    }
    return 0;
}

main().then(
    (exitCode) => {
        process.exitCode = exitCode;
    },
    (error: unknown) => {
        console.error('package:check could not run:', error instanceof Error ? error.message : error);
        process.exitCode = 2;
    }
);
