/**
 * The record semantics of the issue, end to end: both sandboxes in process, the real jsforce and
 * @hubspot/api-client, a real SQLite state store, the shipped mapping.
 */
import { startEngineWorld, withoutOwnerSync, type EngineWorld } from './test-support';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('sync engine: records', () => {
    let world: EngineWorld;
    afterEach(() => world.close());

    describe('with the shipped mapping', () => {
        beforeEach(async () => {
            world = await startEngineWorld();
        });

        test('initial sync Salesforce → HubSpot creates records, stores links and writes the status fields', async () => {
            const accountId = world.createInSalesforce('Account', { Name: 'Acme', Website: 'https://www.acme.com' });
            const contactId = world.createInSalesforce('Contact', {
                FirstName: 'Jane',
                LastName: 'Doe',
                Email: 'Jane@Acme.com',
                AccountId: accountId
            });
            const report = await world.sync();

            expect(report.counts['account_to_company.created_in_hubspot']).toBe(1);
            expect(report.counts['contact_to_contact.created_in_hubspot']).toBe(1);
            const link = world.store.findLinkBySalesforce({ salesforceObject: 'Contact', salesforceId: contactId })!;
            expect(world.hubspotObject('contacts', link.hubspotId)).toMatchObject({
                firstname: 'Jane',
                email: expect.stringMatching(/^jane@acme\.com$/i),
                salesforcecontactid: contactId
            });
            expect(world.salesforceRecord(contactId)).toMatchObject({
                HubSpot_Id__c: link.hubspotId,
                HubSpot_Sync_Status__c: 'Synced',
                HubSpot_Last_Sync_Error__c: null,
                HubSpot_Record_Url__c: `https://app.hubspot.com/contacts/${world.hubspotSandbox.handle.portalId}/record/0-1/${link.hubspotId}`
            });
            expect(world.salesforceRecord(contactId).HubSpot_Last_Synced__c).toEqual(expect.any(String));
        });

        test('initial sync HubSpot → Salesforce creates new contacts as Leads and companies as Accounts', async () => {
            const contact = world.hubspotSandbox.handle.createAsUser('contacts', {
                email: 'new@prospect.io',
                firstname: 'Nia',
                lastname: 'Prospect',
                company: 'Prospect IO'
            });
            const company = world.hubspotSandbox.handle.createAsUser('companies', {
                name: 'Prospect IO',
                domain: 'prospect.io'
            });
            const report = await world.sync();

            expect(report.counts['lead_to_contact.created_in_salesforce']).toBe(1);
            expect(report.counts['account_to_company.created_in_salesforce']).toBe(1);
            const lead = world.store.findLinkByHubSpot({ hubspotObjectType: 'contacts', hubspotId: contact.id })!;
            expect(lead.salesforceObject).toBe('Lead');
            expect(world.salesforceRecord(lead.salesforceId)).toMatchObject({
                LastName: 'Prospect',
                Company: 'Prospect IO',
                Email: 'new@prospect.io',
                HubSpot_Id__c: contact.id,
                HubSpot_Sync_Status__c: 'Synced'
            });
            expect(world.hubspotObject('contacts', contact.id).salesforceleadid).toBe(lead.salesforceId);
            const account = world.store.findLinkByHubSpot({ hubspotObjectType: 'companies', hubspotId: company.id })!;
            expect(world.salesforceRecord(account.salesforceId)).toMatchObject({ Name: 'Prospect IO' });
        });

        test('a capitalised Salesforce email finds its lower-cased HubSpot contact with one search, and stays as typed', async () => {
            const contact = world.hubspotSandbox.handle.createAsUser('contacts', {
                email: 'mixed.case@acme.com',
                firstname: 'Mia'
            });
            const id = world.createInSalesforce('Contact', { LastName: 'Case', Email: 'Mixed.Case@Acme.com' });
            world.hubspotSandbox.handle.resetRequestCounts();
            await world.sync();

            const link = world.store.findLinkBySalesforce({ salesforceObject: 'Contact', salesforceId: id })!;
            expect(link.hubspotId).toBe(contact.id);
            expect(world.hubspotObjects('contacts')).toHaveLength(1);
            expect(world.hubspotSandbox.handle.requestCounts().byEndpoint['POST /crm/v3/objects/contacts/search']).toBe(
                1
            );
            world.hubspotSandbox.handle.editAsUser('contacts', contact.id, { jobtitle: 'Buyer' });
            await world.sync();
            expect(world.salesforceRecord(id)).toMatchObject({ Email: 'Mixed.Case@Acme.com', Title: 'Buyer' });
        });

        test('two_way: a Salesforce change reaches HubSpot', async () => {
            const id = world.createInSalesforce('Contact', {
                LastName: 'Doe',
                Email: 'doe@acme.com',
                Title: 'Engineer'
            });
            await world.sync();
            world.salesforceSandbox.handle.editAsUser(id, { Title: 'CTO' });
            const report = await world.sync();

            const link = world.store.findLinkBySalesforce({ salesforceObject: 'Contact', salesforceId: id })!;
            expect(world.hubspotObject('contacts', link.hubspotId).jobtitle).toBe('CTO');
            expect(report.fieldChanges['contact_to_contact Title ↔ jobtitle to_hubspot']).toBe(1);
        });

        test('two_way: a HubSpot change reaches Salesforce, with an audit entry', async () => {
            const id = world.createInSalesforce('Contact', {
                LastName: 'Doe',
                Email: 'doe@acme.com',
                Title: 'Engineer'
            });
            await world.sync();
            const link = world.store.findLinkBySalesforce({ salesforceObject: 'Contact', salesforceId: id })!;
            world.hubspotSandbox.handle.editAsUser('contacts', link.hubspotId, { jobtitle: 'VP Engineering' });
            const report = await world.sync();

            expect(world.salesforceRecord(id).Title).toBe('VP Engineering');
            const audit = world.store.auditTrail({ salesforceId: id, runId: report.runId });
            expect(audit.filter((entry) => entry.field === 'Title')).toEqual([
                expect.objectContaining({
                    field: 'Title',
                    direction: 'to_salesforce',
                    rule: 'two_way',
                    reason: 'hubspot_changed',
                    before: 'Engineer',
                    after: 'VP Engineering'
                })
            ]);
        });

        test('both sides changed: the most recent change wins and the conflict keeps both values', async () => {
            const id = world.createInSalesforce('Contact', {
                LastName: 'Doe',
                Email: 'doe@acme.com',
                Title: 'Engineer'
            });
            await world.sync();
            const link = world.store.findLinkBySalesforce({ salesforceObject: 'Contact', salesforceId: id })!;
            world.salesforceSandbox.handle.editAsUser(id, { Title: 'Salesforce Title' });
            await pause(20);
            world.hubspotSandbox.handle.editAsUser('contacts', link.hubspotId, { jobtitle: 'HubSpot Title' });
            const report = await world.sync();

            expect(world.salesforceRecord(id).Title).toBe('HubSpot Title');
            expect(world.store.listConflicts({ runId: report.runId })).toEqual([
                expect.objectContaining({
                    salesforceId: id,
                    field: 'Title',
                    salesforceValue: 'Salesforce Title',
                    hubspotValue: 'HubSpot Title',
                    winner: 'hubspot'
                })
            ]);
        });

        test('the HubSpot side of a conflict is timed by the property history, not the record', async () => {
            const id = world.createInSalesforce('Contact', {
                LastName: 'Doe',
                Email: 'doe@acme.com',
                Title: 'Engineer'
            });
            await world.sync();
            const link = world.store.findLinkBySalesforce({ salesforceObject: 'Contact', salesforceId: id })!;
            world.hubspotSandbox.handle.editAsUser('contacts', link.hubspotId, { jobtitle: 'Older HubSpot Title' });
            // Salesforce stamps whole seconds: the newer edit lands in a later second.
            await pause(1_050);
            world.salesforceSandbox.handle.editAsUser(id, { Title: 'Newer Salesforce Title' });
            await pause(20);
            // An unmapped property edited last makes the HubSpot record newer than the Salesforce edit.
            world.hubspotSandbox.handle.editAsUser('contacts', link.hubspotId, { website: 'https://doe.example' });
            const report = await world.sync();

            expect(world.hubspotObject('contacts', link.hubspotId).jobtitle).toBe('Newer Salesforce Title');
            expect(world.store.listConflicts({ runId: report.runId })).toEqual([
                expect.objectContaining({ field: 'Title', winner: 'salesforce' })
            ]);
        });

        test('always_salesforce: a HubSpot edit is overwritten on the next sync', async () => {
            const id = world.createInSalesforce('Lead', {
                LastName: 'Lee',
                Company: 'Foo',
                Email: 'lee@foo.com',
                Industry: 'Banking'
            });
            await world.sync();
            const link = world.store.findLinkBySalesforce({ salesforceObject: 'Lead', salesforceId: id })!;
            world.hubspotSandbox.handle.editAsUser('contacts', link.hubspotId, { industry: 'Retail' });
            await world.sync();

            expect(world.hubspotObject('contacts', link.hubspotId).industry).toBe('Banking');
            expect(world.salesforceRecord(id).Industry).toBe('Banking');
        });

        test('prefer_salesforce_unless_blank: HubSpot fills a blank Salesforce field', async () => {
            const id = world.createInSalesforce('Contact', { LastName: 'Doe', Email: 'doe@acme.com' });
            await world.sync();
            const link = world.store.findLinkBySalesforce({ salesforceObject: 'Contact', salesforceId: id })!;
            world.hubspotSandbox.handle.editAsUser('contacts', link.hubspotId, { city: 'Lisbon' });
            await world.sync();

            expect(world.salesforceRecord(id).MailingCity).toBe('Lisbon');
        });

        test('prefer_salesforce_unless_blank: a Salesforce value overwrites a HubSpot edit', async () => {
            const id = world.createInSalesforce('Contact', {
                LastName: 'Doe',
                Email: 'doe@acme.com',
                MailingCity: 'Porto'
            });
            await world.sync();
            const link = world.store.findLinkBySalesforce({ salesforceObject: 'Contact', salesforceId: id })!;
            world.hubspotSandbox.handle.editAsUser('contacts', link.hubspotId, { city: 'Lisbon' });
            await world.sync();

            expect(world.hubspotObject('contacts', link.hubspotId).city).toBe('Porto');
            expect(world.salesforceRecord(id).MailingCity).toBe('Porto');
        });

        test('prefer_salesforce_unless_blank: clearing the Salesforce field clears HubSpot', async () => {
            const id = world.createInSalesforce('Contact', {
                LastName: 'Doe',
                Email: 'doe@acme.com',
                MailingCity: 'Porto'
            });
            await world.sync();
            const link = world.store.findLinkBySalesforce({ salesforceObject: 'Contact', salesforceId: id })!;
            world.salesforceSandbox.handle.editAsUser(id, { MailingCity: null });
            await world.sync();

            expect(world.hubspotObject('contacts', link.hubspotId).city ?? null).toBeNull();
        });

        test('an invalid picklist value is a picklist error on that field; the other fields still sync', async () => {
            const id = world.createInSalesforce('Opportunity', {
                Name: 'Renewal',
                StageName: 'Prospecting',
                CloseDate: '2027-01-31',
                Amount: 5000,
                Type: 'Existing Customer - Replacement'
            });
            const report = await world.sync();

            const link = world.store.findLinkBySalesforce({ salesforceObject: 'Opportunity', salesforceId: id })!;
            expect(world.hubspotObject('deals', link.hubspotId)).toMatchObject({
                dealname: 'Renewal',
                amount: '5000',
                dealstage: 'appointmentscheduled'
            });
            expect(world.hubspotObject('deals', link.hubspotId).dealtype ?? null).toBeNull();
            expect(report.errors).toEqual([
                expect.objectContaining({ salesforceId: id, field: 'Type', category: 'picklist' })
            ]);
            expect(world.store.listErrors({ salesforceId: id, resolved: false })).toEqual([
                expect.objectContaining({ category: 'picklist', field: 'Type' })
            ]);
            expect(world.salesforceRecord(id)).toMatchObject({
                HubSpot_Sync_Status__c: 'Error',
                HubSpot_Last_Sync_Error__c: expect.stringContaining('Existing Customer - Replacement')
            });
        });

        test('duplicate emails across Leads and Contacts: one winner syncs, the others are Excluded naming it', async () => {
            const leadId = world.createInSalesforce('Lead', { LastName: 'Old', Company: 'X', Email: 'dup@x.com' });
            await pause(20);
            const contactId = world.createInSalesforce('Contact', { LastName: 'New', Email: 'DUP@x.com' });
            const report = await world.sync();

            expect(report.counts['lead_to_contact.excluded']).toBe(1);
            const contacts = world
                .hubspotObjects('contacts')
                .filter((contact) => contact.properties.email?.toLowerCase() === 'dup@x.com');
            expect(contacts).toHaveLength(1);
            expect(contacts[0].properties.salesforcecontactid).toBe(contactId);
            expect(world.salesforceRecord(leadId)).toMatchObject({
                HubSpot_Sync_Status__c: 'Excluded',
                HubSpot_Last_Sync_Error__c: expect.stringContaining(contactId)
            });
            expect(
                world.store.findLinkBySalesforce({ salesforceObject: 'Lead', salesforceId: leadId })
            ).toBeUndefined();
        });

        test('companies match by website domain; several candidates leave the Account unlinked as ambiguous', async () => {
            const company = world.hubspotSandbox.handle.createAsUser('companies', {
                name: 'Acme HS',
                domain: 'acme.com'
            });
            world.hubspotSandbox.handle.createAsUser('companies', { name: 'Twin A', domain: 'twin.io' });
            world.hubspotSandbox.handle.createAsUser('companies', { name: 'Twin B', domain: 'twin.io' });
            const acme = world.createInSalesforce('Account', { Name: 'Acme', Website: 'HTTPS://www.Acme.com/about' });
            const twin = world.createInSalesforce('Account', { Name: 'Twin', Website: 'twin.io' });
            const report = await world.sync({ objects: ['account_to_company'] });

            expect(
                world.store.findLinkBySalesforce({ salesforceObject: 'Account', salesforceId: acme })?.hubspotId
            ).toBe(company.id);
            expect(
                world.store.findLinkBySalesforce({ salesforceObject: 'Account', salesforceId: twin })
            ).toBeUndefined();
            expect(report.counts['account_to_company.ambiguous']).toBeGreaterThanOrEqual(1);
            expect(world.salesforceRecord(twin)).toMatchObject({
                HubSpot_Sync_Status__c: 'Error',
                HubSpot_Last_Sync_Error__c: expect.stringContaining('domain')
            });
        });
    });

    test('owner fields map Salesforce users and HubSpot owners by email, both ways', async () => {
        world = await startEngineWorld({ mapping: (shipped) => shipped });
        const id = world.createInSalesforce('Contact', { LastName: 'Doe', Email: 'doe@acme.com' });
        await world.sync();
        const hubspotId = world.store.findLinkBySalesforce({
            salesforceObject: 'Contact',
            salesforceId: id
        })!.hubspotId;
        const owners = await world.hubspot.owners();
        const users = await world.salesforce.users();
        const emailOfUser = users.find((user) => user.id === world.salesforceRecord(id).OwnerId)!.email!;
        const owner = owners.find((candidate) => candidate.email === emailOfUser)!;
        expect(world.hubspotObject('contacts', hubspotId).hubspot_owner_id).toBe(owner.id);

        const other = owners.find(
            (candidate) => candidate.id !== owner.id && users.some((user) => user.email === candidate.email)
        )!;
        world.hubspotSandbox.handle.editAsUser('contacts', hubspotId, { hubspot_owner_id: other.id });
        await world.sync();
        expect(world.salesforceRecord(id).OwnerId).toBe(users.find((user) => user.email === other.email)!.id);
    });

    test('dont_sync: a mapped field is never written either way', async () => {
        world = await startEngineWorld({
            mapping: (mapping) => {
                const base = withoutOwnerSync(mapping);
                return {
                    ...base,
                    records: base.records.map((record) => ({
                        ...record,
                        fields: record.fields.map((field) =>
                            field.salesforce === 'Title' ? { ...field, rule: 'dont_sync' as const } : field
                        )
                    }))
                };
            }
        });
        const id = world.createInSalesforce('Contact', { LastName: 'Doe', Email: 'doe@acme.com', Title: 'Engineer' });
        await world.sync();
        const link = world.store.findLinkBySalesforce({ salesforceObject: 'Contact', salesforceId: id })!;
        expect(world.hubspotObject('contacts', link.hubspotId).jobtitle ?? null).toBeNull();
        world.hubspotSandbox.handle.editAsUser('contacts', link.hubspotId, { jobtitle: 'Other' });
        await world.sync();

        expect(world.salesforceRecord(id).Title).toBe('Engineer');
        expect(world.hubspotObject('contacts', link.hubspotId).jobtitle).toBe('Other');
    });
});
