import { TokenBucketLimiter } from './rate-limit';

describe('TokenBucketLimiter', () => {
    it('allows a burst, then one request per refill interval, per client', () => {
        let now = 0;
        const limiter = new TokenBucketLimiter({ perMinute: 60, burst: 3, now: () => now });
        expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([0, 0, 0]);
        expect(limiter.take('a')).toBe(1000);
        expect(limiter.take('b')).toBe(0);
        now = 500;
        expect(limiter.take('a')).toBe(500);
        now = 1000;
        expect(limiter.take('a')).toBe(0);
        now = 60_000;
        expect([limiter.take('a'), limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([0, 0, 0, 1000]);
    });

    it('forgets the least recently seen clients beyond its bound', () => {
        const limiter = new TokenBucketLimiter({ perMinute: 1, burst: 1, maxClients: 2, now: () => 0 });
        limiter.take('a');
        limiter.take('b');
        limiter.take('c');
        // 'a' was evicted, so it starts with a full bucket again; 'c' is still remembered.
        expect(limiter.take('a')).toBe(0);
        expect(limiter.take('c')).toBeGreaterThan(0);
    });
});
