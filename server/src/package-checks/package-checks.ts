/**
 * The checks `npm run package:check` runs on the Salesforce package directory: the source converts to
 * Metadata API format, every `-meta.xml` is valid against the Metadata API schema, permission sets only
 * name components that exist and grant combinations Salesforce accepts, and every Apex class and trigger
 * parses. Each check reports what it looked at, how long it took and every problem it found.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { apexSourceKindOf, findApexSyntaxProblems } from './apex-syntax';
import { isMetadataXmlFile, metadataTypeOf } from './metadata-file-types';
import { loadMetadataSchema } from './metadata-schema';
import { packageInventory, permissionSetProblems } from './permission-set-references';
import { MetadataXmlValidator } from './metadata-validator';
import { convertSource } from './source-convert';

export interface CheckOutcome {
    readonly name: string;
    /** What was checked, e.g. `44 files`. */
    readonly subject: string;
    readonly durationMs: number;
    /** One line per problem, `file:line:column message` where a position is known. */
    readonly problems: readonly string[];
}

async function listFiles(directory: string): Promise<string[]> {
    const entries = await readdir(directory, { recursive: true, withFileTypes: true });
    return entries
        .filter((entry) => entry.isFile())
        .map((entry) => join(entry.parentPath, entry.name))
        .sort();
}

async function timed(name: string, run: () => Promise<{ subject: string; problems: string[] }>): Promise<CheckOutcome> {
    const started = performance.now();
    try {
        const { subject, problems } = await run();
        return { name, subject, problems, durationMs: performance.now() - started };
    } catch (error) {
        // A check that cannot run is a failed check, reported with the others rather than thrown.
        const reason = error instanceof Error ? error.message : String(error);
        return {
            name,
            subject: 'not run',
            problems: [`could not run: ${reason}`],
            durationMs: performance.now() - started
        };
    }
}

export async function checkMetadataSchema(projectRoot: string, files: readonly string[]): Promise<CheckOutcome> {
    return timed('metadata schema', async () => {
        const validator = new MetadataXmlValidator(loadMetadataSchema());
        const metadataFiles = files.filter(isMetadataXmlFile);
        const problems: string[] = [];
        for (const file of metadataFiles) {
            const shown = relative(projectRoot, file);
            const type = metadataTypeOf(file);
            if (!type) {
                problems.push(`${shown}: unknown kind of metadata file; add its suffix to metadata-file-types.ts`);
                continue;
            }
            for (const problem of validator.validate(await readFile(file, 'utf8'), type)) {
                const where = problem.path ? ` ${problem.path}:` : '';
                problems.push(`${shown}:${problem.line}:${problem.column}${where} ${problem.message}`);
            }
        }
        return { subject: `${metadataFiles.length} -meta.xml files`, problems };
    });
}

export async function checkPermissionSetReferences(
    projectRoot: string,
    files: readonly string[]
): Promise<CheckOutcome> {
    return timed('permission set references', async () => {
        const sourcesOf = async (suffix: string) =>
            new Map(
                await Promise.all(
                    files
                        .filter((file) => file.endsWith(suffix))
                        .map(async (file) => [file, await readFile(file, 'utf8')] as const)
                )
            );
        const inventory = packageInventory(files, await sourcesOf('.externalCredential-meta.xml'));
        const permissionSets = await sourcesOf('.permissionset-meta.xml');
        const problems: string[] = [];
        for (const [file, xml] of permissionSets) {
            for (const problem of permissionSetProblems(xml, inventory)) {
                problems.push(
                    `${relative(projectRoot, file)}:${problem.line}:${problem.column} ${problem.path}: ${problem.message}`
                );
            }
        }
        return { subject: `${permissionSets.size} permission sets`, problems };
    });
}

export async function checkApexSyntax(projectRoot: string, files: readonly string[]): Promise<CheckOutcome> {
    return timed('apex syntax', async () => {
        const apexFiles = files.filter((file) => apexSourceKindOf(file) !== undefined);
        const problems: string[] = [];
        for (const file of apexFiles) {
            const kind = apexSourceKindOf(file);
            if (!kind) continue;
            for (const problem of findApexSyntaxProblems(await readFile(file, 'utf8'), kind)) {
                problems.push(`${relative(projectRoot, file)}:${problem.line}:${problem.column} ${problem.message}`);
            }
        }
        return { subject: `${apexFiles.length} classes and triggers`, problems };
    });
}

export async function checkSourceConverts(projectRoot: string, packageDirectory: string): Promise<CheckOutcome> {
    return timed('sf project convert source', async () => {
        const { problems } = await convertSource(projectRoot, packageDirectory);
        return { subject: packageDirectory, problems };
    });
}

/** Runs every check; the CLI conversion is a child process, so it overlaps with the in-process checks. */
export async function runPackageChecks(projectRoot: string, packageDirectory = 'force-app'): Promise<CheckOutcome[]> {
    const conversion = checkSourceConverts(projectRoot, packageDirectory);
    const files = await listFiles(join(projectRoot, packageDirectory));
    const schema = await checkMetadataSchema(projectRoot, files);
    const references = await checkPermissionSetReferences(projectRoot, files);
    const apex = await checkApexSyntax(projectRoot, files);
    return [await conversion, schema, references, apex];
}
