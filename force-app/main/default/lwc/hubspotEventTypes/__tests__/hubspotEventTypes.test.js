import { ALL_EVENT_TYPES, ALL_FILTER_VALUES, describeEventType, eventTypesForFilters } from 'c/hubspotEventTypes';

// The contract's `timelineEventTypes` (server/src/contract/timeline.ts), as the generated fixtures carry them.
const contractSchema = require('../../../../../../server/src/contract/timeline.schema.json');
const contractEventTypes = contractSchema.$defs.TimelineResponse.properties.events.items.properties.eventType.enum;

describe('hubspotEventTypes', () => {
    it('knows every event type of the contract, in contract order', () => {
        expect(ALL_EVENT_TYPES).toEqual(contractEventTypes);
        for (const eventType of contractEventTypes) {
            expect(describeEventType(eventType).iconName).toMatch(/^standard:/);
        }
    });

    it('shows an event type from a newer relay with a neutral icon and its raw name', () => {
        expect(describeEventType('WHATSAPP_MESSAGE')).toEqual({
            eventType: 'WHATSAPP_MESSAGE',
            label: 'WHATSAPP_MESSAGE',
            iconName: 'standard:default',
            timelineType: null
        });
    });

    it('turns filter choices into contract event types, in contract order', () => {
        expect(eventTypesForFilters(['TASK', 'MARKETING_EMAIL'])).toEqual([
            'MARKETING_EMAIL_SENT',
            'MARKETING_EMAIL_DELIVERED',
            'MARKETING_EMAIL_OPENED',
            'MARKETING_EMAIL_CLICKED',
            'MARKETING_EMAIL_BOUNCED',
            'TASK'
        ]);
        expect(eventTypesForFilters(ALL_FILTER_VALUES)).toEqual(contractEventTypes);
        expect(eventTypesForFilters([])).toEqual([]);
    });
});
