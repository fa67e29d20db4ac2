import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

import { ApiBudget } from './api-budget';
import { budgetFileName, BudgetSpendStore, BudgetStoreError, persistBudget } from './spend-store';

function clock(startIso: string) {
    let now = Date.parse(startIso);
    return {
        now: () => new Date(now),
        advance(ms: number) {
            now += ms;
        }
    };
}

describe('the API budget across restarts', () => {
    let dataDir: string;

    beforeEach(() => {
        dataDir = mkdtempSync(join(tmpdir(), 'budget-'));
    });
    afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

    /** A relay start: a budget, its stored spend restored, saves every 50 ms. */
    const start = (now: () => Date) => {
        const budget = new ApiBudget({ salesforce: { absolute: 10 }, hubspot: { absolute: 100 } }, now);
        const store = BudgetSpendStore.open({ dataDir });
        const persistence = persistBudget(budget, store, { flushIntervalMs: 50 });
        return {
            budget,
            store,
            persistence,
            stop() {
                persistence.stop();
                store.close();
            }
        };
    };

    it('shows the earlier spend after a restart and holds the cap across it', () => {
        const time = clock('2026-11-27T12:00:00.000Z');
        const first = start(time.now);
        for (let call = 0; call < 6; call += 1) expect(first.budget.take('salesforce', 1, 'poll').allowed).toBe(true);
        first.budget.settle('salesforce', { taken: 6, made: 6 });
        first.budget.record('hubspot', 3);
        first.stop();

        time.advance(60 * 60_000);
        const second = start(time.now);
        expect(second.budget.status('salesforce')).toMatchObject({ cap: 10, spent: 6 });
        expect(second.budget.status('hubspot')).toMatchObject({ cap: 100, spent: 3 });
        // Four more fit under the cap of 10 in the rolling 24 h, the fifth does not, whatever the priority.
        for (let call = 0; call < 4; call += 1)
            expect(second.budget.take('salesforce', 1, 'interactive').allowed).toBe(true);
        expect(second.budget.take('salesforce', 1, 'interactive')).toMatchObject({ allowed: false, constraint: 'cap' });
        second.stop();

        // A third start still sees all ten until the first calls leave the window, a day after they were made.
        const third = start(time.now);
        expect(third.budget.status('salesforce').spent).toBe(10);
        time.advance(23 * 60 * 60_000 + 60_000);
        expect(third.budget.status('salesforce').spent).toBe(4);
        third.stop();
    });

    it('saves in batches: only minutes that changed, none when nothing did, minutes out of the window removed', () => {
        const time = clock('2026-11-27T12:00:00.000Z');
        const budget = new ApiBudget({ hubspot: { absolute: 1_000 } }, time.now);
        const store = BudgetSpendStore.open({ dataDir });
        const persistence = persistBudget(budget, store, { flushIntervalMs: 60_000 });
        for (let call = 0; call < 50; call += 1) budget.record('hubspot', 1);
        expect(persistence.flush()).toBe(1); // fifty calls in one minute: one row, one transaction
        expect(persistence.flush()).toBe(0);
        time.advance(60_000);
        budget.record('hubspot', 2);
        expect(persistence.flush()).toBe(1);
        // HubSpot's window is the day: at midnight both minutes leave it and their rows go.
        time.advance(12 * 60 * 60_000);
        budget.record('hubspot', 1);
        expect(persistence.flush()).toBe(3);
        persistence.stop();
        store.close();
        const reopened = BudgetSpendStore.open({ dataDir });
        expect(reopened.load().ledgers.hubspot).toEqual([{ startMs: time.now().getTime(), calls: 1 }]);
        reopened.close();
    });

    it('saves on its timer; a save that fails is reported to onError and thrown by stop()', async () => {
        const budget = new ApiBudget();
        const store = BudgetSpendStore.open({ dataDir });
        const errors: unknown[] = [];
        const persistence = persistBudget(budget, store, {
            flushIntervalMs: 20,
            onError: (error) => errors.push(error)
        });
        budget.record('salesforce', 4);
        await new Promise((resolve) => setTimeout(resolve, 80));
        const reader = BudgetSpendStore.open({ dataDir });
        expect(reader.load().ledgers.salesforce.map((bucket) => bucket.calls)).toEqual([4]);
        reader.close();
        expect(errors).toEqual([]);

        store.close();
        budget.record('salesforce', 1);
        await new Promise((resolve) => setTimeout(resolve, 60));
        expect(errors.length).toBeGreaterThan(0);
        expect(() => persistence.stop()).toThrow(/not open/);
    });

    it('refuses a file written by a newer schema, and rows that break the schema', () => {
        const database = new DatabaseSync(join(dataDir, budgetFileName));
        database.exec('PRAGMA user_version = 9');
        database.close();
        expect(() => BudgetSpendStore.open({ dataDir })).toThrow(BudgetStoreError);
        expect(() => BudgetSpendStore.open({ dataDir })).toThrow(/schema version 9, newer than this relay knows \(1\)/);

        const other = mkdtempSync(join(tmpdir(), 'budget-'));
        try {
            BudgetSpendStore.open({ dataDir: other }).close();
            const raw = new DatabaseSync(join(other, budgetFileName));
            expect(() => raw.exec("INSERT INTO spend_minutes VALUES ('pipedrive', 0, 1)")).toThrow(/CHECK/);
            expect(() => raw.exec("INSERT INTO spend_minutes VALUES ('hubspot', 1, 1)")).toThrow(/CHECK/);
            raw.close();
        } finally {
            rmSync(other, { recursive: true, force: true });
        }
        expect(() => BudgetSpendStore.open({ dataDir: '' })).toThrow();
        expect(() =>
            persistBudget(new ApiBudget(), BudgetSpendStore.open({ path: ':memory:' }), { flushIntervalMs: 0 })
        ).toThrow(/positive integer/);
    });
});
