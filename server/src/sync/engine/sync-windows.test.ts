/**
 * Windows: a record group decided a few records at a time (here 2) ends exactly where one window over
 * everything ends: same pairs, same duplicate decisions, same counts, no record planned twice, and the
 * same write calls (what a window leaves short of a batch waits for the next). And a first read through
 * Bulk API 2.0 ends where the REST read ends.
 */
import { startEngineWorld, writeEndpoint, type EngineWorld } from './test-support';

function seed(world: EngineWorld): void {
    world.createInSalesforce('Contact', { LastName: 'Ann', Email: 'ann@acme.com', Title: 'CEO' });
    world.createInSalesforce('Contact', { LastName: 'Bob', Email: 'bob@acme.com' });
    world.createInSalesforce('Contact', { LastName: 'Dup', Email: 'dup@acme.com' });
    world.createInSalesforce('Contact', { LastName: 'Eve', Email: 'eve@acme.com' });
    world.createInSalesforce('Lead', { LastName: 'Dup', Company: 'Acme', Email: 'DUP@acme.com' });
    world.createInSalesforce('Lead', { LastName: 'Twin', Company: 'T', Email: 'twin@t.io' });
    world.createInSalesforce('Lead', { LastName: 'Twin', Company: 'T', Email: 'twin@t.io' });
    world.createInSalesforce('Lead', { LastName: 'Solo', Company: 'S', Email: 'solo@s.io' });
    world.hubspotSandbox.handle.createAsUser('contacts', { email: 'bob@acme.com', firstname: 'Robert' });
    world.hubspotSandbox.handle.createAsUser('contacts', { email: 'twin@t.io', jobtitle: 'Twin HubSpot' });
    world.hubspotSandbox.handle.createAsUser('contacts', { email: 'only@hub.io', lastname: 'Only', company: 'Hub' });
    world.hubspotSandbox.handle.createAsUser('contacts', { email: 'also@hub.io', lastname: 'Also', company: 'Hub' });
}

/** The write calls the sandboxes served, by endpoint. */
function writeCalls(world: EngineWorld): Record<string, number> {
    const served = {
        ...world.salesforceSandbox.handle.requests.snapshot().byEndpoint,
        ...world.hubspotSandbox.handle.requestCounts().byEndpoint
    };
    return Object.fromEntries(Object.entries(served).filter(([endpoint]) => writeEndpoint.test(endpoint)));
}

/** What a run decided, without the IDs the sandboxes happened to hand out. */
function outcome(world: EngineWorld) {
    const contacts = world.hubspotObjects('contacts').map((contact) => contact.properties);
    const salesforce = ['Lead', 'Contact'].flatMap((object) =>
        world.salesforceSandbox.handle
            .query(`SELECT Email, LastName, HubSpot_Sync_Status__c FROM ${object}`)
            .map((row) => `${object} ${String(row.Email).toLowerCase()} ${row.LastName} ${row.HubSpot_Sync_Status__c}`)
    );
    return {
        hubspot: contacts.map((contact) => `${contact.email} ${contact.firstname} ${contact.jobtitle}`).sort(),
        salesforce: salesforce.sort(),
        errors: world.store.listErrors({ resolved: false }).map((error) => error.message)
    };
}

describe('sync engine: windows', () => {
    const worlds: EngineWorld[] = [];
    afterAll(async () => {
        await Promise.all(worlds.map((world) => world.close()));
    });

    test('a group decided two records at a time ends where one window ends, and nothing is planned twice', async () => {
        const single = await startEngineWorld();
        const windowed = await startEngineWorld({ recordsPerWindow: 2 });
        worlds.push(single, windowed);
        seed(single);
        seed(windowed);

        const [one, two] = [await single.sync(), await windowed.sync()];

        expect(outcome(windowed)).toEqual(outcome(single));
        expect(two.counts).toEqual(one.counts);
        expect(Object.keys(writeCalls(single)).length).toBeGreaterThan(0);
        expect(writeCalls(windowed)).toEqual(writeCalls(single));
        expect(outcome(windowed).hubspot.filter((line) => line.startsWith('dup@acme.com'))).toHaveLength(1);
        // Both sides then change one pair; the windows still see it as one conflict.
        for (const world of [single, windowed]) {
            const ann = world.salesforceSandbox.handle.query("SELECT Id FROM Contact WHERE Email = 'ann@acme.com'")[0];
            const link = world.store.findLinkBySalesforce({
                salesforceObject: 'Contact',
                salesforceId: String(ann.Id)
            })!;
            world.hubspotSandbox.handle.editAsUser('contacts', link.hubspotId, { jobtitle: 'Founder' });
            world.salesforceSandbox.handle.editAsUser(String(ann.Id), { FirstName: 'Annie' });
        }
        const [three, four] = [await single.sync(), await windowed.sync()];
        expect(outcome(windowed)).toEqual(outcome(single));
        expect(four.counts).toEqual(three.counts);
        expect(writeCalls(windowed)).toEqual(writeCalls(single));
        expect(outcome(windowed).hubspot).toContain('ann@acme.com Annie Founder');
    }, 30_000);

    test('Salesforce edits decided two at a time go out in the write calls of one window', async () => {
        const single = await startEngineWorld();
        const windowed = await startEngineWorld({ recordsPerWindow: 2 });
        worlds.push(single, windowed);
        const edited: Record<string, string[]> = {};
        for (const [name, world] of Object.entries({ single, windowed })) {
            edited[name] = ['a', 'b', 'c', 'd', 'e'].map((letter) =>
                world.createInSalesforce('Contact', { LastName: letter, Email: `${letter}@acme.com` })
            );
        }
        // Synced, read back once, and past the HubSpot cursor's 5 s pull-back: the pairs are at rest.
        await Promise.all([single.sync(), windowed.sync()]);
        await new Promise((resolve) => setTimeout(resolve, 5_100));
        await Promise.all([single.sync(), windowed.sync()]);
        await new Promise((resolve) => setTimeout(resolve, 1_100));
        for (const [name, world] of Object.entries({ single, windowed })) {
            for (const id of edited[name]!) world.salesforceSandbox.handle.editAsUser(id, { Title: `Title ${id}` });
            world.salesforceSandbox.handle.requests.reset();
            world.hubspotSandbox.handle.resetRequestCounts();
        }

        const [one, two] = [await single.sync(), await windowed.sync()];

        // Their HubSpot records stood in from snapshots, unread, so no check ties an update to its window.
        expect(two.counts['contacts.unchanged_counterpart_hubspot']).toBe(5);
        expect(writeCalls(single)).toEqual({ 'POST /crm/v3/objects/contacts/batch/update': 1 });
        expect(writeCalls(windowed)).toEqual(writeCalls(single));
        expect(two.counts).toEqual(one.counts);
        for (const id of edited.windowed!) {
            const link = windowed.store.findLinkBySalesforce({ salesforceObject: 'Contact', salesforceId: id })!;
            expect(windowed.hubspotObject('contacts', link.hubspotId).jobtitle).toBe(`Title ${id}`);
        }
    }, 30_000);

    test('a first read above the bulk threshold goes through Bulk API 2.0 and ends where the REST read ends', async () => {
        const rest = await startEngineWorld({ bulkReadThreshold: null });
        const bulk = await startEngineWorld({ bulkReadThreshold: 4 });
        worlds.push(rest, bulk);
        seed(rest);
        seed(bulk);

        const [one, two] = [await rest.sync(), await bulk.sync()];

        expect(outcome(bulk)).toEqual(outcome(rest));
        expect(two.counts).toEqual(one.counts);
        const endpoints = (world: EngineWorld) =>
            Object.keys(world.salesforceSandbox.handle.requests.snapshot().byEndpoint);
        expect(endpoints(bulk).some((endpoint) => endpoint.startsWith('POST /jobs/query'))).toBe(true);
        expect(endpoints(rest).some((endpoint) => endpoint.includes('/jobs/query'))).toBe(false);
    }, 30_000);
});
