import { rawRequest, rejectionOf, startWithClient, UUID, type SandboxUnderTest } from './test-support';

describe('HubSpot sandbox: CRM objects through @hubspot/api-client', () => {
    let env: SandboxUnderTest;

    beforeEach(async () => {
        env = await startWithClient({ tier: 'unlimited' });
    });
    afterEach(async () => {
        await env.sandbox.close();
    });

    it('creates (201), reads by id and by percent-encoded email, updates (200) and archives (204)', async () => {
        const { client } = env;
        const created = await client.crm.contacts.basicApi.create({
            properties: { email: 'ana+test@example.com', firstname: 'Ana' },
            associations: []
        });
        expect(created.id).toMatch(/^\d+$/);
        expect(created.properties).toMatchObject({
            email: 'ana+test@example.com',
            firstname: 'Ana',
            hs_object_id: created.id
        });
        expect(created.createdAt).toBeInstanceOf(Date);

        const byEmail = await client.crm.contacts.basicApi.getById(
            'ana+test@example.com',
            ['firstname', 'jobtitle'],
            undefined,
            undefined,
            undefined,
            'email'
        );
        expect(byEmail.id).toBe(created.id);
        expect(byEmail.properties).toEqual({ firstname: 'Ana', jobtitle: null });

        const updated = await client.crm.contacts.basicApi.update(created.id, { properties: { jobtitle: 'CTO' } });
        expect(updated.properties.jobtitle).toBe('CTO');
        expect(updated.updatedAt.getTime()).toBeGreaterThanOrEqual(created.updatedAt.getTime());

        await client.crm.contacts.basicApi.archive(created.id);
        const gone = await rejectionOf(client.crm.contacts.basicApi.getById(created.id));
        expect(gone.code).toBe(404);
        expect(gone.body).toMatchObject({
            status: 'error',
            category: 'OBJECT_NOT_FOUND',
            message: 'Object not found.  objectId are usually numeric.',
            context: { id: [created.id] }
        });
        expect(gone.body.correlationId).toMatch(UUID);
        const archived = await client.crm.contacts.basicApi.getById(created.id, undefined, undefined, undefined, true);
        expect(archived.archived).toBe(true);
        expect(archived.archivedAt).toBeInstanceOf(Date);
        // Archiving again (or an unknown id) is still a 204.
        await expect(client.crm.contacts.basicApi.archive(created.id)).resolves.toBeUndefined();
        await expect(client.crm.contacts.basicApi.archive('987654321')).resolves.toBeUndefined();
    });

    it('returns default properties when none are requested and system timestamps per type', async () => {
        const { client } = env;
        const company = await client.crm.companies.basicApi.create({
            properties: { name: 'Acme', domain: 'acme.test' },
            associations: []
        });
        const read = await client.crm.companies.basicApi.getById(company.id);
        expect(Object.keys(read.properties).sort()).toEqual([
            'createdate',
            'domain',
            'hs_lastmodifieddate',
            'hs_object_id',
            'name'
        ]);
        const contact = await client.crm.contacts.basicApi.create({
            properties: { email: 'a@b.test' },
            associations: []
        });
        const contactRead = await client.crm.contacts.basicApi.getById(contact.id);
        expect(Object.keys(contactRead.properties).sort()).toEqual([
            'createdate',
            'email',
            'firstname',
            'hs_object_id',
            'lastmodifieddate',
            'lastname'
        ]);
    });

    it('pages through every record with after cursors (getAll and manual paging)', async () => {
        const { client, sandbox } = env;
        sandbox.handle.seed({ contacts: 237, companies: 0 });
        const all = await client.crm.contacts.getAll(undefined, undefined, ['email']);
        expect(all).toHaveLength(237);
        expect(new Set(all.map((c) => c.id)).size).toBe(237);
        let after: string | undefined;
        let pages = 0;
        let seen = 0;
        do {
            const page = await client.crm.contacts.basicApi.getPage(50, after);
            seen += page.results.length;
            after = page.paging?.next?.after;
            pages++;
        } while (after);
        expect(seen).toBe(237);
        expect(pages).toBe(5);
        const invalid = await rejectionOf(client.crm.contacts.basicApi.getPage(10, 'not-a-cursor'));
        expect(invalid.code).toBe(400);
    });

    it('keeps one contact per email (409 CONFLICT as HubSpot words it) and companies free to share domains', async () => {
        const { client } = env;
        const first = await client.crm.contacts.basicApi.create({
            properties: { email: 'dup@example.com' },
            associations: []
        });
        const conflict = await rejectionOf(
            client.crm.contacts.basicApi.create({ properties: { email: 'DUP@example.com' }, associations: [] })
        );
        expect(conflict.code).toBe(409);
        expect(conflict.body).toEqual({
            status: 'error',
            message: `Contact already exists. Existing ID: ${first.id}`,
            correlationId: expect.stringMatching(UUID),
            category: 'CONFLICT'
        });
        const other = await client.crm.contacts.basicApi.create({
            properties: { email: 'other@example.com' },
            associations: []
        });
        const clash = await rejectionOf(
            client.crm.contacts.basicApi.update(other.id, { properties: { email: 'dup@example.com' } })
        );
        expect(clash.code).toBe(409);
        const a = await client.crm.companies.basicApi.create({
            properties: { name: 'A', domain: 'same.test' },
            associations: []
        });
        const b = await client.crm.companies.basicApi.create({
            properties: { name: 'B', domain: 'same.test' },
            associations: []
        });
        expect(a.id).not.toBe(b.id);
    });

    it('rejects unknown properties, invalid options and bad values with VALIDATION_ERROR and writes nothing', async () => {
        const { client, sandbox } = env;
        const unknown = await rejectionOf(
            client.crm.contacts.basicApi.create({
                properties: { email: 'v@x.test', favourite_color: 'blue' },
                associations: []
            })
        );
        expect(unknown.code).toBe(400);
        expect(unknown.body.category).toBe('VALIDATION_ERROR');
        expect(unknown.body.message).toBe(
            'Property values were not valid: [{"isValid":false,"message":"Property \\"favourite_color\\" does not exist","error":"PROPERTY_DOESNT_EXIST","name":"favourite_color","localizedErrorMessage":"Property \\"favourite_color\\" does not exist"}]'
        );
        const option = await rejectionOf(
            client.crm.contacts.basicApi.create({
                properties: { email: 'v@x.test', lifecyclestage: 'prospect' },
                associations: []
            })
        );
        expect(option.code).toBe(400);
        expect(String(option.body.message)).toContain('"error":"INVALID_OPTION"');
        expect(String(option.body.message)).toContain('prospect was not one of the allowed options: [subscriber, lead');
        const number = await rejectionOf(
            client.crm.companies.basicApi.create({
                properties: { name: 'N', numberofemployees: 'many' },
                associations: []
            })
        );
        expect(String(number.body.message)).toContain('INVALID_INTEGER');
        const email = await rejectionOf(
            client.crm.contacts.basicApi.create({ properties: { email: 'not-an-email' }, associations: [] })
        );
        expect(String(email.body.message)).toContain('INVALID_EMAIL');
        const readOnly = await rejectionOf(
            client.crm.contacts.basicApi.create({ properties: { hubspotscore: '5' }, associations: [] })
        );
        expect(String(readOnly.body.message)).toContain('READ_ONLY_VALUE');
        const stage = await rejectionOf(
            client.crm.deals.basicApi.create({ properties: { dealname: 'D', dealstage: 'nowhere' }, associations: [] })
        );
        expect(String(stage.body.message)).toContain('nowhere was not one of the allowed options');
        const pipeline = await rejectionOf(
            client.crm.deals.basicApi.create({ properties: { dealname: 'D', pipeline: 'nope' }, associations: [] })
        );
        expect(String(pipeline.body.message)).toContain('nope was not one of the allowed options: [default]');
        const owner = await rejectionOf(
            client.crm.contacts.basicApi.create({ properties: { hubspot_owner_id: '12' }, associations: [] })
        );
        expect(String(owner.body.message)).toContain('INVALID_OWNER_ID');
        const note = await rejectionOf(
            client.crm.objects.notes.basicApi.create({ properties: { hs_note_body: 'x' }, associations: [] })
        );
        expect(String(note.body.message)).toContain('hs_timestamp is required');
        expect(sandbox.handle.store.count('contacts')).toBe(0);
        expect(sandbox.handle.store.count('companies')).toBe(0);
    });

    it('normalizes values: datetimes to ISO, dates to YYYY-MM-DD, empty string clears', async () => {
        const { client } = env;
        const deal = await client.crm.deals.basicApi.create({
            properties: { dealname: 'Big', amount: '1200.50', closedate: '1735689600000', dealstage: 'closedwon' },
            associations: []
        });
        expect(deal.properties).toMatchObject({
            closedate: '2025-01-01T00:00:00.000Z',
            pipeline: 'default',
            dealstage: 'closedwon'
        });
        const derived = await client.crm.deals.basicApi.getById(deal.id, [
            'hs_is_closed_won',
            'hs_deal_stage_probability'
        ]);
        expect(derived.properties).toMatchObject({ hs_is_closed_won: 'true', hs_deal_stage_probability: '1.0' });
        const contact = await client.crm.contacts.basicApi.create({
            properties: { email: 'd@x.test', date_of_birth: '1990-05-17', jobtitle: 'CEO' },
            associations: []
        });
        expect(contact.properties.date_of_birth).toBe('1990-05-17');
        const badDate = await rejectionOf(
            client.crm.contacts.basicApi.update(contact.id, { properties: { date_of_birth: '1735689600001' } })
        );
        expect(String(badDate.body.message)).toContain('INVALID_DATE');
        await client.crm.contacts.basicApi.update(contact.id, { properties: { jobtitle: '' } });
        const cleared = await client.crm.contacts.basicApi.getById(contact.id, ['jobtitle']);
        expect(cleared.properties.jobtitle).toBeNull();
    });

    it('stores contact emails lower-cased, as HubSpot does, on create, update and batch upsert', async () => {
        const { client } = env;
        const created = await client.crm.contacts.basicApi.create({
            properties: { email: 'Mixed.Case@Example.TEST' },
            associations: []
        });
        expect(created.properties.email).toBe('mixed.case@example.test');
        const found = await client.crm.contacts.searchApi.doSearch({
            filterGroups: [
                { filters: [{ propertyName: 'email', operator: 'EQ' as never, value: 'mixed.case@example.test' }] }
            ],
            properties: ['email'],
            limit: 10,
            after: '0',
            sorts: []
        });
        expect(found.results.map((record) => record.properties.email)).toEqual(['mixed.case@example.test']);
        const updated = await client.crm.contacts.basicApi.update(created.id, { properties: { email: 'New@X.Test' } });
        expect(updated.properties.email).toBe('new@x.test');
        const upserted = await client.crm.contacts.batchApi.upsert({
            inputs: [{ id: 'Upper@X.TEST', idProperty: 'email', properties: { firstname: 'Up' } }]
        });
        expect(upserted.results[0].properties.email).toBe('upper@x.test');
    });

    it('records property history for every change, newest first, with the source', async () => {
        const { client, sandbox } = env;
        const contact = await client.crm.contacts.basicApi.create({
            properties: { email: 'h@x.test', firstname: 'One' },
            associations: []
        });
        sandbox.handle.advanceClock(60_000);
        await client.crm.contacts.basicApi.update(contact.id, { properties: { firstname: 'Two' } });
        sandbox.handle.advanceClock(60_000);
        sandbox.handle.editAsUser('contacts', contact.id, { firstname: 'Three' });
        const read = await client.crm.contacts.basicApi.getById(contact.id, ['firstname'], ['firstname']);
        const history = read.propertiesWithHistory!.firstname;
        expect(history.map((h) => h.value)).toEqual(['Three', 'Two', 'One']);
        expect(history[0]).toMatchObject({ sourceType: 'CRM_UI', sourceId: 'userId:9000001' });
        expect(history[1]).toMatchObject({ sourceType: 'INTEGRATION' });
        expect(history[0].timestamp.getTime() - history[1].timestamp.getTime()).toBeGreaterThanOrEqual(60_000);
        expect(read.properties.firstname).toBe('Three');
    });

    it('keeps lifecycle stages forward-only unless cleared first', async () => {
        const { client } = env;
        const contact = await client.crm.contacts.basicApi.create({
            properties: { email: 'l@x.test', lifecyclestage: 'opportunity' },
            associations: []
        });
        await client.crm.contacts.basicApi.update(contact.id, { properties: { lifecyclestage: 'lead' } });
        expect(
            (await client.crm.contacts.basicApi.getById(contact.id, ['lifecyclestage'])).properties.lifecyclestage
        ).toBe('opportunity');
        await client.crm.contacts.basicApi.update(contact.id, { properties: { lifecyclestage: 'customer' } });
        await client.crm.contacts.basicApi.update(contact.id, { properties: { lifecyclestage: '' } });
        await client.crm.contacts.basicApi.update(contact.id, { properties: { lifecyclestage: 'lead' } });
        const read = await client.crm.contacts.basicApi.getById(contact.id, ['lifecyclestage'], ['lifecyclestage']);
        expect(read.properties.lifecyclestage).toBe('lead');
        expect(read.propertiesWithHistory!.lifecyclestage.map((h) => h.value)).toEqual([
            'lead',
            '',
            'customer',
            'opportunity'
        ]);
    });

    it('merges contacts: the primary survives, the merged id redirects and its email is kept', async () => {
        const { client } = env;
        const company = await client.crm.companies.basicApi.create({ properties: { name: 'Co' }, associations: [] });
        const primary = await client.crm.contacts.basicApi.create({
            properties: { email: 'p@x.test', firstname: 'P' },
            associations: []
        });
        const loser = await client.crm.contacts.basicApi.create({
            properties: { email: 'l@x.test', jobtitle: 'VP' },
            associations: [
                {
                    to: { id: company.id },
                    types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 1 }]
                }
            ]
        });
        const merged = await client.crm.contacts.basicApi.merge({
            primaryObjectId: primary.id,
            objectIdToMerge: loser.id
        });
        expect(merged.id).toBe(primary.id);
        const viaLoser = await client.crm.contacts.basicApi.getById(
            loser.id,
            ['email', 'jobtitle', 'hs_additional_emails', 'hs_merged_object_ids'],
            undefined,
            ['companies']
        );
        expect(viaLoser.id).toBe(primary.id);
        expect(viaLoser.properties).toMatchObject({
            email: 'p@x.test',
            jobtitle: 'VP',
            hs_additional_emails: 'l@x.test',
            hs_merged_object_ids: loser.id
        });
        expect(viaLoser.associations?.companies.results.map((r) => r.id)).toContain(company.id);
        const byOldEmail = await client.crm.contacts.basicApi.getById(
            'l@x.test',
            undefined,
            undefined,
            undefined,
            undefined,
            'email'
        );
        expect(byOldEmail.id).toBe(primary.id);
        const self = await rejectionOf(
            client.crm.contacts.basicApi.merge({ primaryObjectId: primary.id, objectIdToMerge: primary.id })
        );
        expect(self.code).toBe(400);
    });

    it('lists archived records only with archived=true and purges contacts for GDPR', async () => {
        const { client, sandbox } = env;
        const kept = await client.crm.contacts.basicApi.create({
            properties: { email: 'keep@x.test' },
            associations: []
        });
        const archived = await client.crm.contacts.basicApi.create({
            properties: { email: 'old@x.test' },
            associations: []
        });
        await client.crm.contacts.basicApi.archive(archived.id);
        const live = await client.crm.contacts.basicApi.getPage(10, undefined, ['email'], undefined, ['unknown_type']);
        expect(live.results.map((r) => r.id)).toEqual([kept.id]);
        const bin = await client.crm.contacts.basicApi.getPage(10, undefined, ['email'], undefined, undefined, true);
        expect(bin.results.map((r) => [r.id, r.archived])).toEqual([[archived.id, true]]);
        // The archived contact's email is free again.
        await expect(
            client.crm.contacts.basicApi.create({ properties: { email: 'old@x.test' }, associations: [] })
        ).resolves.toBeDefined();

        const company = await client.crm.companies.basicApi.create({ properties: { name: 'G' }, associations: [] });
        await client.crm.associations.v4.basicApi.createDefault('contacts', kept.id, 'companies', company.id);
        await client.crm.contacts.basicApi.purge({ objectId: 'keep@x.test', idProperty: 'email' });
        expect(
            (await rejectionOf(client.crm.contacts.basicApi.getById(kept.id, undefined, undefined, undefined, true)))
                .code
        ).toBe(404);
        const companyAssociations = await client.crm.associations.v4.basicApi.getPage(
            'companies',
            company.id,
            'contacts'
        );
        expect(companyAssociations.results).toEqual([]);
        expect((await rejectionOf(client.crm.contacts.basicApi.purge({ objectId: kept.id }))).code).toBe(404);
        expect(sandbox.handle.store.count('contacts')).toBe(2);
    });

    it('answers malformed input as HubSpot would and keeps the state intact', async () => {
        const { sandbox, client } = env;
        const badJson = await rawRequest(sandbox, 'POST', '/crm/v3/objects/contacts', {
            body: '{"properties": {',
            contentType: 'application/json'
        });
        expect(badJson.status).toBe(400);
        expect(badJson.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
        expect(String(badJson.body.message)).toMatch(/^Invalid input JSON/);
        const wrongType = await rawRequest(sandbox, 'POST', '/crm/v3/objects/contacts', {
            body: 'email=a@b.c',
            contentType: 'text/plain'
        });
        expect(wrongType.status).toBe(415);
        const missingProperties = await rawRequest(sandbox, 'POST', '/crm/v3/objects/contacts', {
            body: '{"props":{}}',
            contentType: 'application/json'
        });
        expect(missingProperties.status).toBe(400);
        expect(String(missingProperties.body.message)).toContain('properties');
        const huge = await rawRequest(sandbox, 'POST', '/crm/v3/objects/contacts', {
            body: JSON.stringify({ properties: { firstname: 'x'.repeat(11 * 1024 * 1024) } }),
            contentType: 'application/json'
        });
        expect(huge.status).toBe(413);
        const badId = await rawRequest(sandbox, 'GET', '/crm/v3/objects/contacts/12abc');
        expect(badId.status).toBe(404);
        const unknownType = await rawRequest(sandbox, 'GET', '/crm/v3/objects/unicorns');
        expect(unknownType.status).toBe(400);
        expect(unknownType.body.message).toBe('Unable to infer object type from: unicorns');
        const noRoute = await rawRequest(sandbox, 'GET', '/crm/v3/nothing-here');
        expect(noRoute.status).toBe(404);
        expect(sandbox.handle.store.count('contacts')).toBe(0);
        const ok = await client.crm.contacts.basicApi.create({
            properties: { email: 'still@works.test' },
            associations: []
        });
        expect(ok.id).toBeDefined();
    });
});
