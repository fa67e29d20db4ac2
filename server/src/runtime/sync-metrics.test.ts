import { RelayMetrics } from '../relay/metrics';
import type { RunReport } from '../sync/engine/context';
import { recordRunMetrics } from './sync-metrics';

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
});
