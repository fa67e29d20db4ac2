import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@hubspot/api-client';
import { startHubSpotSandbox as startSandbox, type RunningHubSpotSandbox } from './sandbox';
import type { HubSpotSandboxOptionsInput } from './options';
import { rawRequest, rejectionOf } from './test-support';

describe('HubSpot sandbox: persistence, control surface and timeline sources', () => {
    let directory: string;
    const running: RunningHubSpotSandbox[] = [];
    const startHubSpotSandbox = async (options: HubSpotSandboxOptionsInput) => {
        const sandbox = await startSandbox(options);
        running.push(sandbox);
        return sandbox;
    };
    const startWithClient = async (options: HubSpotSandboxOptionsInput) => {
        const sandbox = await startHubSpotSandbox(options);
        return { sandbox, client: new Client(sandbox.connection) };
    };

    beforeAll(() => {
        directory = mkdtempSync(join(tmpdir(), 'hubspot-sandbox-'));
    });
    afterEach(async () => {
        // Closing twice is harmless; a failed test must not leave a server behind.
        await Promise.all(running.splice(0).map((sandbox) => sandbox.close().catch(() => undefined)));
    });
    afterAll(() => {
        rmSync(directory, { recursive: true, force: true });
    });

    it('keeps state in the data file across restarts (records, history, associations, catalogue, merges)', async () => {
        const dataFile = join(directory, 'state.db');
        const first = await startHubSpotSandbox({ dataFile, seed: { contacts: 20, companies: 4, dealsPerCompany: 1 } });
        const client = new Client(first.connection);
        const contact = await client.crm.contacts.basicApi.create({
            properties: { email: 'keep@x.test', firstname: 'Keep' },
            associations: []
        });
        await client.crm.contacts.basicApi.update(contact.id, { properties: { firstname: 'Kept' } });
        const other = await client.crm.contacts.basicApi.create({
            properties: { email: 'merged@x.test' },
            associations: []
        });
        await client.crm.contacts.basicApi.merge({ primaryObjectId: contact.id, objectIdToMerge: other.id });
        await client.crm.properties.coreApi.create('contacts', {
            name: 'kept_flag',
            label: 'Kept',
            type: 'string' as never,
            fieldType: 'text' as never,
            groupName: 'contactinformation'
        });
        const company = (await client.crm.companies.basicApi.getPage(1)).results[0];
        await client.crm.associations.v4.basicApi.createDefault('contacts', contact.id, 'companies', company.id);
        await first.close();

        // A restart with a seed option does not reseed a non-empty file.
        const second = await startHubSpotSandbox({ dataFile, seed: 'demo' });
        const again = new Client(second.connection);
        const read = await again.crm.contacts.basicApi.getById(
            other.id,
            ['firstname', 'hs_additional_emails'],
            ['firstname'],
            ['companies']
        );
        expect(read.id).toBe(contact.id);
        expect(read.properties).toMatchObject({ firstname: 'Kept', hs_additional_emails: 'merged@x.test' });
        expect(read.propertiesWithHistory!.firstname.map((h) => h.value)).toEqual(['Kept', 'Keep']);
        expect(read.associations?.companies.results[0].id).toBe(company.id);
        expect(second.handle.store.count('contacts')).toBe(22);
        const byOldEmail = await again.crm.contacts.basicApi.getById(
            'merged@x.test',
            undefined,
            undefined,
            undefined,
            undefined,
            'email'
        );
        expect(byOldEmail.id).toBe(contact.id);
        await expect(again.crm.properties.coreApi.getByName('contacts', 'kept_flag')).resolves.toBeDefined();
        const created = await again.crm.contacts.basicApi.create({
            properties: { email: 'next@x.test' },
            associations: []
        });
        expect(Number(created.id)).toBeGreaterThan(Number(other.id));
        const conflict = await rejectionOf(
            again.crm.contacts.basicApi.create({ properties: { email: 'keep@x.test' }, associations: [] })
        );
        expect(conflict.code).toBe(409);
        await second.close();
    });

    it('seeds deterministically, with lead emails, shared domains, deals, engagements and lifecycle history', async () => {
        const spec = {
            contacts: 30,
            companies: 10,
            sharedDomainEvery: 3,
            dealsPerCompany: 2,
            engagementsPerContact: 2,
            leadEmails: ['lead.one@sf.test', 'lead.two@sf.test'],
            lifecycleHistoryShare: 1
        };
        const a = await startHubSpotSandbox({ seed: spec });
        const b = await startHubSpotSandbox({ seed: spec });
        const exportA = a.handle.export().objects;
        const exportB = b.handle.export().objects;
        const strip = (records: { id: string; properties: Record<string, unknown> }[]) =>
            records.map((r) => ({ id: r.id, email: r.properties.email, name: r.properties.name }));
        expect(strip(exportA.contacts)).toEqual(strip(exportB.contacts));
        expect(strip(exportA.companies)).toEqual(strip(exportB.companies));
        const client = new Client(a.connection);
        const lead = await client.crm.contacts.basicApi.getById(
            'lead.two@sf.test',
            ['lifecyclestage'],
            ['lifecyclestage'],
            ['companies', 'notes', 'emails', 'calls', 'meetings', 'tasks'],
            undefined,
            'email'
        );
        expect(lead.propertiesWithHistory!.lifecyclestage.length).toBeGreaterThan(1);
        expect(lead.associations?.companies).toBeDefined();
        const domains = exportA.companies.map((c) => c.properties.domain);
        expect(new Set(domains).size).toBeLessThan(domains.length);
        expect(exportA.deals).toHaveLength(20);
        expect(
            a.handle.store.count('notes') +
                a.handle.store.count('emails') +
                a.handle.store.count('calls') +
                a.handle.store.count('meetings') +
                a.handle.store.count('tasks')
        ).toBe(60);
        await a.close();
        await b.close();
    });

    it('drives everything over /__sandbox: seed, user edits, faults, clock, counts, export, reset', async () => {
        const { sandbox, client } = await startWithClient({ tier: 'unlimited' });
        const control = (method: string, path: string, body?: unknown) =>
            rawRequest(sandbox, method, `/__sandbox${path}`, {
                token: null,
                body: body === undefined ? undefined : JSON.stringify(body),
                contentType: 'application/json'
            });
        expect((await control('POST', '/seed', { contacts: 5, companies: 1 })).body).toMatchObject({
            contacts: 5,
            companies: 1
        });
        const created = await control('POST', '/records/contacts', {
            properties: { email: 'ui@x.test', firstname: 'Ui' }
        });
        expect(created.status).toBe(201);
        const id = String(created.body.id);
        expect(
            (await control('PATCH', `/records/contacts/${id}`, { properties: { firstname: 'Edited' } })).status
        ).toBe(200);
        const history = await client.crm.contacts.basicApi.getById(id, ['firstname'], ['firstname']);
        expect(history.propertiesWithHistory!.firstname[0]).toMatchObject({ value: 'Edited', sourceType: 'CRM_UI' });
        expect(
            (await control('PATCH', `/records/contacts/${id}`, { properties: { firstname: 'x', nope: 'y' } })).status
        ).toBe(400);
        expect(
            (await control('POST', '/faults', { path: '^/crm/v3/owners', kind: 'status', status: 500, times: 1 }))
                .status
        ).toBe(201);
        expect((await rejectionOf(client.crm.owners.ownersApi.getPage())).code).toBe(500);
        expect((await control('POST', '/faults', { path: '(', kind: 'status' })).status).toBe(400);
        const before = Date.parse(String((await control('GET', '/clock')).body.now));
        const advanced = await control('POST', '/clock/advance', { ms: 3_600_000 });
        expect(Date.parse(String(advanced.body.now)) - before).toBeGreaterThanOrEqual(3_600_000);
        const counts = await control('GET', '/requests');
        expect(counts.body).toMatchObject({
            byEndpoint: { 'GET /crm/v3/objects/contacts/{id}': 1, 'GET /crm/v3/owners': 1 }
        });
        const exported = await control('GET', '/export');
        expect((exported.body.objects as Record<string, unknown[]>).contacts).toHaveLength(6);
        expect((await control('PUT', '/latency', { baseLatencyMs: 30 })).status).toBe(204);
        const slowStart = Date.now();
        await client.crm.owners.ownersApi.getPage();
        expect(Date.now() - slowStart).toBeGreaterThanOrEqual(25);
        await control('PUT', '/latency', { baseLatencyMs: 0 });
        expect((await control('POST', '/rate-limits', { tier: 'starter', consumeDaily: 10 })).body).toMatchObject({
            tier: 'starter',
            dailyLimit: 40_000
        });
        expect((await control('POST', '/reset')).status).toBe(204);
        expect((await control('GET', '/state')).body).toMatchObject({ counts: { contacts: 0, companies: 0 } });
        expect((await control('POST', '/seed', { contacts: -1 })).status).toBe(400);
        await sandbox.close();
    });

    it('serves page views, form submissions, email events, workflows, sequences and meeting links', async () => {
        const { sandbox, client } = await startWithClient({
            tier: 'unlimited',
            seed: {
                contacts: 10,
                pageViewsPerContact: 4,
                formSubmissionsPerContact: 2,
                emailEventsPerContact: 8,
                enrollmentEvery: 2
            }
        });
        const contact = (await client.crm.contacts.basicApi.getPage(1, undefined, ['email'])).results[0];
        const pageViews = await client.events.eventsApi.getPage(
            'contact',
            'e_visited_page',
            undefined,
            undefined,
            2,
            undefined,
            undefined,
            undefined,
            Number(contact.id)
        );
        expect(pageViews.results).toHaveLength(2);
        expect(pageViews.results[0]).toMatchObject({ eventType: 'e_visited_page', objectId: contact.id });
        expect(pageViews.results[0].occurredAt).toBeInstanceOf(Date);
        expect(pageViews.results[0].properties?.hs_url).toMatch(/^https:\/\//);
        const rest = await client.events.eventsApi.getPage(
            'contact',
            'e_visited_page',
            pageViews.paging!.next!.after,
            undefined,
            2,
            undefined,
            undefined,
            undefined,
            Number(contact.id)
        );
        expect(rest.results).toHaveLength(2);
        expect(rest.paging).toBeUndefined();
        const forms = await client.events.eventsApi.getPage(
            'contact',
            'e_submitted_form',
            undefined,
            undefined,
            10,
            undefined,
            undefined,
            undefined,
            Number(contact.id)
        );
        expect(forms.results).toHaveLength(2);
        const types = await client.events.eventsApi.getTypes();
        expect(types.eventTypes).toEqual(['e_visited_page', 'e_submitted_form']);

        const json = async (path: string, qs?: Record<string, string>) => {
            const response = await client.apiRequest({ method: 'GET', path, qs });
            return { status: response.status, body: (await response.json()) as Record<string, unknown> };
        };
        const emails = await json('/email/public/v1/events', {
            recipient: String(contact.properties.email),
            limit: '5'
        });
        expect(emails.body).toMatchObject({ hasMore: true, offset: '5' });
        expect((emails.body.events as { type: string }[]).map((e) => e.type).slice(0, 4)).toEqual([
            'SENT',
            'DELIVERED',
            'OPEN',
            'CLICK'
        ]);
        const workflows = await json(`/automation/v2/workflows/enrollments/contacts/${contact.id}`);
        expect(workflows.status).toBe(200);
        expect((workflows.body as unknown as { name: string }[])[0].name).toBeDefined();
        const enroll = await client.apiRequest({
            method: 'POST',
            path: `/automation/v2/workflows/3100002/enrollments/contacts/${encodeURIComponent(String(contact.properties.email))}`
        });
        expect(enroll.status).toBe(204);
        expect((await json(`/automation/v2/workflows/enrollments/contacts/${contact.id}`)).body).toHaveLength(2);
        const sequence = await json(`/automation/v4/sequences/enrollments/contact/${contact.id}`);
        expect(sequence.body).toMatchObject({
            sequenceId: expect.any(String),
            toEmail: contact.properties.email,
            currentStep: expect.any(Number)
        });
        const links = await json('/scheduler/v3/meetings/meeting-links');
        expect((links.body.results as { link: string }[])[0].link).toMatch(/^https:\/\/meetings\.hubspot\.com\//);
        const missing = await json('/automation/v4/sequences/enrollments/contact/424242');
        expect(missing.status).toBe(404);
        const badQuery = await json('/events/v3/events', { objectType: 'contact' });
        expect(badQuery.status).toBe(400);
        await sandbox.close();
    });
});
