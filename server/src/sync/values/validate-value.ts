/**
 * Pre-write checks: would the target accept this value? A value that would be rejected (unknown or
 * inactive picklist value, too long, wrong type, required field cleared) becomes a per-field error of
 * the right category before any API call, and the record's other fields still sync.
 */
import type { ErrorCategory } from '../errors';
import type { HubSpotPropertySchema, SalesforceFieldSchema } from '../schema/live-schema';
import type { SalesforceValue } from './conversion';

export interface ValueProblem {
    category: ErrorCategory;
    message: string;
}

/** HubSpot's documented limit for string property values. */
export const hubspotMaxStringLength = 65_536;

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const isoDate = /^\d{4}-\d{2}-\d{2}$/;

function multiValues(value: string): string[] {
    return value
        .split(';')
        .map((item) => item.trim())
        .filter((item) => item !== '');
}

export function validateForSalesforce(value: SalesforceValue, field: SalesforceFieldSchema): ValueProblem | undefined {
    if (value === null || value === '') {
        // Checkboxes are never null in Salesforce; every other non-nillable field is required.
        if (!field.nillable && field.type !== 'boolean') {
            return { category: 'field_value', message: `${field.name} is required and cannot be cleared` };
        }
        return undefined;
    }
    switch (field.type) {
        case 'boolean':
            return typeof value === 'boolean' ? undefined : typeMismatch(field, value, 'true or false');
        case 'int':
        case 'long':
            return Number.isInteger(value) ? undefined : typeMismatch(field, value, 'a whole number');
        case 'double':
        case 'currency':
        case 'percent':
            return typeof value === 'number' && Number.isFinite(value)
                ? undefined
                : typeMismatch(field, value, 'a number');
        case 'date':
            return typeof value === 'string' && isoDate.test(value) ? undefined : typeMismatch(field, value, 'a date');
        case 'datetime':
            return typeof value === 'string' && !Number.isNaN(Date.parse(value))
                ? undefined
                : typeMismatch(field, value, 'a date and time');
        case 'picklist':
            return checkPicklist(field, [String(value)]);
        case 'multipicklist':
            return checkPicklist(field, multiValues(String(value)));
        case 'email':
            if (!emailPattern.test(String(value))) return typeMismatch(field, value, 'an email address');
            return checkLength(field, String(value));
        default:
            return checkLength(field, String(value));
    }
}

function typeMismatch(field: SalesforceFieldSchema, value: SalesforceValue, expected: string): ValueProblem {
    return { category: 'field_value', message: `${field.name} needs ${expected}, not ${JSON.stringify(value)}` };
}

function checkLength(field: SalesforceFieldSchema, value: string): ValueProblem | undefined {
    if (field.length && value.length > field.length) {
        return {
            category: 'field_value',
            message: `${field.name} holds at most ${field.length} characters; the value has ${value.length}`
        };
    }
    return undefined;
}

function checkPicklist(field: SalesforceFieldSchema, values: string[]): ValueProblem | undefined {
    const entries = new Map((field.picklistValues ?? []).map((entry) => [entry.value, entry]));
    for (const value of values) {
        const entry = entries.get(value);
        if (entry && !entry.active) {
            return { category: 'picklist', message: `"${value}" is an inactive value of ${field.name}` };
        }
        if (!entry && field.restrictedPicklist) {
            return {
                category: 'picklist',
                message: `"${value}" is not a value of the restricted picklist ${field.name}`
            };
        }
    }
    return undefined;
}

/** `value` is the HubSpot wire value; `''` clears and is always accepted. */
export function validateForHubSpot(value: string, property: HubSpotPropertySchema): ValueProblem | undefined {
    if (value === '') return undefined;
    switch (property.type) {
        case 'number':
            return Number.isFinite(Number(value)) ? undefined : hubspotMismatch(property, value, 'a number');
        case 'bool':
            return value === 'true' || value === 'false'
                ? undefined
                : hubspotMismatch(property, value, 'true or false');
        case 'date':
            return isoDate.test(value) ? undefined : hubspotMismatch(property, value, 'a date (YYYY-MM-DD)');
        case 'datetime':
            return Number.isNaN(Date.parse(value)) ? hubspotMismatch(property, value, 'a date and time') : undefined;
        case 'enumeration': {
            if (property.externalOptions) return undefined;
            const options = new Set(property.options.map((option) => option.value));
            const values = property.fieldType === 'checkbox' ? multiValues(value) : [value];
            const unknown = values.find((item) => !options.has(item));
            if (unknown !== undefined) {
                return {
                    category: 'picklist',
                    message: `"${unknown}" is not an option of HubSpot property ${property.name}`
                };
            }
            return undefined;
        }
        default:
            if (value.length > hubspotMaxStringLength) {
                return {
                    category: 'field_value',
                    message: `${property.name} holds at most ${hubspotMaxStringLength} characters; the value has ${value.length}`
                };
            }
            return undefined;
    }
}

function hubspotMismatch(property: HubSpotPropertySchema, value: string, expected: string): ValueProblem {
    return { category: 'field_value', message: `${property.name} needs ${expected}, not ${JSON.stringify(value)}` };
}
