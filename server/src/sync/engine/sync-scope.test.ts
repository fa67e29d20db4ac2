/**
 * HubSpot-side inclusion scopes end to end: list membership through the Lists API and property filters,
 * with both sandboxes, the real clients and SQLite.
 */
import type { HubSpotScope } from '../mapping/filter';
import type { MappingFile } from '../mapping/schema';
import { startEngineWorld, withoutOwnerSync, type EngineWorld } from './test-support';

const scopedContacts =
    (scope: HubSpotScope) =>
    (mapping: MappingFile): MappingFile => {
        const base = withoutOwnerSync(mapping);
        return {
            ...base,
            records: base.records.map((record) =>
                record.hubspotObjectType === 'contacts'
                    ? { ...record, scope: { ...record.scope, hubspot: scope } }
                    : record
            )
        };
    };

describe('sync engine: HubSpot inclusion scopes', () => {
    let world: EngineWorld;
    afterEach(() => world.close());

    test('list scope: only members of the list become Leads; the others are never created', async () => {
        world = await startEngineWorld({ mapping: scopedContacts({ listId: '1' }) });
        const member = world.hubspotSandbox.handle.createAsUser('contacts', {
            email: 'in@list.io',
            lastname: 'Member',
            company: 'List Co'
        });
        world.hubspotSandbox.handle.createAsUser('contacts', {
            email: 'out@list.io',
            lastname: 'Outsider',
            company: 'List Co'
        });
        const listId = world.hubspotSandbox.handle.createList('Sync these', 'contacts');
        expect(listId).toBe('1');
        world.hubspotSandbox.handle.addToList(listId, 'contacts', [member.id]);
        const report = await world.sync();

        expect(report.counts['contacts.out_of_scope_hubspot']).toBe(1);
        expect(report.counts['lead_to_contact.created_in_salesforce']).toBe(1);
        const leads = world.salesforceSandbox.handle.query('SELECT Id, Email FROM Lead');
        expect(leads.map((lead) => lead.Email)).toEqual(['in@list.io']);
        expect(world.hubspotSandbox.handle.requestCounts().byEndpoint['GET /crm/v3/lists/{id}/memberships']).toBe(1);
    });

    test('list scope: a record that joins the list later syncs on the next run without being edited', async () => {
        world = await startEngineWorld({ mapping: scopedContacts({ listId: '1' }) });
        const listId = world.hubspotSandbox.handle.createList('Sync these', 'contacts');
        const late = world.hubspotSandbox.handle.createAsUser('contacts', {
            email: 'late@list.io',
            lastname: 'Latecomer',
            company: 'List Co'
        });
        const first = await world.sync();
        expect(first.counts['contacts.out_of_scope_hubspot']).toBe(1);
        await world.sync();

        world.hubspotSandbox.handle.addToList(listId, 'contacts', [late.id]);
        const joined = await world.sync();

        expect(joined.counts['contacts.joined_list_hubspot']).toBe(1);
        expect(joined.counts['lead_to_contact.created_in_salesforce']).toBe(1);
        const leads = world.salesforceSandbox.handle.query('SELECT Email FROM Lead');
        expect(leads.map((lead) => lead.Email)).toEqual(['late@list.io']);
        expect((await world.sync()).counts['contacts.joined_list_hubspot']).toBeUndefined();
    }, 20_000);

    test('property filter: a pair whose HubSpot record leaves the filter is Excluded, its values not copied', async () => {
        world = await startEngineWorld({
            mapping: scopedContacts({
                filterGroups: [{ filters: [{ property: 'jobtitle', operator: 'NEQ', value: 'Former' }] }]
            })
        });
        const contactId = world.createInSalesforce('Contact', { LastName: 'Doe', Email: 'doe@acme.com', Title: 'CTO' });
        await world.sync();
        const hubspotId = world.store.findLinkBySalesforce({
            salesforceObject: 'Contact',
            salesforceId: contactId
        })!.hubspotId;
        world.hubspotSandbox.handle.editAsUser('contacts', hubspotId, { jobtitle: 'Former', firstname: 'Jo' });
        const report = await world.sync();

        expect(report.counts['contacts.out_of_scope_hubspot']).toBe(1);
        expect(report.counts['contact_to_contact.excluded']).toBe(1);
        expect(world.salesforceRecord(contactId)).toMatchObject({
            Title: 'CTO',
            FirstName: null,
            HubSpot_Sync_Status__c: 'Excluded',
            HubSpot_Last_Sync_Error__c: `HubSpot record ${hubspotId} is outside the HubSpot property filter`
        });
    });

    test('a new Salesforce record whose email belongs to an out-of-scope HubSpot contact is Excluded, not created', async () => {
        world = await startEngineWorld({
            mapping: scopedContacts({
                filterGroups: [{ filters: [{ property: 'lifecyclestage', operator: 'IN', values: ['customer'] }] }]
            })
        });
        world.hubspotSandbox.handle.createAsUser('contacts', { email: 'lead@prospect.io', lifecyclestage: 'lead' });
        const contactId = world.createInSalesforce('Contact', { LastName: 'Prospect', Email: 'Lead@Prospect.io' });
        const report = await world.sync();

        expect(report.counts['contact_to_contact.created_in_hubspot']).toBeUndefined();
        expect(world.hubspotObjects('contacts')).toHaveLength(1);
        expect(world.salesforceRecord(contactId).HubSpot_Sync_Status__c).toBe('Excluded');
        expect(world.store.listErrors({ resolved: false })).toEqual([]);
    });
});
