import { BudgetExhaustedError } from './budgeted-ports';
import { noteRetryTime, RetryTimeCollector, retryTimeOf } from './retry-time';

const now = new Date('2026-01-01T00:00:00.000Z');
const at = (ms: number) => new Date(now.getTime() + ms);
const context = {
    now,
    orgRecheckMs: 300_000,
    hubspotIntervalMs: 10_000,
    hubspotDailyResetAt: new Date('2026-01-02T00:00:00.000Z')
};

describe('the retry time a failure names', () => {
    test('Retry-After on the error, its response or its cause; a retryAfterMs property', () => {
        expect(retryTimeOf({ retryAfterMs: 1_500 }, context)).toEqual(at(1_500));
        expect(retryTimeOf({ response: { headers: { 'retry-after': '2' } } }, context)).toEqual(at(2_000));
        expect(
            retryTimeOf({ headers: new Headers({ 'Retry-After': 'Thu, 01 Jan 2026 00:00:10 GMT' }) }, context)
        ).toEqual(at(10_000));
        expect(retryTimeOf(new Error('outer', { cause: { retryAfterMs: 42 } }), context)).toEqual(at(42));
    });

    test("HubSpot's 429 without Retry-After: by its policy", () => {
        const limited = (policyName: string) => ({ code: 429, body: { policyName } });
        expect(retryTimeOf(limited('TEN_SECONDLY_ROLLING'), context)).toEqual(at(10_000));
        expect(retryTimeOf(limited('SECONDLY'), context)).toEqual(at(1_000));
        expect(retryTimeOf(limited('DAILY'), context)).toEqual(context.hubspotDailyResetAt);
        // A header wins over the policy.
        expect(retryTimeOf({ ...limited('DAILY'), headers: { 'Retry-After': '3' } }, context)).toEqual(at(3_000));
    });

    test("Salesforce's REQUEST_LIMIT_EXCEEDED: when the org may be probed again", () => {
        expect(retryTimeOf({ name: 'REQUEST_LIMIT_EXCEEDED', errorCode: 'REQUEST_LIMIT_EXCEEDED' }, context)).toEqual(
            at(300_000)
        );
        expect(retryTimeOf({ errorCode: 'REQUEST_LIMIT_EXCEEDED' }, { now })).toBeUndefined();
    });

    test("the budget's refusal: its freesAt", () => {
        const freesAt = at(3_600_000);
        const refusal = new BudgetExhaustedError('hubspot', 'poll', 'cap', 10, 10, freesAt, 'cap reached');
        expect(retryTimeOf(refusal, context)).toBe(freesAt);
    });

    test('nothing said, nothing named; malformed hints are ignored', () => {
        expect(retryTimeOf(new Error('plain'), context)).toBeUndefined();
        expect(retryTimeOf('text', context)).toBeUndefined();
        expect(retryTimeOf({ headers: { 'retry-after': 'soon' } }, context)).toBeUndefined();
        expect(retryTimeOf({ retryAfterMs: Number.NaN }, context)).toBeUndefined();
        expect(retryTimeOf({ retryAfterMs: -5 }, context)).toEqual(now);
    });
});

describe('collecting retry times through async work', () => {
    test('keeps the latest time noted anywhere inside its run, and nothing outside it', async () => {
        const collector = new RetryTimeCollector();
        noteRetryTime(at(999_999));
        await collector.run(async () => {
            noteRetryTime(at(5_000));
            await Promise.all([
                new Promise((resolve) => setTimeout(resolve, 5)).then(() => noteRetryTime(at(20_000))),
                Promise.resolve().then(() => noteRetryTime(undefined)),
                Promise.resolve().then(() => noteRetryTime(at(1_000)))
            ]);
        });
        expect(collector.notBefore).toEqual(at(20_000));
        expect(new RetryTimeCollector().notBefore).toBeUndefined();
    });

    test('nested collectors keep their own times', () => {
        const outer = new RetryTimeCollector();
        const inner = new RetryTimeCollector();
        outer.run(() => {
            noteRetryTime(at(1_000));
            inner.run(() => noteRetryTime(at(2_000)));
        });
        expect(outer.notBefore).toEqual(at(1_000));
        expect(inner.notBefore).toEqual(at(2_000));
    });
});
