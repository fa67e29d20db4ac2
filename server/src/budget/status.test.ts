import { ApiBudget } from './api-budget';
import { budgetReport } from './status';

describe('budgetReport', () => {
    it('shows per side the cap, the spend, the reset and which work runs, waits or is paused', () => {
        let nowMs = Date.parse('2026-11-27T12:00:00.000Z');
        const budget = new ApiBudget(
            {
                salesforce: { absolute: 100 },
                hubspot: { share: 0.5, window: { kind: 'daily', timeZone: 'America/New_York' } },
                hubspotBurst: { max: 10 },
                // Reserves kept whole, as while higher-priority work uses the interval.
                idleBurstReserve: 0.15
            },
            () => new Date(nowMs)
        );
        budget.record('salesforce', 80, { 'Sforce-Limit-Info': 'api-usage=900/15000' });
        budget.record('hubspot', 9);

        const report = budgetReport(budget);
        expect(report.measuredAt).toBe('2026-11-27T12:00:00.000Z');
        expect(report.salesforce).toEqual({
            cap: 100,
            spent: 80,
            usedShare: 0.8,
            window: { kind: 'rolling', hours: 24 },
            resetsAt: null,
            org: { limit: 15_000, remaining: 14_100 },
            tenSecondly: null,
            priorities: {
                backfill: {
                    state: 'paused',
                    reason: 'backfill pause above 75% of the cap (80 of 100 spent)',
                    // The 80 calls leave the rolling day 24 h after their minute.
                    resumesAt: '2026-11-28T12:01:00.000Z'
                },
                poll: { state: 'running' },
                fast_path: { state: 'running' },
                interactive: { state: 'running' }
            }
        });
        expect(report.hubspot).toMatchObject({
            cap: null,
            spent: 9,
            usedShare: null,
            // Midnight in New York (EST, UTC-5).
            resetsAt: '2026-11-28T05:00:00.000Z',
            tenSecondly: { limit: 10, intervalMs: 10_000, used: 9 },
            priorities: {
                backfill: { state: 'paced', resumesAt: '2026-11-27T12:00:10.000Z' },
                poll: { state: 'paced' },
                fast_path: { state: 'running' },
                interactive: { state: 'running' }
            }
        });
        expect(JSON.parse(JSON.stringify(report))).toEqual(report);

        nowMs += 10_000;
        expect(budgetReport(budget).hubspot.priorities.backfill).toEqual({ state: 'running' });
    });
});
