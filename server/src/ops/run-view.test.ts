import type { Run } from '../state/store';
import { runView } from './run-view';

const run: Run = {
    id: 3,
    mode: 'incremental',
    status: 'completed',
    startedAt: '2026-11-20T09:00:00.000Z',
    endedAt: '2026-11-20T09:00:40.000Z',
    counts: {
        'Contact.updated': 70,
        'contacts.created': 5,
        'p_invoice.items.failed': 5,
        batches: 4,
        '.odd': 1,
        'odd.': 1
    },
    apiCalls: { salesforce: 10, hubspot: 12 },
    error: null,
    heartbeatAt: '2026-11-20T09:00:40.000Z',
    owner: null
};

describe('runView', () => {
    it('groups `<object>.<outcome>` counters and leaves other totals out of the record count', () => {
        const view = runView(run, new Date('2026-11-20T10:00:00.000Z'));
        expect(view.byObject).toEqual({
            Contact: { updated: 70 },
            contacts: { created: 5 },
            'p_invoice.items': { failed: 5 }
        });
        expect(view).toMatchObject({ records: 80, durationSeconds: 40, recordsPerSecond: 2 });
    });

    it('measures a run in progress until now and gives no rate for a near-instant run', () => {
        const running = runView({ ...run, status: 'running', endedAt: null }, new Date('2026-11-20T09:01:20.000Z'));
        expect(running.durationSeconds).toBe(80);
        const instant = runView({ ...run, endedAt: '2026-11-20T09:00:00.050Z' }, new Date());
        expect(instant.recordsPerSecond).toBeNull();
    });
});
