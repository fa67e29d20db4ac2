import { createHmac } from 'node:crypto';
import {
    CLIENT_SECRET,
    type TestRelay,
    basic,
    readError,
    hubspotHeaders,
    startRelay,
    testConfig
} from './__tests__/support';

function event(overrides: Record<string, unknown> = {}) {
    return {
        eventId: 1001,
        subscriptionId: 42,
        portalId: 4410001,
        appId: 77,
        occurredAt: 1_763_630_000_000,
        subscriptionType: 'contact.propertyChange',
        attemptNumber: 0,
        objectId: 51,
        propertyName: 'lifecyclestage',
        propertyValue: 'salesqualifiedlead',
        changeSource: 'CRM_UI',
        sourceId: 'userId:123',
        ...overrides
    };
}

describe('POST /webhooks/hubspot', () => {
    let relay: TestRelay;
    let url: string;
    beforeEach(async () => {
        relay = await startRelay();
        url = `${relay.url}/webhooks/hubspot`;
    });
    afterEach(() => relay.server.close());

    const post = (body: string, headers: Record<string, string> = hubspotHeaders(url, body)) =>
        fetch(url, { method: 'POST', headers, body });

    it('stores a verified batch and answers with what it did', async () => {
        const body = JSON.stringify([
            event(),
            event({ eventId: 1002, subscriptionType: 'deal.creation', objectId: 9 }),
            event({ eventId: 1003, subscriptionType: 'contact.merge', mergedObjectIds: [51, 52], primaryObjectId: 51 })
        ]);
        const response = await post(body);
        expect(response.status).toBe(200);
        expect(await response.json()).toEqual({ received: 3, accepted: 3, duplicates: 0, ignored: 0, ownWrites: 0 });
        const stored = relay.sink.events.get('4410001:42:1001');
        expect(stored).toMatchObject({
            eventId: 1001,
            portalId: 4410001,
            subscriptionType: 'contact.propertyChange',
            objectId: 51,
            occurredAt: new Date(1_763_630_000_000).toISOString(),
            disposition: 'pending',
            payload: event()
        });
        expect(relay.sink.events.get('4410001:42:1003')?.payload).toMatchObject({ mergedObjectIds: [51, 52] });
    });

    it('de-duplicates redeliveries and repeats inside one batch', async () => {
        const first = JSON.stringify([event(), event({ eventId: 1002 })]);
        expect(await (await post(first)).json()).toEqual({
            received: 2,
            accepted: 2,
            duplicates: 0,
            ignored: 0,
            ownWrites: 0
        });
        const retry = JSON.stringify([
            event({ attemptNumber: 1 }),
            event({ eventId: 1002, attemptNumber: 1 }),
            event({ eventId: 1004 }),
            event({ eventId: 1004 })
        ]);
        expect(await (await post(retry)).json()).toEqual({
            received: 4,
            accepted: 1,
            duplicates: 3,
            ignored: 0,
            ownWrites: 0
        });
        expect([...relay.sink.events.keys()].sort()).toEqual(['4410001:42:1001', '4410001:42:1002', '4410001:42:1004']);
        // The same eventId under another subscription is another notification.
        expect(await (await post(JSON.stringify([event({ subscriptionId: 43 })]))).json()).toMatchObject({
            accepted: 1
        });

        const metrics = await (await fetch(`${relay.url}/metrics`, { headers: basic() })).text();
        expect(metrics).toContain('relay_webhook_events_total{outcome="accepted"} 4');
        expect(metrics).toContain('relay_webhook_events_total{outcome="duplicate"} 3');
    });

    it('accepts subscription types the sync does not handle and stores them as ignored', async () => {
        const body = JSON.stringify([
            event({ subscriptionType: 'ticket.creation' }),
            event({ eventId: 2, subscriptionType: 'conversation.newMessage' })
        ]);
        expect(await (await post(body)).json()).toEqual({
            received: 2,
            accepted: 2,
            duplicates: 0,
            ignored: 2,
            ownWrites: 0
        });
        expect([...relay.sink.events.values()].map((stored) => stored.disposition)).toEqual(['ignored', 'ignored']);
    });

    it('verifies the signature over the exact URL HubSpot called, with its documented decoding', async () => {
        const target = `${url}?portal=a%3Ab%2Fc&x=%20`;
        const body = JSON.stringify([event()]);
        const timestamp = String(Date.now());
        // Computed independently of the relay's helper: HubSpot decodes %3A and %2F but not %20.
        const signed = `POST${relay.url}/webhooks/hubspot?portal=a:b/c&x=%20${body}${timestamp}`;
        const signature = createHmac('sha256', CLIENT_SECRET).update(signed).digest('base64');
        const response = await fetch(target, {
            method: 'POST',
            headers: {
                'content-type': 'application/json',
                'x-hubspot-request-timestamp': timestamp,
                'x-hubspot-signature-v3': signature
            },
            body
        });
        expect(response.status).toBe(200);
    });

    describe('refuses without writing anything', () => {
        /** Posts, then checks the refusal reached no storage at all. */
        const refused = async (text: string, headers?: Record<string, string>) => {
            const reply = await readError(await post(text, headers));
            expect(relay.sink.appendCalls).toBe(0);
            return reply;
        };

        const body = JSON.stringify([event()]);
        it.each([
            [
                'a missing signature',
                (h: Record<string, string>) => ({ ...h, 'x-hubspot-signature-v3': '' }),
                /signature-v3 header is missing/i
            ],
            [
                'a missing timestamp',
                (h: Record<string, string>) => ({ ...h, 'x-hubspot-request-timestamp': '' }),
                /timestamp header is missing/i
            ],
            [
                'a non-numeric timestamp',
                (h: Record<string, string>) => ({ ...h, 'x-hubspot-request-timestamp': '12:00' }),
                /milliseconds/
            ],
            [
                'a wrong signature',
                (h: Record<string, string>) => ({
                    ...h,
                    'x-hubspot-signature-v3': 'AAAA' + h['x-hubspot-signature-v3']!.slice(4)
                }),
                /does not match/
            ],
            ['a signature of another request', () => hubspotHeaders('', '', {}), /does not match/]
        ])('%s → 401', async (_case, mutate, message) => {
            const headers = mutate(hubspotHeaders(url, body));
            const envelope = await refused(body, headers as Record<string, string>);
            expect(envelope).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
            expect(envelope.message).toMatch(message);
        });

        it('a body changed after signing → 401', async () => {
            const headers = hubspotHeaders(url, body);
            expect(await refused(body.replace('51', '52'), headers)).toMatchObject({
                status: 401,
                code: 'UNAUTHORIZED'
            });
        });

        it.each([
            ['stale', -6 * 60 * 1000],
            ['future', 6 * 60 * 1000]
        ])('a %s timestamp (correctly signed) → 401', async (_case, offset) => {
            const headers = hubspotHeaders(url, body, { timestamp: Date.now() + offset });
            const envelope = await refused(body, headers);
            expect(envelope).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
            expect(envelope.message).toMatch(/5 minutes/);
        });

        it('a signed body that is not JSON → 415 / 400', async () => {
            const text = 'eventId=1';
            expect(await refused(text, { ...hubspotHeaders(url, text), 'content-type': 'text/plain' })).toMatchObject({
                status: 415,
                code: 'UNSUPPORTED_MEDIA_TYPE'
            });
            const broken = '[{"eventId": 1,';
            expect(await refused(broken)).toMatchObject({ status: 400, code: 'VALIDATION_ERROR' });
        });

        it('an oversized body → 413', async () => {
            const huge = JSON.stringify([event({ propertyValue: 'x'.repeat(1_100_000) })]);
            expect(await refused(huge)).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
            const metrics = await (await fetch(`${relay.url}/metrics`, { headers: basic() })).text();
            expect(metrics).toContain('relay_webhook_rejections_total{reason="body"} 1');
        });

        it.each([
            ['an object instead of an array', { events: [event()] }],
            ['an empty array', []],
            ['an event without eventId', [{ ...event(), eventId: undefined }]],
            ['an id with SQL in it', [event({ eventId: '1; DROP TABLE webhook_events;--' })]],
            ['a path in objectId', [event({ objectId: '../../etc/passwd' })]],
            ['a fractional id', [event({ objectId: 51.5 })]],
            ['a negative id', [event({ portalId: -1 })]],
            ['an id beyond safe integers', [event({ eventId: 2 ** 60 })]],
            ['an injected subscription type', [event({ subscriptionType: "contact.creation'; --" })]],
            ['a time outside the calendar', [event({ occurredAt: 9_000_000_000_000_000 })]],
            ['one bad event among good ones', [event(), event({ eventId: 2, attemptNumber: 'first' })]]
        ])('%s → 400 listing the problem', async (_case, payload) => {
            const text = JSON.stringify(payload);
            const envelope = await refused(text);
            expect(envelope).toMatchObject({ status: 400, code: 'VALIDATION_ERROR' });
            expect(envelope.message).toMatch(/nothing was stored/);
            expect(Array.isArray(envelope.details)).toBe(true);
        });
    });
});

describe('webhook URL behind a proxy', () => {
    const body = JSON.stringify([event()]);
    const publicUrl = 'https://relay.example.com/webhooks/hubspot';
    const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'relay.example.com' };

    it('uses X-Forwarded-Proto/-Host only when TRUST_PROXY is configured', async () => {
        const trusting = await startRelay({ config: testConfig({ TRUST_PROXY: 'loopback' }) });
        const direct = await startRelay();
        try {
            for (const relay of [trusting, direct]) {
                const response = await fetch(`${relay.url}/webhooks/hubspot`, {
                    method: 'POST',
                    headers: { ...hubspotHeaders(publicUrl, body), ...forwarded },
                    body
                });
                expect({ trusted: relay === trusting, status: response.status }).toEqual({
                    trusted: relay === trusting,
                    status: relay === trusting ? 200 : 401
                });
            }
        } finally {
            await Promise.all([trusting.server.close(), direct.server.close()]);
        }
    });
});
