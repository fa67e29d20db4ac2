/**
 * The budget counts the HubSpot client's own retries: the real @hubspot/api-client with the
 * relay's retry setting against the HubSpot sandbox, which fails the first attempt with a 503 and counts
 * every request it receives.
 */
import { startHubSpotSandbox, type RunningHubSpotSandbox } from '../../sandbox/hubspot';
import { connectHubSpot } from './connect';
import type { HubSpotPort } from './ports';
import { ApiBudget } from '../../budget/api-budget';
import { budgetedHubSpot } from '../../budget/budgeted-ports';

describe("the HubSpot client's own retries and the API budget", () => {
    let sandbox: RunningHubSpotSandbox;
    let contactId: string;

    beforeEach(async () => {
        sandbox = await startHubSpotSandbox({ seed: 'empty', tier: 'unlimited' });
        contactId = sandbox.handle.createAsUser('contacts', { email: 'retry@count.io' }).id;
    });
    afterEach(() => sandbox.close());

    /** One batch read whose first attempt answers 503 (the client retries it 200 ms later). */
    const readThroughFailure = async (port: HubSpotPort) => {
        const budget = new ApiBudget();
        const budgeted = budgetedHubSpot(port, budget, () => 'fast_path');
        sandbox.handle.resetRequestCounts();
        sandbox.handle.addFault({ path: '/crm/v3/objects/contacts/batch/read', kind: 'status', status: 503, times: 1 });
        const before = port.calls();
        // The client announces its retry on the console.
        const logged = jest.spyOn(console, 'error').mockImplementation(() => {});
        let records;
        try {
            records = await budgeted.read('contacts', [contactId], ['email']);
            expect(logged).toHaveBeenCalledWith(expect.stringMatching(/status code \[503\], will retry/));
        } finally {
            logged.mockRestore();
        }
        expect(records.map((record) => record.id)).toEqual([contactId]);
        return {
            received: sandbox.handle.requestCounts().total,
            counted: port.calls() - before,
            spent: budget.status('hubspot').spent
        };
    };

    test("the adapter connectHubSpot builds counts every request, the client's retries included, and the budget spends them", async () => {
        const port = connectHubSpot({
            baseUrl: sandbox.connection.basePath,
            accessToken: sandbox.connection.accessToken
        });
        expect(await readThroughFailure(port)).toEqual({ received: 2, counted: 2, spent: 2 });
    });
});
