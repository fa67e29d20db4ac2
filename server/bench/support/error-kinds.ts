/** Sync errors grouped by kind (mapping, category and message with ids and numbers blanked), most frequent first. */
import type { SyncErrorInput } from '../../src/state/store';

export interface ErrorKind {
    kind: string;
    count: number;
}

export function errorKinds(errors: readonly Pick<SyncErrorInput, 'mappingId' | 'category' | 'message'>[]): ErrorKind[] {
    const counts = new Map<string, number>();
    for (const error of errors) {
        const message = error.message.replace(/[0-9A-Za-z]{15,18}|\d+/g, '#').slice(0, 90);
        const kind = `${error.mappingId} ${error.category}: ${message}`;
        counts.set(kind, (counts.get(kind) ?? 0) + 1);
    }
    return [...counts]
        .map(([kind, count]) => ({ kind, count }))
        .sort((left, right) => right.count - left.count || left.kind.localeCompare(right.kind));
}
