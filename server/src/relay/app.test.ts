import { Router } from 'express';
import {
    LogCapture,
    OPERATOR,
    type TestRelay,
    basic,
    bearer,
    readError,
    startRelay,
    testConfig
} from './__tests__/support';
import { createRelayLogger } from './logger';

const resyncPath = '/api/v1/records/Contact/003000000000001AAA/resync';

describe('relay HTTP foundation', () => {
    let relay: TestRelay;
    beforeAll(async () => {
        const failing = Router().get('/boom', () => {
            throw new Error('database password=hunter2 at /srv/secret/path.ts:12');
        });
        relay = await startRelay({ operatorRouter: failing });
    });
    afterAll(() => relay.server.close());

    it('answers unknown routes with the NOT_FOUND envelope', async () => {
        expect(await readError(await fetch(`${relay.url}/nope`))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
        expect(await readError(await fetch(`${relay.url}/api/v1/nope`, { headers: bearer() }))).toMatchObject({
            status: 404,
            code: 'NOT_FOUND'
        });
    });

    it('sends helmet security headers and no framework banner', async () => {
        const response = await fetch(`${relay.url}/healthz`);
        expect(response.status).toBe(200);
        expect(response.headers.get('x-content-type-options')).toBe('nosniff');
        expect(response.headers.get('strict-transport-security')).toContain('max-age=');
        expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
        expect(response.headers.get('x-powered-by')).toBeNull();
    });

    it('gives every request an id, keeping a safe caller id and replacing an unsafe one', async () => {
        const generated = (await fetch(`${relay.url}/healthz`)).headers.get('x-request-id');
        expect(generated).toMatch(/^[0-9a-f-]{36}$/);
        const kept = await fetch(`${relay.url}/healthz`, { headers: { 'x-request-id': 'sf-callout-12345' } });
        expect(kept.headers.get('x-request-id')).toBe('sf-callout-12345');
        const unsafe = await fetch(`${relay.url}/healthz`, { headers: { 'x-request-id': 'a b"c<script>' } });
        expect(unsafe.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('refuses malformed JSON with VALIDATION_ERROR and writes nothing', async () => {
        const response = await fetch(relay.url + resyncPath, {
            method: 'POST',
            headers: { ...bearer(), 'content-type': 'application/json' },
            body: '{"reason": '
        });
        expect(await readError(response)).toMatchObject({ status: 400, code: 'VALIDATION_ERROR' });
        expect(relay.queue.requests).toHaveLength(0);
    });

    it('refuses a body that is not JSON with 415', async () => {
        const response = await fetch(relay.url + resyncPath, {
            method: 'POST',
            headers: { ...bearer(), 'content-type': 'text/plain' },
            body: 'resync please'
        });
        expect(await readError(response)).toMatchObject({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
        expect(relay.queue.requests).toHaveLength(0);
    });

    it('refuses an oversized body with 413', async () => {
        const response = await fetch(relay.url + resyncPath, {
            method: 'POST',
            headers: { ...bearer(), 'content-type': 'application/json' },
            body: JSON.stringify({ padding: 'x'.repeat(300 * 1024) })
        });
        expect(await readError(response)).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
        expect(relay.queue.requests).toHaveLength(0);
    });

    it('refuses unexpected body fields on a route that takes none', async () => {
        const response = await fetch(relay.url + resyncPath, {
            method: 'POST',
            headers: { ...bearer(), 'content-type': 'application/json' },
            body: JSON.stringify({ sfId: 'other' })
        });
        const envelope = await readError(response);
        expect(envelope).toMatchObject({ status: 400, code: 'VALIDATION_ERROR' });
        expect(envelope.details).toEqual([expect.objectContaining({ location: 'body' })]);
        expect(relay.queue.requests).toHaveLength(0);
    });

    it('answers unexpected failures with INTERNAL_ERROR and no internals', async () => {
        const response = await fetch(`${relay.url}/ops/boom`, { headers: basic() });
        const envelope = await readError(response);
        expect(envelope).toMatchObject({ status: 500, code: 'INTERNAL_ERROR' });
        expect(envelope.message).toBe(
            `The relay hit an unexpected error (request id ${response.headers.get('x-request-id')}).`
        );
        expect(JSON.stringify(envelope)).not.toMatch(/hunter2|secret|\.ts|at /);
    });

    it('keeps CORS closed by default', async () => {
        const simple = await fetch(`${relay.url}/healthz`, { headers: { origin: 'https://evil.example.com' } });
        expect(simple.headers.get('access-control-allow-origin')).toBeNull();
        const preflight = await fetch(`${relay.url}/api/v1/timeline/contact/51`, {
            method: 'OPTIONS',
            headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'GET' }
        });
        expect(await readError(preflight)).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    });
});

describe('relay CORS allow-list', () => {
    it('allows exactly the configured origins', async () => {
        const relay = await startRelay({ config: testConfig({ CORS_ORIGINS: 'https://crm.example.com' }) });
        try {
            const preflight = await fetch(`${relay.url}/api/v1/timeline/contact/51`, {
                method: 'OPTIONS',
                headers: { origin: 'https://crm.example.com', 'access-control-request-method': 'GET' }
            });
            expect(preflight.status).toBe(204);
            expect(preflight.headers.get('access-control-allow-origin')).toBe('https://crm.example.com');
            expect(preflight.headers.get('access-control-allow-headers')).toContain('Authorization');
            const other = await fetch(`${relay.url}/healthz`, {
                headers: { origin: 'https://crm.example.com.evil.io' }
            });
            expect(other.headers.get('access-control-allow-origin')).toBeNull();
        } finally {
            await relay.server.close();
        }
    });
});

describe('relay rate limiting', () => {
    it('answers 429 with Retry-After once a client exceeds its burst, and recovers as tokens refill', async () => {
        let now = 1_700_000_000_000;
        // 60/min with a burst of 10: the 11th immediate request is refused; one second refills one token.
        const relay = await startRelay({ config: testConfig({ RATE_LIMIT_PER_MINUTE: '60' }), now: () => now });
        try {
            const statuses: number[] = [];
            for (let i = 0; i < 10; i++) {
                statuses.push((await fetch(`${relay.url}/api/v1/nope`, { headers: bearer() })).status);
            }
            expect(statuses).toEqual(Array(10).fill(404));
            const limited = await fetch(`${relay.url}/api/v1/nope`, { headers: bearer() });
            expect(limited.headers.get('retry-after')).toBe('1');
            expect(await readError(limited)).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
            // Failed logins spend tokens too, so the limit also slows down token guessing.
            expect(await readError(await fetch(`${relay.url}/api/v1/nope`))).toMatchObject({
                status: 429,
                code: 'RATE_LIMITED'
            });
            now += 1000;
            expect((await fetch(`${relay.url}/api/v1/nope`, { headers: bearer() })).status).toBe(404);
            // Other areas have their own buckets.
            expect((await fetch(`${relay.url}/ops/config`, { headers: basic() })).status).toBe(200);
        } finally {
            await relay.server.close();
        }
    });
});

describe('relay request logs', () => {
    it('log every request without tokens, passwords, cookies or secret query values', async () => {
        const capture = new LogCapture();
        const relay = await startRelay({ logger: createRelayLogger('info', capture) });
        const config = testConfig();
        try {
            await fetch(`${relay.url}/api/v1/timeline/contact/51?cursor=abc&token=leaked-query-token`, {
                headers: { ...bearer(), cookie: 'session=cookie-secret-value' }
            });
            await fetch(`${relay.url}/ops/config`, { headers: basic() });
            await fetch(`${relay.url}/api/v1/timeline/contact/51`, { headers: bearer('wrong-token-guess-xyz') });
        } finally {
            await relay.server.close();
        }
        const logs = capture.lines.join('\n');
        expect(capture.lines.length).toBeGreaterThanOrEqual(3);
        expect(logs).toContain('request completed');
        expect(logs).toContain('[redacted]');
        expect(logs).toContain('/api/v1/timeline/contact/51?cursor&token');
        for (const secret of [
            config.relayApiToken,
            'wrong-token-guess-xyz',
            OPERATOR.password,
            Buffer.from(`${OPERATOR.user}:${OPERATOR.password}`).toString('base64'),
            'cookie-secret-value',
            'leaked-query-token'
        ]) {
            expect(logs).not.toContain(secret);
        }
    });
});
