/**
 * A window's writes land while the next window is decided: the Salesforce write-back of one window overlaps
 * the HubSpot creates of the next, through the real clients. Salesforce writes still go one at a time, the
 * calls are those of a serial run, and a failure in writes still in flight fails the run without moving a
 * cursor; the next run ends where an undisturbed run ends, without a duplicate.
 */
import type { HubSpotPort, SalesforcePort } from '../adapters/ports';
import { SyncEngine } from './engine';
import { startEngineWorld, writeEndpoint, type EngineWorld } from './test-support';

interface Call {
    method: string;
    start: number;
    end: number;
}

/** The port, with every call's start and end noted (the real client still makes the call). */
function timed<Port extends object>(port: Port, calls: Call[], fail?: (method: string) => Error | undefined): Port {
    return new Proxy(port, {
        get(target, property, receiver) {
            const value: unknown = Reflect.get(target, property, receiver);
            if (typeof value !== 'function' || !['create', 'update'].includes(String(property))) return value;
            return async (...args: unknown[]) => {
                const call = { method: String(property), start: performance.now(), end: Number.NaN };
                calls.push(call);
                try {
                    const failure = fail?.(call.method);
                    if (failure) throw failure;
                    return await (value as (...inputs: unknown[]) => Promise<unknown>).apply(target, args);
                } finally {
                    call.end = performance.now();
                }
            };
        }
    });
}

const overlap = (left: Call, right: Call) => left.start < right.end && right.start < left.end;

/** Fails the run's second Salesforce update call as a whole (a window's write-back), as a refused call does. */
function failingSecondWriteBack(): (method: string) => Error | undefined {
    let updates = 0;
    return (method) =>
        method === 'update' && ++updates === 2 ? new Error('Salesforce refused the write-back') : undefined;
}

function pipelinedEngine(
    world: EngineWorld,
    calls: { salesforce: Call[]; hubspot: Call[] },
    failSalesforce?: (method: string) => Error | undefined
): SyncEngine {
    return new SyncEngine({
        salesforce: timed<SalesforcePort>(world.salesforce, calls.salesforce, failSalesforce),
        hubspot: timed<HubSpotPort>(world.hubspot, calls.hubspot),
        store: world.store,
        mapping: world.mapping,
        hubspotPortalId: world.hubspotSandbox.handle.portalId,
        archivedScanMinutes: 0,
        recordsPerWindow: 200
    });
}

function seedContacts(world: EngineWorld, count: number): void {
    for (let index = 0; index < count; index += 1) {
        world.createInSalesforce('Contact', { LastName: `Person ${index}`, Email: `p${index}@pipeline.test` });
    }
}

/**
 * Every Contact linked to its own HubSpot contact, written back as Synced with that contact's ID; `contacts`
 * of the HubSpot contacts (all by default) sync with a Contact.
 */
function expectEverySynced(world: EngineWorld, hubspotContacts: number, contacts = hubspotContacts): void {
    const live = world.hubspotObjects('contacts').filter((contact) => !contact.archived);
    expect(live).toHaveLength(hubspotContacts);
    const rows = world.salesforceSandbox.handle.query('SELECT Id, HubSpot_Id__c, HubSpot_Sync_Status__c FROM Contact');
    expect(rows).toHaveLength(contacts);
    for (const row of rows) {
        const link = world.store.findLinkBySalesforce({ salesforceObject: 'Contact', salesforceId: String(row.Id) });
        expect(link).toBeDefined();
        expect(row).toMatchObject({ HubSpot_Id__c: link!.hubspotId, HubSpot_Sync_Status__c: 'Synced' });
    }
    expect(world.store.listErrors({ resolved: false })).toEqual([]);
}

describe('sync engine: writes land while the next window is decided', () => {
    let world: EngineWorld;
    beforeEach(async () => {
        // Latency makes each call long enough to see what runs at the same time.
        world = await startEngineWorld({ salesforce: { baseLatencyMs: 60 }, hubspot: { baseLatencyMs: 20 } });
    });
    afterEach(async () => {
        await world.close();
    });

    test("a window's Salesforce write-back overlaps the next window's HubSpot creates, with the calls of a serial run", async () => {
        seedContacts(world, 600);
        const calls = { salesforce: [] as Call[], hubspot: [] as Call[] };
        const report = await pipelinedEngine(world, calls).run({ mode: 'incremental' });

        expect(report.status).toBe('completed');
        expect(report.counts['contact_to_contact.created_in_hubspot']).toBe(600);
        expect(world.store.getCursor('contact_to_contact', 'salesforce')).toBeDefined();
        expectEverySynced(world, 600);
        const writeBacks = calls.salesforce.filter((call) => call.method === 'update');
        const creates = calls.hubspot.filter((call) => call.method === 'create');
        expect(
            writeBacks.some((writeBack) =>
                creates.some((create) => create.start > writeBack.start && overlap(writeBack, create))
            )
        ).toBe(true);
        // Salesforce writes never overlap each other.
        for (const [index, call] of calls.salesforce.entries()) {
            for (const other of calls.salesforce.slice(index + 1)) expect(overlap(call, other)).toBe(false);
        }
        // Three windows, each written in full batches: 6 HubSpot creates of 100, 3 Salesforce updates of 200.
        const served = {
            ...world.salesforceSandbox.handle.requests.snapshot().byEndpoint,
            ...world.hubspotSandbox.handle.requestCounts().byEndpoint
        };
        expect(Object.fromEntries(Object.entries(served).filter(([endpoint]) => writeEndpoint.test(endpoint)))).toEqual(
            {
                'POST /crm/v3/objects/contacts/batch/create': 6,
                'PATCH /composite/sobjects': 3
            }
        );
    }, 60_000);

    test('a write-back that fails while the next window is decided fails the run, moves no cursor, and the next run ends where an undisturbed run ends', async () => {
        seedContacts(world, 600);
        const calls = { salesforce: [] as Call[], hubspot: [] as Call[] };
        const failing = pipelinedEngine(world, calls, failingSecondWriteBack());
        const failed = await failing.run({ mode: 'incremental' });

        expect(failed.status).toBe('failed');
        expect(failed.error).toMatch(/Salesforce refused the write-back/);
        expect(world.store.getCursor('contact_to_contact', 'salesforce')).toBeUndefined();
        // What landed was stored before the run ended: the first window's pairs, and the third window's, whose
        // HubSpot creates went out while the second window's write-back failed.
        const linked = world.salesforceSandbox.handle
            .query('SELECT Id FROM Contact')
            .filter((row) =>
                world.store.findLinkBySalesforce({ salesforceObject: 'Contact', salesforceId: String(row.Id) })
            );
        expect(linked).toHaveLength(400);
        // Nothing wrote after the failure: no Salesforce call started once the failing one ended.
        const failedCall = calls.salesforce.filter((call) => call.method === 'update')[1]!;
        expect(calls.salesforce.filter((call) => call.start > failedCall.end)).toEqual([]);

        await world.sync();
        expectEverySynced(world, 600);
    }, 60_000);
});

describe('sync engine: Salesforce creates with no lookup parent go first', () => {
    let world: EngineWorld;
    beforeEach(async () => {
        world = await startEngineWorld({ salesforce: { baseLatencyMs: 60 }, hubspot: { baseLatencyMs: 20 } });
    });
    afterEach(async () => {
        await world.close();
    });

    /**
     * 400 Contacts (two windows of 200), then 250 HubSpot-only contacts, which become Leads (no lookup): a full
     * batch of them goes with the third window, the rest with the last flush.
     */
    function seedBothSides(): void {
        seedContacts(world, 400);
        for (let index = 0; index < 250; index += 1) {
            world.hubspotSandbox.handle.createAsUser('contacts', {
                email: `lead${index}@hubspot-only.test`,
                firstname: 'Lee',
                lastname: `Lead ${index}`,
                company: 'Only In HubSpot'
            });
        }
    }

    test("new Leads are created while the window before writes its Contacts' HubSpot IDs back", async () => {
        seedBothSides();
        const calls = { salesforce: [] as Call[], hubspot: [] as Call[] };
        const report = await pipelinedEngine(world, calls).run({ mode: 'incremental' });
        expect(report.status).toBe('completed');

        const creates = calls.salesforce.filter((call) => call.method === 'create');
        const writeBacks = calls.salesforce.filter((call) => call.method === 'update');
        expect(creates.length).toBeGreaterThan(0);
        expect(creates.some((create) => writeBacks.some((update) => overlap(create, update)))).toBe(true);
        expect(world.salesforceSandbox.handle.query('SELECT Id FROM Lead')).toHaveLength(250);
        expectEverySynced(world, 400 + 250, 400);
    }, 60_000);

    test('when the write-back before them fails, the new Leads are remembered: the next run creates none again', async () => {
        seedBothSides();
        const calls = { salesforce: [] as Call[], hubspot: [] as Call[] };
        const failing = pipelinedEngine(world, calls, failingSecondWriteBack());
        const failed = await failing.run({ mode: 'incremental' });
        expect(failed.status).toBe('failed');
        const leads = world.salesforceSandbox.handle.query('SELECT Id FROM Lead');
        for (const lead of leads) {
            expect(
                world.store.findLinkBySalesforce({ salesforceObject: 'Lead', salesforceId: String(lead.Id) })
            ).toBeDefined();
        }

        await world.sync();
        expect(world.salesforceSandbox.handle.query('SELECT Id FROM Lead')).toHaveLength(250);
        expectEverySynced(world, 400 + 250, 400);
    }, 60_000);
});

describe('sync engine: the next group reads ahead', () => {
    let world: EngineWorld;
    beforeEach(async () => {
        world = await startEngineWorld({ hubspot: { baseLatencyMs: 20 } });
    });
    afterEach(async () => {
        await world.close();
    });

    test('once the group before it read its own changes: the search pages go first to the group that waits for them', async () => {
        // Two search pages of companies, so a read ahead started with them would come in between.
        for (let index = 0; index < 250; index += 1) {
            world.hubspotSandbox.handle.createAsUser('companies', {
                name: `Company ${index}`,
                domain: `c${index}.test`
            });
        }
        const calls: (Call & { objectType: string })[] = [];
        const hubspot = new Proxy(world.hubspot, {
            get(target, property, receiver) {
                const value: unknown = Reflect.get(target, property, receiver);
                if (typeof value !== 'function' || !['search', 'update'].includes(String(property))) return value;
                return async (objectType: string, ...rest: unknown[]) => {
                    const call = { method: String(property), objectType, start: performance.now(), end: Number.NaN };
                    calls.push(call);
                    try {
                        return await (value as (...inputs: unknown[]) => Promise<unknown>).call(
                            target,
                            objectType,
                            ...rest
                        );
                    } finally {
                        call.end = performance.now();
                    }
                };
            }
        });
        const engine = new SyncEngine({
            salesforce: world.salesforce,
            hubspot,
            store: world.store,
            mapping: world.mapping,
            archivedScanMinutes: 0
        });
        expect((await engine.run({ mode: 'incremental' })).status).toBe('completed');

        const of = (method: string, objectType: string) =>
            calls.filter((call) => call.method === method && call.objectType === objectType);
        const companySearches = of('search', 'companies');
        const contactSearches = of('search', 'contacts');
        expect(companySearches).toHaveLength(2);
        expect(contactSearches.length).toBeGreaterThan(0);
        expect(contactSearches[0]!.start).toBeGreaterThanOrEqual(Math.max(...companySearches.map((call) => call.end)));
        // Still ahead: the contacts are searched while the companies group writes the new Accounts' IDs back.
        const companyUpdates = of('update', 'companies');
        expect(companyUpdates.length).toBeGreaterThan(0);
        expect(contactSearches[0]!.start).toBeLessThan(Math.max(...companyUpdates.map((call) => call.end)));
    }, 60_000);
});
