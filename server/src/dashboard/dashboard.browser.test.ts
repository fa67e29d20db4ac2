/**
 * The dashboard end to end in real headless Chromium (Debian's `/usr/bin/chromium`, driven by
 * playwright-core): the real relay with the operator router, a seeded SQLite state store, the Basic
 * login. Each page is checked for its real content and written to `test-results/dashboard/<page>.png`.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';
import type { DeadLetterQueue } from '../ops/ports';
import { OPERATOR } from '../relay/__tests__/support';
import { ada, contactIds, type OpsHarness, startOpsRelay } from '../ops/__tests__/fixtures';
import { openWorkQueue, type Signal, type WorkQueue } from '../queue';

const CHROMIUM = '/usr/bin/chromium';
const screenshots = resolve(__dirname, '..', '..', '..', 'test-results', 'dashboard');
const describeInBrowser = existsSync(CHROMIUM) ? describe : describe.skip;
const suiteName = existsSync(CHROMIUM)
    ? 'dashboard in headless Chromium'
    : `dashboard in headless Chromium (skipped: ${CHROMIUM} is not installed)`;

jest.setTimeout(30_000);

/** A work queue whose signals used their one attempt, failing as a sync run would: dead letters. */
function queueWithDeadLetters(dead: { signal: Signal; error: string }[]): WorkQueue {
    const queue = openWorkQueue({ path: ':memory:' }, { options: { maxAttempts: 1 } });
    queue.enqueue(dead.map(({ signal }) => signal));
    for (const item of queue.claim(dead.length, 60_000, 'worker')) {
        queue.fail(item, dead.find(({ signal }) => signal.recordKey === item.recordKey)!.error);
    }
    return queue;
}

describeInBrowser(suiteName, () => {
    let ops: OpsHarness;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    /** Console errors and uncaught exceptions of the current test. */
    const consoleErrors: string[] = [];

    beforeAll(async () => {
        [ops] = await Promise.all([startOpsRelay(), mkdir(screenshots, { recursive: true })]);
        await ops.prepareDashboard();
        browser = await chromium.launch({
            executablePath: CHROMIUM,
            args: [
                '--no-sandbox',
                '--disable-gpu',
                '--disable-background-networking',
                '--disable-component-update',
                '--disable-sync',
                '--no-first-run'
            ]
        });
        context = await browser.newContext({
            httpCredentials: { username: OPERATOR.user, password: OPERATOR.password },
            viewport: { width: 1280, height: 900 },
            acceptDownloads: true,
            locale: 'en-GB',
            timezoneId: 'UTC'
        });
        page = await context.newPage();
        page.on('console', (message) => {
            if (message.type() === 'error') consoleErrors.push(message.text());
        });
        page.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`));
    });

    afterAll(async () => {
        await browser?.close();
        await ops?.close();
    });

    beforeEach(() => {
        consoleErrors.length = 0;
    });

    /** Every test ends here: nothing in the console but the 404s it caused on purpose. */
    function expectCleanConsole(expectedNotFound = 0): void {
        const unexpected = consoleErrors.filter((text) => !/status of 404/.test(text));
        expect(unexpected).toEqual([]);
        expect(consoleErrors.length - unexpected.length).toBe(expectedNotFound);
    }

    async function open(hash: string): Promise<void> {
        await page.goto(`${ops.url}/ops/#/${hash}`);
        await page.waitForSelector('main:not([aria-busy]) h1');
    }

    const shoot = (name: string) => page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
    const rows = (selector: string) => page.locator(`${selector} tbody tr`);

    it('Sync health: cards with counts, records with errors, resync selected, CSV export', async () => {
        await open('health');
        const cards = page.locator('.card');
        await cards.first().waitFor();
        expect(await cards.count()).toBe(9);
        const picklist = page.locator('.card[data-category="picklist"]');
        await expect(picklist.locator('.card-count').textContent()).resolves.toBe('2');
        await expect(picklist.locator('.card-detail').textContent()).resolves.toBe('2 errors · 2 records');
        await expect(page.locator('.card[data-category="field_value"] .card-detail').textContent()).resolves.toBe(
            '3 errors · 3 records'
        );
        await expect(page.locator('main .lead').textContent()).resolves.toBe('7 open errors on 6 records.');
        await rows('.errors-table').first().waitFor();
        expect(await rows('.errors-table').count()).toBe(7);
        await shoot('health');
        await page.setViewportSize({ width: 390, height: 844 });
        await shoot('health-narrow');
        await page.setViewportSize({ width: 1280, height: 900 });

        await picklist.click();
        await expect(picklist.getAttribute('aria-pressed')).resolves.toBe('true');
        await page.locator('#errors-heading', { hasText: 'Picklist values errors' }).waitFor();
        expect(await rows('.errors-table').count()).toBe(2);
        await page.getByLabel('Select all records on this page').check();
        await page.getByRole('button', { name: 'Resync selected (2)' }).click();
        await page.locator('.notice.ok', { hasText: '2 records queued for resync.' }).waitFor();
        expect(
            ops.controller.resynced
                .at(-1)
                ?.map((ref) => ref.salesforceId)
                .sort()
        ).toEqual([contactIds[0], contactIds[1]].sort());

        const [download] = await Promise.all([
            page.waitForEvent('download'),
            page.getByRole('link', { name: 'Export CSV' }).click()
        ]);
        expect(download.suggestedFilename()).toMatch(/^sync-errors-picklist-\d{4}-\d{2}-\d{2}\.csv$/);
        const csv = await readFile((await download.path())!, 'utf8');
        expect(csv.split('\r\n')[0]).toMatch(/^id,category,mapping,/);
        expect(csv.trim().split('\r\n')).toHaveLength(3);
        expect(csv).toContain('Industry ""Space Exploration"" is not an option of industry');
        expectCleanConsole();
    });

    it('API usage: both quotas and a chart of calls per run', async () => {
        await open('usage');
        const salesforce = page.getByRole('meter', { name: 'Daily API requests (org limit)' });
        await salesforce.waitFor();
        await expect(salesforce.getAttribute('aria-valuenow')).resolves.toBe('61250');
        await expect(page.locator('.meter-note').first().textContent()).resolves.toBe(
            'Admin cap for the bridge: 80,000'
        );
        await expect(
            page.getByRole('meter', { name: 'Calls in the last ten seconds' }).getAttribute('aria-valuenow')
        ).resolves.toBe('42');
        await expect(page.locator('.meter-label').nth(1).textContent()).resolves.toContain('120,400 of 250,000');
        expect(await page.locator('svg.chart-bars rect.bar').count()).toBe(16);
        await shoot('usage');
        expectCleanConsole();
    });

    it('Runs: table, chart, Run now and Dry run', async () => {
        await open('runs');
        await rows('.runs-table').first().waitFor();
        expect(await rows('.runs-table').count()).toBe(8);
        const newest = rows('.runs-table').first();
        await expect(newest.locator('td').nth(0).textContent()).resolves.toBe('#8');
        await expect(newest.locator('td').nth(4).textContent()).resolves.toBe('1 min 9 s');
        await expect(newest.locator('td').nth(5).textContent()).resolves.toBe(
            'Contact: 145 updated, 9 createdLead: 1 excluded'
        );
        await expect(newest.locator('td').nth(6).textContent()).resolves.toBe('2.25');
        expect(await page.locator('svg.chart-lines circle.dot').count()).toBe(8);
        await expect(rows('.runs-table').nth(3).textContent()).resolves.toContain('HubSpot answered 502');
        await shoot('runs');

        const before = ops.controller.started.length;
        await page.getByRole('button', { name: 'Run now' }).click();
        await page.locator('.notice.ok', { hasText: /^Run #\d+ started\.$/ }).waitFor();
        await page.getByRole('button', { name: 'Dry run' }).click();
        await page.locator('.notice.ok', { hasText: /^Dry run #\d+ started\.$/ }).waitFor();
        expect(ops.controller.started.slice(before)).toEqual([{ dryRun: false }, { dryRun: true }]);
        expectCleanConsole();
    });

    it('Conflicts: the inbox and acknowledging', async () => {
        await open('conflicts');
        await page.locator('main tbody tr').first().waitFor();
        expect(await page.locator('main tbody tr').count()).toBe(2);
        await expect(page.locator('main tbody').textContent()).resolves.toContain('Chief Technology Officer');
        await shoot('conflicts');
        await page
            .getByLabel(/^Select conflict \d+$/)
            .first()
            .check();
        await page.getByRole('button', { name: 'Acknowledge selected' }).click();
        await page.locator('.notice.ok', { hasText: '1 conflict acknowledged.' }).waitFor();
        await page.waitForFunction(() => document.querySelectorAll('main tbody tr').length === 1);
        await page.getByLabel('Show').selectOption('acknowledged');
        await page.locator('main tbody tr', { hasText: 'Acknowledged' }).waitFor();
        expectCleanConsole();
    });

    it('Mappings: each field with its rule and the validation warnings', async () => {
        await open('mappings');
        await page.locator('main section.panel').first().waitFor();
        expect(await page.locator('main section.panel h2').count()).toBe(4);
        await expect(page.locator('main .lead').textContent()).resolves.toBe(
            '4 record mappings: 0 errors, 3 warnings against the live schemas.'
        );
        const statusRow = page.locator('main section.panel').first().locator('tr', { hasText: 'hs_lead_status' });
        await expect(statusRow.textContent()).resolves.toContain('Always use Salesforce');
        await expect(statusRow.locator('.problems').textContent()).resolves.toContain('(Nurturing)');
        await shoot('mappings');
        expectCleanConsole();
    });

    it('Record lookup: both sides, the field audit, CRM text shown as text', async () => {
        await open(`records?side=salesforce&object=Contact&id=${ada.salesforceId}`);
        await page.locator('#record-audit').waitFor();
        await expect(page.locator('main .lead').textContent()).resolves.toContain(
            'Linked by mapping contact_to_contact'
        );
        const values = page.locator('.compare-table');
        await expect(values.locator('tr', { hasText: 'FirstName' }).locator('td').allTextContents()).resolves.toEqual([
            'FirstName',
            'Ada',
            'firstname',
            'Ada'
        ]);
        await expect(values.locator('tr', { hasText: 'MobilePhone' }).locator('td').nth(1).textContent()).resolves.toBe(
            'not read'
        );
        const company = values.locator('tr', { hasText: 'Analytical Engines' }).locator('td');
        await expect(company.nth(3).textContent()).resolves.toBe(
            '<img src=x onerror="window.__injected=1">Analytical Engines'
        );
        expect(await page.locator('main img').count()).toBe(0);
        expect(await page.evaluate(() => (window as unknown as { __injected?: number }).__injected)).toBeUndefined();
        const audit = page.locator('section[aria-labelledby="record-audit"] tbody tr');
        expect(await audit.count()).toBe(2);
        await expect(audit.first().textContent()).resolves.toContain('conflict hubspot newer');
        await shoot('records');

        await page.getByLabel('Record ID').fill(contactIds[5]!);
        await page.getByRole('button', { name: 'Look up' }).click();
        await page.getByRole('alert').filter({ hasText: 'NOT_FOUND, HTTP 404' }).waitFor();
        expectCleanConsole(1);
    });

    it('Timeline preview: summary, lifecycle and events by month', async () => {
        await open('timeline');
        await page.getByLabel('ID').fill(ada.salesforceId);
        await page.getByRole('button', { name: 'Show timeline' }).click();
        await page.locator('#timeline-summary').waitFor();
        await expect(page.locator('#timeline-summary').textContent()).resolves.toContain('Ada Lovelace');
        expect(await page.locator('.lifecycle li').count()).toBe(7);
        await expect(page.locator('.lifecycle li[aria-current="step"]').textContent()).resolves.toContain(
            'Sales Qualified Lead'
        );
        const months = await page.locator('.month h3').allTextContents();
        expect(months[0]).toBe('November 2026');
        expect(await page.locator('.event').count()).toBeGreaterThan(3);
        await shoot('timeline');
        expectCleanConsole();
    });

    it('Dead letters: newest first with record links, replay one by keyboard, a lost race, replay all', async () => {
        await open('dead-letters');
        await page.getByText('This relay runs without the fast path’s work queue').waitFor();
        expectCleanConsole(1);

        const queue = queueWithDeadLetters([
            {
                signal: {
                    stream: 'salesforce:Contact',
                    recordKey: contactIds[2]!,
                    priority: 'fast_path',
                    reason: 'cdc UPDATE'
                },
                error: 'sync run 12 failed: Salesforce answered 503 Service Unavailable'
            },
            {
                signal: {
                    stream: 'hubspot:contacts',
                    recordKey: '51',
                    priority: 'fast_path',
                    reason: 'webhook contact.propertyChange'
                },
                error: 'sync run 13 failed: HubSpot answered 429 (daily limit)'
            },
            {
                signal: { stream: 'reconcile', recordKey: 'Lead', priority: 'fast_path', reason: 'cdc DELETE' },
                error: 'sync run 14 failed: <b>session expired</b>'
            }
        ]);
        const withQueue = await startOpsRelay({ seeded: false, deadLetters: queue });
        try {
            consoleErrors.length = 0;
            await page.goto(`${withQueue.url}/ops/#/dead-letters`);
            const table = rows('.dead-letters-table');
            await table.first().waitFor();
            const navCount = page.locator('nav a[href="#/dead-letters"] .nav-count');
            await page.locator('.status-line', { hasText: '3 dead letters' }).waitFor();
            await expect(navCount.textContent()).resolves.toBe('3');
            await expect(page.locator('nav a[href="#/conflicts"] .nav-count').isVisible()).resolves.toBe(false);
            await expect(page.getByRole('link', { name: 'Dead letters, 3 waiting' }).count()).resolves.toBe(1);
            await expect(table.locator('td:first-child').allTextContents()).resolves.toEqual([
                'All Lead records',
                'HubSpot contacts 51',
                `Contact ${contactIds[2]}`
            ]);
            await expect(table.first().locator('td').nth(3).textContent()).resolves.toBe(
                'sync run 14 failed: <b>session expired</b>'
            );
            await expect(table.nth(1).locator('td').nth(1).textContent()).resolves.toMatch(
                /^HubSpot changewebhook contact\.propertyChange · queued \d/
            );
            await expect(page.getByRole('link', { name: 'HubSpot contacts 51' }).getAttribute('href')).resolves.toBe(
                '#/records?side=hubspot&object=contacts&id=51'
            );
            await expect(
                page.getByRole('link', { name: `Contact ${contactIds[2]}` }).getAttribute('href')
            ).resolves.toBe(`#/records?side=salesforce&object=Contact&id=${contactIds[2]}`);
            await shoot('dead-letters');

            await page.getByRole('button', { name: 'Replay HubSpot contacts 51' }).focus();
            await page.keyboard.press('Enter');
            await page
                .locator('.notice.ok', {
                    hasText: '1 dead letter back in the queue; the fast path syncs it within seconds.'
                })
                .waitFor();
            expect(await page.evaluate(() => document.activeElement?.classList.contains('notice'))).toBe(true);
            expect(await table.count()).toBe(2);
            await page.waitForFunction(
                () => document.querySelector('nav a[href="#/dead-letters"] .nav-count')?.textContent === '2'
            );
            const [replayed] = queue.claim(10, 60_000, 'worker');
            expect(replayed).toMatchObject({ stream: 'hubspot:contacts', recordKey: '51', attempts: 1 });
            queue.complete([replayed!]);

            // The CLI replays the Contact while the page still shows it: nothing replayed twice, the list catches up.
            const contact = queue.deadLetters().find((letter) => letter.stream === 'salesforce:Contact')!;
            queue.replay([contact.id]);
            await page.getByRole('button', { name: `Replay Contact ${contactIds[2]}` }).click();
            await page
                .locator('.notice.error', {
                    hasText: `Nothing was replayed: No dead letters with ids ${contact.id}. (NOT_FOUND, HTTP 404) It was replayed or synced meanwhile`
                })
                .waitFor();
            await page.waitForFunction(() => document.querySelectorAll('.dead-letters-table tbody tr').length === 1);

            await page.getByRole('button', { name: 'Replay all (1)' }).click();
            await page.locator('.notice.ok', { hasText: '1 dead letter back in the queue' }).waitFor();
            await page.getByText('No dead letters. Every change the fast path received was synced.').waitFor();
            await page.waitForFunction(
                () => document.querySelector<HTMLElement>('nav a[href="#/dead-letters"] .nav-count')?.hidden === true
            );
            expect(await navCount.isVisible()).toBe(false);
            await expect(page.locator('.status-line').textContent()).resolves.not.toContain('dead letter');
            expect(queue.deadLetters()).toEqual([]);
            expect(
                queue
                    .claim(10, 60_000, 'worker')
                    .map((item) => item.recordKey)
                    .sort()
            ).toEqual([contactIds[2], 'Lead'].sort());
            expectCleanConsole(1);
        } finally {
            await withQueue.close();
            queue.close();
        }
    });

    it('Dead letters: a load error with a retry, and a failed replay that keeps every letter', async () => {
        const queue = queueWithDeadLetters([
            {
                signal: {
                    stream: 'hubspot:deals',
                    recordKey: '77',
                    priority: 'fast_path',
                    reason: 'webhook deal.creation'
                },
                error: 'sync run 3 failed: HubSpot answered 502'
            }
        ]);
        let failing: 'list' | 'replay' | 'nothing' = 'list';
        const unavailable = () => new Error('database is locked');
        const flaky: DeadLetterQueue = {
            depth: () => queue.depth(),
            deadLetters: (limit) => {
                if (failing === 'list') throw unavailable();
                return queue.deadLetters(limit);
            },
            replay: (ids) => {
                if (failing === 'replay') throw unavailable();
                return queue.replay(ids);
            }
        };
        const withQueue = await startOpsRelay({ seeded: false, deadLetters: flaky });
        try {
            await page.goto(`${withQueue.url}/ops/#/dead-letters`);
            const alert = page.getByRole('alert');
            await alert.waitFor();
            await expect(alert.textContent()).resolves.toMatch(
                /^Could not load dead letters: The relay hit an unexpected error \(request id [0-9a-f-]+\)\. \(INTERNAL_ERROR, HTTP 500\)Try again$/
            );
            failing = 'replay';
            await alert.getByRole('button', { name: 'Try again' }).click();
            await rows('.dead-letters-table').first().waitFor();

            await page.getByRole('button', { name: 'Replay all (1)' }).click();
            await page
                .locator('.notice.error', {
                    hasText:
                        /^Nothing was replayed: .*INTERNAL_ERROR, HTTP 500\) The dead letters are unchanged; try again\.$/
                })
                .waitFor();
            expect(await rows('.dead-letters-table').count()).toBe(1);
            expect(queue.deadLetters()).toHaveLength(1);
            await shoot('dead-letters-replay-failed');

            failing = 'nothing';
            await page.getByRole('button', { name: 'Replay HubSpot deals 77' }).click();
            await page.getByText('No dead letters. Every change the fast path received was synced.').waitFor();
            expect(queue.deadLetters()).toEqual([]);
            const unexpected = consoleErrors.filter((text) => !/status of 500/.test(text));
            expect(unexpected).toEqual([]);
            expect(consoleErrors).toHaveLength(2);
        } finally {
            await withQueue.close();
            queue.close();
        }
    });

    it('a fresh install shows empty states, and a failing provider an error state with a retry', async () => {
        const fresh = await startOpsRelay({
            seeded: false,
            usage: {
                usage: async () => {
                    throw new Error('Salesforce /limits timed out');
                }
            }
        });
        try {
            const visit = async (hash: string) => {
                await page.goto(`${fresh.url}/ops/#/${hash}`);
                await page.waitForSelector('main:not([aria-busy]) h1');
            };
            await visit('health');
            await page.getByText('No open sync errors.').waitFor();
            await page.getByText('No records with open errors in this category.').waitFor();
            await expect(page.locator('.status-line').textContent()).resolves.toContain('no runs yet');
            await visit('runs');
            await page.getByText('No runs yet. Start one with “Run now”.').waitFor();
            await visit('conflicts');
            await page.getByText('No conflicts here. Both sides agree.').waitFor();
            await visit('usage');
            const alert = page.getByRole('alert');
            await alert.waitFor();
            await expect(alert.textContent()).resolves.toMatch(
                /^Could not load API usage: The relay hit an unexpected error \(request id [0-9a-f-]+\)\. \(INTERNAL_ERROR, HTTP 500\)Try again$/
            );
            await shoot('usage-error');
            const [retried] = await Promise.all([
                page.waitForResponse((response) => response.url().endsWith('/ops/api/usage')),
                alert.getByRole('button', { name: 'Try again' }).click()
            ]);
            expect(retried.status()).toBe(500);
            await page.getByRole('alert').waitFor();
            const unexpected = consoleErrors.filter((text) => !/status of 500/.test(text));
            expect(unexpected).toEqual([]);
            expect(consoleErrors).toHaveLength(2);
        } finally {
            await fresh.close();
        }
    });
});
