import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebhookEvent } from './webhooks';
import { startWithClient, type SandboxUnderTest } from './test-support';

interface Received {
    headers: IncomingMessage['headers'];
    body: string;
    events: WebhookEvent[];
}

/** A webhook receiver that answers `failures` times with 500 before accepting. */
async function startReceiver(failures: number): Promise<{ url: string; received: Received[]; server: Server }> {
    const received: Received[] = [];
    let remainingFailures = failures;
    const server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
            const body = Buffer.concat(chunks).toString('utf8');
            received.push({ headers: req.headers, body, events: JSON.parse(body) as WebhookEvent[] });
            res.statusCode = remainingFailures-- > 0 ? 500 : 204;
            res.end();
        });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hubspot/webhooks`, received, server };
}

const SECRET = 'client-secret-for-tests';

describe('HubSpot sandbox: webhooks', () => {
    let env: SandboxUnderTest;
    let receiver: Awaited<ReturnType<typeof startReceiver>>;

    async function start(failures: number, extra: Record<string, unknown> = {}) {
        receiver = await startReceiver(failures);
        env = await startWithClient({
            tier: 'unlimited',
            webhooks: { targetUrl: receiver.url, clientSecret: SECRET, batchWindowMs: 20, retryBaseMs: 20, ...extra }
        });
    }

    afterEach(async () => {
        await env.sandbox.close();
        receiver.server.closeAllConnections();
        await new Promise((resolve) => receiver.server.close(resolve));
    });

    it('delivers signed batches of creation, propertyChange, associationChange, merge and deletion events', async () => {
        await start(0);
        const { client, sandbox } = env;
        const company = await client.crm.companies.basicApi.create({
            properties: { name: 'Hooked' },
            associations: []
        });
        const a = await client.crm.contacts.basicApi.create({ properties: { email: 'w1@x.test' }, associations: [] });
        const b = await client.crm.contacts.basicApi.create({ properties: { email: 'w2@x.test' }, associations: [] });
        await client.crm.contacts.basicApi.update(a.id, { properties: { firstname: 'Wanda' } });
        await client.crm.associations.v4.basicApi.createDefault('contacts', a.id, 'companies', company.id);
        await client.crm.contacts.basicApi.merge({ primaryObjectId: a.id, objectIdToMerge: b.id });
        sandbox.handle.archiveAsUser('companies', company.id);
        expect(await sandbox.handle.webhooks!.waitUntilIdle()).toBe(true);

        for (const request of receiver.received) {
            const timestamp = String(request.headers['x-hubspot-request-timestamp']);
            const expected = createHmac('sha256', SECRET)
                .update(`POST${receiver.url}${request.body}${timestamp}`)
                .digest('base64');
            expect(request.headers['x-hubspot-signature-v3']).toBe(expected);
            expect(request.events.length).toBeLessThanOrEqual(100);
        }
        const events = receiver.received.flatMap((r) => r.events);
        const types = new Set(events.map((e) => e.subscriptionType));
        expect([...types].sort()).toEqual([
            'company.associationChange',
            'company.creation',
            'company.deletion',
            'company.propertyChange',
            'contact.associationChange',
            'contact.creation',
            'contact.merge',
            'contact.propertyChange'
        ]);
        const firstname = events.find(
            (e) => e.subscriptionType === 'contact.propertyChange' && e.propertyName === 'firstname'
        );
        expect(firstname).toMatchObject({
            objectId: Number(a.id),
            propertyValue: 'Wanda',
            portalId: 62515,
            appId: 1234567,
            attemptNumber: 0,
            changeSource: 'INTEGRATION',
            subscriptionId: expect.any(Number),
            eventId: expect.any(Number),
            occurredAt: expect.any(Number)
        });
        const merge = events.find((e) => e.subscriptionType === 'contact.merge');
        expect(merge).toMatchObject({ primaryObjectId: Number(a.id), mergedObjectIds: [Number(b.id)] });
        const association = events.find((e) => e.subscriptionType === 'contact.associationChange');
        expect(association).toMatchObject({
            associationType: 'CONTACT_TO_COMPANY',
            fromObjectId: Number(a.id),
            toObjectId: Number(company.id),
            associationRemoved: false
        });
        expect(events.find((e) => e.subscriptionType === 'company.deletion')).toMatchObject({
            objectId: Number(company.id),
            changeSource: 'CRM_UI'
        });
        expect(new Set(events.map((e) => e.eventId)).size).toBe(events.length);
    });

    it('retries a failing receiver with back-off and increasing attemptNumber', async () => {
        await start(2);
        const { client, sandbox } = env;
        await client.crm.contacts.basicApi.create({ properties: { email: 'retry@x.test' }, associations: [] });
        expect(await sandbox.handle.webhooks!.waitUntilIdle()).toBe(true);
        expect(receiver.received).toHaveLength(3);
        expect(receiver.received.map((r) => r.events[0].attemptNumber)).toEqual([0, 1, 2]);
        expect(receiver.received[2].events.map((e) => e.eventId)).toEqual(
            receiver.received[0].events.map((e) => e.eventId)
        );
        expect(sandbox.handle.webhooks!.deliveries.map((d) => d.status)).toEqual([500, 500, 204]);
    });

    it('gives up after maxAttempts and can shuffle and duplicate deliveries', async () => {
        await start(100, { maxAttempts: 3, shuffle: true, duplicateRate: 1 });
        const { client, sandbox } = env;
        await client.crm.contacts.basicApi.create({
            properties: { email: 'gone@x.test', firstname: 'G', lastname: 'H' },
            associations: []
        });
        expect(await sandbox.handle.webhooks!.waitUntilIdle()).toBe(true);
        expect(receiver.received).toHaveLength(3);
        expect(sandbox.handle.webhooks!.dropped.length).toBe(receiver.received[0].events.length);
    });

    it('delivers duplicates when the receiver accepts (at-least-once)', async () => {
        await start(0, { duplicateRate: 1, maxAttempts: 1 });
        const { sandbox } = env;
        sandbox.handle.webhooks!.handle({
            kind: 'creation',
            type: 'deals',
            id: 1,
            at: 0,
            source: { sourceType: 'CRM_UI' }
        });
        await new Promise((resolve) => setTimeout(resolve, 120));
        sandbox.handle.webhooks!.close();
        const ids = receiver.received.flatMap((r) => r.events.map((e) => e.eventId));
        expect(ids.length).toBeGreaterThanOrEqual(2);
        expect(new Set(ids).size).toBe(1);
    });
});
