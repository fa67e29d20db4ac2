/**
 * Reads what the mapping needs of both live schemas: a describe per Salesforce object, the property
 * definitions per HubSpot object type, the deal pipelines when a mapping has stages. The adapters cache
 * describes and properties, so later runs spend no calls here.
 */
import type { HubSpotPort, SalesforcePort } from '../adapters/ports';
import type { MappingFile } from '../mapping/schema';
import type { LiveSchemasInput } from '../schema/live-schema';
import { together } from './together';

export function objectsOfMapping(mapping: MappingFile): { salesforce: string[]; hubspot: string[] } {
    const salesforce = new Set<string>();
    const hubspot = new Set<string>();
    for (const record of mapping.records) {
        if (!record.enabled) continue;
        salesforce.add(record.salesforceObject);
        hubspot.add(record.hubspotObjectType);
    }
    for (const association of mapping.associations) {
        if (association.enabled && association.kind === 'junction') salesforce.add(association.salesforceObject);
    }
    for (const activity of mapping.activities) {
        if (!activity.enabled) continue;
        salesforce.add(activity.salesforceObject);
        for (const route of activity.routes) hubspot.add(route.engagementType);
    }
    return { salesforce: [...salesforce], hubspot: [...hubspot] };
}

/** The describes and property reads are independent, so they go out together rather than one after another. */
export async function readLiveSchemas(
    mapping: MappingFile,
    salesforce: SalesforcePort,
    hubspot: HubSpotPort
): Promise<LiveSchemasInput> {
    const objects = objectsOfMapping(mapping);
    const withPipelines = mapping.records.some((record) => record.enabled && record.dealStages);
    const [described, properties, pipelines] = await together([
        together(objects.salesforce.map((name) => salesforce.describe(name))),
        together(objects.hubspot.map((objectType) => hubspot.properties(objectType))),
        withPipelines ? hubspot.pipelines('deals') : Promise.resolve(undefined)
    ]);
    const live: LiveSchemasInput = { salesforce: {}, hubspot: {} };
    objects.salesforce.forEach((name, index) => {
        const schema = described[index];
        if (schema) live.salesforce[name] = schema;
    });
    objects.hubspot.forEach((objectType, index) => {
        const schema = properties[index];
        if (schema) live.hubspot[objectType] = schema;
    });
    if (pipelines !== undefined) live.hubspotPipelines = pipelines;
    return live;
}
