/**
 * Splits timeline events (newest first, as the relay sends them) into calendar months of the user's
 * time zone, keeping the order. An event at 23:30 UTC on the last day of a month belongs to the next
 * month for a user east of UTC, so the month is computed in `timeZone`, never from the ISO string.
 * @param {object[]} events contract `TimelineEvent`s
 * @param {{ locale: string, timeZone: string }} options the user's locale and time zone
 * @returns {{ key: string, heading: string, events: object[] }[]}
 */
export function groupEventsByMonth(events, { locale, timeZone }) {
    const monthKey = new Intl.DateTimeFormat('en-US', { year: 'numeric', month: '2-digit', timeZone });
    const monthHeading = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', timeZone });
    const groups = [];
    const groupsByKey = new Map();
    for (const event of events) {
        const occurredAt = new Date(event.occurredAt);
        const key = monthKey.format(occurredAt);
        let group = groupsByKey.get(key);
        if (!group) {
            group = { key, heading: monthHeading.format(occurredAt), events: [] };
            groupsByKey.set(key, group);
            groups.push(group);
        }
        group.events.push(event);
    }
    return groups;
}
