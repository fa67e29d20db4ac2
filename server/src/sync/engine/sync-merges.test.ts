/**
 * HubSpot merges seen through reads, not the archived list: HubSpot answers a read of a merged-away ID
 * with the record that absorbed it, which syncs with a Salesforce record the run never read (unread, not
 * deleted); the change search finds the record that absorbed it, which names it. Both sandboxes, the real
 * clients.
 */
import { startEngineWorld, type EngineWorld } from './test-support';

describe('sync engine: HubSpot merges', () => {
    let world: EngineWorld;
    // The archived list is read by the first run only, as in the relay between its hourly scans.
    beforeEach(async () => {
        world = await startEngineWorld({ archivedScanMinutes: 60 });
    });
    afterEach(() => world.close());

    const link = (salesforceId: string) =>
        world.store.findLinkBySalesforce({ salesforceObject: 'Lead', salesforceId })!;

    /** Two Leads synced with two contacts, then Gone's contact merged into Kept's (after `settle`). */
    async function mergedPairs(settle: () => Promise<void>) {
        const mergedLead = world.createInSalesforce('Lead', { LastName: 'Gone', Company: 'A', Email: 'gone@merge.io' });
        const keptLead = world.createInSalesforce('Lead', {
            LastName: 'Kept',
            Company: 'B',
            Email: 'kept@merge.io',
            Title: 'Kept title'
        });
        await world.sync();
        await settle();
        const mergedContact = link(mergedLead).hubspotId;
        const keptContact = link(keptLead).hubspotId;
        world.hubspotSandbox.handle.mergeAsUser('contacts', keptContact, mergedContact);
        return { mergedLead, keptLead, keptContact };
    }

    test('the contact a merge kept goes on syncing with its own record; the merged-away pair ends', async () => {
        const { mergedLead, keptLead, keptContact } = await mergedPairs(async () => {});

        // The merged-away contact's Lead changes and a run of that record alone (the fast path) follows: its
        // counterpart read answers with the contact that absorbed it, whose own Lead this run did not read.
        world.salesforceSandbox.handle.editAsUser(mergedLead, { Title: 'After the merge' });
        await world.sync({ ids: [mergedLead] });

        expect(link(mergedLead).tombstonedAt).not.toBeNull();
        expect(link(keptLead)).toMatchObject({ hubspotId: keptContact, tombstonedAt: null });
        world.hubspotSandbox.handle.editAsUser('contacts', keptContact, { jobtitle: 'Still syncing' });
        await world.sync();
        expect(world.salesforceRecord(keptLead).Title).toBe('Still syncing');
        expect(world.hubspotObject('contacts', keptContact).jobtitle).toBe('Still syncing');
    }, 20_000);

    test("a scheduled run ends the merged-away pair from the change search: its Lead's edit goes nowhere", async () => {
        const { mergedLead, keptLead, keptContact } = await mergedPairs(async () => {
            // The run after the creates reads them back (it completes their snapshots); once its HubSpot cursor
            // is past them (a cursor within 5 s of its read is pulled back), they are no change of the next run.
            await new Promise((resolve) => setTimeout(resolve, 5_100));
            await world.sync();
            await new Promise((resolve) => setTimeout(resolve, 1_100));
        });
        world.salesforceSandbox.handle.editAsUser(mergedLead, { Title: 'After the merge' });
        // No archived scan is due: the contact that absorbed the other, changed by the merge, names it.
        const report = await world.sync();

        // HubSpot applies a write to a merged-away ID to the record that absorbed it: none may go there.
        expect(world.hubspotObject('contacts', keptContact).jobtitle).toBe('Kept title');
        expect(report.counts['lead_to_contact.merged_away_hubspot']).toBe(1);
        expect(link(mergedLead).tombstonedAt).not.toBeNull();
        expect(world.salesforceRecord(keptLead).Title).toBe('Kept title');
        expect(link(keptLead)).toMatchObject({ hubspotId: keptContact, tombstonedAt: null });
    }, 30_000);
});
