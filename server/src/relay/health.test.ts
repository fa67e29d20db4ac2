import { basic, readError, startRelay } from './__tests__/support';
import type { ReadinessCheck } from './readiness';

const ok = (name: string): ReadinessCheck => ({ name, check: async () => undefined });

describe('probes and metrics', () => {
    it('/healthz answers while the process serves HTTP', async () => {
        const relay = await startRelay({
            readinessChecks: [{ name: 'stateDb', check: () => Promise.reject(new Error('locked')) }]
        });
        try {
            const response = await fetch(`${relay.url}/healthz`);
            expect(response.status).toBe(200);
            expect(await response.json()).toEqual({ status: 'ok' });
            expect(await readError(await fetch(`${relay.url}/healthz?verbose=1`))).toMatchObject({
                status: 400,
                code: 'VALIDATION_ERROR'
            });
        } finally {
            await relay.server.close();
        }
    });

    it('/readyz is 200 when every dependency answers and 503 naming the ones that did not', async () => {
        const healthy = await startRelay({ readinessChecks: [ok('stateDb'), ok('salesforce'), ok('hubspot')] });
        const sick = await startRelay({
            readinessChecks: [
                ok('stateDb'),
                { name: 'salesforce', check: () => Promise.reject(new Error('INVALID_SESSION_ID: Session expired')) },
                { name: 'hubspot', check: () => new Promise(() => undefined) }
            ],
            readinessTimeoutMs: 100
        });
        try {
            const good = await fetch(`${healthy.url}/readyz`);
            expect(good.status).toBe(200);
            expect(await good.json()).toMatchObject({
                status: 'ready',
                checks: { stateDb: { status: 'ok' }, salesforce: { status: 'ok' }, hubspot: { status: 'ok' } }
            });
            const bad = await fetch(`${sick.url}/readyz`);
            expect(bad.status).toBe(503);
            expect(await bad.json()).toMatchObject({
                status: 'unready',
                checks: {
                    stateDb: { status: 'ok' },
                    salesforce: { status: 'error', message: 'INVALID_SESSION_ID: Session expired' },
                    hubspot: { status: 'error', message: 'did not answer within 100 ms' }
                }
            });
        } finally {
            await Promise.all([healthy.server.close(), sick.server.close()]);
        }
    });

    it('/metrics exposes Prometheus text with per-route request counts and the sync gauges', async () => {
        const relay = await startRelay();
        try {
            await fetch(`${relay.url}/healthz`);
            await fetch(`${relay.url}/nowhere/123`);
            relay.metrics.syncQueueDepth.set({ source: 'webhook' }, 7);
            relay.metrics.apiCallsRemaining.set({ side: 'salesforce', window: 'daily' }, 4200);
            const response = await fetch(`${relay.url}/metrics`, { headers: basic() });
            expect(response.status).toBe(200);
            expect(response.headers.get('content-type')).toContain('text/plain');
            const text = await response.text();
            expect(text).toContain('relay_http_requests_total{method="GET",route="/healthz",status="200"} 1');
            expect(text).toContain('relay_http_requests_total{method="GET",route="unmatched",status="404"} 1');
            expect(text).toContain('sync_queue_depth{source="webhook"} 7');
            expect(text).toContain('crm_api_calls_remaining{side="salesforce",window="daily"} 4200');
            for (const name of [
                'sync_lag_seconds',
                'crm_api_calls_used',
                'sync_runs_total',
                'sync_errors_total',
                'relay_process_cpu_seconds_total'
            ]) {
                expect(text).toContain(`# TYPE ${name}`);
            }
        } finally {
            await relay.server.close();
        }
    });
});
