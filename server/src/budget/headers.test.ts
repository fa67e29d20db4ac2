import {
    headerValue,
    LimitsResponseError,
    parseHubSpotRateLimitHeaders,
    parseSalesforceLimits,
    parseSforceLimitInfo
} from './headers';

describe('headerValue', () => {
    it('matches names case-insensitively in records, arrays and fetch Headers', () => {
        expect(headerValue({ 'Sforce-Limit-Info': 'api-usage=1/2' }, 'sforce-limit-info')).toBe('api-usage=1/2');
        expect(headerValue({ 'x-a': ['1', '2'] }, 'X-A')).toBe('1');
        expect(headerValue({ 'x-a': 7 }, 'x-a')).toBe('7');
        expect(headerValue(new Headers({ 'X-A': 'v' }), 'x-a')).toBe('v');
        expect(headerValue({ 'x-a': undefined }, 'x-a')).toBeUndefined();
        expect(headerValue(undefined, 'x-a')).toBeUndefined();
    });
});

describe('parseSforceLimitInfo', () => {
    it.each([
        ['api-usage=18/5000', { used: 18, limit: 5000 }, []],
        ['api-usage=18/5000; api-bursts=1/750', { used: 18, limit: 5000 }, []],
        ['per-app-api-usage=17/250(appName=x); api-usage=20/15000', { used: 20, limit: 15000 }, []],
        ['per-app-api-usage=17/250(appName=x)', {}, ['Sforce-Limit-Info']],
        ['api-usage=abc', {}, ['Sforce-Limit-Info']],
        ['api-usage=1/0', {}, ['Sforce-Limit-Info']]
    ])('reads %p', (value, figures, malformed) => {
        expect(parseSforceLimitInfo({ 'sforce-limit-info': value })).toEqual({ figures, malformed });
    });

    it('reports nothing when the header is absent', () => {
        expect(parseSforceLimitInfo({})).toEqual({ figures: {}, malformed: [] });
    });
});

describe('parseSalesforceLimits', () => {
    it('reads DailyApiRequests', () => {
        expect(
            parseSalesforceLimits({
                DailyApiRequests: { Max: 15000, Remaining: 14998 },
                DailyBulkV2QueryJobs: { Max: 10000, Remaining: 10000 }
            })
        ).toEqual({ max: 15000, remaining: 14998 });
    });

    it.each([[null], [{}], [{ DailyApiRequests: { Max: '15000', Remaining: 1 } }], [{ DailyApiRequests: {} }]])(
        'refuses %j with a clear error',
        (body) => {
            expect(() => parseSalesforceLimits(body)).toThrow(LimitsResponseError);
            expect(() => parseSalesforceLimits(body)).toThrow(/no readable DailyApiRequests/);
        }
    );
});

describe('parseHubSpotRateLimitHeaders', () => {
    it('reads every figure of a private-app response', () => {
        expect(
            parseHubSpotRateLimitHeaders({
                'x-hubspot-ratelimit-daily': '250000',
                'x-hubspot-ratelimit-daily-remaining': '249990',
                'x-hubspot-ratelimit-interval-milliseconds': '10000',
                'x-hubspot-ratelimit-max': '190',
                'x-hubspot-ratelimit-remaining': '185',
                'x-hubspot-ratelimit-secondly': '19',
                'x-hubspot-ratelimit-secondly-remaining': '18'
            })
        ).toEqual({
            figures: {
                daily: 250000,
                dailyRemaining: 249990,
                intervalMs: 10000,
                intervalMax: 190,
                intervalRemaining: 185,
                secondly: 19,
                secondlyRemaining: 18
            },
            malformed: []
        });
    });

    it.each([
        ['an OAuth response without the daily pair', { 'X-HubSpot-RateLimit-Max': '100' }, { intervalMax: 100 }, []],
        ['a search response without headers', {}, {}, []],
        ['a remaining count of zero', { 'X-HubSpot-RateLimit-Remaining': '0' }, { intervalRemaining: 0 }, []],
        ['a zero maximum', { 'X-HubSpot-RateLimit-Max': '0' }, {}, ['X-HubSpot-RateLimit-Max']],
        [
            'garbage',
            { 'X-HubSpot-RateLimit-Daily': 'lots', 'X-HubSpot-RateLimit-Remaining': '-3' },
            {},
            ['X-HubSpot-RateLimit-Daily', 'X-HubSpot-RateLimit-Remaining']
        ]
    ])('handles %s', (_label, headers, figures, malformed) => {
        expect(parseHubSpotRateLimitHeaders(headers)).toEqual({ figures, malformed });
    });
});
