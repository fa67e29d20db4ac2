/**
 * Turns stored runs into what operators read: duration, records per object and outcome, throughput.
 *
 * Run counters follow one naming convention: `<object>.<outcome>` (`Contact.updated`, `contacts.created`,
 * `Lead.excluded`) counts records; names without a dot (`batches`, `webhookEvents`) are other totals and
 * are shown as they are but not counted as records.
 */
import type { Run } from '../state/store';
import type { RunView } from './views';

export function runView(run: Run, now: Date): RunView {
    const started = Date.parse(run.startedAt);
    const ended = run.endedAt === null ? now.getTime() : Date.parse(run.endedAt);
    const durationSeconds = Math.max(0, (ended - started) / 1000);
    const byObject: Record<string, Record<string, number>> = {};
    let records = 0;
    for (const [name, count] of Object.entries(run.counts)) {
        const dot = name.lastIndexOf('.');
        if (dot <= 0 || dot === name.length - 1) continue;
        const object = name.slice(0, dot);
        const outcome = name.slice(dot + 1);
        byObject[object] = { ...byObject[object], [outcome]: count };
        records += count;
    }
    return {
        id: run.id,
        mode: run.mode,
        status: run.status,
        startedAt: run.startedAt,
        endedAt: run.endedAt,
        durationSeconds,
        counts: run.counts,
        byObject,
        records,
        // A run shorter than a tenth of a second says nothing about throughput.
        recordsPerSecond: durationSeconds >= 0.1 ? Math.round((records / durationSeconds) * 100) / 100 : null,
        apiCalls: run.apiCalls,
        error: run.error
    };
}
