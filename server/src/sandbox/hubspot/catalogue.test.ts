import { rejectionOf, startWithClient, type SandboxUnderTest } from './test-support';

const HUBSPOT_DEFINED = 'HUBSPOT_DEFINED' as never;

describe('HubSpot sandbox: properties, pipelines, owners and associations v4', () => {
    let env: SandboxUnderTest;

    beforeEach(async () => {
        env = await startWithClient({ tier: 'unlimited' });
    });
    afterEach(async () => {
        await env.sandbox.close();
    });

    it('lists the default catalogue with the Salesforce sync fields and lifecycle stages', async () => {
        const { client } = env;
        const contacts = await client.crm.properties.coreApi.getAll('contacts');
        const names = contacts.results.map((p) => p.name);
        expect(names).toEqual(
            expect.arrayContaining([
                'email',
                'lifecyclestage',
                'hubspotscore',
                'hubspot_owner_id',
                'salesforceleadid',
                'salesforcecontactid',
                'lastmodifieddate'
            ])
        );
        const lifecycle = await client.crm.properties.coreApi.getByName('contacts', 'lifecyclestage');
        expect(lifecycle.type).toBe('enumeration');
        expect(lifecycle.options.map((o) => o.value)).toEqual([
            'subscriber',
            'lead',
            'marketingqualifiedlead',
            'salesqualifiedlead',
            'opportunity',
            'customer',
            'evangelist',
            'other'
        ]);
        const email = await client.crm.properties.coreApi.getByName('contacts', 'email');
        expect(email.hasUniqueValue).toBe(true);
        const dealNames = (await client.crm.properties.coreApi.getAll('deals')).results.map((p) => p.name);
        expect(dealNames).toEqual(
            expect.arrayContaining(['dealstage', 'pipeline', 'salesforceopportunityid', 'hs_lastmodifieddate'])
        );
        const companyNames = (await client.crm.properties.coreApi.getAll('0-2')).results.map((p) => p.name);
        expect(companyNames).toContain('salesforceaccountid');
        const missing = await rejectionOf(client.crm.properties.coreApi.getByName('contacts', 'nope'));
        expect(missing.code).toBe(404);
    });

    it('creates (201), updates (200) and archives (204) custom properties, then validates writes against them', async () => {
        const { client } = env;
        const created = await client.crm.properties.coreApi.create('contacts', {
            name: 'sync_status',
            label: 'Sync status',
            type: 'enumeration' as never,
            fieldType: 'select' as never,
            groupName: 'contactinformation',
            options: [
                { label: 'Synced', value: 'synced', hidden: false, displayOrder: 0 },
                { label: 'Error', value: 'error', hidden: false, displayOrder: 1 }
            ]
        });
        expect(created).toMatchObject({ name: 'sync_status', hubspotDefined: false });
        const duplicate = await rejectionOf(
            client.crm.properties.coreApi.create('contacts', {
                name: 'sync_status',
                label: 'x',
                type: 'string' as never,
                fieldType: 'text' as never,
                groupName: 'g'
            })
        );
        expect(duplicate.code).toBe(409);
        const mismatched = await rejectionOf(
            client.crm.properties.coreApi.create('contacts', {
                name: 'bad_pair',
                label: 'x',
                type: 'number' as never,
                fieldType: 'select' as never,
                groupName: 'g'
            })
        );
        expect(mismatched.code).toBe(400);

        const contact = await client.crm.contacts.basicApi.create({
            properties: { email: 'p@x.test', sync_status: 'synced' },
            associations: []
        });
        const invalid = await rejectionOf(
            client.crm.contacts.basicApi.update(contact.id, { properties: { sync_status: 'pending' } })
        );
        expect(String(invalid.body.message)).toContain('pending was not one of the allowed options: [synced, error]');

        const updated = await client.crm.properties.coreApi.update('contacts', 'sync_status', {
            options: [
                { label: 'Synced', value: 'synced', hidden: false, displayOrder: 0 },
                { label: 'Pending', value: 'pending', hidden: false, displayOrder: 1 }
            ]
        });
        expect(updated.options.map((o) => o.value)).toEqual(['synced', 'pending']);
        await client.crm.contacts.basicApi.update(contact.id, { properties: { sync_status: 'pending' } });

        const hubspotDefined = await rejectionOf(
            client.crm.properties.coreApi.update('contacts', 'email', { type: 'number' as never })
        );
        expect(hubspotDefined.code).toBe(400);
        await client.crm.properties.coreApi.archive('contacts', 'sync_status');
        const gone = await rejectionOf(
            client.crm.contacts.basicApi.update(contact.id, { properties: { sync_status: 'synced' } })
        );
        expect(String(gone.body.message)).toContain('PROPERTY_DOESNT_EXIST');
        const undeletable = await rejectionOf(client.crm.properties.coreApi.archive('contacts', 'email'));
        expect(undeletable.code).toBe(400);
    });

    it('enforces custom unique-value properties and lets them identify records', async () => {
        const { client } = env;
        await client.crm.properties.coreApi.create('companies', {
            name: 'erp_key',
            label: 'ERP key',
            type: 'string' as never,
            fieldType: 'text' as never,
            groupName: 'companyinformation',
            hasUniqueValue: true
        });
        const first = await client.crm.companies.basicApi.create({
            properties: { name: 'One', erp_key: 'K-1' },
            associations: []
        });
        const duplicate = await rejectionOf(
            client.crm.companies.basicApi.create({ properties: { name: 'Two', erp_key: 'k-1' }, associations: [] })
        );
        expect(duplicate.code).toBe(409);
        expect(duplicate.body).toMatchObject({
            category: 'CONFLICT',
            message: expect.stringContaining(`Existing ID: ${first.id}`)
        });
        const upserted = await client.crm.companies.batchApi.upsert({
            inputs: [
                { id: 'K-1', idProperty: 'erp_key', properties: { name: 'One renamed' } },
                { id: 'K-2', idProperty: 'erp_key', properties: { name: 'Two' } }
            ]
        });
        expect(upserted.results.map((r) => [r.properties.erp_key, r._new])).toEqual([
            ['K-1', false],
            ['K-2', true]
        ]);
        const byKey = await client.crm.companies.basicApi.getById(
            'K-2',
            ['name'],
            undefined,
            undefined,
            undefined,
            'erp_key'
        );
        expect(byKey.properties.name).toBe('Two');
    });

    it('serves the deal pipeline with probabilities and closed-won/lost metadata', async () => {
        const { client } = env;
        const pipelines = await client.crm.pipelines.pipelinesApi.getAll('deals');
        expect(pipelines.results).toHaveLength(1);
        const pipeline = pipelines.results[0];
        expect(pipeline).toMatchObject({ id: 'default', label: 'Sales Pipeline', archived: false });
        const stages = Object.fromEntries(pipeline.stages.map((s) => [s.id, s.metadata]));
        expect(stages.closedwon).toEqual({ isClosed: 'true', probability: '1.0' });
        expect(stages.closedlost).toEqual({ isClosed: 'true', probability: '0.0' });
        expect(stages.appointmentscheduled).toEqual({ isClosed: 'false', probability: '0.2' });
        const stage = await client.crm.pipelines.pipelineStagesApi.getById('deals', 'default', 'contractsent');
        expect(stage.label).toBe('Contract Sent');
        const missing = await rejectionOf(client.crm.pipelines.pipelinesApi.getById('deals', 'nope'));
        expect(missing.code).toBe(404);
    });

    it('lists owners with emails and pages them', async () => {
        const { client } = env;
        const all = await client.crm.owners.ownersApi.getPage();
        expect(all.results.length).toBe(5);
        expect(all.results[0]).toMatchObject({ email: 'ada.lovelace@example.com', type: 'PERSON', archived: false });
        const byEmail = await client.crm.owners.ownersApi.getPage('grace.hopper@example.com');
        expect(byEmail.results.map((o) => o.lastName)).toEqual(['Hopper']);
        const page = await client.crm.owners.ownersApi.getPage(undefined, undefined, 2);
        expect(page.results).toHaveLength(2);
        const next = await client.crm.owners.ownersApi.getPage(undefined, page.paging!.next!.after, 2);
        expect(next.results[0].id).not.toBe(page.results[0].id);
        const one = await client.crm.owners.ownersApi.getById(Number(all.results[1].id));
        expect(one.email).toBe(all.results[1].email);
        expect((await rejectionOf(client.crm.owners.ownersApi.getById(1))).code).toBe(404);
    });

    it('creates, reads and archives v4 associations with HubSpot type ids in both directions', async () => {
        const { client } = env;
        const contact = await client.crm.contacts.basicApi.create({
            properties: { email: 'a@x.test' },
            associations: []
        });
        const companyA = await client.crm.companies.basicApi.create({ properties: { name: 'A' }, associations: [] });
        const companyB = await client.crm.companies.basicApi.create({ properties: { name: 'B' }, associations: [] });
        const deal = await client.crm.deals.basicApi.create({ properties: { dealname: 'D' }, associations: [] });

        const labels = await client.crm.associations.v4.basicApi.create(
            'contacts',
            contact.id,
            'companies',
            companyA.id,
            [{ associationCategory: HUBSPOT_DEFINED, associationTypeId: 1 }]
        );
        expect(labels).toMatchObject({ fromObjectTypeId: '0-1', toObjectTypeId: '0-2', labels: ['Primary'] });
        const listed = await client.crm.associations.v4.basicApi.getPage('contact', contact.id, 'company');
        expect(listed.results).toHaveLength(1);
        expect(String(listed.results[0].toObjectId)).toBe(companyA.id);
        expect(listed.results[0].associationTypes.map((t) => [t.typeId, t.label])).toEqual([
            [1, 'Primary'],
            [279, null]
        ]);
        const inverse = await client.crm.associations.v4.basicApi.getPage('companies', companyA.id, 'contacts');
        expect(inverse.results[0].associationTypes.map((t) => t.typeId).sort()).toEqual([2, 280]);

        // A new primary company moves the primary label away from the old one.
        await client.crm.associations.v4.basicApi.create('contacts', contact.id, 'companies', companyB.id, [
            { associationCategory: HUBSPOT_DEFINED, associationTypeId: 1 }
        ]);
        const both = await client.crm.associations.v4.basicApi.getPage('contacts', contact.id, 'companies');
        const typesByCompany = Object.fromEntries(
            both.results.map((r) => [String(r.toObjectId), r.associationTypes.map((t) => t.typeId)])
        );
        expect(typesByCompany).toEqual({ [companyA.id]: [279], [companyB.id]: [1, 279] });

        const byDefault = await client.crm.associations.v4.basicApi.createDefault(
            'deals',
            deal.id,
            'companies',
            companyA.id
        );
        expect(byDefault.results.map((r) => r.associationSpec.associationTypeId)).toEqual([341, 342]);
        const batch = await client.crm.associations.v4.batchApi.create('deals', 'contacts', {
            inputs: [
                {
                    _from: { id: deal.id },
                    to: { id: contact.id },
                    types: [{ associationCategory: HUBSPOT_DEFINED, associationTypeId: 3 }]
                }
            ]
        });
        expect(batch.results).toHaveLength(1);
        // A missing record at either end is named with its own type; the other inputs are made (207).
        const partial = await client.crm.associations.v4.batchApi.create('deals', 'contacts', {
            inputs: [
                { _from: { id: deal.id }, to: { id: '99998' } },
                { _from: { id: '99999' }, to: { id: contact.id } },
                { _from: { id: deal.id }, to: { id: contact.id } }
            ].map((input) => ({ ...input, types: [{ associationCategory: HUBSPOT_DEFINED, associationTypeId: 3 }] }))
        });
        expect(partial.results).toHaveLength(1);
        expect(
            'errors' in partial ? (partial.errors ?? []).map((error) => [error.message, error.context]) : []
        ).toEqual([
            ['No deal objects found with ids: 99999', { ids: ['99999'] }],
            ['No contact objects found with ids: 99998', { ids: ['99998'] }]
        ]);
        const read = await client.crm.associations.v4.batchApi.getPage('deals', 'companies', {
            inputs: [{ id: deal.id }, { id: '99999' }]
        });
        expect(read.results).toHaveLength(1);
        expect(read.results[0].to.map((t) => String(t.toObjectId))).toEqual([companyA.id]);
        expect('numErrors' in read ? read.numErrors : 0).toBe(1);

        const v3 = await client.crm.deals.basicApi.getById(deal.id, undefined, undefined, ['companies', 'contacts']);
        expect(v3.associations?.companies.results).toEqual([{ id: companyA.id, type: 'deal_to_company_unlabeled' }]);
        expect(v3.associations?.contacts.results).toEqual([{ id: contact.id, type: 'deal_to_contact' }]);

        const definitions = await client.crm.associations.v4.schema.definitionsApi.getAll('contacts', 'companies');
        expect(definitions.results.map((d) => d.typeId).sort((a, b) => a - b)).toEqual([1, 279]);

        await client.crm.associations.v4.basicApi.archive('contacts', contact.id, 'companies', companyA.id);
        await client.crm.associations.v4.batchApi.archive('deals', 'contacts', {
            inputs: [{ _from: { id: deal.id }, to: [{ id: contact.id }] }]
        });
        const afterArchive = await client.crm.contacts.basicApi.getById(contact.id, undefined, undefined, [
            'companies',
            'deals'
        ]);
        expect(afterArchive.associations?.companies.results.map((r) => r.id)).toEqual([companyB.id, companyB.id]);
        expect(afterArchive.associations?.deals).toBeUndefined();

        const invalid = await rejectionOf(
            client.crm.associations.v4.basicApi.create('contacts', contact.id, 'companies', companyA.id, [
                { associationCategory: HUBSPOT_DEFINED, associationTypeId: 5 }
            ])
        );
        expect(invalid.code).toBe(400);
        const missing = await rejectionOf(
            client.crm.associations.v4.basicApi.create('contacts', '123456', 'companies', companyA.id, [
                { associationCategory: HUBSPOT_DEFINED, associationTypeId: 1 }
            ])
        );
        expect(missing.code).toBe(404);
    });
});
