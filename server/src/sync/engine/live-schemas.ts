/**
 * Reads what the mapping needs of both live schemas: a describe per Salesforce object, the property
 * definitions per HubSpot object type, the deal pipelines when a mapping has stages. The adapters cache
 * describes and properties, so later runs spend no calls here.
 */
import type { HubSpotPort, SalesforcePort } from '../adapters/ports';
import type { MappingFile } from '../mapping/schema';
import type { LiveSchemasInput } from '../schema/live-schema';

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

export async function readLiveSchemas(
    mapping: MappingFile,
    salesforce: SalesforcePort,
    hubspot: HubSpotPort
): Promise<LiveSchemasInput> {
    const objects = objectsOfMapping(mapping);
    const live: LiveSchemasInput = { salesforce: {}, hubspot: {} };
    for (const name of objects.salesforce) {
        const described = await salesforce.describe(name);
        if (described) live.salesforce[name] = described;
    }
    for (const objectType of objects.hubspot) {
        const properties = await hubspot.properties(objectType);
        if (properties) live.hubspot[objectType] = properties;
    }
    if (mapping.records.some((record) => record.enabled && record.dealStages)) {
        live.hubspotPipelines = await hubspot.pipelines('deals');
    }
    return live;
}
