/**
 * What the soak needs of the mapping file, read on its own (never through the engine's loader or
 * planner, so the oracle stays independent of the code it checks): the contact field rules per
 * Salesforce object and the duplicate policy.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import type { SalesforceObject } from './edit-log';

export const fieldRules = ['two_way', 'always_salesforce', 'prefer_salesforce_unless_blank', 'dont_sync'] as const;
export type FieldRule = (typeof fieldRules)[number];

export interface FieldMapping {
    salesforce: string;
    hubspot: string;
    rule: FieldRule;
}

export interface SoakRules {
    duplicatePolicy: 'most_recently_updated';
    /** Contact field mappings of Lead and Contact, by Salesforce object. */
    fields: Record<SalesforceObject, FieldMapping[]>;
}

const MappingSubset = z.object({
    identity: z
        .object({ duplicatePolicy: z.literal('most_recently_updated').default('most_recently_updated') })
        .optional(),
    records: z.array(
        z.object({
            salesforceObject: z.string(),
            hubspotObjectType: z.string(),
            fields: z.array(z.object({ salesforce: z.string(), hubspot: z.string(), rule: z.enum(fieldRules) }))
        })
    )
});

export function loadSoakRules(mappingFile: string): SoakRules {
    const parsed = MappingSubset.parse(parse(readFileSync(mappingFile, 'utf8')));
    const fieldsOf = (object: SalesforceObject) => {
        const record = parsed.records.find((r) => r.salesforceObject === object && r.hubspotObjectType === 'contacts');
        if (!record) throw new Error(`${mappingFile}: no ${object} → contacts mapping; the soak needs one`);
        return record.fields;
    };
    return {
        duplicatePolicy: parsed.identity?.duplicatePolicy ?? 'most_recently_updated',
        fields: { Lead: fieldsOf('Lead'), Contact: fieldsOf('Contact') }
    };
}

/** The mapping of HubSpot property `property` for Salesforce object `object`, if it has one. */
export function fieldFor(rules: SoakRules, object: SalesforceObject, property: string): FieldMapping | undefined {
    return rules.fields[object].find((field) => field.hubspot === property);
}

/** The HubSpot property Salesforce field `field` of `object` maps to, if any. */
export function propertyOf(rules: SoakRules, object: SalesforceObject, field: string): FieldMapping | undefined {
    return rules.fields[object].find((mapping) => mapping.salesforce === field);
}
