/**
 * Records a crash left without their link: the engine's create landed (the new record names its counterpart
 * by ID: the Salesforce record's HubSpot ID field, or the HubSpot record's Salesforce ID property) but the
 * link was never stored. Such a record is the pair's, whatever the duplicate policy says of newer namesakes.
 */
import type { HubSpotRecord, SalesforceRecord } from '../plan/plan-batch';
import type { ResolvedRecordMapping } from '../schema/validate-mapping';
import type { RunContext } from './context';

const asText = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/**
 * Salesforce records (not linked) that name an unlinked HubSpot record of the window by ID, on either side:
 * the record's HubSpot ID field, or the HubSpot record's Salesforce ID property.
 */
export function namesUnlinkedHubSpotRecord(
    context: RunContext,
    objectType: string,
    mappings: ResolvedRecordMapping[],
    salesforceRecords: Map<string, Map<string, SalesforceRecord>>,
    hubspotRecords: Map<string, HubSpotRecord>
): Set<string> {
    const hubspotLinks = context.store.linksByHubSpotIds(objectType, [...hubspotRecords.keys()]);
    const unlinked = [...hubspotRecords.values()].filter((record) => !hubspotLinks.has(record.id));
    const unlinkedIds = new Set(unlinked.map((record) => record.id));
    const claimed = new Set<string>();
    for (const { mapping } of mappings) {
        const records = salesforceRecords.get(mapping.id)!;
        const salesforceLinks = context.store.linksBySalesforceIds(mapping.salesforceObject, [...records.keys()]);
        const { hubspotIdField, salesforceIdProperty } = mapping.identity;
        for (const record of records.values()) {
            const named = hubspotIdField ? asText(record.values[hubspotIdField]) : undefined;
            if (named !== undefined && unlinkedIds.has(named) && !salesforceLinks.has(record.id))
                claimed.add(record.id);
        }
        for (const hubspot of unlinked) {
            const named = salesforceIdProperty ? asText(hubspot.values[salesforceIdProperty]) : undefined;
            if (named !== undefined && records.has(named) && !salesforceLinks.has(named)) claimed.add(named);
        }
    }
    return claimed;
}
