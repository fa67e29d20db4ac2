/**
 * Lead conversion keeps the HubSpot contact: the converted Contact inherits the Lead's link (no new
 * HubSpot contact is created), the contact's ID properties switch from the Lead to the Contact, its
 * lifecycle stage moves forward as configured, and Lead fields with no Contact counterpart are named in
 * the run report because their values stop syncing.
 */
import type { MappingFile, RecordMapping } from '../mapping/schema';
import { nextLifecycleStage } from './lifecycle';

export interface ConvertedLead {
    leadId: string;
    convertedContactId: string;
    /** The HubSpot contact the Lead was linked to, if any. */
    hubspotId?: string;
}

export type ConversionPlan =
    | {
          status: 'relink';
          leadId: string;
          contactId: string;
          hubspotId: string;
          /** HubSpot property writes: the ID properties, and the lifecycle stage when it moves. */
          hubspotWrites: Record<string, string>;
      }
    | { status: 'nothing_linked'; leadId: string; contactId: string }
    | {
          status: 'contact_linked_elsewhere';
          leadId: string;
          contactId: string;
          hubspotId: string;
          contactHubSpotId: string;
      };

function mappingById(mapping: MappingFile, id: string): RecordMapping | undefined {
    return mapping.records.find((record) => record.id === id);
}

/**
 * `contactHubSpotId` is the Contact's own stored link, if it already had one (the Contact existed and
 * synced before the Lead was converted into it).
 */
export function planLeadConversion(
    mapping: MappingFile,
    lead: ConvertedLead,
    contactHubSpotId: string | undefined,
    hubspotLifecycleStage: string | null
): ConversionPlan {
    const base = { leadId: lead.leadId, contactId: lead.convertedContactId };
    if (!lead.hubspotId) return { status: 'nothing_linked', ...base };
    if (contactHubSpotId && contactHubSpotId !== lead.hubspotId) {
        // Two HubSpot contacts now describe one person; merging them is a human decision.
        return { status: 'contact_linked_elsewhere', ...base, hubspotId: lead.hubspotId, contactHubSpotId };
    }
    const conversion = mapping.leadConversion;
    const leadMapping = conversion && mappingById(mapping, conversion.leadMapping);
    const contactMapping = conversion && mappingById(mapping, conversion.contactMapping);
    const hubspotWrites: Record<string, string> = {};
    if (contactMapping?.identity.salesforceIdProperty) {
        hubspotWrites[contactMapping.identity.salesforceIdProperty] = lead.convertedContactId;
    }
    if (leadMapping?.identity.salesforceIdProperty) hubspotWrites[leadMapping.identity.salesforceIdProperty] = '';
    const stage = nextLifecycleStage(hubspotLifecycleStage, conversion?.lifecycleStage, mapping.lifecycle);
    if (stage !== undefined) hubspotWrites[mapping.lifecycle.property] = stage;
    return { status: 'relink', ...base, hubspotId: lead.hubspotId, hubspotWrites };
}

/** `Lead.Company → company`: Lead fields whose HubSpot property the Contact mapping does not sync. */
export function leadOnlyFields(mapping: MappingFile): string[] {
    const conversion = mapping.leadConversion;
    if (!conversion) return [];
    const lead = mappingById(mapping, conversion.leadMapping);
    const contact = mappingById(mapping, conversion.contactMapping);
    if (!lead || !contact) return [];
    const contactProperties = new Set(contact.fields.map((field) => field.hubspot));
    return lead.fields
        .filter((field) => field.rule !== 'dont_sync' && !contactProperties.has(field.hubspot))
        .map((field) => `${lead.salesforceObject}.${field.salesforce} → ${field.hubspot}`);
}
