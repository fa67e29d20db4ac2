import { reduceErrors } from 'c/ldsUtils';

describe('reduceErrors', () => {
    it('reads the message of an Apex or AuraHandledException error', () => {
        expect(reduceErrors({ body: { message: 'The HubSpot relay is not reachable.' }, status: 500 })).toEqual([
            'The HubSpot relay is not reachable.'
        ]);
    });

    it('reads every message of a UI API read error', () => {
        expect(reduceErrors({ body: [{ message: 'First' }, { message: 'Second' }] })).toEqual(['First', 'Second']);
    });

    it('reads page and field errors of a UI API write', () => {
        const error = {
            body: {
                message: 'An error occurred while trying to update the record.',
                output: {
                    errors: [{ message: 'Record is locked' }],
                    fieldErrors: { Email: [{ message: 'Invalid email' }] }
                }
            }
        };
        expect(reduceErrors(error)).toEqual(['Record is locked', 'Invalid email']);
    });

    it('reads JavaScript errors and falls back to the HTTP status text', () => {
        expect(reduceErrors(new TypeError('x is undefined'))).toEqual(['x is undefined']);
        expect(reduceErrors({ status: 503, statusText: 'Service Unavailable' })).toEqual(['Service Unavailable']);
    });

    it('flattens several errors and drops empty ones', () => {
        expect(
            reduceErrors([null, { body: { message: 'One' } }, undefined, { message: '' }, new Error('Two')])
        ).toEqual(['One', 'Two']);
    });
});
