import { BackoffPolicy, backoffDelayMs, parseRetryAfter } from './backoff';

const policy = BackoffPolicy.parse({ baseMs: 1_000, capMs: 30_000 });
const constant = (value: number) => () => value;

describe('backoffDelayMs', () => {
    it.each([
        // attempt, random, retryAfterMs, expected
        [1, 0, undefined, 0],
        [1, 0.999, undefined, 999],
        [2, 0.5, undefined, 1_000],
        [3, 0.5, undefined, 2_000],
        [5, 0.999, undefined, 15_984],
        [6, 0.999, undefined, 29_970],
        [40, 0.999, undefined, 29_970],
        [10_000, 0.5, undefined, 15_000],
        [1, 0.5, 5_000, 5_000],
        [6, 0.999, 5_000, 29_970],
        [2, 0.1, 120_000, 120_000]
    ])('attempt %i with random %d and Retry-After %p waits %i ms', (attempt, random, retryAfterMs, expected) => {
        expect(backoffDelayMs(attempt, policy, constant(random), retryAfterMs)).toBe(expected);
    });

    it.each([0, -1, 1.5, Number.NaN])('refuses attempt %p', (attempt) => {
        expect(() => backoffDelayMs(attempt, policy, constant(0))).toThrow(/attempt must be a positive integer/);
    });

    it('fills its defaults and validates its bounds', () => {
        expect(BackoffPolicy.parse({})).toEqual({ baseMs: 1_000, capMs: 900_000 });
        expect(() => BackoffPolicy.parse({ baseMs: 0 })).toThrow();
        expect(() => BackoffPolicy.parse({ baseMs: 5_000, capMs: 1_000 })).toThrow(/capMs must be at least baseMs/);
    });
});

describe('parseRetryAfter', () => {
    const now = new Date('2026-11-27T08:00:00.000Z');

    it.each([
        ['120', 120_000],
        [' 0 ', 0],
        ['Fri, 27 Nov 2026 08:00:30 GMT', 30_000],
        ['Fri, 27 Nov 2026 07:59:00 GMT', 0],
        ['-5', undefined],
        ['1.5', undefined],
        ['soon', undefined],
        ['', undefined],
        [undefined, undefined],
        [null, undefined]
    ])('reads %p as %p ms', (value, expected) => {
        expect(parseRetryAfter(value, now)).toBe(expected);
    });
});
