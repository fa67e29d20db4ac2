import type { PropertyDefinition } from './catalogue/properties';
import { validationError, type HubSpotApiError } from './errors';

/** One rejected property value, in the shape HubSpot embeds in its VALIDATION_ERROR message. */
export interface PropertyIssue {
    name: string;
    error:
        | 'PROPERTY_DOESNT_EXIST'
        | 'REQUIRED_PROPERTY'
        | 'INVALID_OPTION'
        | 'INVALID_EMAIL'
        | 'INVALID_INTEGER'
        | 'INVALID_DATE'
        | 'INVALID_BOOLEAN'
        | 'READ_ONLY_VALUE'
        | 'INVALID_OWNER_ID';
    message: string;
}

const EMAIL = /^[^\s@;,]+@[^\s@;,]+\.[^\s@;,]+$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Parses what HubSpot accepts for date/datetime values: epoch milliseconds or ISO-8601. */
export function parseInstant(value: string): number | undefined {
    if (/^-?\d+$/.test(value)) return Number(value);
    if (!/^\d{4}-\d{2}-\d{2}/.test(value)) return undefined;
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? undefined : ms;
}

function checkValue(definition: PropertyDefinition, value: string): { value: string } | PropertyIssue {
    const name = definition.name;
    if (value === '') return { value };
    switch (definition.type) {
        case 'number':
            return Number.isFinite(Number(value)) && value.trim() !== ''
                ? { value }
                : { name, error: 'INVALID_INTEGER', message: `${value} is not a valid number.` };
        case 'bool':
            return value === 'true' || value === 'false'
                ? { value }
                : { name, error: 'INVALID_BOOLEAN', message: `${value} is not a valid boolean. Use true or false.` };
        case 'datetime': {
            const ms = parseInstant(value);
            return ms === undefined
                ? { name, error: 'INVALID_DATE', message: `${value} is not a valid datetime.` }
                : { value: new Date(ms).toISOString() };
        }
        case 'date': {
            const ms = parseInstant(value);
            if (ms === undefined) return { name, error: 'INVALID_DATE', message: `${value} is not a valid date.` };
            // HubSpot stores dates at midnight UTC and rejects epoch values that carry a time of day.
            if (!ISO_DATE.test(value) && ms % 86_400_000 !== 0)
                return {
                    name,
                    error: 'INVALID_DATE',
                    message: `${value} is at ${new Date(ms).toISOString()}, which is not midnight!`
                };
            return { value: new Date(ms).toISOString().slice(0, 10) };
        }
        case 'enumeration': {
            if (definition.externalOptions) return { value };
            const allowed = definition.options.map((option) => option.value);
            const chosen = definition.fieldType === 'checkbox' ? value.split(';') : [value];
            const invalid = chosen.find((choice) => !allowed.includes(choice));
            return invalid === undefined
                ? { value }
                : {
                      name,
                      error: 'INVALID_OPTION',
                      message: `${invalid} was not one of the allowed options: [${allowed.join(', ')}]`
                  };
        }
        default:
            if (name !== 'email') return { value };
            if (!EMAIL.test(value))
                return { name, error: 'INVALID_EMAIL', message: `Email address ${value} is invalid` };
            // HubSpot stores contact emails lower-cased, whatever spelling was written.
            return { value: value.toLowerCase() };
    }
}

/**
 * Checks and normalizes a property write. Values must be strings (numbers and booleans are coerced, as
 * HubSpot's JSON parser does); an empty string clears. `allowReadOnly` is for the sandbox's own writes
 * (seeding, user edits of calculated fields).
 */
export function validateProperties(
    catalogue: ReadonlyMap<string, PropertyDefinition>,
    input: Record<string, unknown>,
    allowReadOnly = false
): { values: Record<string, string>; issues: PropertyIssue[] } {
    const values: Record<string, string> = {};
    const issues: PropertyIssue[] = [];
    for (const [name, raw] of Object.entries(input)) {
        const definition = catalogue.get(name);
        if (!definition || definition.archived) {
            issues.push({ name, error: 'PROPERTY_DOESNT_EXIST', message: `Property "${name}" does not exist` });
            continue;
        }
        if (definition.modificationMetadata.readOnlyValue && !allowReadOnly) {
            issues.push({
                name,
                error: 'READ_ONLY_VALUE',
                message: `"${name}" is a read only property; its value cannot be set.`
            });
            continue;
        }
        const text =
            raw === null || raw === undefined ? '' : typeof raw === 'object' ? JSON.stringify(raw) : String(raw);
        const checked = checkValue(definition, text);
        if ('error' in checked) issues.push(checked);
        else values[name] = checked.value;
    }
    return { values, issues };
}

/** The 400 HubSpot answers for rejected values: the issues JSON-encoded in the message, and as `errors`. */
export function propertyValidationError(issues: PropertyIssue[]): HubSpotApiError {
    const embedded = issues.map((issue) => ({
        isValid: false,
        message: issue.message,
        error: issue.error,
        name: issue.name,
        localizedErrorMessage: issue.message
    }));
    return validationError(`Property values were not valid: ${JSON.stringify(embedded)}`, {
        errors: issues.map((issue) => ({
            message: issue.message,
            code: issue.error,
            context: { propertyName: [issue.name] }
        }))
    });
}
