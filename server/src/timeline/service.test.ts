import { TimelineResponse, type TimelineEvent } from '../contract/timeline';
import {
    exampleEvents,
    exampleSectionData,
    exampleRecordSource,
    exampleSources,
    exampleTimelineService,
    staticSource
} from '../relay/__tests__/support';
import { decodeCursor } from './cursor';
import { TimelineRecordNotFoundError, TimelineRecordUnavailableError, TimelineService } from './service';
import { TimelineSourceError, type TimelineSource } from './source';

const contact = { objectType: 'contact', hubspotId: '51' } as const;
const sortedIds = [...exampleEvents]
    .sort((a, b) => Date.parse(b.occurredAt) - Date.parse(a.occurredAt))
    .map((event) => event.eventId);

/** A source that answers after `ms`, or never when it is aborted first (it honours the signal). */
function slowSource<S extends TimelineSource>(source: S, ms: number): S {
    return {
        ...source,
        fetch: (request) =>
            new Promise((resolve, reject) => {
                const timer = setTimeout(() => resolve(source.fetch(request)), ms);
                request.signal.addEventListener('abort', () => {
                    clearTimeout(timer);
                    reject(request.signal.reason);
                });
            })
    } as S;
}

function failingSource<S extends TimelineSource['section']>(section: S, error: unknown): TimelineSource<S> {
    return { section, fetch: () => Promise.reject(error) };
}

describe('TimelineService', () => {
    it('merges every section into a valid response, newest first', async () => {
        const timeline = await exampleTimelineService().getTimeline(contact, { pageSize: 100 });
        expect(TimelineResponse.safeParse(timeline).error).toBeUndefined();
        expect(timeline.events.map((event) => event.eventId)).toEqual(sortedIds);
        expect(timeline.nextCursor).toBeNull();
        expect(Object.values(timeline.sections).every((section) => section.status === 'ok')).toBe(true);
        expect(timeline).toMatchObject({
            objectType: 'contact',
            hubspotId: '51',
            summary: { displayName: 'Ada Lovelace' }
        });
        expect(timeline.workflows).toHaveLength(2);
    });

    it('pages through every event exactly once with opaque cursors', async () => {
        const service = exampleTimelineService();
        const seen: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
            const after = cursor ? decodeCursor(cursor) : null;
            const page: TimelineResponse = await service.getTimeline(contact, { pageSize: 5, after });
            expect(TimelineResponse.safeParse(page).success).toBe(true);
            seen.push(...page.events.map((event) => event.eventId));
            cursor = page.nextCursor;
            pages += 1;
        } while (cursor);
        expect(seen).toEqual(sortedIds);
        expect(pages).toBe(Math.ceil(sortedIds.length / 5));
    });

    it('filters by event type before paging', async () => {
        const timeline = await exampleTimelineService().getTimeline(contact, {
            pageSize: 2,
            types: ['MARKETING_EMAIL_OPENED', 'MARKETING_EMAIL_CLICKED', 'MARKETING_EMAIL_BOUNCED']
        });
        expect(timeline.events.map((event) => event.eventType)).toEqual([
            'MARKETING_EMAIL_CLICKED',
            'MARKETING_EMAIL_OPENED'
        ]);
        const rest = await exampleTimelineService().getTimeline(contact, {
            pageSize: 2,
            types: ['MARKETING_EMAIL_OPENED', 'MARKETING_EMAIL_CLICKED', 'MARKETING_EMAIL_BOUNCED'],
            after: decodeCursor(timeline.nextCursor!)
        });
        expect(rest.events.map((event) => event.eventType)).toEqual(['MARKETING_EMAIL_BOUNCED']);
        expect(rest.nextCursor).toBeNull();
    });

    it('orders events at the same instant by id and drops the same event reported twice', async () => {
        const at = '2026-11-19T15:41:00.000Z';
        const make = (eventId: string): TimelineEvent => ({
            eventId,
            eventType: 'NOTE',
            occurredAt: at,
            title: 'Note',
            body: null,
            url: null,
            actor: null,
            direction: null
        });
        const activities: TimelineSource<'activities'> = {
            section: 'activities',
            fetch: async () => ({ data: null, events: [make('NOTE:1'), make('NOTE:3'), make('NOTE:2')] })
        };
        const lifecycle: TimelineSource<'lifecycle'> = {
            section: 'lifecycle',
            fetch: async () => ({ data: exampleSectionData.lifecycle, events: [make('NOTE:3')] })
        };
        const service = new TimelineService({ record: exampleRecordSource(), sources: { activities, lifecycle } });
        const first = await service.getTimeline(contact, { pageSize: 2 });
        expect(first.events.map((event) => event.eventId)).toEqual(['NOTE:3', 'NOTE:2']);
        const second = await service.getTimeline(contact, { pageSize: 2, after: decodeCursor(first.nextCursor!) });
        expect(second.events.map((event) => event.eventId)).toEqual(['NOTE:1']);
    });

    it('reports a failing section and still answers the others', async () => {
        const errors: string[] = [];
        const service = exampleTimelineService({
            sources: { ...exampleSources(), website: failingSource('website', new Error('socket hang up 10.0.0.7')) },
            onSourceError: (section, code) => errors.push(`${section}:${code}`)
        });
        const timeline = await service.getTimeline(contact, { pageSize: 100 });
        expect(TimelineResponse.safeParse(timeline).success).toBe(true);
        expect(timeline.sections.website).toEqual({
            status: 'error',
            errorCode: 'HUBSPOT_ERROR',
            errorMessage: 'HubSpot website analytics could not be loaded. Try again in a minute.'
        });
        expect(timeline.website).toBeNull();
        expect(timeline.events.some((event) => event.eventType === 'PAGE_VIEW')).toBe(false);
        expect(timeline.lifecycle).not.toBeNull();
        expect(timeline.sections.lifecycle.status).toBe('ok');
        expect(errors).toEqual(['website:HUBSPOT_ERROR']);
    });

    it('passes on the code and rep message of a TimelineSourceError', async () => {
        const service = exampleTimelineService({
            sources: {
                ...exampleSources(),
                workflows: failingSource(
                    'workflows',
                    new TimelineSourceError('RATE_LIMITED', 'HubSpot is busy. Try again shortly.')
                )
            }
        });
        const timeline = await service.getTimeline(contact, { pageSize: 1 });
        expect(timeline.sections.workflows).toEqual({
            status: 'error',
            errorCode: 'RATE_LIMITED',
            errorMessage: 'HubSpot is busy. Try again shortly.'
        });
        expect(timeline.workflows).toBeNull();
    });

    it('refuses data that breaks the contract instead of passing it on', async () => {
        const bad: TimelineSource<'emailEngagement'> = {
            section: 'emailEngagement',
            fetch: async () => ({ data: { sent: -1 } as never, events: [] })
        };
        const timeline = await exampleTimelineService({
            sources: { ...exampleSources(), emailEngagement: bad }
        }).getTimeline(contact, { pageSize: 1 });
        expect(timeline.sections.emailEngagement).toMatchObject({ status: 'error', errorCode: 'INVALID_DATA' });
        expect(TimelineResponse.safeParse(timeline).success).toBe(true);
    });

    it('marks sections without a source as disabled', async () => {
        const { meetingLink: _m, sequence: _s, ...betaOff } = exampleSources();
        const timeline = await exampleTimelineService({ sources: betaOff }).getTimeline(contact, { pageSize: 1 });
        expect(timeline.sections.meetingLink).toEqual({ status: 'disabled', errorCode: null, errorMessage: null });
        expect(timeline.sequence).toBeNull();
    });

    it('fetches sources in parallel and cuts a slow one off at its deadline', async () => {
        const sources = Object.fromEntries(
            Object.entries(exampleSources()).map(([section, source]) => [section, slowSource(source, 40)])
        );
        const service = exampleTimelineService({
            sources: { ...sources, website: slowSource(staticSource('website'), 10_000) },
            sourceTimeoutMs: 150
        });
        const started = performance.now();
        const timeline = await service.getTimeline(contact, { pageSize: 10 });
        const elapsed = performance.now() - started;
        expect(elapsed).toBeGreaterThanOrEqual(140);
        // The website source would take 10 s: well under that means it was cut off (the margin is for loaded CI).
        expect(elapsed).toBeLessThan(3_000);
        expect(timeline.sections.website).toEqual({
            status: 'error',
            errorCode: 'TIMEOUT',
            errorMessage: 'HubSpot website analytics did not answer in time. Try again in a minute.'
        });
        expect(timeline.sections.activities.status).toBe('ok');
    });

    it('does not wait for a source that ignores the abort signal', async () => {
        const hung: TimelineSource<'sequence'> = { section: 'sequence', fetch: () => new Promise(() => undefined) };
        const service = exampleTimelineService({
            sources: { ...exampleSources(), sequence: hung },
            sourceTimeoutMs: 50
        });
        const timeline = await service.getTimeline(contact, { pageSize: 1 });
        expect(timeline.sections.sequence.errorCode).toBe('TIMEOUT');
    });

    it('answers not found and unavailable for the record itself', async () => {
        await expect(
            exampleTimelineService().getTimeline({ objectType: 'contact', hubspotId: '404' }, { pageSize: 1 })
        ).rejects.toBeInstanceOf(TimelineRecordNotFoundError);
        const down = exampleTimelineService({ record: { fetch: () => Promise.reject(new Error('ECONNREFUSED')) } });
        await expect(down.getTimeline(contact, { pageSize: 1 })).rejects.toBeInstanceOf(TimelineRecordUnavailableError);
    });

    it('caches complete results for the TTL, shares concurrent fetches, and never caches partial ones', async () => {
        let now = 1_000_000;
        const sources = exampleSources();
        const record = exampleRecordSource();
        const service = new TimelineService({ record, sources, cacheTtlMs: 30_000, now: () => now });
        await Promise.all([
            service.getTimeline(contact, { pageSize: 5 }),
            service.getTimeline(contact, { pageSize: 5 })
        ]);
        await service.getTimeline(contact, { pageSize: 5, types: ['CALL'] });
        expect(record.calls).toBe(1);
        now += 30_001;
        await service.getTimeline(contact, { pageSize: 5 });
        expect(record.calls).toBe(2);

        const partialRecord = exampleRecordSource();
        const partial = new TimelineService({
            record: partialRecord,
            sources: { ...sources, website: failingSource('website', new Error('down')) }
        });
        await partial.getTimeline(contact, { pageSize: 5 });
        await partial.getTimeline(contact, { pageSize: 5 });
        expect(partialRecord.calls).toBe(2);
    });
});
