import { classifyHubSpotError, classifySalesforceError, isRetryable } from './classify-error';

describe('classifySalesforceError', () => {
    it.each([
        [400, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', 'picklist'],
        [400, 'DUPLICATES_DETECTED', 'duplicate'],
        [400, 'FIELD_CUSTOM_VALIDATION_EXCEPTION', 'validation_rule'],
        [400, 'INSUFFICIENT_ACCESS_OR_READONLY', 'permission'],
        [400, 'INVALID_CROSS_REFERENCE_KEY', 'association'],
        [400, 'STRING_TOO_LONG', 'field_value'],
        [400, 'INVALID_FIELD', 'mapping'],
        [403, 'REQUEST_LIMIT_EXCEEDED', 'api_limit'],
        [400, 'UNABLE_TO_LOCK_ROW', 'transient'],
        [400, 'ALL_OR_NONE_OPERATION_ROLLED_BACK', 'transient'],
        [401, 'INVALID_SESSION_ID', 'transient'],
        [401, undefined, 'permission'],
        [503, undefined, 'transient'],
        [0, undefined, 'transient'],
        [400, 'SOMETHING_NEW', 'field_value']
    ])('%i %s → %s', (status, code, category) => {
        expect(classifySalesforceError(status, code)).toBe(category);
    });
});

describe('classifyHubSpotError', () => {
    it.each([
        [429, { errorType: 'RATE_LIMIT', message: 'You have reached your secondly limit.' }, 'api_limit'],
        [409, { category: 'CONFLICT', message: 'Contact already exists. Existing ID: 501' }, 'duplicate'],
        [403, { category: 'MISSING_SCOPES' }, 'permission'],
        [
            401,
            { category: 'EXPIRED_AUTHENTICATION', message: 'The OAuth token used to make this call expired' },
            'transient'
        ],
        [401, { category: 'INVALID_AUTHENTICATION' }, 'permission'],
        [502, {}, 'transient'],
        [404, { category: 'OBJECT_NOT_FOUND' }, 'association'],
        [
            400,
            {
                category: 'VALIDATION_ERROR',
                errors: [{ code: 'INVALID_OPTION', message: 'x was not one of the allowed options' }]
            },
            'picklist'
        ],
        [
            400,
            {
                category: 'VALIDATION_ERROR',
                message:
                    'Property values were not valid: [{"isValid":false,"message":"reports was not one of the allowed options","error":"INVALID_OPTION","name":"hs_ticket_category"}]'
            },
            'picklist'
        ],
        [400, { category: 'VALIDATION_ERROR', errors: [{ code: 'PROPERTY_DOESNT_EXIST' }] }, 'mapping'],
        [400, { category: 'VALIDATION_ERROR', errors: [{ code: 'INVALID_EMAIL' }] }, 'field_value'],
        [400, undefined, 'field_value']
    ])('%i %j → %s', (status, body, category) => {
        expect(classifyHubSpotError(status, body)).toBe(category);
    });
});

it('retries only what fixes itself', () => {
    expect(isRetryable('transient')).toBe(true);
    expect(isRetryable('api_limit')).toBe(true);
    expect(isRetryable('picklist')).toBe(false);
    expect(isRetryable('validation_rule')).toBe(false);
});
