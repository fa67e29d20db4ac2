/** Pure event-list logic of the timeline: merge, order, filter, page. */
import type { TimelineEvent, TimelineEventType } from '../contract/timeline';
import { type TimelineCursor, encodeCursor } from './cursor';

/** Newest first; ties broken by eventId (descending) so the order is total and stable across pages. */
export function compareNewestFirst(a: Pick<TimelineEvent, 'occurredAt' | 'eventId'>, b: typeof a): number {
    const byTime = Date.parse(b.occurredAt) - Date.parse(a.occurredAt);
    if (byTime !== 0) return byTime;
    return a.eventId < b.eventId ? 1 : a.eventId > b.eventId ? -1 : 0;
}

/** One ordered list from several sources; an eventId seen twice keeps its first occurrence. */
export function mergeEvents(lists: readonly (readonly TimelineEvent[])[]): TimelineEvent[] {
    const seen = new Set<string>();
    const merged: TimelineEvent[] = [];
    for (const event of lists.flat()) {
        if (seen.has(event.eventId)) continue;
        seen.add(event.eventId);
        merged.push(event);
    }
    return merged.sort(compareNewestFirst);
}

export interface PageRequest {
    types?: readonly TimelineEventType[];
    after?: TimelineCursor | null;
    pageSize: number;
}

export function pageEvents(
    ordered: readonly TimelineEvent[],
    request: PageRequest
): { events: TimelineEvent[]; nextCursor: string | null } {
    const types = request.types ? new Set(request.types) : null;
    const after = request.after;
    const remaining = ordered.filter(
        (event) => (!types || types.has(event.eventType)) && (!after || compareNewestFirst(event, after) > 0)
    );
    const events = remaining.slice(0, request.pageSize);
    const last = events.at(-1);
    return { events, nextCursor: remaining.length > events.length && last ? encodeCursor(last) : null };
}
