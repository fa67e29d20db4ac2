import { decodeCursor, encodeCursor } from './cursor';
import { TtlCache } from './ttl-cache';

describe('timeline cursors', () => {
    it('round-trips the last event position', () => {
        const cursor = encodeCursor({ occurredAt: '2026-11-19T15:41:00.000Z', eventId: 'PAGE_VIEW:pv-881' });
        expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(decodeCursor(cursor)).toEqual({ occurredAt: '2026-11-19T15:41:00.000Z', eventId: 'PAGE_VIEW:pv-881' });
    });

    it.each([
        ['not base64url', 'abc+/='],
        ['not JSON', Buffer.from('{"occurredAt":').toString('base64url')],
        ['wrong shape', Buffer.from('{"before":"2026-08-02T10:05:00.000Z"}').toString('base64url')],
        [
            'extra field',
            Buffer.from(JSON.stringify({ occurredAt: '2026-11-19T15:41:00.000Z', eventId: 'x', admin: true })).toString(
                'base64url'
            )
        ],
        ['not a date', Buffer.from(JSON.stringify({ occurredAt: 'yesterday', eventId: 'x' })).toString('base64url')],
        ['empty', '']
    ])('rejects a cursor that is %s', (_case, cursor) => {
        expect(decodeCursor(cursor)).toBeNull();
    });
});

describe('TtlCache', () => {
    it('expires entries and evicts the least recently used', () => {
        let now = 0;
        const cache = new TtlCache<number>(1000, 2, () => now);
        cache.set('a', 1);
        cache.set('b', 2);
        expect(cache.get('a')).toBe(1);
        cache.set('c', 3);
        expect(cache.get('b')).toBeUndefined();
        expect(cache.get('a')).toBe(1);
        now = 1000;
        expect(cache.get('c')).toBeUndefined();
        expect(cache.size).toBe(1);
    });
});
