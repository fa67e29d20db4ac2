/**
 * Call deadlines: a call the server never answers ends with a clear error instead of holding the run,
 * through the real jsforce and @hubspot/api-client against sandboxes told never to answer.
 */
import { startHubSpotSandbox, type RunningHubSpotSandbox } from '../../sandbox/hubspot';
import { startSalesforceSandbox, type RunningSalesforceSandbox } from '../../sandbox/salesforce';
import { CallTimeoutError, withCallTimeouts } from './call-timeout';
import { connectHubSpot, connectSalesforce } from './connect';
import { sandboxSalesforceLogin } from '../../runtime/sandbox-connections';

describe('withCallTimeouts', () => {
    const port = {
        prefix: 'id-',
        get label() {
            return `${this.prefix}label`;
        },
        answer: (value: string) => Promise.resolve(value),
        never: () => new Promise<string>(() => undefined),
        sync: () => 42,
        async *pages(hangAfter: number) {
            for (let page = 0; ; page += 1) {
                if (page === hangAfter) await new Promise(() => undefined);
                yield [page];
            }
        }
    };
    const timed = withCallTimeouts(port, 'hubspot', 30);

    test('answers pass through; getters, fields and plain values are untouched', async () => {
        await expect(timed.answer('yes')).resolves.toBe('yes');
        expect(timed.label).toBe('id-label');
        expect(timed.sync()).toBe(42);
    });

    test('a call with no answer fails with the side, the operation and the deadline', async () => {
        await expect(timed.never()).rejects.toThrow(new CallTimeoutError('hubspot', 'never', 30).message);
        await expect(timed.never()).rejects.toBeInstanceOf(CallTimeoutError);
    });

    test('each page of a paged read has its own deadline', async () => {
        const seen: number[][] = [];
        await expect(
            (async () => {
                for await (const page of timed.pages(2)) seen.push(page);
            })()
        ).rejects.toBeInstanceOf(CallTimeoutError);
        expect(seen).toEqual([[0], [1]]);
    });

    test("after a page's deadline, closing the read does not wait for the page that never came", async () => {
        const pages: AsyncIterator<number[]> = timed.pages(0)[Symbol.asyncIterator]();
        await expect(pages.next()).rejects.toBeInstanceOf(CallTimeoutError);
        await expect(settlesWithin(pages.return!(), 1_000)).resolves.toEqual({ done: true, value: undefined });
    });
});

/** The promise's outcome, or a rejection naming the wait if it has none within `ms`. */
function settlesWithin<T>(promise: Promise<T>, ms: number): Promise<T> {
    return Promise.race([
        promise,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`still pending after ${ms} ms`)), ms))
    ]);
}

describe('call deadlines through the real clients', () => {
    let salesforceSandbox: RunningSalesforceSandbox;
    let hubspotSandbox: RunningHubSpotSandbox;
    beforeAll(async () => {
        [salesforceSandbox, hubspotSandbox] = await Promise.all([
            startSalesforceSandbox({ seed: 'empty' }),
            startHubSpotSandbox({ seed: 'empty', tier: 'unlimited' })
        ]);
    });
    afterAll(async () => {
        await Promise.all([salesforceSandbox.close(), hubspotSandbox.close()]);
    });

    test('a Salesforce query page that never comes back ends the read with CallTimeoutError', async () => {
        const info = salesforceSandbox.connection;
        const salesforce = await connectSalesforce(sandboxSalesforceLogin(info), info.apiVersion, {
            callTimeoutMs: 300
        });
        salesforceSandbox.handle.faults.add({ method: 'GET', path: '/query', kind: 'timeout', times: 1 });
        await expect(salesforce.query('SELECT Id FROM Lead')).rejects.toThrow(/salesforce query got no answer/);
        // The next call is answered normally.
        await expect(salesforce.query('SELECT Id FROM Lead')).resolves.toEqual([]);
    });

    test('a paged Salesforce read whose page never came back can be closed, as a for-await exit does', async () => {
        const info = salesforceSandbox.connection;
        const salesforce = await connectSalesforce(sandboxSalesforceLogin(info), info.apiVersion, {
            callTimeoutMs: 300
        });
        salesforceSandbox.handle.faults.add({ method: 'GET', path: '/query', kind: 'timeout', times: 1 });
        const pages = salesforce.queryPages('SELECT Id FROM Lead')[Symbol.asyncIterator]();
        await expect(pages.next()).rejects.toBeInstanceOf(CallTimeoutError);
        // jsforce's generator is still awaiting the request: its own return() would wait for it forever.
        await expect(settlesWithin(pages.return!(), 2_000)).resolves.toMatchObject({ done: true });
    });

    test('a HubSpot search that never comes back ends with CallTimeoutError', async () => {
        const hubspot = connectHubSpot(
            { baseUrl: hubspotSandbox.connection.basePath, accessToken: hubspotSandbox.connection.accessToken },
            { callTimeoutMs: 300 }
        );
        hubspotSandbox.handle.addFault({ path: '/crm/v3/objects/contacts/search', kind: 'timeout', times: 1 });
        const request = {
            filterGroups: [],
            sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' as const }],
            properties: ['email'],
            limit: 100
        };
        await expect(hubspot.search('contacts', request)).rejects.toBeInstanceOf(CallTimeoutError);
        await expect(hubspot.search('contacts', request)).resolves.toEqual({ results: [] });
    });
});
