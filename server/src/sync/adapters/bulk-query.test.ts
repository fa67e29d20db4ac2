/**
 * Bulk API 2.0 query reads: the real jsforce adapter against the Salesforce sandbox (all pages by
 * locator, the same rows as the REST query, queryAll, failures, the calls counted and budgeted), and the
 * pure job-waiting and CSV-typing logic with plain data.
 */
import { ApiBudget } from '../../budget/api-budget';
import { BudgetExhaustedError, budgetedSalesforce } from '../../budget/budgeted-ports';
import { loggedIn, startTestSandbox } from '../../sandbox/salesforce/testing';
import type { RunningSalesforceSandbox } from '../../sandbox/salesforce';
import { CsvError, parseCsv } from '../../shared/csv';
import type { SalesforceObjectSchema } from '../schema/live-schema';
import {
    awaitJobCompletion,
    BulkQueryError,
    BulkQuerySettings,
    csvPageToRows,
    csvRecords,
    type PollClock,
    type QueryJobInfo
} from './bulk-query';
import type { SalesforcePort, SalesforceRow } from './ports';
import { JsforceSalesforceAdapter } from './salesforce';

async function allPages(pages: AsyncIterable<SalesforceRow[]>): Promise<SalesforceRow[][]> {
    const result: SalesforceRow[][] = [];
    for await (const page of pages) result.push(page);
    return result;
}

async function rejectionOf(work: Promise<unknown>): Promise<Error & { errorCode?: string }> {
    try {
        await work;
    } catch (error) {
        return error as Error & { errorCode?: string };
    }
    throw new Error('expected the read to fail');
}

const accountFields =
    'Id, Name, Website, Industry, NumberOfEmployees, AnnualRevenue, Description, IsDeleted, CreatedDate, ' +
    'SystemModstamp, HubSpot_Last_Synced__c';

describe('bulkQueryPages through the real jsforce against the Salesforce sandbox', () => {
    const seededAccounts = 5_200;
    const pageSize = 2_000;
    let sandbox: RunningSalesforceSandbox;
    let adapter: JsforceSalesforceAdapter;
    const tricky: string[] = [];

    beforeAll(async () => {
        sandbox = await startTestSandbox({ seed: { accounts: seededAccounts } });
        tricky.push(
            sandbox.handle.createAsUser('Account', {
                Name: 'Quote "Co", Ltd',
                Description: 'line one\nline "two", with a comma\r\nline three',
                NumberOfEmployees: 0,
                HubSpot_Last_Synced__c: '2026-03-04T05:06:07.000Z'
            }).Id as string,
            sandbox.handle.createAsUser('Account', { Name: 'Empty fields', Website: '', Description: '' }).Id as string
        );
        adapter = new JsforceSalesforceAdapter(await loggedIn(sandbox), { pageSize });
    });
    afterAll(() => sandbox.close());

    test('reads every record over several locator pages, equal to the REST query, and counts each call', async () => {
        const soql = `SELECT ${accountFields} FROM Account ORDER BY Id`;
        const before = adapter.calls();
        const pages = await allPages(adapter.bulkQueryPages(soql));
        // Six calls: the describe of Account (first bulk read), the create, one status poll, three pages.
        expect(adapter.calls() - before).toBe(6);
        expect(pages.map((page) => page.length)).toEqual([2_000, 2_000, seededAccounts + tricky.length - 4_000]);

        const restRows = await adapter.query(soql);
        expect(pages.flat()).toEqual(restRows);

        const quoted = pages.flat().find((row) => row.id === tricky[0])!;
        expect(quoted.values).toMatchObject({
            Name: 'Quote "Co", Ltd',
            Description: 'line one\nline "two", with a comma\r\nline three',
            NumberOfEmployees: 0,
            IsDeleted: false,
            HubSpot_Last_Synced__c: '2026-03-04T05:06:07.000+0000'
        });
        expect(pages.flat().find((row) => row.id === tricky[1])!.values).toMatchObject({
            Website: null,
            Description: null,
            AnnualRevenue: null
        });
    });

    test('a second read of the object needs no describe: create, one poll, one call per page', async () => {
        const before = adapter.calls();
        const pages = await allPages(adapter.bulkQueryPages('SELECT Id FROM Account'));
        expect(pages).toHaveLength(3);
        expect(adapter.calls() - before).toBe(1 + 1 + 3);
    });

    test('a result page larger than a slice is handed on in slices, its call counted once', async () => {
        const slicing = new JsforceSalesforceAdapter(await loggedIn(sandbox), { pageSize: 5_000, rowsPerYield: 2_000 });
        const pages = await allPages(slicing.bulkQueryPages(`SELECT ${accountFields} FROM Account ORDER BY Id`));
        const total = seededAccounts + tricky.length;
        expect(pages.map((page) => page.length)).toEqual([2_000, 2_000, 1_000, total - 5_000]);
        // The describe, the create, one poll and two result pages.
        expect(slicing.calls()).toBe(5);
        expect(pages.flat()).toEqual(await adapter.query(`SELECT ${accountFields} FROM Account ORDER BY Id`));
    });

    test('queryAll includes deleted records, query leaves them out, both as the REST queryAll gives them', async () => {
        const created = sandbox.handle.createAsUser('Account', { Name: 'Soon gone' }).Id as string;
        sandbox.handle.deleteAsUser(created);
        const soql = `SELECT Id, Name, IsDeleted FROM Account WHERE Name = 'Soon gone'`;

        expect((await allPages(adapter.bulkQueryPages(soql))).flat()).toEqual([]);
        const withDeleted = (await allPages(adapter.bulkQueryPages(soql, { all: true }))).flat();
        expect(withDeleted).toEqual([{ id: created, values: { Id: created, Name: 'Soon gone', IsDeleted: true } }]);
        expect(withDeleted).toEqual(await adapter.query(soql, { all: true }));
    });

    test('an unknown field fails at job creation with Salesforce’s code and message, after one call', async () => {
        const before = adapter.calls();
        const error = await rejectionOf(allPages(adapter.bulkQueryPages('SELECT Id, No_Such_Field__c FROM Account')));
        expect(error.errorCode).toBe('INVALID_FIELD');
        expect(error.message).toMatch(/No_Such_Field__c/);
        expect(adapter.calls() - before).toBe(1);
    });

    test('an unknown object fails at job creation too', async () => {
        const error = await rejectionOf(allPages(adapter.bulkQueryPages('SELECT Id FROM NoSuchThing__c')));
        expect(error.errorCode).toBe('INVALID_TYPE');
        expect(error.message).toMatch(/NoSuchThing__c/);
    });

    test('relationship columns are refused with the reason, since REST nests them', async () => {
        const error = await rejectionOf(allPages(adapter.bulkQueryPages('SELECT Id, Owner.Email FROM Account')));
        expect(error).toBeInstanceOf(BulkQueryError);
        expect(error.message).toMatch(/relationship column Owner\.Email needs queryPages/);
    });

    test('a status call that fails surfaces its error, and the job left running is aborted', async () => {
        sandbox.handle.faults.add({ method: 'GET', path: '/jobs/query/[^/]+$', kind: 'status', status: 403, times: 1 });
        const before = adapter.calls();
        const error = await rejectionOf(allPages(adapter.bulkQueryPages('SELECT Id FROM Account')));
        expect(error).toMatchObject({ errorCode: 'ERROR_HTTP_403', message: 'HTTP 403' });
        // create + the failed poll + the abort
        expect(adapter.calls() - before).toBe(3);
    });

    test('a result page that fails surfaces Salesforce’s error from its JSON body; the ended job is left alone', async () => {
        sandbox.handle.faults.add({
            method: 'GET',
            path: '/jobs/query/[^/]+/results$',
            kind: 'status',
            status: 403,
            times: 1
        });
        const before = adapter.calls();
        const error = await rejectionOf(allPages(adapter.bulkQueryPages('SELECT Id FROM Account')));
        expect(error).toMatchObject({ errorCode: 'ERROR_HTTP_403', message: 'HTTP 403' });
        // create + poll + the failed page, no abort
        expect(adapter.calls() - before).toBe(3);
    });

    test('an expired session is renewed between pages and the read goes on', async () => {
        const pages = adapter.bulkQueryPages('SELECT Id FROM Account ORDER BY Id')[Symbol.asyncIterator]();
        const first = await pages.next();
        sandbox.handle.expireSessions();
        const rest: SalesforceRow[] = [];
        for (let next = await pages.next(); !next.done; next = await pages.next()) rest.push(...next.value);
        expect([...(first.value as SalesforceRow[]), ...rest]).toHaveLength(seededAccounts + tricky.length);
    });

    test('the budget is asked before each call of the job and refuses the call past its cap', async () => {
        const generous = new ApiBudget({ salesforce: { absolute: 1_000 } });
        const before = adapter.calls();
        const budgeted: SalesforcePort = budgetedSalesforce(adapter, generous, () => 'backfill');
        await allPages(budgeted.bulkQueryPages('SELECT Id FROM Account'));
        expect(adapter.calls() - before).toBe(5);
        expect(generous.status('salesforce').spent).toBe(5);

        const tight = new ApiBudget({ salesforce: { absolute: 3 } });
        const refusing = budgetedSalesforce(adapter, tight, () => 'interactive');
        const seen: number[] = [];
        const error = await rejectionOf(
            (async () => {
                for await (const page of refusing.bulkQueryPages('SELECT Id FROM Account')) seen.push(page.length);
            })()
        );
        expect(error).toBeInstanceOf(BudgetExhaustedError);
        expect((error as BudgetExhaustedError).constraint).toBe('cap');
        // create, poll, first page admitted; the second page is refused before it is asked for
        expect(seen).toEqual([pageSize]);
        expect(tight.status('salesforce').spent).toBe(3);
    });
});

describe('awaitJobCompletion', () => {
    const settings = BulkQuerySettings.parse({ pollIntervalMs: 100, maxPollIntervalMs: 1_000, pollTimeoutMs: 5_000 });

    function fakeClock(): PollClock & { waits: number[] } {
        let now = 0;
        const waits: number[] = [];
        return {
            waits,
            now: () => now,
            sleep: (ms) => {
                waits.push(ms);
                now += ms;
                return Promise.resolve();
            }
        };
    }

    function jobIn(...states: QueryJobInfo['state'][]): () => Promise<QueryJobInfo> {
        let index = 0;
        return () => {
            const state = states[Math.min(index++, states.length - 1)]!;
            return Promise.resolve({
                id: '750000000000001AAA',
                object: 'Account',
                state,
                ...(state === 'Failed' ? { errorMessage: 'Query timed out' } : {})
            });
        };
    }

    async function drive(check: () => Promise<QueryJobInfo>, clock: PollClock) {
        const steps = awaitJobCompletion(check, settings, clock, 'SELECT Id FROM Account');
        let heartbeats = 0;
        for (;;) {
            const step = await steps.next();
            if (step.done) return { job: step.value, heartbeats };
            expect(step.value).toEqual([]);
            heartbeats += 1;
        }
    }

    test('a job already complete needs one check and no wait', async () => {
        const clock = fakeClock();
        const { job, heartbeats } = await drive(jobIn('JobComplete'), clock);
        expect(job.state).toBe('JobComplete');
        expect(heartbeats).toBe(0);
        expect(clock.waits).toEqual([]);
    });

    test('a running job is checked after waits that double up to the maximum, one empty page per check', async () => {
        const clock = fakeClock();
        const states = [
            'UploadComplete',
            'InProgress',
            'InProgress',
            'InProgress',
            'InProgress',
            'InProgress',
            'JobComplete'
        ] as const;
        const { heartbeats } = await drive(jobIn(...states), clock);
        expect(clock.waits).toEqual([100, 200, 400, 800, 1_000, 1_000]);
        expect(heartbeats).toBe(6);
    });

    test('a failed job is an error naming the job and Salesforce’s reason', async () => {
        const error = await rejectionOf(drive(jobIn('InProgress', 'Failed'), fakeClock()));
        expect(error).toBeInstanceOf(BulkQueryError);
        expect(error.message).toBe(
            'Bulk API 2.0 query job 750000000000001AAA failed: Query timed out (SELECT Id FROM Account)'
        );
        expect((error as BulkQueryError).jobState).toBe('Failed');
    });

    test('an aborted job is an error', async () => {
        const error = await rejectionOf(drive(jobIn('Aborted'), fakeClock()));
        expect(error.message).toMatch(/750000000000001AAA was aborted/);
    });

    test('a job still running at the deadline is an error after waits that add up to the timeout', async () => {
        const clock = fakeClock();
        const error = await rejectionOf(drive(jobIn('InProgress'), clock));
        expect(error.message).toMatch(/750000000000001AAA was still InProgress after 5000 ms/);
        expect((error as BulkQueryError).jobState).toBe('InProgress');
        expect(clock.waits.reduce((sum, ms) => sum + ms, 0)).toBe(5_000);
    });

    test('settings are validated', () => {
        expect(() => BulkQuerySettings.parse({ pageSize: 0 })).toThrow();
        expect(() => BulkQuerySettings.parse({ pollIntervalMs: 1.5 })).toThrow();
        expect(() => BulkQuerySettings.parse({ pageSzie: 10 })).toThrow();
        expect(() => BulkQuerySettings.parse({ rowsPerYield: 0 })).toThrow();
        expect(BulkQuerySettings.parse({})).toEqual({
            pollIntervalMs: 500,
            maxPollIntervalMs: 10_000,
            pollTimeoutMs: 1_800_000,
            pageSize: 10_000,
            rowsPerYield: 2_000
        });
    });
});

describe('csvPageToRows', () => {
    const schema: SalesforceObjectSchema = {
        name: 'Contact',
        fields: [
            ['Id', 'id'],
            ['LastName', 'string'],
            ['HasOptedOutOfEmail', 'boolean'],
            ['NumberOfEmployees__c', 'int'],
            ['Score__c', 'double'],
            ['Birthdate', 'date'],
            ['LastModifiedDate', 'datetime']
        ].map(([name, type]) => ({ name: name!, type: type!, createable: true, updateable: true }))
    } as SalesforceObjectSchema;

    test('types each cell as the REST API would, with empty cells as null and describe names as keys', () => {
        const csv =
            '"ID","LastName","HasOptedOutOfEmail","NumberOfEmployees__c","Score__c","Birthdate","LastModifiedDate"\n' +
            '"003000000000001AAA","O""Brien, Jr.","true","12","4.5","1990-02-03","2026-01-02T03:04:05.000Z"\n' +
            '"003000000000002AAA","Two\nLines","false","","","",""\n';
        expect(csvPageToRows(csv, schema)).toEqual([
            {
                id: '003000000000001AAA',
                values: {
                    Id: '003000000000001AAA',
                    LastName: 'O"Brien, Jr.',
                    HasOptedOutOfEmail: true,
                    NumberOfEmployees__c: 12,
                    Score__c: 4.5,
                    Birthdate: '1990-02-03',
                    LastModifiedDate: '2026-01-02T03:04:05.000+0000'
                }
            },
            {
                id: '003000000000002AAA',
                values: {
                    Id: '003000000000002AAA',
                    LastName: 'Two\nLines',
                    HasOptedOutOfEmail: false,
                    NumberOfEmployees__c: null,
                    Score__c: null,
                    Birthdate: null,
                    LastModifiedDate: null
                }
            }
        ]);
    });

    test('a page with only its header is no rows', () => {
        expect(csvPageToRows('"Id","LastName"\n', schema)).toEqual([]);
        expect(csvPageToRows('', schema)).toEqual([]);
    });

    test('a page without Id, a short row or an unterminated quote is refused', () => {
        expect(() => csvPageToRows('"LastName"\n"Smith"\n', schema)).toThrow(/must select Id/);
        expect(() => csvPageToRows('"Id","LastName"\n"003000000000001AAA"\n', schema)).toThrow(/1 cells for 2 columns/);
        expect(() => csvPageToRows('"Id","LastName"\n"003000000000001AAA","Smi', schema)).toThrow(
            /unterminated quoted field/
        );
    });
});

describe('csvRecords', () => {
    test('cuts quoted cells, doubled quotes, embedded line breaks and every line ending as parseCsv reads them', () => {
        const texts = [
            '\ufeff"Id","Name"\n"1","Quote ""Co"", Ltd"\n',
            'Id,Note\r\n2,"line one\nline ""two"", with a comma\r\nline three"\r\n3,plain\r4,\n',
            'a,b,\n,,\n"",""\nlast,row',
            '\n',
            ''
        ];
        for (const text of texts) expect([...csvRecords(text)]).toEqual(parseCsv(text));
        expect([...csvRecords('x;"y;z"\n', ';')]).toEqual([['x', 'y;z']]);
    });

    test('an unterminated quoted cell is refused when its record is reached', () => {
        const records = csvRecords('"Id"\n"1\n2');
        expect(records.next().value).toEqual(['Id']);
        expect(() => records.next()).toThrow(CsvError);
    });
});
