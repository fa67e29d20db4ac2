import { XMLParser } from 'fast-xml-parser';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { field } from './field-builder';
import { ACTIVITY_OBJECTS } from './standard-objects';
import type { FieldDef, FieldType } from './types';

/**
 * Reads the package's custom fields from SFDX source (`objects/<Object>/fields/*.field-meta.xml`) so the
 * sandbox serves exactly the fields the package deploys. Files that cannot be read (a half-written file,
 * an unsupported type) are reported, never fatal: the sandbox still starts.
 */

const METADATA_TYPES: Record<string, FieldType> = {
    Text: 'string',
    TextArea: 'textarea',
    LongTextArea: 'textarea',
    Html: 'textarea',
    Picklist: 'picklist',
    MultiselectPicklist: 'multipicklist',
    DateTime: 'datetime',
    Date: 'date',
    Url: 'url',
    Email: 'email',
    Phone: 'phone',
    Number: 'double',
    Currency: 'currency',
    Percent: 'percent',
    Checkbox: 'boolean'
};

const flag = z
    .union([z.boolean(), z.string()])
    .optional()
    .transform((v) => v === true || v === 'true');
const integer = z.coerce.number().int().nonnegative().optional();

const PicklistEntry = z.object({
    fullName: z.coerce.string(),
    label: z.coerce.string().optional(),
    default: flag,
    isActive: z
        .union([z.boolean(), z.string()])
        .optional()
        .transform((v) => v !== false && v !== 'false')
});

const CustomFieldXml = z.object({
    fullName: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*__c$/, 'a custom field name ends in __c'),
    label: z.coerce.string().optional(),
    inlineHelpText: z.coerce.string().optional(),
    type: z.string(),
    length: integer,
    precision: integer,
    scale: integer,
    required: flag,
    externalId: flag,
    unique: flag,
    defaultValue: z.union([z.string(), z.boolean(), z.number()]).optional(),
    valueSet: z
        .object({
            restricted: flag,
            valueSetDefinition: z
                .object({ value: z.union([PicklistEntry, z.array(PicklistEntry)]).optional() })
                .optional()
        })
        .optional()
});

export interface CustomFieldLoad {
    /** Object name -> custom fields to add. */
    fieldsByObject: Map<string, FieldDef[]>;
    /** Files that were skipped, with the reason. */
    problems: { file: string; reason: string }[];
}

const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: true });

export function parseCustomFieldXml(xml: string): FieldDef {
    const document = parser.parse(xml) as { CustomField?: unknown };
    if (!document.CustomField) throw new Error('no <CustomField> element');
    const meta = CustomFieldXml.parse(document.CustomField);
    const type = METADATA_TYPES[meta.type];
    if (!type) throw new Error(`unsupported field type ${meta.type}`);
    const entries = meta.valueSet?.valueSetDefinition?.value;
    const values = (entries === undefined ? [] : Array.isArray(entries) ? entries : [entries]).map((v) => ({
        value: v.fullName,
        label: v.label ?? v.fullName,
        active: v.isActive,
        default: v.default
    }));
    const lengths: Partial<Record<string, number>> = { TextArea: 255, LongTextArea: 32768, Html: 32768 };
    return field(meta.fullName, type, {
        label: meta.label ?? meta.fullName,
        inlineHelpText: meta.inlineHelpText ?? null,
        length: meta.length ?? lengths[meta.type] ?? (type === 'string' ? 255 : undefined),
        precision: meta.precision,
        scale: meta.scale,
        required: meta.required,
        externalId: meta.externalId,
        unique: meta.unique,
        values,
        restrictedPicklist: meta.valueSet?.restricted ?? false,
        custom: true
    });
}

export function loadCustomFields(objectsDirectory: string): CustomFieldLoad {
    const fieldsByObject = new Map<string, FieldDef[]>();
    const problems: CustomFieldLoad['problems'] = [];
    if (!existsSync(objectsDirectory)) return { fieldsByObject, problems };
    for (const objectName of readdirSync(objectsDirectory).sort()) {
        const fieldsDirectory = join(objectsDirectory, objectName, 'fields');
        if (!existsSync(fieldsDirectory)) continue;
        const targets = objectName === 'Activity' ? ACTIVITY_OBJECTS : [objectName];
        for (const fileName of readdirSync(fieldsDirectory).sort()) {
            if (!fileName.endsWith('.field-meta.xml')) continue;
            const file = join(fieldsDirectory, fileName);
            try {
                const parsed = parseCustomFieldXml(readFileSync(file, 'utf8'));
                for (const target of targets) {
                    const list = fieldsByObject.get(target) ?? [];
                    list.push(parsed);
                    fieldsByObject.set(target, list);
                }
            } catch (error) {
                problems.push({ file, reason: error instanceof Error ? error.message : String(error) });
            }
        }
    }
    return { fieldsByObject, problems };
}
