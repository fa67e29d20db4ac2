import { TimelineResponse } from '../contract/timeline';
import { encodeCursor } from '../timeline/cursor';
import { TimelineSourceError } from '../timeline/source';
import type { ValidationIssue } from './http-error';
import { createRelayLogger } from './logger';
import { RelayMetrics } from './metrics';
import { timelineSourceErrorReporter } from './routes/timeline';
import {
    type TestRelay,
    basic,
    bearer,
    exampleEvents,
    exampleSources,
    exampleTimelineService,
    readError,
    startRelay
} from './__tests__/support';

describe('GET /api/v1/timeline/:objectType/:hubspotId', () => {
    let relay: TestRelay;
    beforeAll(async () => {
        relay = await startRelay();
    });
    afterAll(() => relay.server.close());

    const get = (path: string, headers: Record<string, string> = {}) =>
        fetch(`${relay.url}/api/v1/timeline/${path}`, { headers: { ...bearer(), ...headers } });

    it('answers a contract-valid timeline with an ETag', async () => {
        const response = await get('contact/51');
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toMatch(/^application\/json/);
        expect(response.headers.get('cache-control')).toBe('private, no-cache');
        expect(response.headers.get('etag')).toMatch(/^W\/"[A-Za-z0-9_-]{27}"$/);
        const body = (await response.json()) as TimelineResponse;
        expect(TimelineResponse.safeParse(body).error).toBeUndefined();
        expect(body.events).toHaveLength(exampleEvents.length < 25 ? exampleEvents.length : 25);
    });

    it('answers 304 to a matching If-None-Match and 200 otherwise', async () => {
        const etag = (await get('contact/51')).headers.get('etag')!;
        const notModified = await get('contact/51', { 'if-none-match': etag });
        expect(notModified.status).toBe(304);
        expect(await notModified.text()).toBe('');
        expect((await get('contact/51', { 'if-none-match': `W/"other", ${etag}` })).status).toBe(304);
        expect((await get('contact/51', { 'if-none-match': 'W/"stale"' })).status).toBe(200);
        expect((await get('contact/51?pageSize=3', { 'if-none-match': etag })).status).toBe(200);
    });

    it('pages with the cursor and filters by type', async () => {
        const first = (await (await get('contact/51?pageSize=4')).json()) as TimelineResponse;
        expect(first.events).toHaveLength(4);
        const second = (await (
            await get(`contact/51?pageSize=4&cursor=${first.nextCursor}`)
        ).json()) as TimelineResponse;
        expect(TimelineResponse.safeParse(second).success).toBe(true);
        expect(second.events[0].eventId).not.toBe(first.events[3].eventId);
        expect(Date.parse(second.events[0].occurredAt)).toBeLessThanOrEqual(Date.parse(first.events[3].occurredAt));
        const calls = (await (await get('contact/51?types=CALL,MEETING')).json()) as TimelineResponse;
        expect(calls.events.map((event) => event.eventType)).toEqual(['MEETING', 'CALL']);
    });

    it.each([
        ['an unknown object type', 'lead/51', 'params.objectType'],
        ['a non-numeric HubSpot id', 'contact/51abc', 'params.hubspotId'],
        ['SQL in the id', "contact/51'%20OR%20'1'='1", 'params.hubspotId'],
        ['an unknown event type', 'contact/51?types=CALL,DROP_TABLE', 'query.types'],
        ['a page size of 0', 'contact/51?pageSize=0', 'query.pageSize'],
        ['a page size above 100', 'contact/51?pageSize=101', 'query.pageSize'],
        ['a repeated parameter', 'contact/51?pageSize=5&pageSize=6', 'query.pageSize'],
        ['an unknown parameter', 'contact/51?limit=5', 'query'],
        ['a tampered cursor', 'contact/51?cursor=eyJvY2N1cnJlZEF0Ijoi', 'query.cursor'],
        [
            'a cursor of another shape',
            `contact/51?cursor=${Buffer.from('{"before":"x"}').toString('base64url')}`,
            'query.cursor'
        ],
        ['an overlong cursor', `contact/51?cursor=${'a'.repeat(600)}`, 'query.cursor']
    ])('refuses %s with VALIDATION_ERROR', async (_case, path, field) => {
        const envelope = await readError(await get(path));
        expect(envelope).toMatchObject({ status: 400, code: 'VALIDATION_ERROR' });
        const fields = (envelope.details as ValidationIssue[]).map((issue) =>
            issue.path ? `${issue.location}.${issue.path}` : issue.location
        );
        expect(fields).toContain(field);
    });

    it('accepts a cursor it issued even after newer events arrived', async () => {
        const cursor = encodeCursor({ occurredAt: '2026-11-05T11:30:00.000Z', eventId: 'CALL:4102' });
        const page = (await (await get(`contact/51?cursor=${cursor}&pageSize=1`)).json()) as TimelineResponse;
        expect(page.events[0].eventId).toBe('SALES_EMAIL:4103');
    });

    it('answers 404 for a record HubSpot does not have', async () => {
        const envelope = await readError(await get('contact/404'));
        expect(envelope).toMatchObject({ status: 404, code: 'NOT_FOUND' });
        expect(envelope.message).toBe('HubSpot has no contact with ID 404.');
    });
});

describe('timeline route when HubSpot misbehaves', () => {
    it('answers a partial timeline when a section fails, and counts the failure', async () => {
        const relay = await startRelay({
            timeline: exampleTimelineService({
                sources: {
                    ...exampleSources(),
                    website: {
                        section: 'website',
                        fetch: () => Promise.reject(new TimelineSourceError('RATE_LIMITED', 'HubSpot is busy.'))
                    }
                }
            })
        });
        try {
            const response = await fetch(`${relay.url}/api/v1/timeline/contact/51`, { headers: bearer() });
            expect(response.status).toBe(200);
            const body = (await response.json()) as TimelineResponse;
            expect(TimelineResponse.safeParse(body).success).toBe(true);
            expect(body.sections.website).toEqual({
                status: 'error',
                errorCode: 'RATE_LIMITED',
                errorMessage: 'HubSpot is busy.'
            });
        } finally {
            await relay.server.close();
        }
    });

    it('answers 503 HUBSPOT_UNAVAILABLE when the record cannot be read', async () => {
        const relay = await startRelay({
            timeline: exampleTimelineService({ record: { fetch: () => Promise.reject(new Error('ECONNRESET')) } })
        });
        try {
            const response = await fetch(`${relay.url}/api/v1/timeline/deal/7`, { headers: bearer() });
            const envelope = await readError(response);
            expect(envelope).toMatchObject({ status: 503, code: 'HUBSPOT_UNAVAILABLE' });
            expect(envelope.message).not.toContain('ECONNRESET');
        } finally {
            await relay.server.close();
        }
    });
});

describe('timeline source error metric', () => {
    it('counts failed sections by section and code', async () => {
        const metrics = new RelayMetrics();
        const service = exampleTimelineService({
            sources: {
                ...exampleSources(),
                workflows: { section: 'workflows', fetch: () => Promise.reject(new Error('x')) }
            },
            onSourceError: timelineSourceErrorReporter(metrics, createRelayLogger('silent'))
        });
        const relay = await startRelay({ timeline: service, metrics });
        try {
            await fetch(`${relay.url}/api/v1/timeline/contact/51`, { headers: bearer() });
            const metrics = await (await fetch(`${relay.url}/metrics`, { headers: basic() })).text();
            expect(metrics).toContain('relay_timeline_source_errors_total{section="workflows",code="HUBSPOT_ERROR"} 1');
        } finally {
            await relay.server.close();
        }
    });
});
