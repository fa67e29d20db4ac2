import { RelayMetrics } from '../relay/metrics';
import type { RunReport } from '../sync/engine/context';
import { openWorkQueue } from '../queue';
import { recordRunMetrics, registerWorkQueueMetrics } from './sync-metrics';

const report = (overrides: Partial<RunReport>): RunReport => ({
    runId: 1,
    mode: 'incremental',
    status: 'completed',
    startedAt: '2026-11-27T08:00:00.000Z',
    endedAt: '2026-11-27T08:00:01.000Z',
    counts: {},
    fieldChanges: {},
    apiCalls: { salesforce: 0, hubspot: 0 },
    plannedWriteCalls: { salesforce: 0, hubspot: 0 },
    errors: [],
    warnings: [],
    leadOnlyFields: [],
    ...overrides
});

describe('sync metrics', () => {
    it('counts records by object, direction and outcome, and errors by category', async () => {
        const metrics = new RelayMetrics();
        recordRunMetrics(
            metrics,
            report({
                counts: {
                    'lead_to_contact.read_salesforce': 60,
                    'lead_to_contact.created_in_hubspot': 37,
                    'contact_to_contact.updated_salesforce': 2,
                    'lead_to_contact.errors': 1,
                    errors: 1
                },
                errors: [{ runId: 1, mappingId: 'lead_to_contact', category: 'picklist', message: 'x' }]
            })
        );
        const text = await metrics.registry.metrics();
        expect(text).toContain('sync_runs_total{outcome="completed"} 1');
        expect(text).toContain(
            'sync_records_total{object="lead_to_contact",direction="from_salesforce",outcome="read_salesforce"} 60'
        );
        expect(text).toContain(
            'sync_records_total{object="lead_to_contact",direction="to_hubspot",outcome="created_in_hubspot"} 37'
        );
        expect(text).toContain(
            'sync_records_total{object="contact_to_contact",direction="to_salesforce",outcome="updated_salesforce"} 2'
        );
        expect(text).not.toContain('outcome="errors"');
        expect(text).toContain('sync_errors_total{category="picklist"} 1');
    });

    it('counts a dry run as a run but none of its planned records', async () => {
        const metrics = new RelayMetrics();
        recordRunMetrics(metrics, report({ mode: 'dry_run', counts: { 'lead_to_contact.would_create': 5 } }));
        const text = await metrics.registry.metrics();
        expect(text).toContain('sync_runs_total{outcome="dry_run"} 1');
        expect(text).not.toContain('would_create');
    });

    it('shows the work queue by priority and state, its dead letters and its lag at every scrape', async () => {
        const start = Date.parse('2026-11-27T08:00:00.000Z');
        let clock = start;
        const queue = openWorkQueue({ path: ':memory:' }, { now: () => new Date(clock), options: { maxAttempts: 1 } });
        const metrics = new RelayMetrics();
        registerWorkQueueMetrics(metrics, queue, () => clock);
        const signal = (recordKey: string) => ({
            stream: 'salesforce:Contact',
            recordKey,
            priority: 'fast_path' as const,
            reason: 'cdc UPDATE'
        });
        queue.enqueue([signal('003000000000001AAA'), signal('003000000000002AAA')]);
        const [claimed] = queue.claim(1, 60_000, 'worker');
        queue.fail(claimed, 'sync run 3 failed');
        clock += 30_000;

        const text = await metrics.registry.metrics();
        expect(text).toContain('sync_work_queue_items{priority="fast_path",state="ready"} 1');
        expect(text).toContain('sync_work_queue_items{priority="fast_path",state="dead"} 1');
        expect(text).toContain('sync_work_queue_items{priority="poll",state="ready"} 0');
        expect(text).toContain('sync_dead_letters 1');
        expect(text).toContain('sync_work_queue_oldest_seconds 30');

        queue.replay('all');
        queue.complete(queue.claim(10, 60_000, 'worker'));
        const after = await metrics.registry.metrics();
        expect(after).toContain('sync_dead_letters 0');
        expect(after).toContain('sync_work_queue_oldest_seconds 0');
        queue.close();
    });
});
