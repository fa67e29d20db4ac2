import type { FieldDef, ObjectDef } from './schema/types';
import type { SObjectRecord } from './store';

/** Salesforce's datetime format: `2024-05-20T20:49:32.000+0000`. */
export function formatDateTime(epochMs: number): string {
    return new Date(epochMs).toISOString().replace('Z', '+0000');
}

export function formatDate(epochMs: number): string {
    return new Date(epochMs).toISOString().slice(0, 10);
}

const DATETIME_INPUT = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?))?\s*(Z|[+-]\d{2}:?\d{2})?$/;

/** Parses the datetime forms the API accepts (ISO 8601 with or without zone; no zone means UTC). */
export function parseDateTimeInput(text: string): number | undefined {
    const match = DATETIME_INPUT.exec(text.trim());
    if (!match) return undefined;
    const [, date, time = '00:00:00', zone = 'Z'] = match;
    const normalizedZone = zone === 'Z' ? 'Z' : zone.replace(/^([+-]\d{2}):?(\d{2})$/, '$1:$2');
    const ms = Date.parse(`${date}T${time.length === 5 ? `${time}:00` : time.slice(0, 12)}${normalizedZone}`);
    return Number.isNaN(ms) ? undefined : ms;
}

export function parseDateInput(text: string): string | undefined {
    const match = /^(\d{4}-\d{2}-\d{2})(T.*)?$/.exec(text.trim());
    if (!match) return undefined;
    const ms = Date.parse(`${match[1]}T00:00:00Z`);
    return Number.isNaN(ms) || formatDate(ms) !== match[1] ? undefined : match[1];
}

/** A stored value as it goes on the wire. */
export function toWireValue(field: FieldDef | undefined, value: unknown): unknown {
    if (value === undefined || value === null) return null;
    if (field?.type === 'datetime' && typeof value === 'number') return formatDateTime(value);
    return value;
}

export function recordUrl(apiVersion: string, objectName: string, id: string): string {
    return `/services/data/v${apiVersion}/sobjects/${objectName}/${id}`;
}

export function attributes(apiVersion: string, objectName: string, id: string | undefined) {
    return id ? { type: objectName, url: recordUrl(apiVersion, objectName, id) } : { type: objectName };
}

/** A whole record (or the listed fields) as REST returns it. */
export function recordToWire(
    def: ObjectDef,
    record: SObjectRecord,
    apiVersion: string,
    fields?: FieldDef[]
): Record<string, unknown> {
    const wire: Record<string, unknown> = { attributes: attributes(apiVersion, def.name, record.Id) };
    for (const field of fields ?? def.fields) wire[field.name] = toWireValue(field, record[field.name]);
    return wire;
}
