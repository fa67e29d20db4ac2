/**
 * Run-level behaviour: echo suppression, the API call budget of a no-change run, partial batch
 * failures, dry runs, fatal mapping problems, one run at a time, the scheduler.
 */
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';

import { startEngineWorld, withoutOwnerSync, writeEndpoint, type EngineWorld } from './test-support';
import { EngineResyncQueue } from './resync-queue';
import { SyncEngine } from './engine';
import { SyncScheduler } from './scheduler';

function seedBothSides(world: EngineWorld): void {
    const accountId = world.createInSalesforce('Account', { Name: 'Acme', Website: 'acme.com' });
    world.createInSalesforce('Contact', { LastName: 'Doe', Email: 'doe@acme.com', AccountId: accountId });
    world.createInSalesforce('Lead', {
        LastName: 'Lee',
        Company: 'Foo',
        Email: 'lee@foo.com',
        Status: 'Working - Contacted'
    });
    world.createInSalesforce('Opportunity', {
        Name: 'Deal',
        StageName: 'Prospecting',
        CloseDate: '2027-01-01',
        AccountId: accountId
    });
    world.hubspotSandbox.handle.createAsUser('contacts', { email: 'hs@only.io', lastname: 'Only', company: 'Only IO' });
}

function requestCounts(world: EngineWorld) {
    return {
        salesforce: world.salesforceSandbox.handle.requests.snapshot(),
        hubspot: world.hubspotSandbox.handle.requestCounts()
    };
}

/** The write endpoints both sandboxes counted since their counts were reset. */
function writesMade(world: EngineWorld): string[] {
    const counts = requestCounts(world);
    return [...Object.keys(counts.salesforce.byEndpoint), ...Object.keys(counts.hubspot.byEndpoint)].filter(
        (endpoint) => writeEndpoint.test(endpoint)
    );
}

function resetRequestCounts(world: EngineWorld): void {
    world.salesforceSandbox.handle.requests.reset();
    world.hubspotSandbox.handle.resetRequestCounts();
}

describe('sync engine: runs', () => {
    let world: EngineWorld;
    beforeEach(async () => {
        world = await startEngineWorld();
    });
    afterEach(() => world.close());

    test('echo suppression: the run right after a sync writes nothing to either side', async () => {
        seedBothSides(world);
        await world.sync();
        await world.sync();
        resetRequestCounts(world);
        const report = await world.sync();

        expect(writesMade(world)).toEqual([]);
        expect(report.fieldChanges).toEqual({});
    });

    test('a Lead made from a HubSpot contact settles in the run that makes it: the next run writes nothing', async () => {
        const contact = world.hubspotSandbox.handle.createAsUser('contacts', {
            email: 'new@hubspot.io',
            lastname: 'New',
            company: 'HubSpot first',
            lifecyclestage: 'subscriber'
        });
        await world.sync();
        const link = world.store.findLinkByHubSpot({ hubspotObjectType: 'contacts', hubspotId: String(contact.id) })!;
        // Salesforce's default status, the stage derived from it (forward from subscriber) and its mirror: decided
        // on create and sent to HubSpot with the new Lead's ID, not found by the next run as a change.
        expect(world.salesforceRecord(link.salesforceId)).toMatchObject({
            Status: 'Open - Not Contacted',
            HubSpot_Lifecycle_Stage__c: 'lead'
        });
        expect(world.hubspotObject('contacts', link.hubspotId)).toMatchObject({
            hs_lead_status: 'NEW',
            lifecyclestage: 'lead',
            salesforceleadid: link.salesforceId
        });

        resetRequestCounts(world);
        const report = await world.sync();
        expect(writesMade(world)).toEqual([]);
        expect(report.fieldChanges).toEqual({});
    });

    test('a no-change run costs at most one query or search per object per side, as the sandboxes count', async () => {
        await world.close();
        // The production default: the archived lists are read hourly, not on every run.
        world = await startEngineWorld({ archivedScanMinutes: 60 });
        seedBothSides(world);
        await world.sync();
        await world.sync();
        resetRequestCounts(world);
        const report = await world.sync();

        const counts = requestCounts(world);
        // Salesforce: Account, Contact, Lead, Opportunity, OpportunityContactRole, Task, Event.
        expect(counts.salesforce.total).toBeLessThanOrEqual(7);
        expect(Object.keys(counts.salesforce.byEndpoint).every((endpoint) => endpoint.startsWith('GET /query'))).toBe(
            true
        );
        // HubSpot: a search for companies, contacts, deals, and the calls, emails and tasks that come back as Tasks.
        expect(counts.hubspot.total).toBeLessThanOrEqual(6);
        expect(Object.keys(counts.hubspot.byEndpoint).every((endpoint) => endpoint.endsWith('/search'))).toBe(true);
        expect(report.apiCalls).toEqual({ salesforce: counts.salesforce.total, hubspot: counts.hubspot.total });
    });

    test('an object found empty is read for changes afterwards, not counted and read whole on every run', async () => {
        world.createInSalesforce('Contact', { LastName: 'Doe', Email: 'doe@acme.com' });
        const first = await world.sync();
        resetRequestCounts(world);
        const second = await world.sync();

        // Before: a COUNT() (for the Bulk API decision) and a whole read of every empty object, every run.
        const { byEndpoint } = requestCounts(world).salesforce;
        expect((byEndpoint['GET /query'] ?? 0) + (byEndpoint['GET /queryAll'] ?? 0)).toBe(7);
        expect(second.apiCalls.salesforce).toBeLessThan(first.apiCalls.salesforce);
        const opportunityId = world.createInSalesforce('Opportunity', {
            Name: 'Later',
            StageName: 'Prospecting',
            CloseDate: '2026-12-31'
        });
        await world.sync();
        expect(
            world.store.findLinkBySalesforce({ salesforceObject: 'Opportunity', salesforceId: opportunityId })
        ).toBeDefined();
    });

    test('a partial HubSpot batch failure: the failed records are retried next run, none lost or doubled', async () => {
        for (let index = 0; index < 6; index += 1) {
            world.createInSalesforce('Contact', { LastName: `Person ${index}`, Email: `p${index}@acme.com` });
        }
        world.hubspotSandbox.handle.addFault({
            path: '/crm/v3/objects/contacts/batch/create',
            kind: 'partial',
            failureRate: 0.5,
            times: 1
        });
        const first = await world.sync();
        expect(first.counts['contact_to_contact.created_in_hubspot']).toBeLessThan(6);
        expect(first.errors.length).toBeGreaterThan(0);
        await world.sync();

        const emails = world.hubspotObjects('contacts').map((contact) => contact.properties.email);
        expect(emails.sort()).toEqual([0, 1, 2, 3, 4, 5].map((index) => `p${index}@acme.com`));
        expect(world.store.listErrors({ resolved: false })).toEqual([]);
    });

    test('a partial Salesforce collection failure: HubSpot records that failed to become Leads are retried', async () => {
        for (let index = 0; index < 6; index += 1) {
            world.hubspotSandbox.handle.createAsUser('contacts', {
                email: `h${index}@hs.io`,
                lastname: `H ${index}`,
                company: 'HS IO'
            });
        }
        world.salesforceSandbox.handle.faults.add({
            path: 'composite/sobjects',
            method: 'POST',
            kind: 'partial',
            failureRate: 0.5,
            times: 1
        });
        const first = await world.sync();
        expect(first.counts['lead_to_contact.created_in_salesforce']).toBeLessThan(6);
        await world.sync();

        const leads = world.salesforceSandbox.handle.query("SELECT Email FROM Lead WHERE Email LIKE '%@hs.io'");
        expect(leads.map((lead) => lead.Email).sort()).toEqual([0, 1, 2, 3, 4, 5].map((index) => `h${index}@hs.io`));
        expect(world.store.listErrors({ resolved: false })).toEqual([]);
    });

    test('a failed write-back after HubSpot creates: an error per record, and the next run writes the link', async () => {
        const contactIds = [0, 1, 2, 3].map((index) =>
            world.createInSalesforce('Contact', { LastName: `Back ${index}`, Email: `back${index}@acme.com` })
        );
        world.salesforceSandbox.handle.faults.add({
            path: 'composite/sobjects',
            method: 'PATCH',
            kind: 'partial',
            failureRate: 1,
            times: 1
        });
        const first = await world.sync();
        expect(first.counts['contact_to_contact.created_in_hubspot']).toBe(4);
        const open = world.store.listErrors({ resolved: false });
        expect(open.map((error) => error.salesforceId).sort()).toEqual([...contactIds].sort());
        expect(world.salesforceRecord(contactIds[0]!).HubSpot_Id__c ?? null).toBeNull();

        await world.sync();
        for (const contactId of contactIds) {
            const link = world.store.findLinkBySalesforce({ salesforceObject: 'Contact', salesforceId: contactId })!;
            expect(world.salesforceRecord(contactId)).toMatchObject({
                HubSpot_Id__c: link.hubspotId,
                HubSpot_Sync_Status__c: 'Synced'
            });
        }
        expect(world.hubspotObjects('contacts')).toHaveLength(4);
        expect(world.store.listErrors({ resolved: false })).toEqual([]);
    });

    test('dry run writes nothing and reports the plan per field, the errors and the write calls it would spend', async () => {
        seedBothSides(world);
        world.createInSalesforce('Opportunity', {
            Name: 'Odd',
            StageName: 'Prospecting',
            CloseDate: '2027-01-01',
            Type: 'Existing Customer - Replacement'
        });
        const contactsBefore = world.hubspotObjects('contacts').length;
        const report = await world.engine.run({ mode: 'dry_run' });

        expect(report.status).toBe('completed');
        expect(world.hubspotObjects('contacts')).toHaveLength(contactsBefore);
        expect(world.store.findLinkByHubSpot({ hubspotObjectType: 'contacts', hubspotId: '1001' })).toBeUndefined();
        expect(report.counts['contact_to_contact.would_create_in_hubspot']).toBe(1);
        expect(report.fieldChanges['contact_to_contact LastName ↔ lastname to_hubspot']).toBe(1);
        expect(report.errors).toEqual(
            expect.arrayContaining([expect.objectContaining({ field: 'Type', category: 'picklist' })])
        );
        expect(report.plannedWriteCalls.hubspot).toBeGreaterThan(0);
        expect(report.plannedWriteCalls.salesforce).toBeGreaterThan(0);
        expect(world.store.getRun(report.runId)).toMatchObject({ mode: 'dry_run', status: 'completed' });
        // Nothing was remembered either: the real run afterwards does all the work.
        const real = await world.sync();
        expect(real.counts['contact_to_contact.created_in_hubspot']).toBe(1);
    });

    test('fatal mapping problems fail the run with one message listing all of them', async () => {
        await world.close();
        world = await startEngineWorld({
            mapping: (mapping) => ({
                ...mapping,
                records: mapping.records.map((record) =>
                    record.id === 'contact_to_contact'
                        ? {
                              ...record,
                              fields: [
                                  ...record.fields,
                                  { salesforce: 'Nope__c', hubspot: 'nope', rule: 'two_way' as const, owner: false }
                              ]
                          }
                        : record
                )
            })
        });
        const report = await world.engine.run({ mode: 'incremental' });

        expect(report.status).toBe('failed');
        expect(report.error).toMatch(/unknown_salesforce_field.*Nope__c[\s\S]*unknown_hubspot_property.*nope/);
        expect(world.store.getRun(report.runId)).toMatchObject({ status: 'failed' });
    });

    test('one run at a time: a second run while one is in flight is refused', async () => {
        const first = world.engine.run({ mode: 'incremental' });
        expect(() => world.engine.run({ mode: 'incremental' })).toThrow(/already running/);
        expect((await first).status).toBe('completed');
    });

    test('a run left running by a process that died blocks nobody once its heartbeat is stale', async () => {
        // Another process started a run and was killed before it finished: no heartbeat follows.
        const cutOff = world.store.startRun('incremental');
        let now = Date.now();
        const engine = new SyncEngine({
            salesforce: world.salesforce,
            hubspot: world.hubspot,
            store: world.store,
            mapping: world.mapping,
            staleRunAfterMs: 60_000,
            now: () => new Date(now)
        });
        await expect(engine.run({ mode: 'incremental' })).rejects.toThrow(
            `run ${cutOff.id} started at ${cutOff.startedAt} by another process`
        );
        world.store.touchRun(cutOff.id);
        now += 61_000;
        const report = await engine.run({ mode: 'incremental' });

        expect(report.status).toBe('completed');
        expect(world.store.getRun(cutOff.id)).toMatchObject({
            status: 'failed',
            error: expect.stringMatching(/^cut off: no sign of life since .* \(its process ended during the run\)$/)
        });
    });

    test('a run left running by a process of this host that no longer exists is cut off at once', async () => {
        const child = spawnSync(process.execPath, ['-e', '0']);
        const cutOff = world.store.startRun('incremental', `${hostname()}:${child.pid}`);
        const report = await world.sync();

        expect(report.status).toBe('completed');
        expect(world.store.getRun(cutOff.id)?.status).toBe('failed');
    });

    test('a run limited by IDs syncs only those records and leaves the cursors alone', async () => {
        const chosen = world.createInSalesforce('Contact', { LastName: 'Chosen', Email: 'chosen@acme.com' });
        world.createInSalesforce('Contact', { LastName: 'Other', Email: 'other@acme.com' });
        const report = await world.sync({ ids: [chosen] });

        expect(report.counts['contact_to_contact.created_in_hubspot']).toBe(1);
        expect(world.hubspotObjects('contacts').map((contact) => contact.properties.lastname)).toEqual(['Chosen']);
        expect(world.store.getCursor('contact_to_contact', 'salesforce')).toBeUndefined();
    });

    test('the scheduler never overlaps runs; triggerNow runs at once and stop waits for the run in flight', async () => {
        seedBothSides(world);
        const reports: number[] = [];
        const scheduler = new SyncScheduler(world.engine, {
            intervalMinutes: 15,
            onReport: (report) => reports.push(report.runId)
        });
        scheduler.start();
        const second = scheduler.triggerNow();
        expect(scheduler.running).toBe(true);
        await second;
        await scheduler.stop();

        expect(reports.length).toBeGreaterThanOrEqual(1);
        const runs = world.store.recentRuns(10);
        expect(runs.every((run) => run.status === 'completed')).toBe(true);
        for (let index = 1; index < runs.length; index += 1) {
            expect(Date.parse(runs[index - 1].startedAt)).toBeGreaterThanOrEqual(Date.parse(runs[index].endedAt!));
        }
    });
    test('a scheduled run that finds the engine busy with a run of chosen records follows it instead of failing', async () => {
        const id = world.createInSalesforce('Contact', { LastName: 'Doe', Email: 'doe@acme.com' });
        const errors: unknown[] = [];
        const reports: string[] = [];
        const scheduler = new SyncScheduler(world.engine, {
            intervalMinutes: 15,
            onReport: (report) => reports.push(report.mode),
            onError: (error) => errors.push(error)
        });
        const chosen = world.engine.run({ mode: 'incremental', ids: [id] });
        scheduler.start();
        await chosen;
        await scheduler.triggerNow();
        await scheduler.stop();

        expect(errors).toEqual([]);
        expect(reports.length).toBeGreaterThanOrEqual(1);
    });
});

describe('sync engine: a run of some of the mappings sharing a HubSpot object type', () => {
    let world: EngineWorld;
    afterEach(() => world.close());

    test('leaves the HubSpot cursor to the whole group: a new contact still becomes a Lead', async () => {
        // With lead conversion configured, a run of either mapping runs both (`selectsRecordMapping`).
        world = await startEngineWorld({
            mapping: (mapping) => ({ ...withoutOwnerSync(mapping), leadConversion: undefined })
        });
        await world.sync();
        const contact = world.hubspotSandbox.handle.createAsUser('contacts', {
            email: 'new@only-contacts.io',
            lastname: 'New',
            company: 'New Co'
        });
        // Past the settling span (5 s), a read moves the cursor beyond the contact for good.
        await new Promise((resolve) => setTimeout(resolve, 5_500));
        // A fast-path reconcile of Contacts alone reads HubSpot contacts that only the Lead mapping creates from.
        const contactsOnly = await world.sync({ objects: ['Contact'] });
        expect(contactsOnly.counts['lead_to_contact.created_in_salesforce']).toBeUndefined();

        const next = await world.sync();
        expect(next.counts['lead_to_contact.created_in_salesforce']).toBe(1);
        expect(world.store.findLinkByHubSpot({ hubspotObjectType: 'contacts', hubspotId: contact.id })).toMatchObject({
            salesforceObject: 'Lead'
        });
    }, 20_000);
});

describe('sync engine: HubSpot search trailing its writes', () => {
    let world: EngineWorld;
    afterEach(() => world.close());

    test('a contact the email search could not see yet is paired on the next run, not left in error', async () => {
        world = await startEngineWorld({ hubspot: { searchIndexLagMs: 60_000 } });
        world.hubspotSandbox.handle.createAsUser('contacts', { email: 'new@acme.com', lastname: 'Fresh' });
        const contactId = world.createInSalesforce('Contact', { LastName: 'Fresh', Email: 'new@acme.com' });
        const first = await world.sync();
        expect(first.errors).toEqual([
            expect.objectContaining({
                salesforceId: contactId,
                category: 'transient',
                message: expect.stringMatching(/the next run pairs by email/)
            })
        ]);

        world.hubspotSandbox.handle.advanceClock(60_001);
        const second = await world.sync();
        expect(second.errors).toEqual([]);
        const link = world.store.findLinkBySalesforce({ salesforceObject: 'Contact', salesforceId: contactId });
        expect(world.hubspotObjects('contacts')).toEqual([expect.objectContaining({ id: link?.hubspotId })]);
        expect(world.store.listErrors({ resolved: false })).toEqual([]);
    }, 20_000);
});

describe('sync engine: an edit landing while a run of chosen records is in flight', () => {
    let world: EngineWorld;
    afterEach(() => world.close());

    test('the pair is left to the next run instead of the edit being overwritten', async () => {
        world = await startEngineWorld();
        const contactId = world.createInSalesforce('Contact', { LastName: 'Doe', Email: 'doe@acme.com' });
        await world.sync();
        const hubspotId = world.store.findLinkBySalesforce({
            salesforceObject: 'Contact',
            salesforceId: contactId
        })!.hubspotId;
        world.hubspotSandbox.handle.editAsUser('contacts', hubspotId, { jobtitle: 'From HubSpot' });
        // Salesforce stamps whole seconds: the concurrent edit must land in a later second than the last one.
        await new Promise((resolve) => setTimeout(resolve, 1_100));
        world.hubspotSandbox.handle.addFault({
            path: '/crm/v3/objects/contacts/batch/read',
            kind: 'delay',
            delayMs: 1_500,
            times: 1
        });
        const run = world.sync({ ids: [contactId, hubspotId] });
        await new Promise((resolve) => setTimeout(resolve, 600));
        world.salesforceSandbox.handle.editAsUser(contactId, { Title: 'Typed meanwhile' });
        const report = await run;

        expect(report.counts['contact_to_contact.deferred_concurrent_edit']).toBe(1);
        expect(world.salesforceRecord(contactId).Title).toBe('Typed meanwhile');
        await world.sync();
        expect(world.hubspotObject('contacts', hubspotId).jobtitle).toBe('Typed meanwhile');
        expect(world.salesforceRecord(contactId).Title).toBe('Typed meanwhile');
    }, 20_000);

    test('an edit landing while the run writes HubSpot holds back the Salesforce write it would be lost to', async () => {
        world = await startEngineWorld();
        const contactId = world.createInSalesforce('Contact', { LastName: 'Doe', Email: 'doe@acme.com' });
        await world.sync();
        const hubspotId = world.store.findLinkBySalesforce({
            salesforceObject: 'Contact',
            salesforceId: contactId
        })!.hubspotId;
        world.hubspotSandbox.handle.editAsUser('contacts', hubspotId, { jobtitle: 'From HubSpot' });
        world.salesforceSandbox.handle.editAsUser(contactId, { Phone: '+1 555 0001' });
        // Salesforce stamps whole seconds: the concurrent edit must land in a later second than the last one.
        await new Promise((resolve) => setTimeout(resolve, 1_100));
        // The pair goes both ways: its HubSpot update (slow here) comes before its Salesforce update.
        world.hubspotSandbox.handle.addFault({
            path: '/crm/v3/objects/contacts/batch/update',
            kind: 'delay',
            delayMs: 1_500,
            times: 1
        });
        const run = world.sync();
        await new Promise((resolve) => setTimeout(resolve, 700));
        world.salesforceSandbox.handle.editAsUser(contactId, { Title: 'Typed meanwhile' });
        const report = await run;

        expect(report.counts['contact_to_contact.deferred_concurrent_edit']).toBe(1);
        expect(world.salesforceRecord(contactId).Title).toBe('Typed meanwhile');
        expect(world.hubspotObject('contacts', hubspotId).phone).toBe('+1 555 0001');
        const next = await world.sync();
        expect(world.hubspotObject('contacts', hubspotId).jobtitle).toBe('Typed meanwhile');
        expect(world.salesforceRecord(contactId).Title).toBe('Typed meanwhile');
        expect(world.store.listConflicts({ runId: next.runId })).toEqual([
            expect.objectContaining({ field: 'Title', winner: 'salesforce' })
        ]);
    }, 20_000);
});

describe('sync engine: the counterparts a run reads itself', () => {
    let world: EngineWorld;
    afterEach(() => world.close());

    test('are not read again before the write, and a change flowing to HubSpot writes no status back', async () => {
        world = await startEngineWorld();
        const contactIds = [1, 2, 3].map((index) =>
            world.createInSalesforce('Contact', { LastName: `Doe ${index}`, Email: `doe${index}@acme.com` })
        );
        // The second run mirrors the new contacts' lifecycle stage to Salesforce; then the pairs are at rest.
        await world.sync();
        await world.sync();
        await new Promise((resolve) => setTimeout(resolve, 1_100));
        for (const id of contactIds) world.salesforceSandbox.handle.editAsUser(id, { Title: `Edited ${id}` });
        const lastSynced = world.salesforceRecord(contactIds[0]!).HubSpot_Last_Synced__c;
        resetRequestCounts(world);

        // A run of these records: their HubSpot counterparts are not changes of the run, the run reads them.
        const report = await world.sync({ ids: contactIds });

        expect(report.errors).toEqual([]);
        expect(report.counts['contacts.read_hubspot']).toBeUndefined();
        const counts = requestCounts(world);
        expect(counts.hubspot.byEndpoint['POST /crm/v3/objects/contacts/batch/read']).toBe(1);
        for (const id of contactIds) {
            const link = world.store.findLinkBySalesforce({ salesforceObject: 'Contact', salesforceId: id })!;
            expect(world.hubspotObject('contacts', link.hubspotId).jobtitle).toBe(`Edited ${id}`);
        }
        // The records already show Synced and their HubSpot link: nothing is written back for the time alone.
        expect(Object.keys(counts.salesforce.byEndpoint).filter((endpoint) => writeEndpoint.test(endpoint))).toEqual(
            []
        );
        expect(world.salesforceRecord(contactIds[0]!)).toMatchObject({
            HubSpot_Sync_Status__c: 'Synced',
            HubSpot_Last_Synced__c: lastSynced
        });
    }, 20_000);
});

describe('sync engine: a counterpart the change search found unchanged', () => {
    let world: EngineWorld;
    afterEach(() => world.close());

    /** Three Contacts synced and at rest, then edited in Salesforce: their HubSpot IDs. */
    async function editedAtRest(
        options: Parameters<typeof startEngineWorld>[0] = {}
    ): Promise<{ contactIds: string[]; hubspotIds: string[] }> {
        world = await startEngineWorld(options);
        const contactIds = [1, 2, 3].map((index) =>
            world.createInSalesforce('Contact', {
                LastName: `Doe ${index}`,
                Email: `doe${index}@acme.com`,
                Phone: `+1 555 000${index}`
            })
        );
        await world.sync();
        // The second run mirrors the new contacts' lifecycle stage to Salesforce; then the pairs are at rest. A
        // HubSpot cursor within 5 s of its read is pulled back (search indexing lag): once the second run's is
        // past the first run's creates, the third run's search no longer finds them.
        await new Promise((resolve) => setTimeout(resolve, 5_100));
        await world.sync();
        await new Promise((resolve) => setTimeout(resolve, 1_100));
        for (const id of contactIds) world.salesforceSandbox.handle.editAsUser(id, { Title: `Edited ${id}` });
        const hubspotIds = contactIds.map(
            (id) => world.store.findLinkBySalesforce({ salesforceObject: 'Contact', salesforceId: id })!.hubspotId
        );
        return { contactIds, hubspotIds };
    }

    test('stands in from the snapshots: no read by ID, and a HubSpot edit of another field syncs too', async () => {
        const { contactIds, hubspotIds } = await editedAtRest();
        world.hubspotSandbox.handle.editAsUser('contacts', hubspotIds[0]!, { phone: '+1 555 0999' });
        resetRequestCounts(world);

        const report = await world.sync();

        expect(report.errors).toEqual([]);
        // The first contact changed in HubSpot too: the change search read it. The other two were not read.
        expect(report.counts['contacts.unchanged_counterpart_hubspot']).toBe(2);
        const counts = requestCounts(world);
        expect(counts.hubspot.byEndpoint['POST /crm/v3/objects/contacts/batch/read']).toBeUndefined();
        contactIds.forEach((id, index) => {
            expect(world.hubspotObject('contacts', hubspotIds[index]!)).toMatchObject({
                jobtitle: `Edited ${id}`,
                phone: index === 0 ? '+1 555 0999' : `+1 555 000${index + 1}`,
                lastname: `Doe ${index + 1}`
            });
        });
        expect(world.salesforceRecord(contactIds[0]!).Phone).toBe('+1 555 0999');

        // The snapshots the stand-ins were planned from are what HubSpot holds: the next run has nothing to do.
        await new Promise((resolve) => setTimeout(resolve, 1_100));
        resetRequestCounts(world);
        await world.sync();
        expect(writesMade(world)).toEqual([]);
    }, 30_000);

    test('deleted in HubSpot since: the update it refuses is an error, and the run after ends the pair', async () => {
        // No archived scan is due after the first run, as in the relay between its hourly scans.
        const { contactIds, hubspotIds } = await editedAtRest({ archivedScanMinutes: 60 });
        world.hubspotSandbox.handle.archiveAsUser('contacts', hubspotIds[1]!);

        const report = await world.sync();

        expect(report.errors).toEqual([
            expect.objectContaining({ salesforceId: contactIds[1], hubspotId: hubspotIds[1] })
        ]);
        expect(world.hubspotObject('contacts', hubspotIds[0]!).jobtitle).toBe(`Edited ${contactIds[0]}`);
        const next = await world.sync();
        expect(next.counts['contact_to_contact.deleted_hubspot']).toBe(1);
        expect(world.store.listErrors({ resolved: false })).toEqual([]);
        expect(
            world.store.findLinkBySalesforce({ salesforceObject: 'Contact', salesforceId: contactIds[1]! })
                ?.tombstonedAt
        ).not.toBeNull();
    }, 30_000);

    test('a pair with an unresolved sync error is read, not stood in for', async () => {
        const { contactIds, hubspotIds } = await editedAtRest();
        world.store.recordErrors([
            {
                runId: null,
                mappingId: 'contact_to_contact',
                salesforceObject: 'Contact',
                salesforceId: contactIds[1]!,
                hubspotObjectType: 'contacts',
                hubspotId: hubspotIds[1]!,
                field: 'Phone',
                category: 'validation_rule',
                message: 'A validation rule refused the phone'
            }
        ]);
        resetRequestCounts(world);

        const report = await world.sync();

        expect(report.counts['contacts.unchanged_counterpart_hubspot']).toBe(2);
        expect(requestCounts(world).hubspot.byEndpoint['POST /crm/v3/objects/contacts/batch/read']).toBe(1);
        contactIds.forEach((id, index) => {
            expect(world.hubspotObject('contacts', hubspotIds[index]!).jobtitle).toBe(`Edited ${id}`);
        });
    }, 30_000);
});

describe('sync engine: resync queue', () => {
    let world: EngineWorld;
    beforeEach(async () => {
        world = await startEngineWorld();
    });
    afterEach(() => world.close());

    test('queued records sync in one ID-limited run; a repeated request returns the same job', async () => {
        const id = world.createInSalesforce('Contact', { LastName: 'Doe', Email: 'doe@acme.com' });
        world.createInSalesforce('Contact', { LastName: 'Other', Email: 'other@acme.com' });
        const reports: number[] = [];
        const queue = new EngineResyncQueue(world.engine, world.mapping, {
            onReport: (report) => reports.push(report.runId)
        });
        const request = { sfObject: 'Contact', sfId: id, requestedAt: new Date().toISOString(), requestId: 'r1' };
        const first = await queue.enqueue(request);
        const second = await queue.enqueue({ ...request, requestId: 'r2' });
        await queue.idle();

        expect(second.jobId).toBe(first.jobId);
        expect(reports).toHaveLength(1);
        expect(world.hubspotObjects('contacts').map((contact) => contact.properties.lastname)).toEqual(['Doe']);
        await expect(queue.enqueue({ ...request, sfObject: 'Case' })).rejects.toThrow(/not synced/);
        expect(queue.objects).toEqual(expect.arrayContaining(['Lead', 'Contact', 'Account', 'Opportunity']));
    });
});
