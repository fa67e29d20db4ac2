import { toId18 } from './ids';
import { SalesforceError } from './errors';
import type { FieldDef, ObjectDef } from './schema/types';
import type { RecordStore } from './store';
import { parseDateInput, parseDateTimeInput } from './wire-format';

/**
 * Turning a JSON record body into stored values, with the platform's checks and error codes. Errors that
 * Salesforce raises while deserialising the whole request (unknown field, wrong JSON type) are marked
 * `requestLevel`: a collection answers them with one top-level 400 rather than a per-record error.
 */
export class RequestLevelError extends SalesforceError {}

export type WriteMode = 'create' | 'update';

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

function deserializeError(field: FieldDef, raw: unknown, expected: string): RequestLevelError {
    const token =
        typeof raw === 'string'
            ? 'VALUE_STRING'
            : Array.isArray(raw)
              ? 'START_ARRAY'
              : typeof raw === 'object'
                ? 'START_OBJECT'
                : `VALUE_${String(typeof raw).toUpperCase()}`;
    return new RequestLevelError(
        400,
        'JSON_PARSER_ERROR',
        `Cannot deserialize instance of ${expected} from ${token} value ${typeof raw === 'object' ? JSON.stringify(raw) : String(raw)} or request may be missing a required field`,
        [field.name]
    );
}

function resolvePicklistValue(field: FieldDef, value: string): string {
    const exact = field.picklistValues.find((v) => v.value === value);
    const match = exact ?? field.picklistValues.find((v) => v.value.toLowerCase() === value.toLowerCase());
    if (field.restrictedPicklist && (!match || !match.active)) {
        throw new SalesforceError(
            400,
            'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
            `${field.label}: bad value for restricted picklist field: ${value}`,
            [field.name]
        );
    }
    return match?.value ?? value;
}

function checkLength(field: FieldDef, value: string): string {
    if (field.length > 0 && value.length > field.length) {
        throw new SalesforceError(
            400,
            'STRING_TOO_LONG',
            `${field.label}: data value too large: ${value.length > 100 ? `${value.slice(0, 100)}...` : value} (max length=${field.length})`,
            [field.name]
        );
    }
    return value;
}

/** Converts one JSON value into the stored representation of `field`; `null` clears the field. */
export function coerceFieldValue(field: FieldDef, raw: unknown, store: RecordStore): unknown {
    if (raw === null || raw === undefined || raw === '') return field.type === 'boolean' ? false : null;
    if (typeof raw === 'object') throw deserializeError(field, raw, field.type === 'boolean' ? 'boolean' : 'String');
    switch (field.type) {
        case 'boolean':
            if (typeof raw === 'boolean') return raw;
            if (raw === 'true' || raw === 'false') return raw === 'true';
            throw deserializeError(field, raw, 'boolean');
        case 'int':
        case 'double':
        case 'currency':
        case 'percent': {
            const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
            if (!Number.isFinite(n) || (field.type === 'int' && !Number.isInteger(n))) {
                throw deserializeError(field, raw, field.type === 'int' ? 'int' : 'double');
            }
            const integerDigits = Math.trunc(Math.abs(n)).toString().length;
            if (field.precision > 0 && integerDigits > field.precision - field.scale) {
                throw new SalesforceError(
                    400,
                    'NUMBER_OUTSIDE_VALID_RANGE',
                    `${field.label}: value outside of valid range on numeric field: ${n}`,
                    [field.name]
                );
            }
            return field.scale > 0 ? Number(n.toFixed(field.scale)) : n;
        }
        case 'date': {
            const date = typeof raw === 'string' ? parseDateInput(raw) : undefined;
            if (!date) throw deserializeError(field, raw, 'date');
            return date;
        }
        case 'datetime': {
            const ms = typeof raw === 'string' ? parseDateTimeInput(raw) : typeof raw === 'number' ? raw : undefined;
            if (ms === undefined) throw deserializeError(field, raw, 'datetime');
            return ms;
        }
        case 'id':
        case 'reference':
            return checkReference(field, String(raw), store);
        case 'picklist':
            return checkLength(field, resolvePicklistValue(field, String(raw)));
        case 'multipicklist':
            return checkLength(
                field,
                String(raw)
                    .split(';')
                    .map((v) => resolvePicklistValue(field, v.trim()))
                    .join(';')
            );
        case 'email': {
            const text = String(raw).trim();
            if (!EMAIL.test(text)) {
                throw new SalesforceError(
                    400,
                    'INVALID_EMAIL_ADDRESS',
                    `${field.label}: invalid email address: ${text}`,
                    [field.name]
                );
            }
            return checkLength(field, text);
        }
        default:
            return checkLength(field, String(raw));
    }
}

function checkReference(field: FieldDef, text: string, store: RecordStore): string {
    const id = toId18(text);
    if (!id) {
        throw new SalesforceError(400, 'MALFORMED_ID', `${field.label}: id value of incorrect type: ${text}`, [
            field.name
        ]);
    }
    const target = store.objectOfId(id);
    if (!target || !field.referenceTo.includes(target)) {
        throw new SalesforceError(
            400,
            'FIELD_INTEGRITY_EXCEPTION',
            `${field.label}: id value of incorrect type: ${text}`,
            [field.name]
        );
    }
    const record = store.get(id);
    if (!record) {
        throw new SalesforceError(400, 'INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', [field.name]);
    }
    if (record.IsDeleted === true)
        throw new SalesforceError(400, 'ENTITY_IS_DELETED', 'entity is deleted', [field.name]);
    return id;
}

/** Maps a JSON body to `{Field: storedValue}`, rejecting unknown and read-only fields. */
export function coerceRecordInput(
    def: ObjectDef,
    input: Record<string, unknown>,
    mode: WriteMode,
    store: RecordStore
): Record<string, unknown> {
    const values: Record<string, unknown> = {};
    const readOnly: string[] = [];
    for (const [key, raw] of Object.entries(input)) {
        if (key === 'attributes') continue;
        const field = def.fieldsByLowerName.get(key.toLowerCase());
        if (!field) {
            throw new RequestLevelError(
                400,
                'INVALID_FIELD',
                `No such column '${key}' on sobject of type ${def.name}`,
                [key]
            );
        }
        if (field.name === 'Id') continue;
        if (mode === 'create' ? !field.createable : !field.updateable) {
            readOnly.push(field.name);
            continue;
        }
        values[field.name] = coerceFieldValue(field, raw, store);
    }
    if (readOnly.length > 0) {
        throw new SalesforceError(
            400,
            'INVALID_FIELD_FOR_INSERT_UPDATE',
            `Unable to create/update fields: ${readOnly.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
            readOnly
        );
    }
    return values;
}

export function checkRequired(def: ObjectDef, record: Record<string, unknown>): void {
    const missing = def.fields
        .filter((f) => !f.nillable && f.type !== 'boolean' && f.type !== 'id')
        .filter((f) => record[f.name] === undefined || record[f.name] === null)
        .map((f) => f.name);
    if (missing.length > 0) {
        throw new SalesforceError(
            400,
            'REQUIRED_FIELD_MISSING',
            `Required fields are missing: [${missing.join(', ')}]`,
            missing
        );
    }
}

export function checkUnique(
    def: ObjectDef,
    record: Record<string, unknown> & { Id: string },
    store: RecordStore
): void {
    for (const field of def.fields) {
        if (!field.unique || !store.isIndexed(def.name, field.name)) continue;
        const value = record[field.name];
        if (typeof value !== 'string' || value === '') continue;
        const clash = store
            .lookup(def.name, field.name, value)
            .find((id) => id !== record.Id && store.get(id)?.IsDeleted !== true);
        if (clash) {
            throw new SalesforceError(
                400,
                'DUPLICATE_VALUE',
                `duplicate value found: ${field.name} duplicates value on record with id: ${clash}`,
                [field.name]
            );
        }
    }
}
