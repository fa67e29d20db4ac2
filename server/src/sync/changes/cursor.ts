/**
 * Incremental-read cursors: the last (modified timestamp, record ID) seen. The ID breaks ties, because
 * bulk updates give thousands of records one timestamp, and a lookback window re-reads recent changes
 * that committed late (re-reading is cheap: unchanged values hash equal and plan to nothing).
 */
export interface CursorPosition {
    /** ISO-8601 instant. */
    modifiedAt: string;
    id: string;
}

export function compareCursorPositions(left: CursorPosition, right: CursorPosition): number {
    const byTime = Date.parse(left.modifiedAt) - Date.parse(right.modifiedAt);
    if (byTime !== 0) return byTime;
    return left.id < right.id ? -1 : left.id > right.id ? 1 : 0;
}

/** The furthest position among the current one and the records just read. */
export function advanceCursor(
    current: CursorPosition | undefined,
    records: Iterable<CursorPosition>
): CursorPosition | undefined {
    let furthest = current;
    for (const record of records) {
        if (Number.isNaN(Date.parse(record.modifiedAt))) {
            throw new Error(`record ${record.id} has no valid modified timestamp: ${record.modifiedAt}`);
        }
        if (!furthest || compareCursorPositions(record, furthest) > 0) {
            furthest = { modifiedAt: new Date(record.modifiedAt).toISOString(), id: record.id };
        }
    }
    return furthest;
}

/** The instant the next read starts from: the cursor minus the lookback window. */
export function readWindowStart(position: CursorPosition, lookbackSeconds: number): Date {
    if (!Number.isInteger(lookbackSeconds) || lookbackSeconds < 0) {
        throw new Error(`lookback must be a whole number of seconds ≥ 0, not ${lookbackSeconds}`);
    }
    return new Date(Date.parse(position.modifiedAt) - lookbackSeconds * 1000);
}

/**
 * How long after a change a read may still miss it: Salesforce stamps whole seconds, so the second a
 * read ran in can still gain records with lower IDs, and HubSpot's search index trails its writes.
 */
export const unsettledMs = 5_000;

/**
 * The cursor to save after a read that started at `readAt`. A position inside the unsettled span is
 * pulled back to the span's first whole second with no ID (`''`: the whole second is read again), so
 * the next read takes that span once more; its unchanged records plan to nothing.
 */
export function settledCursor(position: CursorPosition, readAt: Date, marginMs = unsettledMs): CursorPosition {
    const settledUntil = readAt.getTime() - marginMs;
    if (Date.parse(position.modifiedAt) < settledUntil) return position;
    return { modifiedAt: new Date(settledUntil - (settledUntil % 1000)).toISOString(), id: '' };
}
