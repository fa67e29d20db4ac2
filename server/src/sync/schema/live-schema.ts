/**
 * The parts of the two live schemas the engine needs, as plain data: a Salesforce describe (only the
 * field keys used here) and HubSpot's property definitions. Adapters fill these from
 * `conn.describe(object)` and `crm.properties.coreApi.getAll(objectType)`; everything downstream is pure.
 * Unknown keys are kept out (`z.object` strips) so raw API payloads can be passed straight in.
 */
import { z } from 'zod';

export const SalesforcePicklistValue = z.object({
    value: z.string(),
    active: z.boolean(),
    label: z.string().nullish(),
    /** The value a new record gets when a create leaves the field out. */
    defaultValue: z.boolean().nullish()
});

export const SalesforceFieldSchema = z.object({
    name: z.string().min(1),
    type: z.string().min(1),
    length: z.number().int().nonnegative().nullish(),
    picklistValues: z.array(SalesforcePicklistValue).nullish(),
    restrictedPicklist: z.boolean().nullish(),
    createable: z.boolean(),
    updateable: z.boolean(),
    calculated: z.boolean().default(false),
    nillable: z.boolean().default(true),
    defaultedOnCreate: z.boolean().default(false),
    referenceTo: z.array(z.string()).nullish()
});
export type SalesforceFieldSchema = z.infer<typeof SalesforceFieldSchema>;

export const SalesforceObjectSchema = z.object({
    name: z.string().min(1),
    fields: z.array(SalesforceFieldSchema)
});
export type SalesforceObjectSchema = z.infer<typeof SalesforceObjectSchema>;

export const HubSpotPropertyOption = z.object({
    value: z.string(),
    label: z.string().nullish(),
    hidden: z.boolean().nullish()
});

export const HubSpotPropertySchema = z.object({
    name: z.string().min(1),
    type: z.string().min(1),
    fieldType: z.string().min(1),
    options: z.array(HubSpotPropertyOption).default([]),
    calculated: z.boolean().nullish(),
    externalOptions: z.boolean().nullish(),
    modificationMetadata: z.object({ readOnlyValue: z.boolean().nullish() }).nullish()
});
export type HubSpotPropertySchema = z.infer<typeof HubSpotPropertySchema>;

export const HubSpotPipelineSchema = z.object({
    id: z.string().min(1),
    stages: z.array(z.object({ id: z.string().min(1) }))
});

export const LiveSchemas = z.object({
    /** By object API name (Lead, Contact, Invoice__c). */
    salesforce: z.record(z.string(), SalesforceObjectSchema),
    /** By HubSpot object type (contacts, companies, deals, calls, ...). */
    hubspot: z.record(z.string(), z.array(HubSpotPropertySchema)),
    /** Deal pipelines, when known; stage maps are then checked against them. */
    hubspotPipelines: z.array(HubSpotPipelineSchema).optional()
});
export type LiveSchemas = z.infer<typeof LiveSchemas>;
export type LiveSchemasInput = z.input<typeof LiveSchemas>;

export function isSalesforceReadOnly(field: SalesforceFieldSchema): boolean {
    return field.calculated || !field.updateable;
}

export function isHubSpotReadOnly(property: HubSpotPropertySchema): boolean {
    return property.calculated === true || property.modificationMetadata?.readOnlyValue === true;
}
