/**
 * The operator API over real HTTP: the real relay app with the operator router, a real SQLite state
 * store seeded through its own methods, and in-memory implementations of the ports.
 */
import { TimelineResponse } from '../contract/timeline';
import { basic, readError } from '../relay/__tests__/support';
import { ada, contactIds, leadIds, type OpsHarness, startOpsRelay, usage } from './__tests__/fixtures';
import type {
    ConflictsView,
    ErrorSummaryView,
    ErrorsView,
    MappingsView,
    RecordView,
    RunsView,
    StatusView,
    UsageView
} from './views';

let ops: OpsHarness;

beforeAll(async () => {
    ops = await startOpsRelay();
});

afterAll(async () => {
    await ops.close();
});

function get(path: string, headers: Record<string, string> = basic()) {
    return fetch(`${ops.url}${path}`, { headers });
}

function post(path: string, body: unknown, headers: Record<string, string> = {}) {
    return fetch(`${ops.url}${path}`, {
        method: 'POST',
        headers: { ...basic(), 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body)
    });
}

async function json<T>(path: string): Promise<T> {
    const response = await get(path);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    return (await response.json()) as T;
}

describe('login', () => {
    it.each(['/ops/api/status', '/ops/api/errors.csv', '/ops/', '/ops/assets/dashboard.js'])(
        'refuses %s without the operator login',
        async (path) => {
            const error = await readError(await get(path, {}));
            expect(error).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
        }
    );

    it('refuses a wrong password', async () => {
        expect((await get('/ops/api/status', basic('operator', 'wrong'))).status).toBe(401);
    });
});

describe('status and runs', () => {
    it('reports the schedule, queue depth and the last run', async () => {
        const status = await json<StatusView>('/ops/api/status');
        expect(status).toMatchObject({
            environment: 'sandbox',
            intervalSeconds: 900,
            nextRunAt: '2026-11-20T10:15:00.000Z',
            queueDepth: 4,
            currentRun: null,
            lastRun: { id: 8, status: 'completed', durationSeconds: 69 },
            deadLetters: null
        });
    });

    it('lists recent runs with duration, records per object and outcome, and records per second', async () => {
        const { runs } = await json<RunsView>('/ops/api/runs?limit=3');
        expect(runs.map((run) => run.id)).toEqual([8, 7, 6]);
        const last = runs[0]!;
        // Contact: 40 + 7·15 = 145 updated, 9 created; Lead: 7 % 3 = 1 excluded; `batches` is not a record count.
        expect(last.byObject).toEqual({ Contact: { updated: 145, created: 9 }, Lead: { excluded: 1 } });
        expect(last.records).toBe(155);
        expect(last.recordsPerSecond).toBeCloseTo(155 / 69, 2);
        expect(last.apiCalls).toEqual({ salesforce: 40, hubspot: 62 });
        const failed = (await json<RunsView>('/ops/api/runs')).runs.find((run) => run.id === 5)!;
        expect(failed).toMatchObject({ status: 'failed', error: 'HubSpot answered 502 Bad Gateway three times' });
    });

    it.each(['limit=0', 'limit=201', 'limit=abc', 'limit=5&limit=6', 'since=yesterday'])(
        'refuses runs?%s',
        async (search) => {
            const error = await readError(await get(`/ops/api/runs?${search}`));
            expect(error).toMatchObject({ status: 400, code: 'VALIDATION_ERROR' });
        }
    );
});

describe('errors', () => {
    it('summarises open errors per category with the records they affect', async () => {
        const summary = await json<ErrorSummaryView>('/ops/api/errors/summary');
        const byCategory = Object.fromEntries(summary.categories.map((entry) => [entry.category, entry]));
        expect(byCategory.picklist).toEqual({ category: 'picklist', errors: 2, records: 2 });
        expect(byCategory.field_value).toEqual({ category: 'field_value', errors: 3, records: 3 });
        expect(byCategory.duplicate).toMatchObject({ errors: 1, records: 1 });
        expect(byCategory.permission).toMatchObject({ errors: 1, records: 1 });
        expect(byCategory.api_limit).toMatchObject({ errors: 0, records: 0 });
        expect(summary.categories).toHaveLength(9);
        expect(summary).toMatchObject({ totalErrors: 7, totalRecords: 6 });
    });

    it('lists open errors, filtered by category and by object on either side', async () => {
        const all = await json<ErrorsView>('/ops/api/errors');
        expect(all.total).toBe(7);
        expect(all.items.every((error) => !error.resolved)).toBe(true);
        const picklist = await json<ErrorsView>('/ops/api/errors?category=picklist');
        expect(picklist.items.map((error) => error.salesforceId).sort()).toEqual([contactIds[0], contactIds[1]].sort());
        const leads = await json<ErrorsView>('/ops/api/errors?object=Lead');
        expect(leads.items.map((error) => error.salesforceId)).toEqual([leadIds[0]]);
        const companies = await json<ErrorsView>('/ops/api/errors?object=companies&category=field_value');
        expect(companies.items.map((error) => error.hubspotId)).toEqual(['7001']);
        const resolved = await json<ErrorsView>('/ops/api/errors?status=resolved');
        expect(resolved.items.map((error) => error.salesforceId)).toEqual([contactIds[4]]);
    });

    it('pages', async () => {
        const first = await json<ErrorsView>('/ops/api/errors?limit=3');
        const second = await json<ErrorsView>('/ops/api/errors?limit=3&offset=3');
        const third = await json<ErrorsView>('/ops/api/errors?limit=3&offset=6');
        expect([first.items.length, second.items.length, third.items.length]).toEqual([3, 3, 1]);
        const ids = [...first.items, ...second.items, ...third.items].map((error) => error.id);
        expect(new Set(ids).size).toBe(7);
        expect(second).toMatchObject({ total: 7, offset: 3, limit: 3 });
    });

    it.each([
        ['category=nonsense', 'query.category'],
        ['object=Contact%27%20OR%201%3D1', 'query.object'],
        ['status=closed', 'query.status'],
        ['offset=-1', 'query.offset'],
        ['limit=501', 'query.limit'],
        ['category=picklist&category=duplicate', 'query.category'],
        ['mappingId=DROP%20TABLE', 'query.mappingId']
    ])('refuses errors?%s naming %s', async (search, field) => {
        const error = await readError(await get(`/ops/api/errors?${search}`));
        expect(error).toMatchObject({ status: 400, code: 'VALIDATION_ERROR' });
        expect(error.message).toContain(field);
    });

    it('exports CSV with quoting and formula cells neutralised', async () => {
        const response = await get('/ops/api/errors.csv?category=field_value');
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
        expect(response.headers.get('content-disposition')).toBe(
            'attachment; filename=sync-errors-field_value-2026-11-20.csv'
        );
        const text = await response.text();
        const lines = text.split('\r\n');
        expect(lines[0]).toBe(
            'id,category,mapping,salesforce_object,salesforce_id,hubspot_object_type,hubspot_id,field,message,occurrences,first_seen_at,last_seen_at,resolved_at'
        );
        expect(lines).toHaveLength(5);
        expect(text).toContain(',"Email ""not-an-email"" is invalid, ""quoted"", with comma",');
        expect(text).toContain(`,'-2 employees is not a valid number of employees,`);
        expect(text).toContain(`,"Phone ""=1+2"" is not a valid phone number",`);
        const all = await (await get('/ops/api/errors.csv')).text();
        expect(all).toContain(`,'@SUM(A1) two contacts share ada@example.com,`);
    });
});

describe('conflicts', () => {
    it('lists conflicts and takes acknowledged ones out of the inbox', async () => {
        const open = await json<ConflictsView>('/ops/api/conflicts');
        expect(open.total).toBe(2);
        const adaConflict = open.items.find((conflict) => conflict.salesforceId === ada.salesforceId)!;
        expect(adaConflict).toMatchObject({
            field: 'Title',
            salesforceValue: 'CTO',
            hubspotValue: 'Chief Technology Officer',
            winner: 'hubspot',
            acknowledgedAt: null
        });
        const response = await post('/ops/api/conflicts/acknowledge', { ids: [adaConflict.id] });
        expect(response.status).toBe(200);
        expect(await response.json()).toEqual({ acknowledged: 1 });
        const again = await post('/ops/api/conflicts/acknowledge', { ids: [adaConflict.id] });
        expect(await again.json()).toEqual({ acknowledged: 0 });
        expect((await json<ConflictsView>('/ops/api/conflicts')).total).toBe(1);
        const acknowledged = await json<ConflictsView>('/ops/api/conflicts?status=acknowledged');
        expect(acknowledged.items).toEqual([
            expect.objectContaining({
                id: adaConflict.id,
                acknowledgedBy: 'operator',
                acknowledgedAt: expect.any(String)
            })
        ]);
        expect(
            (await json<ConflictsView>(`/ops/api/conflicts?status=all&salesforceId=${ada.salesforceId}`)).total
        ).toBe(1);
    });

    it('refuses unknown ids and malformed bodies without acknowledging anything', async () => {
        const before = (await json<ConflictsView>('/ops/api/conflicts')).total;
        const unknown = await readError(await post('/ops/api/conflicts/acknowledge', { ids: [1, 999] }));
        expect(unknown).toMatchObject({ status: 404, code: 'NOT_FOUND', message: 'No conflicts with ids 999.' });
        for (const body of [{}, { ids: [] }, { ids: ['1'] }, { ids: [1], note: 'x' }, '[1]', '{"ids":']) {
            const error = await readError(await post('/ops/api/conflicts/acknowledge', body));
            expect(error.status).toBe(400);
        }
        const plain = await readError(
            await post('/ops/api/conflicts/acknowledge', 'ids=1', {
                'content-type': 'application/x-www-form-urlencoded'
            })
        );
        expect(plain).toMatchObject({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
        expect((await json<ConflictsView>('/ops/api/conflicts')).total).toBe(before);
    });
});

describe('audit, mappings, records', () => {
    it('answers "why does this field have this value?" from the audit trail', async () => {
        const { entries } = await json<{ entries: RecordView['audit'] }>(
            `/ops/api/audit?salesforceId=${ada.salesforceId}&field=jobtitle`
        );
        expect(entries.map((entry) => [entry.direction, entry.reason, entry.after])).toEqual([
            ['to_salesforce', 'conflict_hubspot_newer', 'Chief Technology Officer'],
            ['to_hubspot', 'record_created', 'CTO']
        ]);
        expect(await readError(await get('/ops/api/audit'))).toMatchObject({ status: 400 });
        const badId = await readError(await get(`/ops/api/audit?salesforceId=${ada.salesforceId.toLowerCase()}`));
        expect(badId.message).toContain('query.salesforceId');
    });

    it('shows each mapped field with its rule and the picklist warnings', async () => {
        const view = await json<MappingsView>('/ops/api/mappings');
        expect(view.records.map((record) => record.id)).toEqual([
            'lead_to_contact',
            'contact_to_contact',
            'account_to_company',
            'opportunity_to_deal'
        ]);
        const status = view.records[0]!.fields.find((field) => field.salesforceField === 'Status')!;
        expect(status.rule).toBe('always_salesforce');
        expect(status.valueMap).toMatchObject({ 'Open - Not Contacted': 'NEW' });
        expect(status.problems).toEqual([
            expect.objectContaining({ code: 'picklist_values_missing_in_hubspot', values: ['Nurturing'] })
        ]);
        const score = view.records[0]!.fields.find((field) => field.salesforceField === 'HubSpot_Score__c')!;
        expect(score.problems.map((problem) => problem.code)).toEqual(['two_way_one_direction']);
        expect(view).toMatchObject({ fatalCount: 0, warningCount: 3 });
    });

    it('looks a record up from either side with its link, values, audit and errors', async () => {
        const fromSalesforce = await json<RecordView>(`/ops/api/records/salesforce/Contact/${ada.salesforceId}`);
        expect(fromSalesforce.link).toMatchObject({ hubspotObjectType: 'contacts', hubspotId: '51' });
        expect(fromSalesforce.salesforce?.values.FirstName).toBe('Ada');
        expect(fromSalesforce.hubspot?.values.email).toBe('ada@example.com');
        expect(fromSalesforce.audit).toHaveLength(2);
        expect(fromSalesforce.errors.map((error) => error.category)).toEqual(['picklist']);
        const fromHubSpot = await json<RecordView>('/ops/api/records/hubspot/contacts/51');
        expect(fromHubSpot).toEqual(fromSalesforce);
    });

    it('answers 404 for a record nobody knows and 400 for malformed ids', async () => {
        expect(await readError(await get(`/ops/api/records/salesforce/Contact/${contactIds[5]}`))).toMatchObject({
            status: 404,
            code: 'NOT_FOUND'
        });
        for (const path of [
            `/ops/api/records/salesforce/Lead/${contactIds[0]}`,
            '/ops/api/records/salesforce/Contact/003%27%20OR%20%271%27%3D%271',
            '/ops/api/records/salesforce/Con%20tact/003000000000001AAA',
            '/ops/api/records/hubspot/contacts/abc',
            '/ops/api/records/hubspot/CONTACTS/51'
        ]) {
            expect(await readError(await get(path))).toMatchObject({ status: 400, code: 'VALIDATION_ERROR' });
        }
    });
});

describe('API usage', () => {
    it('combines the providers figures with the calls of each run, oldest first', async () => {
        const view = await json<UsageView>('/ops/api/usage');
        expect(view.salesforce).toEqual(usage.salesforce);
        expect(view.hubspot).toEqual(usage.hubspot);
        expect(view.runs.map((run) => run.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
        expect(view.runs[0]).toMatchObject({ salesforce: 12, hubspot: 20, mode: 'full' });
    });
});

describe('starting runs and resyncs', () => {
    it('starts a run and a dry run through the controller', async () => {
        const run = await post('/ops/api/runs', {});
        expect(run.status).toBe(202);
        expect(await run.json()).toEqual({ runId: expect.any(Number) });
        const dry = await post('/ops/api/runs', { dryRun: true, objects: ['lead_to_contact'], limit: 10 });
        expect(dry.status).toBe(202);
        expect(ops.controller.started.slice(-2)).toEqual([
            { dryRun: false },
            { dryRun: true, objects: ['lead_to_contact'], limit: 10 }
        ]);
    });

    it('refuses what a cross-site form could send (no JSON content type, or no body)', async () => {
        const before = ops.controller.started.length;
        const textPlain = await post('/ops/api/runs', '{}', { 'content-type': 'text/plain' });
        expect(await readError(textPlain)).toMatchObject({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
        const bodiless = await fetch(`${ops.url}/ops/api/runs`, { method: 'POST', headers: basic() });
        expect(await readError(bodiless)).toMatchObject({ status: 400, code: 'VALIDATION_ERROR' });
        expect(ops.controller.started.length).toBe(before);
    });

    it('answers 409 while a run is in progress', async () => {
        ops.controller.running = 41;
        try {
            const error = await readError(await post('/ops/api/runs', { dryRun: true }));
            expect(error).toEqual({ status: 409, code: 'CONFLICT', message: 'Sync run 41 is in progress.' });
        } finally {
            ops.controller.running = null;
        }
    });

    it('refuses bad run requests without starting anything', async () => {
        const before = ops.controller.started.length;
        const unknown = await readError(await post('/ops/api/runs', { objects: ['nope_to_nothing'] }));
        expect(unknown).toMatchObject({ status: 400, message: 'Unknown mapping ids: nope_to_nothing.' });
        for (const body of [{ dryRun: 'yes' }, { limit: 0 }, { ids: ["1' OR '1'='1"] }, { everything: true }, []]) {
            expect((await readError(await post('/ops/api/runs', body))).status).toBe(400);
        }
        expect(ops.controller.started.length).toBe(before);
    });

    it('queues selected records for a resync, each once', async () => {
        const records = [
            { salesforceObject: 'Contact', salesforceId: contactIds[1] },
            { salesforceObject: 'Contact', salesforceId: contactIds[1] },
            { salesforceObject: 'Lead', salesforceId: leadIds[0] }
        ];
        const response = await post('/ops/api/resync', { records });
        expect(response.status).toBe(202);
        expect(await response.json()).toEqual({ queued: 2 });
        expect(ops.controller.resynced.at(-1)).toEqual([records[0], records[2]]);
    });

    it('refuses a resync with any bad record and queues none of them', async () => {
        const before = ops.controller.resynced.length;
        const error = await readError(
            await post('/ops/api/resync', {
                records: [
                    { salesforceObject: 'Contact', salesforceId: contactIds[1] },
                    { salesforceObject: 'Contact', salesforceId: leadIds[0] }
                ]
            })
        );
        expect(error).toMatchObject({ status: 400, code: 'VALIDATION_ERROR' });
        expect(error.details).toEqual([expect.objectContaining({ location: 'body', path: 'records.1.salesforceId' })]);
        expect((await readError(await post('/ops/api/resync', { records: [] }))).status).toBe(400);
        const tooMany = Array.from({ length: 201 }, () => ({
            salesforceObject: 'Contact',
            salesforceId: contactIds[1]
        }));
        expect((await readError(await post('/ops/api/resync', { records: tooMany }))).status).toBe(400);
        expect(ops.controller.resynced.length).toBe(before);
    });
});

describe('timeline preview', () => {
    it('returns the contract timeline for a Salesforce id or a HubSpot id', async () => {
        const bySalesforce = await json<unknown>(`/ops/api/timeline/salesforce/${ada.salesforceId}`);
        expect(TimelineResponse.parse(bySalesforce).summary.displayName).toBe('Ada Lovelace');
        const byHubSpot = await json<unknown>('/ops/api/timeline/hubspot/contact/51');
        expect(byHubSpot).toEqual(bySalesforce);
    });

    it('answers 404 for an unlinked record and 400 for bad ids', async () => {
        expect((await readError(await get(`/ops/api/timeline/salesforce/${contactIds[5]}`))).status).toBe(404);
        expect((await readError(await get('/ops/api/timeline/hubspot/contact/99'))).status).toBe(404);
        expect((await readError(await get('/ops/api/timeline/hubspot/ticket/51'))).status).toBe(400);
        expect((await readError(await get('/ops/api/timeline/salesforce/003'))).status).toBe(400);
    });
});

describe('dashboard files', () => {
    it('redirects /ops to /ops/ and serves the page with a strict CSP', async () => {
        const redirect = await fetch(`${ops.url}/ops`, { headers: basic(), redirect: 'manual' });
        expect(redirect.status).toBe(308);
        expect(redirect.headers.get('location')).toBe('/ops/');
        const page = await get('/ops/');
        expect(page.status).toBe(200);
        expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
        const csp = page.headers.get('content-security-policy')!;
        expect(csp).toContain("script-src 'self'");
        expect(csp).not.toContain('unsafe-inline');
        const html = await page.text();
        expect(html).toContain('<script defer src="/ops/assets/dashboard.js"></script>');
        expect(html).not.toMatch(/<script>(?!<)/);
    });

    it('serves the bundled script and the stylesheet, revalidated by ETag', async () => {
        const script = await get('/ops/assets/dashboard.js');
        expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
        expect((await script.text()).length).toBeGreaterThan(5_000);
        const etag = script.headers.get('etag')!;
        const again = await get('/ops/assets/dashboard.js', { ...basic(), 'if-none-match': etag });
        expect(again.status).toBe(304);
        const style = await get('/ops/assets/dashboard.css');
        expect(style.headers.get('content-type')).toBe('text/css; charset=utf-8');
        expect(await readError(await get('/ops/assets/other.js'))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
        expect((await readError(await get('/ops/assets/dashboard.js?v=1'))).status).toBe(400);
    });
});
