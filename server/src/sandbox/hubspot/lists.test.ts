import { rejectionOf, startWithClient, type SandboxUnderTest } from './test-support';

describe('HubSpot sandbox: list memberships through @hubspot/api-client', () => {
    let env: SandboxUnderTest;

    beforeEach(async () => {
        env = await startWithClient({ tier: 'unlimited' });
    });
    afterEach(async () => {
        await env.sandbox.close();
    });

    it('pages the members of a list by record id with after cursors', async () => {
        const { client, sandbox } = env;
        const contacts = await client.crm.contacts.batchApi.create({
            inputs: Array.from({ length: 7 }, (_, index) => ({
                properties: { email: `m${index}@lists.test` },
                associations: []
            }))
        });
        const ids = contacts.results.map((contact) => contact.id).sort((left, right) => Number(left) - Number(right));
        const listId = sandbox.handle.createList('Newsletter', 'contacts');
        sandbox.handle.addToList(listId, 'contacts', [...ids].reverse().slice(0, 5));
        sandbox.handle.removeFromList(listId, [ids[6]]);

        const first = await client.crm.lists.membershipsApi.getPage(listId, undefined, undefined, 3);
        expect(first.results.map((member) => member.recordId)).toEqual([ids[2], ids[3], ids[4]]);
        expect(first.results[0].membershipTimestamp).toBeInstanceOf(Date);
        expect(first.total).toBe(4);
        const second = await client.crm.lists.membershipsApi.getPage(listId, first.paging!.next!.after, undefined, 3);
        expect(second.results).toHaveLength(1);
        expect(second.paging?.next).toBeUndefined();
        const whole = await client.crm.lists.membershipsApi.getPage(listId, undefined, undefined, 1000);
        expect(whole.results).toHaveLength(4);
    });

    it('answers 404 for an unknown list and rejects members that do not exist', async () => {
        const missing = await rejectionOf(client().crm.lists.membershipsApi.getPage('999'));
        expect(missing.code).toBe(404);
        const listId = env.sandbox.handle.createList('Empty', 'companies');
        expect(() => env.sandbox.handle.addToList(listId, 'companies', ['424242'])).toThrow();
        expect((await client().crm.lists.membershipsApi.getPage(listId)).results).toEqual([]);
    });

    const client = () => env.client;
});
