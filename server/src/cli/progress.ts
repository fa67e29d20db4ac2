/**
 * What `npm run sync` shows while a run works: a cli-progress bar on a terminal, one plain line per step
 * otherwise (CI logs, pipes), where redrawn bars would only add noise.
 */
import { Presets, SingleBar } from 'cli-progress';

import type { SyncProgress } from '../sync/engine/context';

export interface ProgressDisplay {
    onProgress(progress: SyncProgress): void;
    /** Ends a bar still drawn (a run that failed or stopped early), so the summary starts on a clean line. */
    stop(): void;
}

/** `companies (account_to_company)` for a record group, the phase name otherwise. */
export function describeStep(progress: SyncProgress): string {
    if (progress.phase !== 'records') return progress.phase;
    const mappings = progress.mappingIds?.length ? ` (${progress.mappingIds.join(', ')})` : '';
    return `records: ${progress.objectType ?? ''}${mappings}`;
}

/** `[2/6] records: companies (account_to_company), 0 records read so far`: one line as each step starts. */
export function progressLine(progress: SyncProgress): string {
    return `[${progress.step}/${progress.totalSteps}] ${describeStep(progress)}, ${progress.recordsRead} records read so far`;
}

/** stderr when it is a terminal: the bar never mixes into stdout, which scripts may read. */
export function stderrIfTerminal(): NodeJS.WritableStream | null {
    return process.stderr.isTTY ? process.stderr : null;
}

export function lineProgress(write: (line: string) => void): ProgressDisplay {
    return {
        onProgress(progress) {
            if (progress.state === 'started') write(progressLine(progress));
        },
        stop() {}
    };
}

export function barProgress(stream: NodeJS.WritableStream): ProgressDisplay {
    let bar: SingleBar | undefined;
    const stop = () => {
        bar?.stop();
        bar = undefined;
    };
    return {
        onProgress(progress) {
            const payload = { phase: describeStep(progress), records: progress.recordsRead, run: progress.runId };
            if (!bar) {
                bar = new SingleBar(
                    {
                        stream,
                        format: 'Run {run} {bar} {value}/{total} steps | {phase} | {records} records read',
                        hideCursor: true,
                        clearOnComplete: false
                    },
                    Presets.shades_classic
                );
                bar.start(progress.totalSteps, 0, payload);
            }
            const done = progress.state === 'finished' ? progress.step : progress.step - 1;
            bar.update(done, payload);
            if (progress.state === 'finished' && progress.step === progress.totalSteps) stop();
        },
        stop
    };
}
