/**
 * Lead conversion, associations, activities and deletes, end to end against both sandboxes.
 */
import { Connection } from 'jsforce';

import { startEngineWorld, type EngineWorld } from './test-support';
import { SyncEngine } from './engine';
import type { RunRequest } from './context';

describe('sync engine: conversion, associations, activities, deletes', () => {
    let world: EngineWorld;
    beforeEach(async () => {
        world = await startEngineWorld();
    });
    afterEach(() => world.close());

    const hubspotIdOf = (salesforceObject: string, salesforceId: string) =>
        world.store.findLinkBySalesforce({ salesforceObject, salesforceId })!.hubspotId;

    /** A user converts the Lead through the SOAP API, as Salesforce's Convert button does. */
    const convertLead = async (leadId: string) => {
        const info = world.salesforceSandbox.connection;
        const connection = new Connection({
            loginUrl: info.loginUrl,
            version: info.apiVersion,
            oauth2: { loginUrl: info.loginUrl, clientId: info.clientId, clientSecret: info.clientSecret }
        });
        await connection.login(info.username, info.password);
        return (await connection.soap.convertLead({
            leadId,
            convertedStatus: 'Closed - Converted'
        } as never)) as unknown as { contactId: string };
    };

    test('lead conversion: the Contact inherits the link, no new HubSpot contact, lifecycle moves forward', async () => {
        const leadId = world.createInSalesforce('Lead', {
            FirstName: 'Lia',
            LastName: 'Convert',
            Title: 'Original title',
            Company: 'Convert Co',
            Email: 'lia@convert.co'
        });
        await world.sync();
        const hubspotId = hubspotIdOf('Lead', leadId);
        const converted = await convertLead(leadId);
        // Both sides edit a different field before the conversion syncs, HubSpot last: each edit must
        // survive (the Contact inherits the Lead's snapshots; no first sync where the newer record wins all).
        world.salesforceSandbox.handle.editAsUser(converted.contactId, { Title: 'Edited in Salesforce' });
        world.hubspotSandbox.handle.editAsUser('contacts', hubspotId, { firstname: 'Edited in HubSpot' });
        const contactsBefore = world.hubspotObjects('contacts').length;
        const report = await world.sync();

        expect(report.counts['lead_to_contact.converted']).toBe(1);
        expect(world.hubspotObjects('contacts')).toHaveLength(contactsBefore);
        expect(world.store.findLinkBySalesforce({ salesforceObject: 'Lead', salesforceId: leadId })).toBeUndefined();
        expect(hubspotIdOf('Contact', converted.contactId)).toBe(hubspotId);
        expect(world.hubspotObject('contacts', hubspotId)).toMatchObject({
            salesforcecontactid: converted.contactId,
            lifecyclestage: 'salesqualifiedlead'
        });
        expect(world.hubspotObject('contacts', hubspotId).salesforceleadid ?? '').toBe('');
        expect(world.salesforceRecord(converted.contactId)).toMatchObject({
            HubSpot_Id__c: hubspotId,
            HubSpot_Sync_Status__c: 'Synced'
        });
        expect(report.leadOnlyFields).toEqual(expect.arrayContaining(['Lead.Company → company']));
        expect(world.hubspotObject('contacts', hubspotId)).toMatchObject({
            jobtitle: 'Edited in Salesforce',
            firstname: 'Edited in HubSpot'
        });
        expect(world.salesforceRecord(converted.contactId)).toMatchObject({
            Title: 'Edited in Salesforce',
            FirstName: 'Edited in HubSpot'
        });
    });

    test('a run of the Lead mapping alone (a reconcile after a Lead delete) still hands the link over', async () => {
        const leadId = world.createInSalesforce('Lead', {
            LastName: 'Solo',
            Company: 'Solo Co',
            Email: 'solo@lead.io'
        });
        await world.sync();
        const hubspotId = hubspotIdOf('Lead', leadId);
        const converted = await convertLead(leadId);
        world.hubspotSandbox.handle.editAsUser('contacts', hubspotId, { firstname: 'Edited in HubSpot' });

        // Without the Contact mapping the converted Lead read as a live pair: its update from HubSpot was
        // refused (CANNOT_UPDATE_CONVERTED_LEAD) and the Lead's cursor passed the conversion for good.
        const leadsOnly = await world.sync({ objects: ['Lead'] });
        expect(leadsOnly.errors).toEqual([]);
        expect(leadsOnly.counts['lead_to_contact.converted']).toBe(1);
        expect(hubspotIdOf('Contact', converted.contactId)).toBe(hubspotId);
        expect(world.salesforceRecord(converted.contactId)).toMatchObject({
            FirstName: 'Edited in HubSpot',
            HubSpot_Id__c: hubspotId
        });
    });

    test('a stage moving backwards (forward-only off) is cleared first, which HubSpot needs to take it', async () => {
        await world.close();
        world = await startEngineWorld({
            mapping: (mapping) => ({ ...mapping, lifecycle: { ...mapping.lifecycle, forwardOnly: false } })
        });
        const leadId = world.createInSalesforce('Lead', {
            LastName: 'Back',
            Company: 'Back Co',
            Email: 'back@back.co',
            Status: 'Working - Contacted'
        });
        await world.sync();
        const hubspotId = hubspotIdOf('Lead', leadId);
        expect(world.hubspotObject('contacts', hubspotId).lifecyclestage).toBe('salesqualifiedlead');

        world.salesforceSandbox.handle.editAsUser(leadId, { Status: 'Closed - Not Converted' });
        const report = await world.sync();
        // Written over the later stage without a clear, HubSpot would keep salesqualifiedlead and every run
        // would write the earlier stage again.
        expect(world.hubspotObject('contacts', hubspotId).lifecyclestage).toBe('lead');
        expect(world.salesforceRecord(leadId).HubSpot_Lifecycle_Stage__c).toBe('lead');
        expect(report.errors).toEqual([]);
        expect((await world.sync()).fieldChanges).toEqual({});
    });

    test('associations follow Contact.AccountId, Opportunity.AccountId and OpportunityContactRole', async () => {
        const accountId = world.createInSalesforce('Account', { Name: 'Acme', Website: 'acme.com' });
        const contactId = world.createInSalesforce('Contact', {
            LastName: 'Doe',
            Email: 'doe@acme.com',
            AccountId: accountId
        });
        const opportunityId = world.createInSalesforce('Opportunity', {
            Name: 'Big deal',
            StageName: 'Qualification',
            CloseDate: '2027-03-01',
            AccountId: accountId
        });
        world.createInSalesforce('OpportunityContactRole', { OpportunityId: opportunityId, ContactId: contactId });
        const report = await world.sync();

        const company = hubspotIdOf('Account', accountId);
        const contact = hubspotIdOf('Contact', contactId);
        const deal = hubspotIdOf('Opportunity', opportunityId);
        expect(report.counts).toMatchObject({
            'contact_company.created': 1,
            'deal_company.created': 1,
            'deal_contact.created': 1
        });
        const associations = await world.hubspot.readAssociations('contacts', 'companies', [contact]);
        expect(associations.get(contact)).toEqual([company]);
        expect((await world.hubspot.readAssociations('deals', 'companies', [deal])).get(deal)).toEqual([company]);
        expect((await world.hubspot.readAssociations('deals', 'contacts', [deal])).get(deal)).toEqual([contact]);
        // The new contact and deal were created with their company: no association call of their own.
        const served = world.hubspotSandbox.handle.requestCounts().byEndpoint;
        expect(served['POST /crm/v4/associations/contacts/companies/batch/create']).toBeUndefined();
        expect(served['POST /crm/v4/associations/deals/companies/batch/create']).toBeUndefined();
        const next = await world.sync();
        expect(Object.keys(next.counts).filter((key) => key.endsWith('.created'))).toEqual([]);
    });

    test('a create refused for its company association (the company was deleted) is made without it', async () => {
        await world.close();
        // Archived lists are read by the first run only, so the second does not notice the deletion first.
        world = await startEngineWorld({ archivedScanMinutes: 60 });
        const accountId = world.createInSalesforce('Account', { Name: 'Gone', Website: 'gone.com' });
        await world.sync();
        world.hubspotSandbox.handle.archiveAsUser('companies', hubspotIdOf('Account', accountId));
        const contactId = world.createInSalesforce('Contact', {
            LastName: 'Orphan',
            Email: 'orphan@gone.com',
            AccountId: accountId
        });
        const report = await world.sync();

        const contact = hubspotIdOf('Contact', contactId);
        expect(world.hubspotObject('contacts', contact).email).toBe('orphan@gone.com');
        expect(world.salesforceRecord(contactId)).toMatchObject({ HubSpot_Id__c: contact });
        expect(report.counts['contact_to_contact.created_in_hubspot']).toBe(1);
        expect(report.errors).toEqual([
            expect.objectContaining({ mappingId: 'contact_company', category: 'association', hubspotId: contact })
        ]);
        expect((await world.hubspot.readAssociations('contacts', 'companies', [contact])).get(contact) ?? []).toEqual(
            []
        );
    });

    test('a moved Contact moves its company association (propagate removes the old one)', async () => {
        const first = world.createInSalesforce('Account', { Name: 'First', Website: 'first.com' });
        const second = world.createInSalesforce('Account', { Name: 'Second', Website: 'second.com' });
        const contactId = world.createInSalesforce('Contact', {
            LastName: 'Doe',
            Email: 'doe@first.com',
            AccountId: first
        });
        await world.sync();
        world.salesforceSandbox.handle.editAsUser(contactId, { AccountId: second });
        await world.sync();

        const contact = hubspotIdOf('Contact', contactId);
        const associations = await world.hubspot.readAssociations('contacts', 'companies', [contact]);
        expect(associations.get(contact)).toEqual([hubspotIdOf('Account', second)]);
    });

    test('a run of chosen records (the fast path) moves their company association too, and reads no roles', async () => {
        const first = world.createInSalesforce('Account', { Name: 'First', Website: 'first.com' });
        const second = world.createInSalesforce('Account', { Name: 'Second', Website: 'second.com' });
        const contactId = world.createInSalesforce('Contact', {
            LastName: 'Doe',
            Email: 'doe@first.com',
            AccountId: first
        });
        await world.sync();
        world.salesforceSandbox.handle.editAsUser(contactId, { AccountId: second });
        // As the fast path asks: the records of one HubSpot object type.
        const report = await world.sync({ objects: ['contacts'], ids: [contactId] });

        const contact = hubspotIdOf('Contact', contactId);
        const associations = await world.hubspot.readAssociations('contacts', 'companies', [contact]);
        expect(associations.get(contact)).toEqual([hubspotIdOf('Account', second)]);
        expect(report.counts).toMatchObject({ 'contact_company.created': 1, 'contact_company.removed': 1 });
        expect(report.counts['deal_contact.read_salesforce']).toBeUndefined();
    });

    test('activities become engagements once: the engagement ID is written back and never created twice', async () => {
        const contactId = world.createInSalesforce('Contact', { LastName: 'Doe', Email: 'doe@acme.com' });
        const callId = world.createInSalesforce('Task', {
            Subject: 'Intro call',
            TaskSubtype: 'Call',
            CallType: 'Outbound',
            ActivityDate: '2026-11-20',
            WhoId: contactId
        });
        const report = await world.sync();
        await world.sync();

        expect(report.counts['tasks.created_calls']).toBe(1);
        const calls = world.hubspotObjects('calls');
        expect(calls).toHaveLength(1);
        expect(calls[0].properties).toMatchObject({ hs_call_title: 'Intro call', hs_call_direction: 'OUTBOUND' });
        expect(world.salesforceRecord(callId).HubSpot_Engagement_Id__c).toBe(calls[0].id);
        const contact = hubspotIdOf('Contact', contactId);
        expect((await world.hubspot.readAssociations('calls', 'contacts', [calls[0].id])).get(calls[0].id)).toEqual([
            contact
        ]);
    });

    test('a changed Task updates its engagement once, through the engagement ID; no copy, no echo', async () => {
        const contactId = world.createInSalesforce('Contact', { LastName: 'Doe', Email: 'doe@acme.com' });
        const callId = world.createInSalesforce('Task', {
            Subject: 'Intro call',
            TaskSubtype: 'Call',
            CallType: 'Outbound',
            ActivityDate: '2026-11-20',
            WhoId: contactId
        });
        await world.sync();
        const quiet = await world.sync();
        expect(quiet.counts['tasks.updated_calls']).toBeUndefined();

        world.salesforceSandbox.handle.editAsUser(callId, { Subject: 'Intro call (rescheduled)', CallType: 'Inbound' });
        const report = await world.sync();
        const after = await world.sync();

        expect(report.counts['tasks.updated_calls']).toBe(1);
        expect(after.counts['tasks.updated_calls']).toBeUndefined();
        const calls = world.hubspotObjects('calls');
        expect(calls).toHaveLength(1);
        expect(calls[0].properties).toMatchObject({
            hs_call_title: 'Intro call (rescheduled)',
            hs_call_direction: 'INBOUND'
        });
        expect(world.salesforceRecord(callId).HubSpot_Engagement_Id__c).toBe(calls[0].id);
    }, 15_000);

    test('HubSpot calls become Salesforce Tasks related to the synced contact, once', async () => {
        const contactId = world.createInSalesforce('Contact', { LastName: 'Doe', Email: 'doe@acme.com' });
        await world.sync();
        const contact = hubspotIdOf('Contact', contactId);
        const call = world.hubspotSandbox.handle.createAsUser(
            'calls',
            {
                hs_timestamp: '2026-11-21T10:00:00.000Z',
                hs_call_title: 'Discovery call',
                hs_call_direction: 'INBOUND'
            },
            [{ to: { id: contact }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 194 }] }]
        );
        const report = await world.sync();
        await world.sync();

        expect(report.counts['tasks.created_Task']).toBe(1);
        const tasks = world.salesforceSandbox.handle.query(
            `SELECT Id, Subject, CallType, TaskSubtype, WhoId FROM Task WHERE HubSpot_Engagement_Id__c = '${call.id}'`
        );
        expect(tasks).toEqual([
            expect.objectContaining({
                Subject: 'Discovery call',
                CallType: 'Inbound',
                TaskSubtype: 'Call',
                WhoId: contactId
            })
        ]);
        expect(world.hubspotObjects('calls')).toHaveLength(1);
    });

    test('delete policy tombstone: an archived HubSpot contact stops the pair syncing and is not recreated', async () => {
        const contactId = world.createInSalesforce('Contact', { LastName: 'Doe', Email: 'doe@acme.com' });
        await world.sync();
        const hubspotId = hubspotIdOf('Contact', contactId);
        world.hubspotSandbox.handle.archiveAsUser('contacts', hubspotId);
        world.salesforceSandbox.handle.editAsUser(contactId, { Title: 'Still here' });
        const report = await world.sync();

        expect(report.counts['contact_to_contact.deleted_hubspot']).toBe(1);
        expect(
            world.store.findLinkBySalesforce({ salesforceObject: 'Contact', salesforceId: contactId })?.tombstonedAt
        ).toEqual(expect.any(String));
        expect(world.hubspotObjects('contacts').filter((contact) => contact.archived !== true)).toHaveLength(0);
        // Later runs, and later edits of the Contact, leave the tombstoned pair alone.
        await world.sync();
        world.salesforceSandbox.handle.editAsUser(contactId, { Title: 'Edited after the delete' });
        const later = await world.sync();
        expect(later.counts['contact_to_contact.tombstoned']).toBe(1);
        expect(world.hubspotObjects('contacts').filter((contact) => contact.archived !== true)).toHaveLength(0);
    }, 20_000);

    test('delete policy tombstone: an archived HubSpot contact is noticed on the next run without any Salesforce change', async () => {
        const contactId = world.createInSalesforce('Contact', { LastName: 'Doe', Email: 'doe@acme.com' });
        await world.sync();
        world.hubspotSandbox.handle.archiveAsUser('contacts', hubspotIdOf('Contact', contactId));
        world.hubspotSandbox.handle.resetRequestCounts();
        const report = await world.sync();

        expect(report.counts['contact_to_contact.deleted_hubspot']).toBe(1);
        expect(
            world.store.findLinkBySalesforce({ salesforceObject: 'Contact', salesforceId: contactId })?.tombstonedAt
        ).toEqual(expect.any(String));
        expect(world.salesforceRecord(contactId).LastName).toBe('Doe');
        // One archived-list page per record type, on top of the change searches.
        expect(world.hubspotSandbox.handle.requestCounts().byEndpoint['GET /crm/v3/objects/contacts']).toBe(1);
        const quiet = await world.sync();
        expect(quiet.counts['contact_to_contact.deleted_hubspot']).toBeUndefined();
    });

    test('a first load reads no archived list: an archived record matters only through a link', async () => {
        const contactId = world.createInSalesforce('Contact', { LastName: 'Doe', Email: 'doe@acme.com' });
        world.hubspotSandbox.handle.resetRequestCounts();
        await world.sync();
        const archivedLists = () =>
            ['contacts', 'companies', 'deals'].map(
                (type) => world.hubspotSandbox.handle.requestCounts().byEndpoint[`GET /crm/v3/objects/${type}`]
            );
        expect(archivedLists()).toEqual([undefined, undefined, undefined]);

        // Linked now: the next scan reads the contacts' list and notices an archive.
        world.hubspotSandbox.handle.archiveAsUser('contacts', hubspotIdOf('Contact', contactId));
        world.hubspotSandbox.handle.resetRequestCounts();
        const report = await world.sync();
        expect(report.counts['contact_to_contact.deleted_hubspot']).toBe(1);
        expect(archivedLists()).toEqual([1, undefined, undefined]);
    });

    test('archived lists are read when a scan is due; in between, a run limited to the deleted ID settles it', async () => {
        await world.close();
        // The engine's clock runs an hour ahead, so every record it reads is settled (see settledCursor).
        const start = Date.now() + 3_600_000;
        let now = new Date(start);
        world = await startEngineWorld({ archivedScanMinutes: 60 });
        const clocked = new SyncEngine({
            salesforce: world.salesforce,
            hubspot: world.hubspot,
            store: world.store,
            mapping: world.mapping,
            archivedScanMinutes: 60,
            now: () => now
        });
        const run = async (request: Partial<RunRequest> = {}) => {
            const report = await clocked.run({ mode: 'incremental', ...request });
            expect(report.status).toBe('completed');
            return report;
        };
        const [first, second] = ['doe@acme.com', 'roe@acme.com'].map((email, index) =>
            world.createInSalesforce('Contact', { LastName: `Person ${index}`, Email: email })
        );
        await run();
        // The run after a sync reads the engine's own status write-backs; after it, nothing changes.
        await run();
        const archivedList = () =>
            world.hubspotSandbox.handle.requestCounts().byEndpoint['GET /crm/v3/objects/contacts'];
        world.hubspotSandbox.handle.resetRequestCounts();
        world.hubspotSandbox.handle.archiveAsUser('contacts', hubspotIdOf('Contact', first));
        now = new Date(start + 30 * 60_000);
        expect((await run()).counts['contact_to_contact.deleted_hubspot']).toBeUndefined();
        expect(archivedList()).toBeUndefined();

        // The deletion webhook's ID (the fast path runs it alone): read archived by ID, settled now.
        const byId = await run({ ids: [hubspotIdOf('Contact', first)] });
        expect(byId.counts['contact_to_contact.deleted_hubspot']).toBe(1);

        world.hubspotSandbox.handle.archiveAsUser('contacts', hubspotIdOf('Contact', second));
        now = new Date(start + 61 * 60_000);
        expect((await run()).counts['contact_to_contact.deleted_hubspot']).toBe(1);
        expect(archivedList()).toBe(1);
    }, 20_000);

    test('delete policy tombstone: a deleted Salesforce Contact keeps its HubSpot contact, the pair stops syncing', async () => {
        const contactId = world.createInSalesforce('Contact', { LastName: 'Doe', Email: 'doe@acme.com' });
        await world.sync();
        const hubspotId = hubspotIdOf('Contact', contactId);
        world.salesforceSandbox.handle.deleteAsUser(contactId);
        const report = await world.sync();

        expect(report.counts['contact_to_contact.deleted_salesforce']).toBe(1);
        expect(world.hubspotObject('contacts', hubspotId).lastname).toBe('Doe');
        expect(
            world.store.findLinkBySalesforce({ salesforceObject: 'Contact', salesforceId: contactId })?.tombstonedAt
        ).toEqual(expect.any(String));
    });
});

describe('sync engine: delete policy propagate', () => {
    let world: EngineWorld;
    afterEach(() => world.close());

    const startPropagatingWorld = () =>
        startEngineWorld({
            mapping: (mapping) => ({
                ...mapping,
                records: mapping.records.map((record) =>
                    record.id === 'account_to_company' ? { ...record, delete: 'propagate' as const } : record
                )
            })
        });

    test('a deleted Salesforce Account archives its HubSpot company', async () => {
        world = await startEngineWorld({
            mapping: (mapping) => ({
                ...mapping,
                records: mapping.records.map((record) =>
                    record.id === 'account_to_company' ? { ...record, delete: 'propagate' as const } : record
                )
            })
        });
        const accountId = world.createInSalesforce('Account', { Name: 'Gone', Website: 'gone.example' });
        await world.sync();
        const hubspotId = world.store.findLinkBySalesforce({
            salesforceObject: 'Account',
            salesforceId: accountId
        })!.hubspotId;
        world.salesforceSandbox.handle.deleteAsUser(accountId);
        const report = await world.sync();

        expect(report.counts['account_to_company.deleted_salesforce']).toBe(1);
        expect(world.hubspotObjects('companies').find((company) => company.id === hubspotId)?.archived).toBe(true);
        expect(
            world.store.findLinkBySalesforce({ salesforceObject: 'Account', salesforceId: accountId })
        ).toBeUndefined();
    });

    test('an archived HubSpot company deletes its Salesforce Account; a failed delete is retried next run', async () => {
        world = await startPropagatingWorld();
        const accountId = world.createInSalesforce('Account', { Name: 'Gone', Website: 'gone.example' });
        await world.sync();
        const link = world.store.findLinkBySalesforce({ salesforceObject: 'Account', salesforceId: accountId })!;
        world.hubspotSandbox.handle.archiveAsUser('companies', link.hubspotId);
        world.salesforceSandbox.handle.faults.add({
            method: 'DELETE',
            path: '/composite/sobjects',
            kind: 'status',
            status: 403,
            times: 1
        });
        const failed = await world.sync();

        expect(failed.counts['account_to_company.deleted_hubspot']).toBe(1);
        expect(world.salesforceRecord(accountId).IsDeleted).toBe(false);
        expect(world.store.listErrors({ resolved: false })).toEqual([
            expect.objectContaining({ salesforceId: accountId, field: '@delete:salesforce' })
        ]);
        await world.sync();
        expect(world.salesforceRecord(accountId).IsDeleted).toBe(true);
        expect(
            world.store.findLinkBySalesforce({ salesforceObject: 'Account', salesforceId: accountId })
        ).toBeUndefined();
        expect(world.store.listErrors({ resolved: false })).toEqual([]);
    });

    test('a HubSpot archive that failed for a deleted Salesforce Account is retried next run', async () => {
        world = await startPropagatingWorld();
        const accountId = world.createInSalesforce('Account', { Name: 'Gone', Website: 'gone.example' });
        await world.sync();
        const hubspotId = world.store.findLinkBySalesforce({
            salesforceObject: 'Account',
            salesforceId: accountId
        })!.hubspotId;
        world.salesforceSandbox.handle.deleteAsUser(accountId);
        world.hubspotSandbox.handle.addFault({
            path: '/crm/v3/objects/companies/batch/archive',
            kind: 'status',
            status: 403,
            times: 1
        });
        await world.sync();
        expect(world.hubspotObjects('companies').find((company) => company.id === hubspotId)?.archived).not.toBe(true);
        expect(world.store.listErrors({ resolved: false })).toEqual([
            expect.objectContaining({ salesforceId: accountId, field: '@delete:hubspot' })
        ]);

        await world.sync();
        expect(world.hubspotObjects('companies').find((company) => company.id === hubspotId)?.archived).toBe(true);
        expect(
            world.store.findLinkBySalesforce({ salesforceObject: 'Account', salesforceId: accountId })
        ).toBeUndefined();
        expect(world.store.listErrors({ resolved: false })).toEqual([]);
    });
});

describe('sync engine: deal-contact roles waiting for a contact', () => {
    let world: EngineWorld;
    afterEach(() => world.close());

    test('a role waiting for an unsynced contact is associated once the contact syncs, the role unchanged', async () => {
        world = await startEngineWorld({
            mapping: (mapping) => ({
                ...mapping,
                records: mapping.records.map((record) =>
                    record.id === 'contact_to_contact'
                        ? { ...record, scope: { salesforce: { field: 'Title', op: 'ne' as const, value: 'Hidden' } } }
                        : record
                )
            })
        });
        const accountId = world.createInSalesforce('Account', { Name: 'Acme', Website: 'acme.com' });
        const contactId = world.createInSalesforce('Contact', {
            LastName: 'Doe',
            Email: 'doe@acme.com',
            Title: 'Hidden',
            AccountId: accountId
        });
        const opportunityId = world.createInSalesforce('Opportunity', {
            Name: 'Big deal',
            StageName: 'Qualification',
            CloseDate: '2027-03-01',
            AccountId: accountId
        });
        world.createInSalesforce('OpportunityContactRole', { OpportunityId: opportunityId, ContactId: contactId });
        const first = await world.sync();
        expect(first.counts['deal_contact.waiting']).toBe(1);

        world.salesforceSandbox.handle.editAsUser(contactId, { Title: 'Buyer' });
        const second = await world.sync();

        expect(second.counts['deal_contact.created']).toBe(1);
        const deal = world.store.findLinkBySalesforce({
            salesforceObject: 'Opportunity',
            salesforceId: opportunityId
        })!;
        const contact = world.store.findLinkBySalesforce({ salesforceObject: 'Contact', salesforceId: contactId })!;
        expect(
            (await world.hubspot.readAssociations('deals', 'contacts', [deal.hubspotId])).get(deal.hubspotId)
        ).toEqual([contact.hubspotId]);
        const quiet = await world.sync();
        expect(quiet.counts['deal_contact.created']).toBeUndefined();
    });
});

describe('sync engine: a lookup association that failed transiently', () => {
    let world: EngineWorld;
    beforeEach(async () => {
        world = await startEngineWorld();
    });
    afterEach(() => world.close());

    test('is made with its record in the next run, which resolves the error, though nothing changed', async () => {
        // The engine's clock runs an hour ahead, so every record it reads is settled (see settledCursor): the
        // run after reads again only what its cursor and its retries bring.
        const engine = new SyncEngine({
            salesforce: world.salesforce,
            hubspot: world.hubspot,
            store: world.store,
            mapping: world.mapping,
            archivedScanMinutes: 0,
            now: () => new Date(Date.now() + 3_600_000)
        });
        const run = async () => {
            const report = await engine.run({ mode: 'incremental' });
            expect(report.status).toBe('completed');
            return report;
        };
        const accountId = world.createInSalesforce('Account', { Name: 'Acme', Website: 'acme.com' });
        const contactId = world.createInSalesforce('Contact', { LastName: 'Doe', Email: 'doe@acme.com' });
        await run();
        const linkOf = (salesforceObject: string, salesforceId: string) =>
            world.store.findLinkBySalesforce({ salesforceObject, salesforceId })!.hubspotId;
        const contactHubSpotId = linkOf('Contact', contactId);
        const companiesOfContact = async () =>
            (await world.hubspot.readAssociations('contacts', 'companies', [contactHubSpotId])).get(contactHubSpotId) ??
            [];

        // The Contact moves to the Account; HubSpot fails the association call, the client's retries included.
        world.salesforceSandbox.handle.editAsUser(contactId, { AccountId: accountId });
        world.hubspotSandbox.handle.addFault({
            path: '/crm/v4/associations/contacts/companies/batch/create',
            kind: 'status',
            status: 503,
            // The call and the client's two retries.
            times: 3
        });
        // The client logs each of its retries; they are expected here.
        const retries = jest.spyOn(console, 'error').mockImplementation(() => undefined);
        try {
            await run();
            expect(retries).toHaveBeenCalledWith(expect.stringMatching(/status code \[503\], will retry/));
        } finally {
            retries.mockRestore();
        }
        expect(await companiesOfContact()).toEqual([]);
        expect(world.store.listErrors({ resolved: false })).toEqual([
            expect.objectContaining({ mappingId: 'contact_company', salesforceId: contactId, category: 'transient' })
        ]);

        const retried = await run();
        expect(retried.counts['contact_company.created']).toBe(1);
        expect(await companiesOfContact()).toEqual([linkOf('Account', accountId)]);
        expect(world.store.listErrors({ resolved: false })).toEqual([]);
    }, 20_000);
});
