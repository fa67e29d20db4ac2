/**
 * API failures → sync error categories, so the adapters record every rejected write under the same
 * taxonomy the planner uses for the errors it catches before writing. Pure: the adapters pass the
 * status and the parsed error body, never the client's exception object.
 */
import type { ErrorCategory } from './errors';

/** Salesforce `errorCode` (top level) or `statusCode` (per record in collection results). */
const salesforceCategories: Record<string, ErrorCategory> = {
    INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: 'picklist',
    INACTIVE_PICKLIST_VALUE: 'picklist',
    DUPLICATE_VALUE: 'duplicate',
    DUPLICATES_DETECTED: 'duplicate',
    INSUFFICIENT_ACCESS: 'permission',
    INSUFFICIENT_ACCESS_OR_READONLY: 'permission',
    INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY: 'permission',
    INVALID_FIELD_FOR_INSERT_UPDATE: 'permission',
    FIELD_INTEGRITY_EXCEPTION: 'association',
    INVALID_CROSS_REFERENCE_KEY: 'association',
    ENTITY_IS_DELETED: 'association',
    FIELD_CUSTOM_VALIDATION_EXCEPTION: 'validation_rule',
    FIELD_FILTER_VALIDATION_EXCEPTION: 'validation_rule',
    CANNOT_EXECUTE_FLOW_TRIGGER: 'validation_rule',
    CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY: 'validation_rule',
    CANNOT_UPDATE_CONVERTED_LEAD: 'validation_rule',
    REQUIRED_FIELD_MISSING: 'field_value',
    STRING_TOO_LONG: 'field_value',
    INVALID_EMAIL_ADDRESS: 'field_value',
    INVALID_TYPE_ON_FIELD_IN_RECORD: 'field_value',
    NUMBER_OUTSIDE_VALID_RANGE: 'field_value',
    MALFORMED_ID: 'field_value',
    INVALID_FIELD: 'mapping',
    REQUEST_LIMIT_EXCEEDED: 'api_limit',
    TXN_SECURITY_METERING_ERROR: 'api_limit',
    UNABLE_TO_LOCK_ROW: 'transient',
    SERVER_UNAVAILABLE: 'transient',
    // The session expired while the call was made: the connection logs in again, the record was fine.
    INVALID_SESSION_ID: 'transient',
    // A collection with allOrNone rolled back: the record itself was fine and is retried.
    ALL_OR_NONE_OPERATION_ROLLED_BACK: 'transient'
};

export function classifySalesforceError(status: number, errorCode: string | undefined): ErrorCategory {
    const known = errorCode === undefined ? undefined : salesforceCategories[errorCode];
    if (known) return known;
    if (status === 401 || status === 403) return 'permission';
    if (status === 429) return 'api_limit';
    if (status >= 500 || status === 0) return 'transient';
    return 'field_value';
}

/** HubSpot per-property error codes in `VALIDATION_ERROR` bodies. */
const hubspotCodes: Record<string, ErrorCategory> = {
    INVALID_OPTION: 'picklist',
    PROPERTY_DOESNT_EXIST: 'mapping',
    READ_ONLY_VALUE: 'mapping',
    INVALID_EMAIL: 'field_value',
    INVALID_INTEGER: 'field_value',
    INVALID_DECIMAL: 'field_value',
    INVALID_DATE: 'field_value',
    INVALID_LONG: 'field_value',
    INVALID_BOOLEAN: 'field_value',
    CONTACT_EXISTS: 'duplicate'
};

export interface HubSpotErrorBody {
    category?: string;
    errorType?: string;
    message?: string;
    errors?: { code?: string; message?: string }[];
}

export function classifyHubSpotError(status: number, body: HubSpotErrorBody = {}): ErrorCategory {
    if (status === 429 || body.errorType === 'RATE_LIMIT' || body.category === 'RATE_LIMITS') return 'api_limit';
    if (status === 409 || body.category === 'CONFLICT') return 'duplicate';
    // The token expired during the call (HubSpot's OAuth tokens live 30 minutes): the next call carries a
    // fresh one, so the write is retried like any transient failure instead of waiting for an admin.
    if (body.category === 'EXPIRED_AUTHENTICATION') return 'transient';
    if (status === 401 || status === 403 || body.category === 'MISSING_SCOPES') return 'permission';
    if (status >= 500 || status === 0) return 'transient';
    for (const detail of body.errors ?? []) {
        const known = detail.code === undefined ? undefined : hubspotCodes[detail.code];
        if (known) return known;
    }
    // v3 validation bodies embed the per-property errors as JSON text inside `message`.
    const embedded = body.message?.match(/"error":"([A-Z_]+)"/)?.[1];
    if (embedded && hubspotCodes[embedded]) return hubspotCodes[embedded];
    if (status === 404 || body.category === 'OBJECT_NOT_FOUND') return 'association';
    return 'field_value';
}

/** Categories worth retrying on the next run without anyone fixing data first. */
export function isRetryable(category: ErrorCategory): boolean {
    return category === 'transient' || category === 'api_limit';
}
