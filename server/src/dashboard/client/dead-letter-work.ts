/**
 * What a dead letter's queue stream and key mean, for people: the fast path's streams are
 * `salesforce:<Object>` and `hubspot:<objectType>` (one record each) and `reconcile` (a whole object).
 */
import { isValidSalesforceId18 } from '../../relay/salesforce-id';
import { query } from './api';

export interface DeadLetterWork {
    /** What kind of work it was: a record change from one side, or a whole-object reconcile. */
    kind: string;
    /** The record (or object) as the operator names it. */
    label: string;
    /** The record lookup page's deep link; null when the key is not a record that page can open. */
    lookupHash: string | null;
}

const salesforceObject = /^[A-Za-z][A-Za-z0-9_]*$/;
const hubspotId = /^[0-9]{1,20}$/;

const lookupHash = (side: 'salesforce' | 'hubspot', object: string, id: string): string =>
    `#/records${query({ side, object, id })}`;

export function describeDeadLetterWork(stream: string, recordKey: string): DeadLetterWork {
    const separator = stream.indexOf(':');
    const source = separator < 0 ? stream : stream.slice(0, separator);
    const object = stream.slice(separator + 1);
    if (stream === 'reconcile') {
        return { kind: 'Reconcile of a whole object', label: `All ${recordKey} records`, lookupHash: null };
    }
    if (source === 'salesforce' && separator > 0) {
        const linkable = salesforceObject.test(object) && isValidSalesforceId18(recordKey);
        return {
            kind: 'Salesforce change',
            label: `${object} ${recordKey}`,
            lookupHash: linkable ? lookupHash('salesforce', object, recordKey) : null
        };
    }
    if (source === 'hubspot' && separator > 0) {
        const linkable = object.length > 0 && hubspotId.test(recordKey);
        return {
            kind: 'HubSpot change',
            label: `HubSpot ${object} ${recordKey}`,
            lookupHash: linkable ? lookupHash('hubspot', object, recordKey) : null
        };
    }
    return { kind: stream, label: recordKey, lookupHash: null };
}
