import { ApiBudget } from './api-budget';
import { BudgetConfigError, loadBudgetConfig, parseCap } from './env';

describe('parseCap', () => {
    it.each([
        ['50%', { share: 0.5 }],
        [' 12.5 % ', { share: 0.125 }],
        ['100%', { share: 1 }],
        ['100000', { absolute: 100_000 }]
    ])('reads %j', (text, expected) => {
        expect(parseCap(text)).toEqual(expected);
    });

    it.each([
        ['0%', /above 0% and at most 100%/],
        ['150%', /above 0% and at most 100%/],
        ['0', /must be a positive number/],
        ['half', /neither a share of the daily API limit \(e\.g\. 50%\) nor a number of calls/],
        ['-5', /neither/],
        ['1e5', /neither/]
    ])('explains what is wrong with %j', (text, message) => {
        expect(parseCap(text)).toMatch(message);
    });
});

describe('loadBudgetConfig', () => {
    it('defaults to half of each daily limit, HubSpot resetting at midnight UTC', () => {
        const config = loadBudgetConfig({});
        expect(config.salesforce).toEqual({ share: 0.5 });
        expect(config.hubspot).toEqual({ share: 0.5, window: { kind: 'daily', timeZone: 'UTC' } });
        expect(config.hubspotBurst).toEqual({ max: 100, intervalMs: 10_000 });
        // Nothing caps a normal org before it reports its limit.
        expect(new ApiBudget(config).status('salesforce').cap).toBeNull();
    });

    it('treats empty values as unset, as .env files write them', () => {
        expect(loadBudgetConfig({ SALESFORCE_API_BUDGET: ' ', HUBSPOT_TIME_ZONE: '' })).toEqual(loadBudgetConfig({}));
    });

    it('reads every variable', () => {
        const config = loadBudgetConfig({
            SALESFORCE_API_BUDGET: '80000',
            HUBSPOT_API_BUDGET: '40%',
            HUBSPOT_DAILY_API_LIMIT: '250000',
            HUBSPOT_TIME_ZONE: 'America/New_York',
            HUBSPOT_TEN_SECONDLY_LIMIT: '190'
        });
        expect(config.salesforce).toEqual({ absolute: 80_000 });
        expect(config.hubspot).toEqual({
            share: 0.4,
            dailyLimit: 250_000,
            window: { kind: 'daily', timeZone: 'America/New_York' }
        });
        expect(config.hubspotBurst.max).toBe(190);
        expect(new ApiBudget(config).status('hubspot').cap).toBe(100_000);
    });

    it('lists every problem in one error, each naming its variable', () => {
        let error: unknown;
        try {
            loadBudgetConfig({
                SALESFORCE_API_BUDGET: 'lots',
                HUBSPOT_API_BUDGET: '120%',
                HUBSPOT_TIME_ZONE: 'Mars/Olympus',
                HUBSPOT_TEN_SECONDLY_LIMIT: '12.5'
            });
        } catch (caught) {
            error = caught;
        }
        expect(error).toBeInstanceOf(BudgetConfigError);
        const problems = (error as BudgetConfigError).problems;
        expect(problems).toEqual([
            expect.stringMatching(/^SALESFORCE_API_BUDGET: "lots" is neither/),
            expect.stringMatching(/^HUBSPOT_API_BUDGET: 120% must be above 0% and at most 100%/),
            expect.stringMatching(/^HUBSPOT_TIME_ZONE: not an IANA time zone/),
            'HUBSPOT_TEN_SECONDLY_LIMIT: must be a whole number'
        ]);
        expect((error as Error).message).toMatch(/^Invalid API budget configuration:\n {2}- SALESFORCE_API_BUDGET/);
    });

    it('refuses a daily limit that no percentage would be taken of', () => {
        expect(() => loadBudgetConfig({ HUBSPOT_API_BUDGET: '20000', HUBSPOT_DAILY_API_LIMIT: '250000' })).toThrow(
            /HUBSPOT_DAILY_API_LIMIT: only applies when HUBSPOT_API_BUDGET is a percentage/
        );
        expect(() => loadBudgetConfig({ HUBSPOT_DAILY_API_LIMIT: 'many' })).toThrow(
            /HUBSPOT_DAILY_API_LIMIT: must be a whole number/
        );
    });
});
