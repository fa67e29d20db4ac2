import { LightningElement, api } from 'lwc';
import LOCALE from '@salesforce/i18n/locale';
import TIME_ZONE from '@salesforce/i18n/timeZone';
import { describeEventType } from 'c/hubspotEventTypes';
import { labels } from 'c/hubspotIntelligenceLabels';
import { groupEventsByMonth } from './monthGroups';

const DIRECTION_LABELS = { INBOUND: labels.directionInbound, OUTBOUND: labels.directionOutbound };

/** HubSpot activity in SLDS timeline markup, one heading and list per month, newest first. */
export default class HubspotActivityTimeline extends LightningElement {
    /** Contract `TimelineEvent`s, newest first. */
    @api events = [];

    labels = labels;

    get months() {
        return groupEventsByMonth(this.events || [], { locale: LOCALE, timeZone: TIME_ZONE }).map((month) => ({
            ...month,
            items: month.events.map(toTimelineItem)
        }));
    }
}

function toTimelineItem(event) {
    const { label, iconName, timelineType } = describeEventType(event.eventType);
    const details = [event.actor, DIRECTION_LABELS[event.direction]].filter(Boolean);
    return {
        ...event,
        typeLabel: label,
        iconName,
        itemClass: timelineType
            ? `slds-timeline__item_expandable slds-timeline__item_${timelineType}`
            : 'slds-timeline__item_expandable',
        details: details.join(' · ')
    };
}
