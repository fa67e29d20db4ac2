/**
 * When each side changed a field, end to end (both sandboxes, the real clients): the first sync of a pair
 * linked late (a Lead and a HubSpot contact that existed apart with the same email, paired by a later run)
 * decides each field on its own, not record against record; and a user's edit stays a user's edit when an
 * engine write makes the integration user the record's last modifier.
 */
import { startEngineWorld, type EngineWorld } from './test-support';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Salesforce stamps whole seconds: the next edit lands in a later second. */
const nextSecond = () => pause(1_050);

describe('sync engine: the first sync of a pair linked late', () => {
    let world: EngineWorld;
    beforeEach(async () => {
        world = await startEngineWorld();
        // An earlier run: the pair below is paired by an incremental run, as in production.
        await world.sync();
    });
    afterEach(() => world.close());

    test('each field goes to the side that set it last, and each field both sides set is a recorded conflict', async () => {
        const contact = world.hubspotSandbox.handle.createAsUser('contacts', {
            email: 'late@link.io',
            lastname: 'Late',
            company: 'Link Co',
            jobtitle: 'HubSpot title (older)',
            phone: '+1 555 0100',
            mobilephone: '+1 556 0100',
            city: 'Lyon',
            website: 'https://hubspot.example',
            industry: 'Retail'
        });
        await nextSecond();
        const leadId = world.createInSalesforce('Lead', {
            LastName: 'Late',
            Company: 'Link Co',
            Email: 'late@link.io',
            Title: 'Salesforce title',
            Phone: '+1 555 0101',
            Website: 'https://salesforce.example',
            Industry: 'Banking'
        });
        await nextSecond();
        world.salesforceSandbox.handle.editAsUser(leadId, { Title: 'Salesforce title (newer)' });
        await nextSecond();
        // HubSpot's record is now the one modified last, but only its phone is newer than Salesforce's edits.
        world.hubspotSandbox.handle.editAsUser('contacts', contact.id, { phone: '+1 555 0102' });

        const report = await world.sync();

        const link = world.store.findLinkBySalesforce({ salesforceObject: 'Lead', salesforceId: leadId });
        expect(link?.hubspotId).toBe(contact.id);
        expect(world.hubspotObjects('contacts')).toHaveLength(1);
        const agreed = {
            Title: 'Salesforce title (newer)', // Salesforce edited it after HubSpot set it
            Phone: '+1 555 0102', // HubSpot edited it last
            MobilePhone: '+1 556 0100', // only HubSpot has one
            City: 'Lyon', // prefer_salesforce_unless_blank: HubSpot fills the blank
            Website: 'https://salesforce.example', // prefer_salesforce_unless_blank: Salesforce's value
            Industry: 'Banking' // always_salesforce
        };
        expect(world.salesforceRecord(leadId)).toMatchObject({ ...agreed, HubSpot_Sync_Status__c: 'Synced' });
        expect(world.hubspotObject('contacts', contact.id)).toMatchObject({
            jobtitle: agreed.Title,
            phone: agreed.Phone,
            mobilephone: agreed.MobilePhone,
            city: agreed.City,
            website: agreed.Website,
            industry: agreed.Industry,
            salesforceleadid: leadId
        });
        const conflicts = world.store.listConflicts({ runId: report.runId });
        expect(
            conflicts
                .map(({ field, salesforceValue, hubspotValue, winner }) => ({
                    field,
                    salesforceValue,
                    hubspotValue,
                    winner
                }))
                .sort((a, b) => a.field.localeCompare(b.field))
        ).toEqual([
            { field: 'Phone', salesforceValue: '+1 555 0101', hubspotValue: '+1 555 0102', winner: 'hubspot' },
            {
                field: 'Title',
                salesforceValue: 'Salesforce title (newer)',
                hubspotValue: 'HubSpot title (older)',
                winner: 'salesforce'
            }
        ]);
        expect(report.counts['contacts.first_sync_history']).toBe(1);

        // The pair now syncs from its snapshots: a quiet run changes nothing.
        const quiet = await world.sync();
        expect(world.store.listConflicts({ runId: quiet.runId })).toEqual([]);
        expect(world.salesforceRecord(leadId).Title).toBe(agreed.Title);
    }, 20_000);

    test('a HubSpot edit of a value Salesforce still holds wins, however recently the Lead changed since', async () => {
        // HubSpot holds a copy of the Lead, as a create whose link was lost (a crash) leaves it.
        const values = { LastName: 'Copy', Company: 'Copy Co', Email: 'copy@link.io', Title: 'Engineer' };
        const leadId = world.createInSalesforce('Lead', { ...values, Phone: '+1 555 0200' });
        const contact = world.hubspotSandbox.handle.createAsUser('contacts', {
            email: values.Email,
            lastname: values.LastName,
            company: values.Company,
            jobtitle: values.Title,
            phone: '+1 555 0200'
        });
        await nextSecond();
        world.hubspotSandbox.handle.editAsUser('contacts', contact.id, { jobtitle: 'Lead Engineer' });
        await nextSecond();
        // The Lead is now the record modified last, on another field.
        world.salesforceSandbox.handle.editAsUser(leadId, { Phone: '+1 555 0201' });

        const report = await world.sync();

        expect(world.salesforceRecord(leadId)).toMatchObject({ Title: 'Lead Engineer', Phone: '+1 555 0201' });
        expect(world.hubspotObject('contacts', contact.id)).toMatchObject({
            jobtitle: 'Lead Engineer',
            phone: '+1 555 0201'
        });
        // Title is no conflict: Salesforce kept the value both sides held, HubSpot changed it.
        expect(world.store.listConflicts({ runId: report.runId })).toEqual([
            expect.objectContaining({ field: 'Phone', winner: 'salesforce' })
        ]);
        expect(world.store.auditTrail({ runId: report.runId })).toEqual(
            expect.arrayContaining([
                expect.objectContaining({ field: 'Title', direction: 'to_salesforce', reason: 'hubspot_changed' })
            ])
        );
    }, 20_000);

    test('a Lead the engine created whose link a crash lost keeps its contact against a newer duplicate', async () => {
        const contact = world.hubspotSandbox.handle.createAsUser('contacts', {
            email: 'lost@link.io',
            lastname: 'Lost',
            company: 'Original Co',
            jobtitle: 'Buyer'
        });
        // The engine's create landed (a copy naming the contact), the link was never stored.
        const { integrationUserId } = world.salesforceSandbox.handle.users;
        const leadId = String(
            world.salesforceSandbox.handle.createAsUser(
                'Lead',
                {
                    LastName: 'Lost',
                    Company: 'Original Co',
                    Email: 'lost@link.io',
                    Title: 'Buyer',
                    HubSpot_Id__c: contact.id
                },
                { userId: integrationUserId }
            ).Id
        );
        await nextSecond();
        world.salesforceSandbox.handle.editAsUser(leadId, { Company: 'Edited Co' });
        await nextSecond();
        const duplicateId = world.createInSalesforce('Lead', {
            LastName: 'Duplicate',
            Company: 'Duplicate Co',
            Email: 'lost@link.io'
        });

        await world.sync();

        expect(world.store.findLinkBySalesforce({ salesforceObject: 'Lead', salesforceId: leadId })?.hubspotId).toBe(
            contact.id
        );
        expect(world.hubspotObject('contacts', contact.id)).toMatchObject({
            lastname: 'Lost',
            company: 'Edited Co',
            jobtitle: 'Buyer'
        });
        expect(world.salesforceRecord(duplicateId)).toMatchObject({
            HubSpot_Sync_Status__c: 'Excluded',
            HubSpot_Last_Sync_Error__c: expect.stringContaining(leadId)
        });
        expect(world.store.listErrors({ resolved: false })).toEqual([]);
    }, 20_000);

    test('records the engine creates need no history read', async () => {
        world.createInSalesforce('Lead', { LastName: 'New', Company: 'New Co', Email: 'new@link.io', Title: 'CEO' });
        world.hubspotSandbox.handle.createAsUser('contacts', {
            email: 'other@link.io',
            lastname: 'Other',
            company: 'Other Co',
            jobtitle: 'CFO'
        });
        world.hubspotSandbox.handle.resetRequestCounts();

        const report = await world.sync();

        expect(report.counts['lead_to_contact.created_in_hubspot']).toBe(1);
        expect(report.counts['lead_to_contact.created_in_salesforce']).toBe(1);
        expect(report.counts['contacts.first_sync_history']).toBeUndefined();
        expect(
            world.hubspotSandbox.handle.requestCounts().byEndpoint['POST /crm/v3/objects/contacts/batch/read']
        ).toBeUndefined();
    }, 20_000);
});

describe('sync engine: a user edit followed by an engine write', () => {
    let world: EngineWorld;
    beforeEach(async () => {
        world = await startEngineWorld();
    });
    afterEach(() => world.close());

    test('a rep’s edit of a Lead the engine created is timed by the record, not taken for the engine’s copy', async () => {
        const contact = world.hubspotSandbox.handle.createAsUser('contacts', {
            email: 'rep@edit.io',
            lastname: 'Rep',
            company: 'Rep Co',
            jobtitle: 'Start'
        });
        await world.sync();
        const leadId = world.store.findLinkByHubSpot({
            hubspotObjectType: 'contacts',
            hubspotId: contact.id
        })!.salesforceId;

        world.hubspotSandbox.handle.editAsUser('contacts', contact.id, { jobtitle: 'Older HubSpot title' });
        await nextSecond();
        world.salesforceSandbox.handle.editAsUser(leadId, { Title: 'Newer rep title' });
        await nextSecond();
        // An engine write that raced the rep's edit (a status write-back): the integration user modified it last.
        const { integrationUserId } = world.salesforceSandbox.handle.users;
        world.salesforceSandbox.handle.editAsUser(
            leadId,
            { HubSpot_Last_Synced__c: new Date().toISOString() },
            { userId: integrationUserId }
        );
        expect(world.salesforceRecord(leadId)).toMatchObject({
            CreatedById: integrationUserId,
            LastModifiedById: integrationUserId
        });

        const report = await world.sync();

        expect(world.salesforceRecord(leadId).Title).toBe('Newer rep title');
        expect(world.hubspotObject('contacts', contact.id).jobtitle).toBe('Newer rep title');
        expect(world.store.listConflicts({ runId: report.runId })).toEqual([
            expect.objectContaining({
                field: 'Title',
                salesforceValue: 'Newer rep title',
                hubspotValue: 'Older HubSpot title',
                winner: 'salesforce'
            })
        ]);
    }, 20_000);
});
