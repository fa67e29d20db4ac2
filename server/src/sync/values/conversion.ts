/**
 * Field values across the two type systems, following the seed's compatibility table.
 *
 * Salesforce values are JSON primitives (`string | number | boolean | null`); HubSpot values are always
 * strings, where an empty string means blank. Each mapped field gets one `Conversion` (chosen from the
 * two live field types by `chooseConversion`) and every value crosses with `toHubSpot` / `toSalesforce`.
 * `canonical*` give the form used for equality and hashing, so `17` and `"17.0"` or two spellings of
 * one instant are the same value and never count as a change.
 */
import type { ErrorCategory } from '../errors';
import type { ValueMap } from '../mapping/schema';
import type { HubSpotPropertySchema, SalesforceFieldSchema } from '../schema/live-schema';
import type { OwnerDirectory } from './owners';

export type SalesforceValue = string | number | boolean | null;
export type HubSpotValue = string | null;

export const conversions = [
    'text',
    'email',
    'picklist',
    'multipicklist',
    'date',
    'datetime',
    'datetime_to_date',
    'date_to_datetime',
    'number',
    'boolean',
    'owner'
] as const;
export type Conversion = (typeof conversions)[number];

type SalesforceKind =
    'text' | 'email' | 'picklist' | 'multipicklist' | 'boolean' | 'number' | 'date' | 'datetime' | 'owner';
type HubSpotKind = 'text' | 'select' | 'multiselect' | 'boolean' | 'number' | 'date' | 'datetime';

const salesforceKindByType: Record<string, SalesforceKind> = {
    string: 'text',
    textarea: 'text',
    email: 'email',
    phone: 'text',
    url: 'text',
    id: 'text',
    combobox: 'text',
    encryptedstring: 'text',
    reference: 'text',
    picklist: 'picklist',
    multipicklist: 'multipicklist',
    boolean: 'boolean',
    int: 'number',
    long: 'number',
    double: 'number',
    percent: 'number',
    currency: 'number',
    date: 'date',
    datetime: 'datetime'
};

export function salesforceKind(field: SalesforceFieldSchema, owner: boolean): SalesforceKind | undefined {
    if (owner) return field.type === 'reference' ? 'owner' : undefined;
    return salesforceKindByType[field.type];
}

export function hubspotKind(property: HubSpotPropertySchema): HubSpotKind | undefined {
    if (property.fieldType === 'file') return undefined;
    switch (property.type) {
        case 'string':
        case 'phone_number':
            return 'text';
        case 'number':
            return 'number';
        case 'date':
            return 'date';
        case 'datetime':
            return 'datetime';
        case 'bool':
            return 'boolean';
        case 'enumeration':
            if (property.fieldType === 'checkbox') return 'multiselect';
            if (property.fieldType === 'booleancheckbox') return 'boolean';
            return 'select';
        default:
            return undefined;
    }
}

/** The compatibility table: which pairs of kinds sync, and how. Anything absent is a type mismatch. */
const compatibility: Record<SalesforceKind, Partial<Record<HubSpotKind, Conversion>>> = {
    text: { text: 'text', select: 'picklist' },
    // HubSpot stores emails lower-cased: they compare without case, so a capitalised address is no change.
    email: { text: 'email', select: 'picklist' },
    picklist: { select: 'picklist', text: 'picklist' },
    multipicklist: { multiselect: 'multipicklist', text: 'multipicklist' },
    boolean: { boolean: 'boolean' },
    number: { number: 'number' },
    date: { date: 'date', datetime: 'date_to_datetime' },
    datetime: { datetime: 'datetime', date: 'datetime_to_date' },
    owner: { select: 'owner', number: 'owner', text: 'owner' }
};

export function chooseConversion(
    field: SalesforceFieldSchema,
    property: HubSpotPropertySchema,
    owner: boolean
): Conversion | undefined {
    const fromKind = salesforceKind(field, owner);
    const toKind = hubspotKind(property);
    if (!fromKind || !toKind) return undefined;
    return compatibility[fromKind][toKind];
}

export interface ConversionContext {
    valueMap?: ValueMap;
    owners?: OwnerDirectory;
}

export type Converted<T> = { ok: true; value: T } | { ok: false; category: ErrorCategory; message: string };

const ok = <T>(value: T): Converted<T> => ({ ok: true, value });
const fail = <T>(category: ErrorCategory, message: string): Converted<T> => ({ ok: false, category, message });

export function isBlank(value: SalesforceValue | undefined): value is null | undefined | '' {
    return value === null || value === undefined || value === '';
}

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

/** Salesforce writes `+0000` offsets, which not every Date parser accepts; epoch milliseconds come from HubSpot. */
function parseInstant(value: string): Date | undefined {
    const text = /^\d{10,}$/.test(value) ? Number(value) : value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
    const date = new Date(text);
    return Number.isNaN(date.getTime()) ? undefined : date;
}

function parseDate(value: string): string | undefined {
    if (isoDate.test(value)) return Number.isNaN(Date.parse(value)) ? undefined : value;
    return parseInstant(value)?.toISOString().slice(0, 10);
}

function reverseLookup(valueMap: ValueMap | undefined, hubspotValue: string): string {
    if (!valueMap) return hubspotValue;
    const entry = Object.entries(valueMap).find(([, mapped]) => mapped === hubspotValue);
    return entry ? entry[0] : hubspotValue;
}

function splitMulti(value: string): string[] {
    return value
        .split(';')
        .map((item) => item.trim())
        .filter((item) => item !== '');
}

/** Salesforce value → HubSpot wire value (`''` clears the property). */
export function toHubSpot(
    conversion: Conversion,
    value: SalesforceValue,
    context: ConversionContext = {}
): Converted<string> {
    if (isBlank(value)) return ok('');
    switch (conversion) {
        case 'text':
        case 'email':
            return ok(String(value));
        case 'picklist':
            return ok(context.valueMap?.[String(value)] ?? String(value));
        case 'multipicklist':
            return ok(
                splitMulti(String(value))
                    .map((item) => context.valueMap?.[item] ?? item)
                    .join(';')
            );
        case 'number': {
            const number = typeof value === 'number' ? value : Number(value);
            return Number.isFinite(number)
                ? ok(String(number))
                : fail('field_value', `${String(value)} is not a number`);
        }
        case 'boolean':
            if (typeof value === 'boolean') return ok(value ? 'true' : 'false');
            return fail('field_value', `${String(value)} is not a checkbox value`);
        case 'date':
        case 'date_to_datetime': {
            const date = parseDate(String(value));
            if (!date) return fail('field_value', `${String(value)} is not a date`);
            return ok(conversion === 'date' ? date : `${date}T00:00:00.000Z`);
        }
        case 'datetime':
        case 'datetime_to_date': {
            const instant = parseInstant(String(value));
            if (!instant) return fail('field_value', `${String(value)} is not a date and time`);
            // HubSpot date properties hold midnight UTC, so the time of day is dropped on purpose.
            return ok(conversion === 'datetime' ? instant.toISOString() : instant.toISOString().slice(0, 10));
        }
        case 'owner': {
            const ownerId = context.owners?.hubspotOwnerForUser(String(value));
            if (ownerId === undefined && context.owners?.isUnassigned(String(value))) return ok('');
            if (ownerId === undefined) {
                return fail(
                    'mapping',
                    `Salesforce user ${String(value)} has no active HubSpot owner with the same email`
                );
            }
            return ok(ownerId);
        }
    }
}

/** HubSpot value → Salesforce value (`null` clears the field). */
export function toSalesforce(
    conversion: Conversion,
    value: HubSpotValue,
    context: ConversionContext = {}
): Converted<SalesforceValue> {
    if (value === null || value === '') return ok(null);
    switch (conversion) {
        case 'text':
        case 'email':
            return ok(value);
        case 'picklist':
            return ok(reverseLookup(context.valueMap, value));
        case 'multipicklist':
            return ok(
                splitMulti(value)
                    .map((item) => reverseLookup(context.valueMap, item))
                    .join(';')
            );
        case 'number': {
            const number = Number(value.trim());
            return value.trim() !== '' && Number.isFinite(number)
                ? ok(number)
                : fail('field_value', `${value} is not a number`);
        }
        case 'boolean':
            if (value === 'true' || value === 'false') return ok(value === 'true');
            return fail('field_value', `${value} is not true or false`);
        case 'date':
        case 'date_to_datetime': {
            const date = parseDate(value);
            return date ? ok(date) : fail('field_value', `${value} is not a date`);
        }
        case 'datetime': {
            const instant = parseInstant(value);
            return instant ? ok(instant.toISOString()) : fail('field_value', `${value} is not a date and time`);
        }
        case 'datetime_to_date': {
            const date = parseDate(value);
            return date ? ok(`${date}T00:00:00.000Z`) : fail('field_value', `${value} is not a date`);
        }
        case 'owner': {
            const userId = context.owners?.salesforceUserForOwner(value);
            if (userId === undefined) {
                return fail('mapping', `HubSpot owner ${value} has no active Salesforce user with the same email`);
            }
            return ok(userId);
        }
    }
}

/**
 * The comparable form of a HubSpot value: blanks are null, numbers, dates and instants are normalised,
 * multi-select values are sorted. Unparseable values stay as they are (they still compare by text).
 */
export function canonicalHubSpot(conversion: Conversion, value: HubSpotValue | undefined): string | null {
    if (value === null || value === undefined || value === '') return null;
    switch (conversion) {
        case 'multipicklist':
            return [...new Set(splitMulti(value))].sort().join(';') || null;
        case 'number': {
            const number = Number(value);
            return Number.isFinite(number) ? String(number) : value;
        }
        case 'date':
        case 'datetime_to_date':
            return parseDate(value) ?? value;
        case 'datetime':
        case 'date_to_datetime':
            return parseInstant(value)?.toISOString() ?? value;
        case 'email':
            return value.trim().toLowerCase() || null;
        default:
            return value;
    }
}

/** The comparable form of a Salesforce value, in the same terms as `canonicalHubSpot`. */
export function canonicalSalesforce(conversion: Conversion, value: SalesforceValue | undefined): string | null {
    if (isBlank(value)) return null;
    switch (conversion) {
        case 'multipicklist':
            return [...new Set(splitMulti(String(value)))].sort().join(';') || null;
        case 'number':
            return typeof value === 'number' ? String(value) : (canonicalHubSpot('number', String(value)) ?? null);
        case 'date':
        case 'date_to_datetime':
            return parseDate(String(value)) ?? String(value);
        case 'datetime':
        case 'datetime_to_date':
            return parseInstant(String(value))?.toISOString() ?? String(value);
        case 'email':
            return String(value).trim().toLowerCase() || null;
        default:
            return String(value);
    }
}
