/**
 * The V8 flags the bridge's engine process runs with in production: those `npm start` passes to tsx
 * (a heap cap, for instance). The engine processes of the peak-RSS measurement get the same, so the
 * measured peak is the one a deployment would see.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The `--max-…` V8 flags of a script's command line, e.g. `tsx --max-old-space-size=160 main.ts`. */
export function v8FlagsOf(command: string): string[] {
    return command.split(/\s+/).filter((token) => /^--max-[a-z-]+=\d+$/.test(token));
}

export function productionEngineFlags(): string[] {
    const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
        scripts?: Record<string, string>;
    };
    const start = manifest.scripts?.start;
    if (start === undefined) throw new Error('package.json has no start script to take the engine flags from');
    return v8FlagsOf(start);
}
