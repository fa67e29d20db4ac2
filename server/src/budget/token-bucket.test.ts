import { newBucket, reconcile, refill, takeTokens, waitForTokens } from './token-bucket';

describe('token bucket', () => {
    const bucket = newBucket(100, 10_000, 0);

    it('refills linearly up to its capacity', () => {
        const drained = takeTokens(bucket, 0, 100);
        expect(refill(drained, 1_000).tokens).toBe(10);
        expect(refill(drained, 60_000).tokens).toBe(100);
    });

    it.each([
        // tokens taken at 0, needed, reserved, wait at 0
        [0, 1, 0, 0],
        [100, 1, 0, 100],
        [100, 10, 0, 1_000],
        [95, 10, 0, 500],
        [80, 1, 30, 1_100],
        [120, 1, 0, 2_100]
    ])('after taking %i, %i calls with %i reserved wait %i ms', (taken, needed, reserved, wait) => {
        expect(waitForTokens(takeTokens(bucket, 0, taken), 0, needed, reserved)).toBe(wait);
    });

    it('refuses what can never fit', () => {
        expect(() => waitForTokens(bucket, 0, 90, 20)).toThrow(/90 calls at once can never fit a bucket of 100/);
        expect(() => newBucket(0, 1_000, 0)).toThrow(RangeError);
    });

    it('follows the server: resized by its headers and never more optimistic than its remaining count', () => {
        const resized = reconcile(bucket, 0, { capacity: 190, intervalMs: 10_000, remaining: 150 });
        expect(resized).toEqual({ capacity: 190, intervalMs: 10_000, tokens: 150, updatedAtMs: 0 });
        expect(reconcile(resized, 0, { remaining: 40 }).tokens).toBe(40);
        expect(reconcile(reconcile(resized, 0, { remaining: 40 }), 0, { remaining: 120 }).tokens).toBe(40);
        // Resized without a count: the 10 already used stay used.
        expect(reconcile(takeTokens(bucket, 0, 10), 0, { capacity: 50 }).tokens).toBe(40);
        expect(refill(resized, 10_000).tokens).toBe(190);
    });
});
