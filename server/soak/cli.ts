/**
 * `npm run soak -- [--seconds N] [--seed S] [--json FILE]`: the chaos soak. Prints one table; exits 1
 * when a must-be-zero figure is not zero, 2 on bad options.
 */
import { writeFileSync } from 'node:fs';
import { parseSoakArgs, soakUsage, SoakUsageError } from './options';
import { soakJson, soakTable } from './report';
import { runSoak } from './run-soak';

async function main(): Promise<number> {
    const options = parseSoakArgs(process.argv.slice(2));
    const result = await runSoak(options, (line) => process.stderr.write(`[soak] ${line}\n`));
    process.stdout.write(`${soakTable(result)}\n`);
    if (options.json) writeFileSync(options.json, `${JSON.stringify(soakJson(result), null, 2)}\n`);
    if (options.keep) process.stderr.write(`[soak] working folder kept: ${result.workDir}\n`);
    return result.failures.length === 0 ? 0 : 1;
}

main().then(
    (code) => process.exit(code),
    (error: unknown) => {
        if (error instanceof SoakUsageError) {
            process.stderr.write(`${error.message}\n\n${soakUsage}\n`);
            process.exit(2);
        }
        process.stderr.write(`The soak could not run: ${error instanceof Error ? error.stack : String(error)}\n`);
        process.exit(2);
    }
);
