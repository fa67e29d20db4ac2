/** The pure parts of the HubSpot sources: text, summaries, stage history, error wording, shared reads. */
import { TimelineSourceError } from '../source';
import { engagementEvent, newestInChunks } from './activities';
import { summarizeEmailEvents } from './email-engagement';
import { toSequence, toWorkflows } from './enrollments';
import { HubSpotCallError, HubSpotShapeError, describeFailure, untilAborted } from './hubspot-call';
import { buildLifecycle, stageChangeEvents } from './lifecycle';
import { htmlToPlainText, timelineBody } from './plain-text';
import type { Owners } from './portal-metadata';
import { toSectionError } from './section-errors';
import { SharedLoader } from './shared-loader';
import { SESSION_GAP_MS, summarizeWebsite } from './website';

const T0 = Date.parse('2026-11-01T10:00:00.000Z');
const grace = { id: '70000002', name: 'Grace Hopper', userId: '9000002' };
const owners: Owners = { byId: new Map([[grace.id, grace]]), byUserId: new Map([[grace.userId, grace]]) };

describe('htmlToPlainText', () => {
    it.each([
        ['<p>Hello <b>Ada</b></p><p>Second</p>', 'Hello Ada\nSecond'],
        ['line one<br/>line two<br>', 'line one\nline two'],
        ['<ul><li>a</li><li>b</li></ul>', 'a\nb'],
        ['x<script>alert("<p>")</script>y<style>p{}</style>z', 'xyz'],
        ['a<!-- <b>hidden</b> -->b', 'ab'],
        ['Fish &amp; chips &lt;3 &#8364;5 &#x1F600; &nbsp;done', 'Fish & chips <3 €5 😀 done'],
        ['&lt;script&gt;alert(1)&lt;/script&gt;', '<script>alert(1)</script>'],
        ['2 < 3 and 5 > 4', '2 < 3 and 5 > 4'],
        ['unknown &bogus; and &#99999999; stay', 'unknown &bogus; and &#99999999; stay'],
        ['<a href="https://x.example">link</a>   with    spaces', 'link with spaces'],
        ['<table><tr><td>a</td><td>b</td></tr></table>', 'a b'],
        ['<unclosed', '<unclosed']
    ])('%j → %j', (html, text) => {
        expect(htmlToPlainText(html)).toBe(text);
    });

    it('stays linear on hostile input', () => {
        const hostile = '<'.repeat(50_000) + '&'.repeat(50_000) + '<a'.repeat(50_000);
        const skipped = '<script>'.repeat(50_000);
        const started = performance.now();
        expect(htmlToPlainText(hostile)).toHaveLength(hostile.length);
        expect(htmlToPlainText(skipped)).toBe('');
        // A quadratic scan of this input takes minutes; the bound leaves room for a loaded CI machine.
        expect(performance.now() - started).toBeLessThan(5_000);
    });

    it('cuts long bodies and treats empty ones as none', () => {
        expect(timelineBody('<p> </p>')).toBeNull();
        expect(timelineBody(null)).toBeNull();
        const cut = timelineBody('word '.repeat(500), 50)!;
        expect(cut.length).toBeLessThanOrEqual(50);
        expect(cut.endsWith('…')).toBe(true);
    });
});

describe('engagementEvent', () => {
    it('maps each engagement type with direction, owner and plain-text body', () => {
        const email = engagementEvent(
            'emails',
            {
                id: '7',
                properties: {
                    hs_timestamp: '2026-11-04T09:00:00.000Z',
                    hs_email_html: '<p>Hi</p>',
                    hs_email_direction: 'INCOMING_EMAIL',
                    hubspot_owner_id: grace.id
                }
            },
            owners
        );
        expect(email).toEqual({
            eventId: 'SALES_EMAIL:7',
            eventType: 'SALES_EMAIL',
            occurredAt: '2026-11-04T09:00:00.000Z',
            title: 'Email',
            body: 'Hi',
            url: null,
            actor: 'Grace Hopper',
            direction: 'INBOUND'
        });
        const call = engagementEvent(
            'calls',
            { id: '8', properties: { hs_timestamp: String(T0), hs_call_direction: 'INBOUND' } },
            null
        );
        expect(call).toMatchObject({
            title: 'Inbound call',
            direction: 'INBOUND',
            actor: null,
            occurredAt: '2026-11-01T10:00:00.000Z'
        });
        const meeting = engagementEvent(
            'meetings',
            { id: '9', properties: { hs_timestamp: String(T0), hs_meeting_start_time: '2026-11-02T10:00:00.000Z' } },
            null
        );
        expect(meeting).toMatchObject({ title: 'Meeting', occurredAt: '2026-11-02T10:00:00.000Z' });
        expect(engagementEvent('tasks', { id: '10', properties: { hs_timestamp: 'soon' } }, null)).toBeNull();
    });

    it('reads the newest engagements in batches of at most 100', () => {
        const ids = Array.from({ length: 250 }, (_, i) => String(i + 1));
        const chunks = newestInChunks([...ids, '5'], 210);
        expect(chunks.map((chunk) => chunk.length)).toEqual([100, 100, 10]);
        expect(chunks[0][0]).toBe('250');
        expect(chunks.flat()).not.toContain('40');
    });
});

describe('summaries', () => {
    it('groups page views into sessions split by 30 quiet minutes and ranks top pages', () => {
        const view = (minutes: number, path: string, title?: string) => ({
            id: `${minutes}`,
            at: T0 + minutes * 60_000,
            properties: { hs_url: `https://www.example.com${path}`, hs_page_title: title }
        });
        const website = summarizeWebsite([
            view(0, '/pricing', 'Pricing'),
            view(SESSION_GAP_MS / 60_000, '/docs'),
            view(61, '/pricing', 'Pricing'),
            { id: 'bad', at: T0 + 62 * 60_000, properties: { hs_url: 'javascript:alert(1)' } }
        ]);
        expect(website).toEqual({
            pageViews: 4,
            sessions: 2,
            firstVisitAt: '2026-11-01T10:00:00.000Z',
            lastVisitAt: '2026-11-01T11:02:00.000Z',
            topPages: [
                { url: 'https://www.example.com/pricing', title: 'Pricing', views: 2 },
                { url: 'https://www.example.com/docs', title: null, views: 1 }
            ]
        });
        expect(summarizeWebsite([])).toEqual({
            pageViews: 0,
            sessions: 0,
            firstVisitAt: null,
            lastVisitAt: null,
            topPages: []
        });
    });

    it('counts marketing emails per kind and ignores kinds the timeline does not show', () => {
        const event = (id: string, type: string, minutes: number, campaign = 1) => ({
            id,
            type,
            created: T0 + minutes * 60_000,
            emailCampaignId: campaign,
            subject: 'Update'
        });
        const { data, events } = summarizeEmailEvents(
            [
                event('1', 'SENT', 0),
                event('2', 'OPEN', 5),
                event('3', 'OPEN', 50),
                event('4', 'DEFERRED', 1),
                { ...event('5', 'BOUNCE', 2, 2), response: 'Mailbox full' }
            ],
            'Ada Lovelace'
        );
        expect(data).toEqual({
            sent: 1,
            delivered: 0,
            opened: 1,
            clicked: 0,
            bounced: 1,
            lastOpenedAt: '2026-11-01T10:50:00.000Z',
            lastClickedAt: null
        });
        expect(events.map((e) => [e.eventId, e.title, e.actor, e.body])).toEqual([
            ['MARKETING_EMAIL_SENT:1', 'Sent "Update"', null, null],
            ['MARKETING_EMAIL_OPENED:2', 'Opened "Update"', 'Ada Lovelace', null],
            ['MARKETING_EMAIL_OPENED:3', 'Opened "Update"', 'Ada Lovelace', null],
            ['MARKETING_EMAIL_BOUNCED:5', 'Bounced "Update"', null, 'Mailbox full']
        ]);
    });

    it('keeps workflow and sequence enrollments the contract can carry', () => {
        expect(
            toWorkflows([
                { id: 1, name: 'Nurture', enrolledAt: T0 },
                { id: 2, name: 'No date' }
            ])
        ).toEqual([
            {
                workflowId: '1',
                name: 'Nurture',
                status: 'ACTIVE',
                enrolledAt: '2026-11-01T10:00:00.000Z',
                endedAt: null
            }
        ]);
        expect(
            toSequence({ sequenceId: '4', enrolledAt: '2026-11-01T10:00:00Z', currentStep: 3, totalSteps: null })
        ).toEqual({
            sequenceId: '4',
            name: 'Sequence 4',
            status: 'ACTIVE',
            currentStep: 3,
            totalSteps: 3,
            enrolledAt: '2026-11-01T10:00:00.000Z'
        });
        expect(toSequence({ sequenceId: '4', enrolledAt: 'never' })).toBeNull();
    });
});

describe('lifecycle', () => {
    const stages = [
        { stageId: 'lead', label: 'Lead' },
        { stageId: 'customer', label: 'Customer' }
    ];
    const history = [
        { value: 'lead', at: T0, userId: null },
        { value: '', at: T0 + 1000, userId: null },
        { value: 'lead', at: T0 + 2000, userId: grace.userId },
        { value: 'vip', at: T0 + 3000, userId: grace.userId }
    ];

    it('lists stages in order with their first arrival and appends an unlisted current stage', () => {
        expect(buildLifecycle(stages, 'vip', history)).toEqual({
            currentStageId: 'vip',
            stages: [
                { stageId: 'lead', label: 'Lead', reachedAt: '2026-11-01T10:00:00.000Z', isCurrent: false },
                { stageId: 'customer', label: 'Customer', reachedAt: null, isCurrent: false },
                { stageId: 'vip', label: 'vip', reachedAt: '2026-11-01T10:00:03.000Z', isCurrent: true }
            ]
        });
    });

    it('makes one item per move to a new value, naming who moved it', () => {
        const events = stageChangeEvents('contact', stages, history, owners);
        expect(events.map((e) => [e.title, e.actor])).toEqual([
            ['Lifecycle stage set to Lead', null],
            ['Lifecycle stage changed to Lead', 'Grace Hopper'],
            ['Lifecycle stage changed to vip', 'Grace Hopper']
        ]);
        expect(new Set(events.map((e) => e.eventId)).size).toBe(3);
    });
});

describe('section errors', () => {
    const failure = (status: number | null, details = {}) => new HubSpotCallError('read x', status, details);

    it.each([
        [failure(429, { policyName: 'TEN_SECONDLY_ROLLING' }), 'RATE_LIMITED', /busy/],
        [failure(429, { policyName: 'DAILY' }), 'RATE_LIMITED', /for today is used up/],
        [failure(401), 'HUBSPOT_ERROR', /not allowed/],
        [failure(404), 'NOT_FOUND', /could not find website analytics/],
        [failure(502), 'HUBSPOT_ERROR', /could not be loaded/],
        [failure(null, { networkCode: 'ECONNREFUSED' }), 'HUBSPOT_ERROR', /could not be loaded/],
        [new HubSpotShapeError('read x', []), 'INVALID_DATA', /could not read/]
    ])('%s → %s', (error, code, message) => {
        const mapped = toSectionError(error, 'website analytics') as TimelineSourceError;
        expect(mapped).toBeInstanceOf(TimelineSourceError);
        expect(mapped.code).toBe(code);
        expect(mapped.repMessage).toMatch(message);
    });

    it('keeps only status, category and correlation id of a client exception', () => {
        const exception = Object.assign(new Error('An error occurred.'), {
            code: 503,
            body: { category: 'SERVICE_UNAVAILABLE', correlationId: 'c-1', secret: 'pat-na1-secret' },
            headers: { authorization: 'Bearer pat-na1-secret' }
        });
        const described = describeFailure('read contact 1', exception);
        expect(described.message).toBe('read contact 1: HubSpot answered 503 SERVICE_UNAVAILABLE (correlation id c-1)');
        expect(JSON.stringify({ ...described, message: described.message })).not.toContain('pat-na1');
    });

    it('leaves timeouts to the service', () => {
        const timeout = new Error('deadline');
        expect(toSectionError(timeout, 'x')).toBe(timeout);
    });
});

describe('shared reads', () => {
    it('joins concurrent callers, keeps a success, forgets a failure', async () => {
        let calls = 0;
        let fail = true;
        const loader = new SharedLoader(
            async (key) => {
                calls++;
                await new Promise((resolve) => setTimeout(resolve, 5));
                if (fail) throw new Error('down');
                return `value of ${key}`;
            },
            { ttlMs: 60_000, timeoutMs: 1_000 }
        );
        const signal = new AbortController().signal;
        await expect(Promise.all([loader.get('a', signal), loader.get('a', signal)])).rejects.toThrow('down');
        expect(calls).toBe(1);
        fail = false;
        await expect(loader.get('a', signal)).resolves.toBe('value of a');
        await expect(loader.get('a', signal)).resolves.toBe('value of a');
        expect(calls).toBe(2);
    });

    it('lets one caller give up without cancelling the read for the others', async () => {
        const loader = new SharedLoader(() => new Promise<string>((resolve) => setTimeout(() => resolve('done'), 30)), {
            ttlMs: 1_000,
            timeoutMs: 1_000
        });
        const impatient = new AbortController();
        const first = loader.get('k', impatient.signal);
        const second = loader.get('k', new AbortController().signal);
        impatient.abort(new Error('gave up'));
        await expect(first).rejects.toThrow('gave up');
        await expect(second).resolves.toBe('done');
    });

    it('rejects at once for an already aborted signal', async () => {
        const controller = new AbortController();
        controller.abort(new Error('too late'));
        await expect(untilAborted(controller.signal, Promise.resolve(1))).rejects.toThrow('too late');
    });
});
