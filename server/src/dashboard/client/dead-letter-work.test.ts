/** How the dead-letter view names a queue stream and key, and which keys it links to the record lookup. */
import { contactIds } from '../../ops/__tests__/fixtures';
import { describeDeadLetterWork } from './dead-letter-work';

describe('describeDeadLetterWork', () => {
    it('links a Salesforce record change to the lookup of that record', () => {
        expect(describeDeadLetterWork('salesforce:Contact', contactIds[0]!)).toEqual({
            kind: 'Salesforce change',
            label: `Contact ${contactIds[0]}`,
            lookupHash: `#/records?side=salesforce&object=Contact&id=${contactIds[0]}`
        });
    });

    it('links a HubSpot record change to the lookup of that record', () => {
        expect(describeDeadLetterWork('hubspot:contacts', '501')).toEqual({
            kind: 'HubSpot change',
            label: 'HubSpot contacts 501',
            lookupHash: '#/records?side=hubspot&object=contacts&id=501'
        });
    });

    it('names a reconcile by its object, with nothing to look up', () => {
        expect(describeDeadLetterWork('reconcile', 'Lead')).toEqual({
            kind: 'Reconcile of a whole object',
            label: 'All Lead records',
            lookupHash: null
        });
    });

    it.each([
        ['salesforce:Contact', '003000000000001', 'a 15-character ID the lookup refuses'],
        ['salesforce:Contact', `${contactIds[0]!.slice(0, 15)}ZZZ`, 'an ID whose checksum does not match'],
        ['hubspot:contacts', 'abc', 'a HubSpot key that is not a numeric ID'],
        ['hubspot:', '501', 'a stream without an object']
    ])('does not link %s %s (%s)', (stream, key) => {
        expect(describeDeadLetterWork(stream, key).lookupHash).toBeNull();
    });

    it('shows an unknown stream as it is', () => {
        expect(describeDeadLetterWork('lead_to_contact', '00Q1')).toEqual({
            kind: 'lead_to_contact',
            label: '00Q1',
            lookupHash: null
        });
    });
});
