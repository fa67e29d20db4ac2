/**
 * Another process's peak RSS from Linux's /proc (VmHWM, the high-water mark of its resident set): the
 * engine process reports its own peak when it finishes, but one that crashes (out of heap) cannot.
 */
import { readFileSync } from 'node:fs';

/** VmHWM in MB from the text of /proc/<pid>/status, or undefined when it has none. */
export function highWaterMarkMb(status: string): number | undefined {
    const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(status);
    return match ? Number(match[1]) / 1024 : undefined;
}

/** The process's peak RSS so far, or undefined where /proc is not there (not Linux, or the process ended). */
export function peakRssOfProcess(pid: number): number | undefined {
    try {
        return highWaterMarkMb(readFileSync(`/proc/${pid}/status`, 'utf8'));
    } catch {
        return undefined;
    }
}
