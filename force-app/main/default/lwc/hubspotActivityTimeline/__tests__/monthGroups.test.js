import { groupEventsByMonth } from '../monthGroups';

const event = (eventId, occurredAt) => ({ eventId, occurredAt });

describe('groupEventsByMonth', () => {
    it('keeps the order of the events and of the months', () => {
        const groups = groupEventsByMonth(
            [
                event('a', '2026-11-19T15:41:00.000Z'),
                event('b', '2026-11-02T09:00:00.000Z'),
                event('c', '2026-09-30T08:44:00.000Z')
            ],
            { locale: 'en-US', timeZone: 'UTC' }
        );
        expect(groups.map((group) => [group.heading, group.events.map((e) => e.eventId)])).toEqual([
            ['November 2026', ['a', 'b']],
            ['September 2026', ['c']]
        ]);
    });

    it('puts an event in the month of the user time zone, not the month of the UTC timestamp', () => {
        const lateOnHalloween = [event('x', '2026-10-31T23:30:00.000Z')];
        expect(groupEventsByMonth(lateOnHalloween, { locale: 'en-US', timeZone: 'Europe/Berlin' })[0].heading).toBe(
            'November 2026'
        );
        expect(
            groupEventsByMonth(lateOnHalloween, { locale: 'en-US', timeZone: 'America/Los_Angeles' })[0].heading
        ).toBe('October 2026');
    });

    it('writes the heading in the user locale', () => {
        const [group] = groupEventsByMonth([event('x', '2026-03-10T12:00:00.000Z')], {
            locale: 'de-DE',
            timeZone: 'UTC'
        });
        expect(group.heading).toBe('März 2026');
    });

    it('returns no group for no events', () => {
        expect(groupEventsByMonth([], { locale: 'en-US', timeZone: 'UTC' })).toEqual([]);
    });
});
