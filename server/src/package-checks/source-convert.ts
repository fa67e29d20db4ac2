/**
 * Runs `sf project convert source` into a temporary folder, the same conversion a deploy or a package
 * version build performs first, and reports its errors. The CLI runs on this process's Node (the
 * project's Node 24) rather than through its shebang, and with every network-touching hook switched off.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { z } from 'zod';

const execFileAsync = promisify(execFile);

/** Keeps the CLI offline and quiet: no telemetry, update checks, release notes or plugin installs. */
export const offlineCliEnvironment: Readonly<Record<string, string>> = {
    SF_DISABLE_TELEMETRY: 'true',
    SF_AUTOUPDATE_DISABLE: 'true',
    SF_SKIP_NEW_VERSION_CHECK: 'true',
    SF_HIDE_RELEASE_NOTES: 'true',
    SF_HIDE_RELEASE_NOTES_FOOTER: 'true',
    SF_DISABLE_AUTOUPDATE: 'true',
    SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
    SFDX_DISABLE_DNS_CHECK: 'true'
};

const ConvertOutput = z.object({
    status: z.number(),
    message: z.string().optional(),
    name: z.string().optional(),
    /** The CLI's suggestions; the first one usually names the likely fix ("Did you mean ..."). */
    actions: z.array(z.string()).optional()
});

export interface ConvertResult {
    readonly problems: string[];
    readonly durationMs: number;
}

export async function convertSource(projectRoot: string, packageDirectory: string): Promise<ConvertResult> {
    const started = performance.now();
    const outputRoot = await mkdtemp(join(tmpdir(), 'package-check-'));
    // The package exports only its library entry (dist/index.js); the executable sits beside it in bin/.
    const cli = join(dirname(require.resolve('@salesforce/cli')), '..', 'bin', 'run.js');
    const args = [cli, 'project', 'convert', 'source', '--root-dir', packageDirectory];
    args.push('--output-dir', join(outputRoot, 'mdapi'), '--json');
    try {
        const { stdout } = await execFileAsync(process.execPath, args, {
            cwd: projectRoot,
            env: { ...process.env, ...offlineCliEnvironment },
            maxBuffer: 16 * 1024 * 1024
        }).catch((failure: { stdout?: string; stderr?: string; message: string }) => {
            // A failed conversion exits non-zero but still prints its JSON result on stdout.
            if (failure.stdout) return { stdout: failure.stdout };
            throw new Error(`sf project convert source did not run: ${failure.stderr || failure.message}`);
        });
        return { problems: problemsFrom(stdout), durationMs: performance.now() - started };
    } finally {
        await rm(outputRoot, { recursive: true, force: true });
    }
}

export function problemsFrom(stdout: string): string[] {
    let json: unknown;
    try {
        json = JSON.parse(stdout);
    } catch {
        return [`sf project convert source printed no JSON result: ${stdout.slice(0, 500)}`];
    }
    const parsed = ConvertOutput.safeParse(json);
    if (!parsed.success) return [`Unexpected sf project convert source result: ${stdout.slice(0, 500)}`];
    const { status, name, message, actions } = parsed.data;
    if (status === 0) return [];
    const hint = actions?.find((action) => action.trim() !== '');
    return [`${name ?? 'Error'}: ${message ?? 'conversion failed'}${hint ? ` (${hint.trim()})` : ''}`];
}
