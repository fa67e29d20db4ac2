/**
 * The ID properties on a HubSpot record say which Salesforce record it syncs with: the winning
 * mapping's property gets the ID, the properties of the other mappings to the same HubSpot object type
 * are cleared, so "Salesforce Lead ID" and "Salesforce Contact ID" never both claim one contact.
 */
import type { MappingFile } from '../mapping/schema';

export function salesforceIdPropertyWrites(
    mapping: MappingFile,
    winnerMappingId: string,
    salesforceId: string
): Record<string, string> {
    const winner = mapping.records.find((record) => record.id === winnerMappingId);
    if (!winner) throw new Error(`unknown record mapping ${winnerMappingId}`);
    const writes: Record<string, string> = {};
    for (const record of mapping.records) {
        const property = record.identity.salesforceIdProperty;
        if (!record.enabled || record.hubspotObjectType !== winner.hubspotObjectType || !property) continue;
        writes[property] = record.id === winnerMappingId ? salesforceId : '';
    }
    return writes;
}
