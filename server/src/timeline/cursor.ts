/**
 * Opaque paging cursors: base64url JSON of the last event shown, `{occurredAt, eventId}`. Newest-first
 * order is (occurredAt desc, eventId desc), so the cursor pins a position that stays valid when newer
 * events arrive between pages.
 */
import { z } from 'zod';
import type { TimelineEvent } from '../contract/timeline';

const CursorPayload = z.strictObject({
    occurredAt: z.iso.datetime({ offset: true }),
    eventId: z.string().min(1).max(300)
});
export type TimelineCursor = z.infer<typeof CursorPayload>;

export function encodeCursor(event: Pick<TimelineEvent, 'occurredAt' | 'eventId'>): string {
    const payload: TimelineCursor = { occurredAt: event.occurredAt, eventId: event.eventId };
    return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

/** Returns null for anything that is not a cursor this relay issued (wrong alphabet, JSON or shape). */
export function decodeCursor(cursor: string): TimelineCursor | null {
    if (!/^[A-Za-z0-9_-]{1,512}$/.test(cursor)) return null;
    let json: unknown;
    try {
        json = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    } catch {
        return null;
    }
    const parsed = CursorPayload.safeParse(json);
    return parsed.success ? parsed.data : null;
}
