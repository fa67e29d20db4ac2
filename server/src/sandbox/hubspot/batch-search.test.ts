import { rawRequest, rejectionOf, startWithClient, type SandboxUnderTest } from './test-support';

type Operator = never;
const filter = (propertyName: string, operator: string, extra: Record<string, unknown> = {}) =>
    ({ propertyName, operator: operator as Operator, ...extra }) as never;

describe('HubSpot sandbox: batch and search through @hubspot/api-client', () => {
    let env: SandboxUnderTest;

    beforeEach(async () => {
        env = await startWithClient({ tier: 'unlimited' });
    });
    afterEach(async () => {
        await env.sandbox.close();
    });

    it('batch creates (201), reads, updates and upserts (200) and archives (204)', async () => {
        const { client } = env;
        const created = await client.crm.contacts.batchApi.create({
            inputs: [0, 1, 2].map((n) => ({
                properties: { email: `b${n}@x.test`, firstname: `B${n}` },
                associations: []
            }))
        });
        expect(created.status).toBe('COMPLETE');
        expect(created.results).toHaveLength(3);
        expect(created.startedAt).toBeInstanceOf(Date);
        const ids = created.results.map((r) => r.id);

        const read = await client.crm.contacts.batchApi.read({
            inputs: ids.map((id) => ({ id })),
            properties: ['firstname'],
            propertiesWithHistory: []
        });
        expect(read.results.map((r) => r.properties.firstname).sort()).toEqual(['B0', 'B1', 'B2']);
        expect('numErrors' in read && read.numErrors).toBeFalsy();
        const byEmail = await client.crm.contacts.batchApi.read({
            idProperty: 'email',
            inputs: [{ id: 'b1@x.test' }],
            properties: [],
            propertiesWithHistory: []
        });
        expect(byEmail.results[0].id).toBe(ids[1]);

        const updated = await client.crm.contacts.batchApi.update({
            inputs: [
                { id: ids[0], properties: { jobtitle: 'A' } },
                { id: 'b2@x.test', idProperty: 'email', properties: { jobtitle: 'C' } }
            ]
        });
        expect(updated.results.map((r) => r.properties.jobtitle).sort()).toEqual(['A', 'C']);

        const upserted = await client.crm.contacts.batchApi.upsert({
            inputs: [
                { id: 'b0@x.test', idProperty: 'email', properties: { firstname: 'Again' } },
                { id: 'new@x.test', idProperty: 'email', properties: { firstname: 'New' } }
            ]
        });
        const byNew = Object.fromEntries(upserted.results.map((r) => [r.properties.email, r._new]));
        expect(byNew).toEqual({ 'b0@x.test': false, 'new@x.test': true });

        await client.crm.contacts.batchApi.archive({ inputs: [{ id: ids[0] }, { id: '424242' }] });
        const after = await client.crm.contacts.batchApi.read({
            inputs: [{ id: ids[0] }, { id: ids[1] }],
            properties: [],
            propertiesWithHistory: []
        });
        expect(after.results.map((r) => r.id)).toEqual([ids[1]]);
    });

    it('answers 207 with per-item errors for missing ids, as the client expects', async () => {
        const { client } = env;
        const contact = await client.crm.contacts.basicApi.create({
            properties: { email: 'm@x.test' },
            associations: []
        });
        const read = await client.crm.contacts.batchApi.read({
            inputs: [{ id: contact.id }, { id: '555' }, { id: '556' }],
            properties: [],
            propertiesWithHistory: []
        });
        expect(read.results).toHaveLength(1);
        expect('numErrors' in read ? read.numErrors : 0).toBe(1);
        const errors = 'errors' in read ? read.errors! : [];
        expect(errors[0]).toMatchObject({
            status: 'error',
            category: 'OBJECT_NOT_FOUND',
            context: { ids: ['555', '556'] }
        });
        const updated = await client.crm.contacts.batchApi.update({
            inputs: [
                { id: contact.id, properties: { firstname: 'Z' } },
                { id: '777', properties: { firstname: 'Y' } }
            ]
        });
        expect(updated.results).toHaveLength(1);
        expect('errors' in updated ? updated.errors![0].context : undefined).toEqual({ ids: ['777'] });
    });

    it('fails whole batches on invalid values, existing emails, duplicates and more than 100 inputs', async () => {
        const { client, sandbox } = env;
        await client.crm.contacts.basicApi.create({ properties: { email: 'taken@x.test' }, associations: [] });
        const conflict = await rejectionOf(
            client.crm.contacts.batchApi.create({
                inputs: [
                    { properties: { email: 'fresh@x.test' }, associations: [] },
                    { properties: { email: 'taken@x.test' }, associations: [] }
                ]
            })
        );
        expect(conflict.code).toBe(409);
        expect(String(conflict.body.message)).toMatch(/^Contact already exists\. Existing ID: \d+$/);
        const invalid = await rejectionOf(
            client.crm.contacts.batchApi.create({
                inputs: [
                    { properties: { email: 'ok@x.test' }, associations: [] },
                    { properties: { nope: '1' }, associations: [] }
                ]
            })
        );
        expect(invalid.code).toBe(400);
        const tooMany = await rejectionOf(
            client.crm.companies.batchApi.create({
                inputs: Array.from({ length: 101 }, (_, n) => ({ properties: { name: `C${n}` }, associations: [] }))
            })
        );
        expect(tooMany.code).toBe(400);
        expect(tooMany.body.category).toBe('VALIDATION_ERROR');
        const duplicate = await rejectionOf(
            client.crm.contacts.batchApi.upsert({
                inputs: [
                    { id: 'q@x.test', idProperty: 'email', properties: {} },
                    { id: 'Q@x.test', idProperty: 'email', properties: {} }
                ]
            })
        );
        expect(duplicate.code).toBe(400);
        const sameEmail = await rejectionOf(
            client.crm.contacts.batchApi.create({
                inputs: [
                    { properties: { email: 'twice@x.test' }, associations: [] },
                    { properties: { email: 'TWICE@x.test' }, associations: [] }
                ]
            })
        );
        expect(sameEmail.code).toBe(400);
        expect(sameEmail.body.message).toBe('Duplicate values found in batch input for email: [twice@x.test]');
        const notUnique = await rejectionOf(
            client.crm.contacts.batchApi.upsert({ inputs: [{ id: 'x', idProperty: 'firstname', properties: {} }] })
        );
        expect(notUnique.code).toBe(400);
        expect(sandbox.handle.store.count('contacts')).toBe(1);
        expect(sandbox.handle.store.count('companies')).toBe(0);
    });

    it('injects partial batch failures as 207 with one error per failed input, named by its trace id', async () => {
        const { client, sandbox } = env;
        sandbox.handle.addFault({ path: '/batch/create$', kind: 'partial', failureRate: 0.5, times: 1 });
        const result = await client.crm.companies.batchApi.create({
            inputs: Array.from({ length: 10 }, (_, n) => ({
                properties: { name: `P${n}` },
                associations: [],
                objectWriteTraceId: `trace-${n}`
            }))
        });
        const errors = 'errors' in result ? result.errors! : [];
        expect(errors.length).toBeGreaterThan(0);
        expect(result.results.length + errors.length).toBe(10);
        const failedTraces = errors.map((e) => e.context.objectWriteTraceId[0]);
        const succeededTraces = result.results.map((r) => r.objectWriteTraceId);
        expect(new Set([...failedTraces, ...succeededTraces]).size).toBe(10);
        expect(errors[0]).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
        expect(sandbox.handle.store.count('companies')).toBe(result.results.length);
        const retried = await client.crm.companies.batchApi.create({
            inputs: [{ properties: { name: 'P-retry' }, associations: [] }]
        });
        expect(retried.results).toHaveLength(1);
    });

    it('searches with AND/OR groups, every operator, one sort and after paging', async () => {
        const { client, sandbox } = env;
        const company = await client.crm.companies.basicApi.create({
            properties: { name: 'Search Co' },
            associations: []
        });
        const people: Record<string, string>[] = [
            { email: 'alice@alpha.test', firstname: 'Alice', lifecyclestage: 'lead', jobtitle: 'Head of Sales' },
            { email: 'bob@beta.test', firstname: 'Bob', lifecyclestage: 'customer', jobtitle: 'Engineer' },
            { email: 'carol@alpha.test', firstname: 'Carol', lifecyclestage: 'opportunity' },
            { email: 'dave@gamma.test', firstname: 'Dave', lifecyclestage: 'lead', jobtitle: 'sales engineer' }
        ];
        const ids: string[] = [];
        for (const properties of people) {
            ids.push((await client.crm.contacts.basicApi.create({ properties, associations: [] })).id);
            sandbox.handle.advanceClock(1_000);
        }
        await client.crm.associations.v4.basicApi.createDefault('contacts', ids[1], 'companies', company.id);
        const search = async (filterGroups: unknown[], extra: Record<string, unknown> = {}) =>
            (
                await client.crm.contacts.searchApi.doSearch({
                    filterGroups,
                    properties: ['email'],
                    limit: 10,
                    after: '0',
                    sorts: [],
                    ...extra
                } as never)
            ).results.map((r) => r.properties.email);

        expect(await search([{ filters: [filter('lifecyclestage', 'EQ', { value: 'lead' })] }])).toEqual([
            'alice@alpha.test',
            'dave@gamma.test'
        ]);
        expect(await search([{ filters: [filter('firstname', 'EQ', { value: 'ALICE' })] }])).toEqual([
            'alice@alpha.test'
        ]);
        expect(await search([{ filters: [filter('lifecyclestage', 'NEQ', { value: 'lead' })] }])).toEqual([
            'bob@beta.test',
            'carol@alpha.test'
        ]);
        expect(
            await search([
                { filters: [filter('lifecyclestage', 'EQ', { value: 'lead' })] },
                { filters: [filter('email', 'CONTAINS_TOKEN', { value: '*@beta.test' })] }
            ])
        ).toEqual(['alice@alpha.test', 'bob@beta.test', 'dave@gamma.test']);
        expect(
            await search([{ filters: [filter('lifecyclestage', 'IN', { values: ['customer', 'opportunity'] })] }])
        ).toHaveLength(2);
        expect(
            await search([{ filters: [filter('lifecyclestage', 'NOT_IN', { values: ['customer', 'opportunity'] })] }])
        ).toHaveLength(2);
        expect(await search([{ filters: [filter('jobtitle', 'HAS_PROPERTY')] }])).toHaveLength(3);
        expect(await search([{ filters: [filter('jobtitle', 'NOT_HAS_PROPERTY')] }])).toEqual(['carol@alpha.test']);
        expect(await search([{ filters: [filter('jobtitle', 'CONTAINS_TOKEN', { value: 'sales' })] }])).toEqual([
            'alice@alpha.test',
            'dave@gamma.test'
        ]);
        expect(
            await search([
                {
                    filters: [
                        filter('hs_object_id', 'GT', { value: ids[1] }),
                        filter('hs_object_id', 'LTE', { value: ids[3] })
                    ]
                }
            ])
        ).toEqual(['carol@alpha.test', 'dave@gamma.test']);
        const created = await client.crm.contacts.basicApi.getById(ids[1], ['createdate']);
        const createdMs = Date.parse(created.properties.createdate!);
        expect(
            await search([
                {
                    filters: [
                        filter('createdate', 'BETWEEN', {
                            value: String(createdMs),
                            highValue: String(createdMs + 1_500)
                        })
                    ]
                }
            ])
        ).toEqual(['bob@beta.test', 'carol@alpha.test']);
        expect(
            await search([
                { filters: [filter('lastmodifieddate', 'LT', { value: new Date(createdMs).toISOString() })] }
            ])
        ).toEqual(['alice@alpha.test']);
        expect(await search([{ filters: [filter('associations.company', 'EQ', { value: company.id })] }])).toEqual([
            'bob@beta.test'
        ]);
        expect(await search([], { sorts: [{ propertyName: 'firstname', direction: 'DESCENDING' }] })).toEqual([
            'dave@gamma.test',
            'carol@alpha.test',
            'bob@beta.test',
            'alice@alpha.test'
        ]);
        expect(await search([], { sorts: ['-email'] })).toEqual([
            'dave@gamma.test',
            'carol@alpha.test',
            'bob@beta.test',
            'alice@alpha.test'
        ]);
        expect(await search([], { query: 'car' })).toEqual(['carol@alpha.test']);

        const page1 = await client.crm.contacts.searchApi.doSearch({
            filterGroups: [],
            properties: [],
            limit: 3,
            after: '0',
            sorts: []
        } as never);
        expect(page1.total).toBe(4);
        expect(page1.paging?.next?.after).toBe('3');
        const page2 = await client.crm.contacts.searchApi.doSearch({
            filterGroups: [],
            properties: [],
            limit: 3,
            after: page1.paging!.next!.after,
            sorts: []
        } as never);
        expect(page2.results).toHaveLength(1);
        expect(page2.paging).toBeUndefined();
        expect(Object.keys(page2.results[0].properties).sort()).toEqual([
            'createdate',
            'email',
            'firstname',
            'hs_object_id',
            'lastmodifieddate',
            'lastname'
        ]);
    });

    it('enforces the search limits: groups, filters, limit, the 10,000-result cap and the body size', async () => {
        const { client, sandbox } = env;
        const group = (n: number) => ({ filters: Array.from({ length: n }, () => filter('email', 'HAS_PROPERTY')) });
        const run = (body: Record<string, unknown>) =>
            rejectionOf(
                client.crm.contacts.searchApi.doSearch({
                    filterGroups: [],
                    properties: [],
                    limit: 10,
                    after: '0',
                    sorts: [],
                    ...body
                } as never)
            );
        for (const body of [
            { filterGroups: Array.from({ length: 6 }, () => group(1)) },
            { filterGroups: [group(7)] },
            { filterGroups: [group(6), group(6), group(6), group(1)] },
            { limit: 201 },
            { after: '10000' },
            { after: 'abc' },
            { filterGroups: [{ filters: [filter('email', 'EQ')] }] },
            { filterGroups: [{ filters: [filter('no_such_property', 'EQ', { value: 'x' })] }] },
            { filterGroups: [{ filters: [filter('email', 'SOUNDS_LIKE', { value: 'x' })] }] },
            { query: 'x'.repeat(3_100) }
        ]) {
            const error = await run(body);
            expect(error.code).toBe(400);
            expect(error.body.category).toBe('VALIDATION_ERROR');
        }
        const ok = await client.crm.contacts.searchApi.doSearch({
            filterGroups: [group(6), group(6), group(6)],
            properties: [],
            limit: 200,
            after: '9800',
            sorts: []
        } as never);
        expect(ok.total).toBe(0);
        const raw = await rawRequest(sandbox, 'POST', '/crm/v3/objects/contacts/search', {
            body: '[1,2',
            contentType: 'application/json'
        });
        expect(raw.status).toBe(400);
    });

    it('can make new records invisible to search for a while, as HubSpot’s indexing lag does', async () => {
        const lagging = await startWithClient({ tier: 'unlimited', searchIndexLagMs: 5_000 });
        try {
            const { client, sandbox } = lagging;
            await client.crm.contacts.basicApi.create({ properties: { email: 'lag@x.test' }, associations: [] });
            const request = {
                filterGroups: [{ filters: [filter('email', 'EQ', { value: 'lag@x.test' })] }],
                properties: [],
                limit: 10,
                after: '0',
                sorts: []
            } as never;
            expect((await client.crm.contacts.searchApi.doSearch(request)).total).toBe(0);
            const retry = await rejectionOf(
                client.crm.contacts.basicApi.create({ properties: { email: 'lag@x.test' }, associations: [] })
            );
            expect(retry.code).toBe(409);
            sandbox.handle.advanceClock(5_001);
            expect((await client.crm.contacts.searchApi.doSearch(request)).total).toBe(1);
        } finally {
            await lagging.sandbox.close();
        }
    });

    it('serves engagements through crm.objects with their associations', async () => {
        const { client } = env;
        const contact = await client.crm.contacts.basicApi.create({
            properties: { email: 'e@x.test' },
            associations: []
        });
        const note = await client.crm.objects.notes.basicApi.create({
            properties: { hs_timestamp: '2026-01-02T03:04:05.000Z', hs_note_body: 'Hello' },
            associations: [
                {
                    to: { id: contact.id },
                    types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 202 }]
                }
            ]
        });
        expect(Object.keys(note.properties)).toEqual(
            expect.arrayContaining(['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id', 'hs_note_body'])
        );
        const withNotes = await client.crm.contacts.basicApi.getById(contact.id, undefined, undefined, ['notes']);
        expect(withNotes.associations?.notes.results).toEqual([{ id: note.id, type: 'contact_to_note' }]);
        const tasks = await client.crm.objects.tasks.batchApi.create({
            inputs: [
                {
                    properties: {
                        hs_timestamp: '1767225600000',
                        hs_task_subject: 'Call back',
                        hs_task_status: 'NOT_STARTED'
                    },
                    associations: []
                }
            ]
        });
        expect(tasks.results[0].properties.hs_task_subject).toBe('Call back');
        const wrongType = await rejectionOf(
            client.crm.objects.notes.basicApi.create({
                properties: { hs_timestamp: '1767225600000' },
                associations: [
                    {
                        to: { id: contact.id },
                        types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 279 }]
                    }
                ]
            })
        );
        expect(wrongType.code).toBe(400);
    });
});
