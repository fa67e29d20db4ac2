import { labels } from 'c/hubspotIntelligenceLabels';

// One entry per event type of the relay contract (server/src/contract/timeline.ts, timelineEventTypes), in
// contract order. `timelineType` picks the SLDS timeline item colour (email, call, event or task).
const EVENT_TYPES = [
    {
        eventType: 'MARKETING_EMAIL_SENT',
        label: labels.eventMarketingEmailSent,
        iconName: 'standard:email',
        timelineType: 'email'
    },
    {
        eventType: 'MARKETING_EMAIL_DELIVERED',
        label: labels.eventMarketingEmailDelivered,
        iconName: 'standard:email',
        timelineType: 'email'
    },
    {
        eventType: 'MARKETING_EMAIL_OPENED',
        label: labels.eventMarketingEmailOpened,
        iconName: 'standard:email',
        timelineType: 'email'
    },
    {
        eventType: 'MARKETING_EMAIL_CLICKED',
        label: labels.eventMarketingEmailClicked,
        iconName: 'standard:email',
        timelineType: 'email'
    },
    {
        eventType: 'MARKETING_EMAIL_BOUNCED',
        label: labels.eventMarketingEmailBounced,
        iconName: 'standard:email',
        timelineType: 'email'
    },
    { eventType: 'SALES_EMAIL', label: labels.eventSalesEmail, iconName: 'standard:email', timelineType: 'email' },
    { eventType: 'FORM_SUBMISSION', label: labels.eventFormSubmission, iconName: 'standard:form', timelineType: null },
    { eventType: 'PAGE_VIEW', label: labels.eventPageView, iconName: 'standard:link', timelineType: null },
    { eventType: 'MEETING', label: labels.eventMeeting, iconName: 'standard:event', timelineType: 'event' },
    { eventType: 'CALL', label: labels.eventCall, iconName: 'standard:log_a_call', timelineType: 'call' },
    { eventType: 'NOTE', label: labels.eventNote, iconName: 'standard:note', timelineType: 'task' },
    { eventType: 'TASK', label: labels.eventTask, iconName: 'standard:task', timelineType: 'task' },
    {
        eventType: 'LIFECYCLE_STAGE_CHANGE',
        label: labels.eventLifecycleChange,
        iconName: 'standard:stage',
        timelineType: null
    }
];

const BY_EVENT_TYPE = new Map(EVENT_TYPES.map((description) => [description.eventType, description]));

// Unknown types (a newer relay) still render, with a neutral icon and the raw type as text.
const FALLBACK = { label: null, iconName: 'standard:default', timelineType: null };

/** Every event type of the contract, in contract order. */
export const ALL_EVENT_TYPES = EVENT_TYPES.map((description) => description.eventType);

/**
 * How the timeline shows one event type.
 * @param {string} eventType a contract event type
 * @returns {{ eventType: string, label: string, iconName: string, timelineType: string|null }}
 */
export function describeEventType(eventType) {
    return BY_EVENT_TYPE.get(eventType) || { ...FALLBACK, eventType, label: eventType };
}

// The filter offers the five marketing email events as one choice; every other type is its own choice.
const MARKETING_EMAIL_FILTER = {
    value: 'MARKETING_EMAIL',
    label: labels.filterMarketingEmails,
    eventTypes: ALL_EVENT_TYPES.filter((eventType) => eventType.startsWith('MARKETING_EMAIL_'))
};
const FILTERS = [
    MARKETING_EMAIL_FILTER,
    ...EVENT_TYPES.filter((description) => !MARKETING_EMAIL_FILTER.eventTypes.includes(description.eventType)).map(
        (description) => ({
            value: description.eventType,
            label: description.label,
            eventTypes: [description.eventType]
        })
    )
];

/** Options for `lightning-checkbox-group`. */
export const FILTER_OPTIONS = FILTERS.map(({ value, label }) => ({ value, label }));

/** Every filter value, i.e. nothing filtered out. */
export const ALL_FILTER_VALUES = FILTERS.map((filter) => filter.value);

/**
 * The contract event types selected by a set of filter values, in contract order so that equal
 * selections always produce the same Apex call (and hit the same cache entry).
 * @param {string[]} filterValues values of FILTER_OPTIONS
 * @returns {string[]}
 */
export function eventTypesForFilters(filterValues) {
    const selected = new Set(
        FILTERS.filter((filter) => filterValues.includes(filter.value)).flatMap((filter) => filter.eventTypes)
    );
    return ALL_EVENT_TYPES.filter((eventType) => selected.has(eventType));
}
