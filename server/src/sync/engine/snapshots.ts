/**
 * A window's snapshots. The state store materialises (and validates) every row of a read, one per field
 * of each record, before it builds its map, which costs several times the map itself: records are read a
 * few hundred at a time, and each record once per window; the window's later steps get the same objects.
 */
import type { FieldSnapshot } from '../plan/plan-record';
import type { StateStore } from '../../state/store';

/** 100 records of 25 fields: 2,500 rows per read, garbage before the young generation fills. */
const recordsPerRead = 100;

export type RecordSnapshots = Map<string, Record<string, FieldSnapshot>>;

function readSnapshots(store: StateStore, salesforceObject: string, ids: readonly string[]): RecordSnapshots {
    const found: RecordSnapshots = new Map();
    for (let start = 0; start < ids.length; start += recordsPerRead) {
        const read = store.snapshotsFor(salesforceObject, ids.slice(start, start + recordsPerRead));
        for (const [id, snapshots] of read) found.set(id, snapshots);
    }
    return found;
}

/**
 * One window's snapshots, each record's read by the first step that needs them. Valid while nothing saves
 * snapshots of these records, i.e. until the window's writes.
 */
export class WindowSnapshots {
    /** By object, then record; `undefined` marks a record read that has none (never synced). */
    private readonly known = new Map<string, Map<string, Record<string, FieldSnapshot> | undefined>>();

    constructor(private readonly store: StateStore) {}

    of(salesforceObject: string, ids: Iterable<string>): RecordSnapshots {
        let known = this.known.get(salesforceObject);
        if (!known) {
            known = new Map();
            this.known.set(salesforceObject, known);
        }
        const wanted = [...new Set(ids)];
        const missing = wanted.filter((id) => !known.has(id));
        const read = readSnapshots(this.store, salesforceObject, missing);
        for (const id of missing) known.set(id, read.get(id));
        const found: RecordSnapshots = new Map();
        for (const id of wanted) {
            const snapshots = known.get(id);
            if (snapshots) found.set(id, snapshots);
        }
        return found;
    }
}
