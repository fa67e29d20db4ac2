/**
 * The HubSpot timeline end to end: the real @hubspot/api-client against the HubSpot sandbox, the
 * TimelineService built by `createHubSpotTimelineService`, and the relay's timeline route over HTTP.
 */
import { Client } from '@hubspot/api-client';
import { stdSerializers } from 'pino';
import { type TimelineEvent, TimelineResponse } from '../../contract/timeline';
import { type TestRelay, bearer, readError, startRelay, testConfig } from '../../relay/__tests__/support';
import { type HubSpotSandboxHandle, type RunningHubSpotSandbox, startHubSpotSandbox } from '../../sandbox/hubspot';
import { type HubSpotTimelineOptionsInput, createHubSpotTimelineService } from '../hubspot-timeline';

const DAY = 86_400_000;
const GRACE = { ownerId: '70000002', userId: 9000002, name: 'Grace Hopper' };
const defined = (typeId: number) => [{ associationCategory: 'HUBSPOT_DEFINED' as const, associationTypeId: typeId }];

interface Seeded {
    contactId: string;
    quietContactId: string;
    companyId: string;
    dealId: string;
}

/** Ada: every kind of timeline item; her company and a deal with their own activities and stages. */
function seed(handle: HubSpotSandboxHandle): Seeded {
    const start = handle.clock.now() - 60 * DAY;
    const at = (days: number, minutes = 0) => start + days * DAY + minutes * 60_000;
    const iso = (ms: number) => new Date(ms).toISOString();
    const owner = { hubspot_owner_id: GRACE.ownerId };

    const contactId = handle.createAsUser('contacts', {
        email: 'ada@example.com',
        firstname: 'Ada',
        lastname: 'Lovelace',
        lifecyclestage: 'subscriber',
        ...owner
    }).id;
    handle.advanceClock(DAY);
    handle.editAsUser('contacts', contactId, { lifecyclestage: 'lead' });
    handle.advanceClock(DAY);
    handle.editAsUser('contacts', contactId, { lifecyclestage: 'marketingqualifiedlead' });

    const toContact = (typeId: number) => [{ to: { id: contactId }, types: defined(typeId) }];
    handle.createAsUser(
        'notes',
        {
            hs_timestamp: iso(at(10)),
            hs_note_body: '<p>Interested in <b>two-way</b> owner sync &amp; mapping.</p><script>alert("x")</script>',
            ...owner
        },
        toContact(202)
    );
    handle.createAsUser(
        'emails',
        {
            hs_timestamp: iso(at(11)),
            hs_email_subject: 'Re: Pilot timeline',
            hs_email_html: '<div>Thanks Ada,<br>attaching the plan.</div>',
            hs_email_direction: 'EMAIL',
            ...owner
        },
        toContact(198)
    );
    handle.createAsUser(
        'calls',
        {
            hs_timestamp: iso(at(12)),
            hs_call_body: 'Left details about the pilot.',
            hs_call_direction: 'OUTBOUND',
            hs_call_duration: String(12 * 60_000),
            ...owner
        },
        toContact(194)
    );
    handle.createAsUser(
        'meetings',
        {
            hs_timestamp: iso(at(13)),
            hs_meeting_title: 'Discovery call',
            hs_meeting_start_time: iso(at(14)),
            hs_meeting_body: 'Walked through the current Salesforce setup.',
            ...owner
        },
        toContact(200)
    );
    handle.createAsUser(
        'tasks',
        { hs_timestamp: iso(at(15)), hs_task_subject: 'Send case study', ...owner },
        toContact(204)
    );

    const visit = (minutes: number, path: string, title: string) =>
        handle.timeline.addAnalyticsEvent({
            eventType: 'e_visited_page',
            objectType: 'contact',
            objectId: Number(contactId),
            occurredAt: at(20, minutes),
            properties: { hs_url: `https://www.example.com${path}`, hs_page_title: title }
        });
    // Two visits: three views within 30 minutes of each other, then one the next hour.
    visit(0, '/pricing', 'Pricing');
    visit(10, '/docs/sync', 'How sync works');
    visit(25, '/pricing', 'Pricing');
    visit(90, '/demo', 'Demo');
    handle.timeline.addAnalyticsEvent({
        eventType: 'e_submitted_form',
        objectType: 'contact',
        objectId: Number(contactId),
        occurredAt: at(20, 95),
        properties: { hs_form_title: 'Request a demo', hs_url: 'https://www.example.com/demo' }
    });
    const email = (type: 'SENT' | 'DELIVERED' | 'OPEN' | 'CLICK' | 'BOUNCE', days: number, campaign: number) =>
        handle.timeline.addEmailEvent({
            created: at(days),
            type,
            recipient: 'ada@example.com',
            emailCampaignId: campaign,
            subject: campaign === 1 ? 'November product update' : 'Spring webinar',
            ...(type === 'CLICK' ? { url: 'https://www.example.com/blog/november' } : {})
        });
    email('SENT', 30, 1);
    email('DELIVERED', 30, 1);
    email('OPEN', 31, 1);
    email('CLICK', 31, 1);
    email('SENT', 32, 2);
    email('BOUNCE', 32, 2);
    handle.timeline.enrollInWorkflow({ workflowId: 3100002, contactId: Number(contactId), enrolledAt: at(33) });
    handle.timeline.enrollInSequence({
        sequenceId: '4200002',
        contactId: Number(contactId),
        toEmail: 'ada@example.com',
        enrolledAt: at(34),
        updatedAt: at(35),
        enrolledBy: String(GRACE.userId),
        enrolledByEmail: 'grace.hopper@example.com',
        currentStep: 2
    });

    const companyId = handle.createAsUser('companies', {
        name: 'Analytical Engines',
        lifecyclestage: 'customer',
        ...owner
    }).id;
    handle.associateAsUser('contacts', contactId, 'companies', companyId, [1]);
    handle.createAsUser(
        'calls',
        { hs_timestamp: iso(at(40)), hs_call_title: 'Renewal call', hs_call_direction: 'INBOUND', ...owner },
        [{ to: { id: companyId }, types: defined(182) }]
    );

    const dealId = handle.createAsUser('deals', {
        dealname: 'Analytical Engines – Pilot',
        pipeline: 'default',
        dealstage: 'appointmentscheduled',
        ...owner
    }).id;
    handle.advanceClock(DAY);
    handle.editAsUser('deals', dealId, { dealstage: 'contractsent' });
    handle.createAsUser('notes', { hs_timestamp: iso(at(41)), hs_note_body: 'Pilot scoped.', ...owner }, [
        { to: { id: dealId }, types: defined(214) }
    ]);
    const quietContactId = handle.createAsUser('contacts', {
        email: 'charles@example.com',
        firstname: 'Charles',
        lastname: 'Babbage',
        lifecyclestage: 'subscriber'
    }).id;
    return { contactId, quietContactId, companyId, dealId };
}

const CONTACT_EVENTS = 5 + 3 + 4 + 1 + 6; // engagements, stage changes, page views, form, email events

describe('HubSpot timeline through the relay', () => {
    let sandbox: RunningHubSpotSandbox;
    let ids: Seeded;
    let relay: TestRelay | undefined;
    const sourceErrors: { section: string; code: string; error: unknown }[] = [];

    beforeAll(async () => {
        sandbox = await startHubSpotSandbox({ tier: 'unlimited' });
        ids = seed(sandbox.handle);
    });
    afterAll(() => sandbox.close());
    afterEach(async () => {
        sandbox.handle.clearFaults();
        sourceErrors.length = 0;
        await relay?.server.close();
        relay = undefined;
    });

    /** A fresh service (cold caches) behind a fresh relay; the request counter starts at zero. */
    async function start(options: Partial<HubSpotTimelineOptionsInput> = {}): Promise<TestRelay> {
        const client = new Client(sandbox.connection);
        const timeline = createHubSpotTimelineService({
            client,
            portalId: sandbox.handle.portalId,
            onSourceError: (section, code, error) => sourceErrors.push({ section, code, error }),
            ...options
        });
        relay = await startRelay({ timeline, config: testConfig({ RATE_LIMIT_PER_MINUTE: '100000' }) });
        sandbox.handle.resetRequestCounts();
        return relay;
    }

    const get = (path: string, headers: Record<string, string> = {}) =>
        fetch(`${relay!.url}/api/v1/timeline/${path}`, { headers: { ...bearer(), ...headers } });

    async function timeline(path: string): Promise<TimelineResponse> {
        const response = await get(path);
        expect(response.status).toBe(200);
        const body = await response.json();
        const parsed = TimelineResponse.safeParse(body);
        expect(parsed.error).toBeUndefined();
        return parsed.data!;
    }

    it('answers a complete contact timeline in 19 HubSpot calls (2 of them portal metadata, cached afterwards)', async () => {
        await start();
        const body = await timeline(`contact/${ids.contactId}?pageSize=100`);
        expect(sandbox.handle.requestCounts().total).toBe(19);

        expect(body.hubspotUrl).toBe(
            `https://app.hubspot.com/contacts/${sandbox.handle.portalId}/record/0-1/${ids.contactId}`
        );
        expect(body.summary).toEqual({
            displayName: 'Ada Lovelace',
            lifecycleStageId: 'marketingqualifiedlead',
            lifecycleStageLabel: 'Marketing Qualified Lead',
            score: null,
            ownerName: GRACE.name
        });
        expect(Object.values(body.sections).every((section) => section.status === 'ok')).toBe(true);
        expect(body.lifecycle!.currentStageId).toBe('marketingqualifiedlead');
        expect(body.lifecycle!.stages.slice(0, 4).map((s) => [s.stageId, s.reachedAt !== null, s.isCurrent])).toEqual([
            ['subscriber', true, false],
            ['lead', true, false],
            ['marketingqualifiedlead', true, true],
            ['salesqualifiedlead', false, false]
        ]);
        expect(body.emailEngagement).toMatchObject({ sent: 2, delivered: 1, opened: 1, clicked: 1, bounced: 1 });
        expect(body.website).toMatchObject({ pageViews: 4, sessions: 2 });
        expect(body.website!.topPages[0]).toEqual({
            url: 'https://www.example.com/pricing',
            title: 'Pricing',
            views: 2
        });
        expect(body.workflows).toEqual([
            expect.objectContaining({ workflowId: '3100002', name: 'MQL hand-off to sales', status: 'ACTIVE' })
        ]);
        expect(body.sequence).toMatchObject({
            sequenceId: '4200002',
            name: 'Demo follow-up',
            currentStep: 2,
            totalSteps: 3
        });
        expect(body.meetingLink).toEqual({ name: 'Demo with Grace', url: 'https://meetings.hubspot.com/grace-hopper' });

        expect(body.events).toHaveLength(CONTACT_EVENTS);
        const byType = (type: TimelineEvent['eventType']) => body.events.filter((event) => event.eventType === type);
        expect(byType('NOTE')[0]).toMatchObject({
            body: 'Interested in two-way owner sync & mapping.',
            actor: GRACE.name
        });
        expect(byType('SALES_EMAIL')[0]).toMatchObject({
            title: 'Re: Pilot timeline',
            body: 'Thanks Ada,\nattaching the plan.',
            direction: 'OUTBOUND'
        });
        expect(byType('CALL')[0]).toMatchObject({ title: 'Outbound call (12 min)', direction: 'OUTBOUND' });
        expect(byType('LIFECYCLE_STAGE_CHANGE').map((event) => event.title)).toEqual([
            'Lifecycle stage changed to Marketing Qualified Lead',
            'Lifecycle stage changed to Lead',
            'Lifecycle stage set to Subscriber'
        ]);
        expect(byType('MARKETING_EMAIL_CLICKED')[0]).toMatchObject({
            body: 'Link: https://www.example.com/blog/november',
            actor: 'Ada Lovelace'
        });
        expect(byType('FORM_SUBMISSION')[0]).toMatchObject({
            title: 'Submitted "Request a demo"',
            direction: 'INBOUND'
        });

        // The next record's fan-out finds stages and owners cached.
        sandbox.handle.resetRequestCounts();
        await timeline(`company/${ids.companyId}`);
        const counts = sandbox.handle.requestCounts();
        expect(counts.byEndpoint['GET /crm/v3/owners']).toBeUndefined();
        expect(counts.byEndpoint['GET /crm/v3/properties/companies/lifecyclestage']).toBe(1);
    });

    it('answers an empty timeline for a contact with no activity, in 11 calls once portal metadata is cached', async () => {
        await start();
        await timeline(`contact/${ids.contactId}`);
        sandbox.handle.resetRequestCounts();
        const body = await timeline(`contact/${ids.quietContactId}`);
        expect(sandbox.handle.requestCounts().total).toBe(11);
        expect(Object.values(body.sections).every((section) => section.status === 'ok')).toBe(true);
        expect(body.summary).toEqual({
            displayName: 'Charles Babbage',
            lifecycleStageId: 'subscriber',
            lifecycleStageLabel: 'Subscriber',
            score: null,
            ownerName: null
        });
        expect(body.emailEngagement).toEqual({
            sent: 0,
            delivered: 0,
            opened: 0,
            clicked: 0,
            bounced: 0,
            lastOpenedAt: null,
            lastClickedAt: null
        });
        expect(body.website).toEqual({
            pageViews: 0,
            sessions: 0,
            firstVisitAt: null,
            lastVisitAt: null,
            topPages: []
        });
        expect(body.workflows).toEqual([]);
        expect(body.sequence).toBeNull();
        expect(body.meetingLink).toBeNull();
        expect(body.events.map((event) => event.title)).toEqual(['Lifecycle stage set to Subscriber']);
        expect(body.nextCursor).toBeNull();
    });

    it('pages to the end with the cursor, each event exactly once, from one fan-out', async () => {
        await start();
        const all = await timeline(`contact/${ids.contactId}?pageSize=100`);
        const seen: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
            const page: TimelineResponse = await timeline(
                `contact/${ids.contactId}?pageSize=4${cursor ? `&cursor=${cursor}` : ''}`
            );
            seen.push(...page.events.map((event) => event.eventId));
            cursor = page.nextCursor;
            pages++;
        } while (cursor);
        expect(seen).toEqual(all.events.map((event) => event.eventId));
        expect(new Set(seen).size).toBe(CONTACT_EVENTS);
        expect(pages).toBe(Math.ceil(CONTACT_EVENTS / 4));
        expect(sandbox.handle.requestCounts().total).toBe(19);
    });

    it('filters by event type before paging', async () => {
        await start();
        const first = await timeline(`contact/${ids.contactId}?types=PAGE_VIEW,FORM_SUBMISSION&pageSize=3`);
        expect(first.events.map((event) => event.eventType)).toEqual(['FORM_SUBMISSION', 'PAGE_VIEW', 'PAGE_VIEW']);
        const rest = await timeline(
            `contact/${ids.contactId}?types=PAGE_VIEW,FORM_SUBMISSION&pageSize=3&cursor=${first.nextCursor}`
        );
        expect(rest.events.map((event) => event.eventType)).toEqual(['PAGE_VIEW', 'PAGE_VIEW']);
        expect(rest.nextCursor).toBeNull();
    });

    it('answers a partial timeline when event analytics fail, and retries them on the next request', async () => {
        await start();
        sandbox.handle.addFault({ path: '^/events/v3/events/?$', kind: 'status', status: 503 });
        const partial = await timeline(`contact/${ids.contactId}?pageSize=100`);
        expect(partial.sections.website).toEqual({
            status: 'error',
            errorCode: 'HUBSPOT_ERROR',
            errorMessage: 'HubSpot website analytics could not be loaded. Try again in a minute.'
        });
        expect(partial.website).toBeNull();
        expect(partial.events.some((event) => ['PAGE_VIEW', 'FORM_SUBMISSION'].includes(event.eventType))).toBe(false);
        const others = Object.entries(partial.sections).filter(([section]) => section !== 'website');
        expect(others.every(([, status]) => status.status === 'ok')).toBe(true);
        expect(partial.events).toHaveLength(CONTACT_EVENTS - 5);
        expect(sourceErrors.map(({ section, code }) => `${section}:${code}`)).toEqual(['website:HUBSPOT_ERROR']);

        sandbox.handle.clearFaults();
        const complete = await timeline(`contact/${ids.contactId}?pageSize=100`);
        expect(complete.sections.website.status).toBe('ok');
        expect(complete.events).toHaveLength(CONTACT_EVENTS);
    });

    it('reports HubSpot rate limits and refused access per section in words a rep understands', async () => {
        await start();
        sandbox.handle.addFault({
            path: '^/email/public/v1/events$',
            kind: 'status',
            status: 429,
            retryAfterSeconds: 10
        });
        sandbox.handle.addFault({ path: '^/automation/v2/workflows', kind: 'status', status: 403 });
        sandbox.handle.addFault({ path: '^/scheduler/v3/meetings/meeting-links', kind: 'reset' });
        const body = await timeline(`contact/${ids.contactId}`);
        expect(body.sections.emailEngagement).toEqual({
            status: 'error',
            errorCode: 'RATE_LIMITED',
            errorMessage:
                'HubSpot is busy with other requests from this portal. Marketing email engagement will load again in a minute.'
        });
        expect(body.sections.workflows).toEqual({
            status: 'error',
            errorCode: 'HUBSPOT_ERROR',
            errorMessage:
                "The relay is not allowed to read workflow enrollments in HubSpot. Ask your HubSpot admin to check the app's access."
        });
        expect(body.sections.meetingLink).toEqual({
            status: 'error',
            errorCode: 'HUBSPOT_ERROR',
            errorMessage: 'HubSpot meeting link could not be loaded. Try again in a minute.'
        });
        expect(body.sections.activities.status).toBe('ok');
        // What operators get logged names the failure, never the token.
        for (const { error } of sourceErrors) {
            const logged = JSON.stringify(stdSerializers.err(error as Error));
            expect(logged).toMatch(/HubSpot answered (429|403)|no usable answer from HubSpot \(ECONNRESET\)/);
            expect(logged).not.toContain(sandbox.connection.accessToken);
        }
    });

    it('cuts a slow source off at its deadline and starts no further HubSpot calls for it', async () => {
        await start({ timeouts: { sourceMs: 300 } });
        // Far longer than the deadline, so the bound below holds on a loaded machine too.
        sandbox.handle.addFault({ path: '/associations/notes$', kind: 'delay', delayMs: 2_500 });
        const started = performance.now();
        const body = await timeline(`contact/${ids.contactId}?pageSize=100`);
        expect(performance.now() - started).toBeLessThan(2_000);
        expect(body.sections.activities).toEqual({
            status: 'error',
            errorCode: 'TIMEOUT',
            errorMessage: 'HubSpot activity history did not answer in time. Try again in a minute.'
        });
        expect(body.sections.lifecycle.status).toBe('ok');
        await new Promise((resolve) => setTimeout(resolve, 2_600));
        const reads = Object.keys(sandbox.handle.requestCounts().byEndpoint).filter((e) => e.includes('batch/read'));
        expect(reads).toEqual([]);
    });

    it('answers 404 for a record HubSpot does not have', async () => {
        await start();
        for (const path of ['contact/987654321', 'company/987654321', 'deal/987654321']) {
            const response = await get(path);
            expect(await readError(response)).toEqual({
                status: 404,
                code: 'NOT_FOUND',
                message: `HubSpot has no ${path.split('/')[0]} with ID 987654321.`
            });
        }
    });

    it('answers 503 when HubSpot cannot give the record itself', async () => {
        await start();
        sandbox.handle.addFault({ path: '^/crm/v3/objects/contacts/\\d+$', kind: 'status', status: 500 });
        const error = await readError(await get(`contact/${ids.contactId}`));
        expect(error).toMatchObject({ status: 503, code: 'HUBSPOT_UNAVAILABLE', details: { reason: 'HUBSPOT_ERROR' } });
    });

    it('revalidates with the ETag without calling HubSpot again', async () => {
        await start();
        const first = await get(`contact/${ids.contactId}`);
        const etag = first.headers.get('etag')!;
        const calls = sandbox.handle.requestCounts().total;
        const again = await get(`contact/${ids.contactId}`, { 'if-none-match': etag });
        expect(again.status).toBe(304);
        expect(sandbox.handle.requestCounts().total).toBe(calls);
    });

    it("shows a company's own activities and lifecycle and disables the contact-only sections", async () => {
        await start();
        const body = await timeline(`company/${ids.companyId}`);
        expect(body.summary).toMatchObject({
            displayName: 'Analytical Engines',
            lifecycleStageLabel: 'Customer',
            ownerName: GRACE.name
        });
        expect(body.sections).toMatchObject({
            activities: { status: 'ok' },
            lifecycle: { status: 'ok' },
            meetingLink: { status: 'ok' },
            emailEngagement: { status: 'disabled' },
            website: { status: 'disabled' },
            workflows: { status: 'disabled' },
            sequence: { status: 'disabled' }
        });
        expect(body.events.filter((event) => event.eventType === 'CALL')).toEqual([
            expect.objectContaining({ title: 'Renewal call', direction: 'INBOUND' })
        ]);
        const endpoints = Object.keys(sandbox.handle.requestCounts().byEndpoint).join(' ');
        expect(endpoints).not.toMatch(/events|workflows|sequences/);
    });

    it("shows a deal's pipeline stages as its lifecycle", async () => {
        await start();
        const body = await timeline(`deal/${ids.dealId}`);
        expect(body.summary).toMatchObject({
            lifecycleStageId: 'contractsent',
            lifecycleStageLabel: 'Contract Sent',
            score: null
        });
        const stages = body.lifecycle!.stages;
        expect(stages[0]).toMatchObject({ stageId: 'appointmentscheduled', isCurrent: false });
        expect(stages[0].reachedAt).not.toBeNull();
        expect(stages.find((stage) => stage.isCurrent)?.stageId).toBe('contractsent');
        expect(body.events.map((event) => event.title)).toEqual([
            'Deal stage changed to Contract Sent',
            'Deal stage set to Appointment Scheduled',
            'Note'
        ]);
    });

    it('leaves the Beta sections out when they are switched off', async () => {
        await start({ beta: { meetingLink: false, sequence: false } });
        const body = await timeline(`contact/${ids.contactId}`);
        expect(body.sections.meetingLink.status).toBe('disabled');
        expect(body.sections.sequence.status).toBe('disabled');
        expect(body.meetingLink).toBeNull();
    });

    it('refuses invalid options with every problem named', () => {
        expect(() =>
            createHubSpotTimelineService({
                client: new Client(sandbox.connection),
                portalId: -1,
                appBaseUrl: 'ftp://example.com',
                timeouts: { sourceMs: 1 }
            })
        ).toThrow(/portalId[\s\S]*appBaseUrl[\s\S]*timeouts\.sourceMs/);
    });
});
