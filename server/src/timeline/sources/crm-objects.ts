/** What the timeline reads for each HubSpot object type a Salesforce record can be linked to. */
import type { TimelineObjectType } from '../../contract/timeline';

export type EngagementType = 'emails' | 'calls' | 'meetings' | 'notes' | 'tasks';
export const engagementTypes: readonly EngagementType[] = ['emails', 'calls', 'meetings', 'notes', 'tasks'];

export interface CrmObjectInfo {
    /** Path name in the CRM v3/v4 APIs. */
    crmType: 'contacts' | 'companies' | 'deals';
    /** Object type id used in HubSpot record URLs. */
    objectTypeId: string;
    /** The staged property: lifecycle stage for contacts and companies, the pipeline stage for deals. */
    stageProperty: 'lifecyclestage' | 'dealstage';
    scoreProperty: string | null;
    /** Everything the header and the sections need, read in one call. */
    properties: readonly string[];
}

export const crmObjects: Record<TimelineObjectType, CrmObjectInfo> = {
    contact: {
        crmType: 'contacts',
        objectTypeId: '0-1',
        stageProperty: 'lifecyclestage',
        scoreProperty: 'hubspotscore',
        properties: ['firstname', 'lastname', 'email', 'lifecyclestage', 'hubspotscore', 'hubspot_owner_id']
    },
    company: {
        crmType: 'companies',
        objectTypeId: '0-2',
        stageProperty: 'lifecyclestage',
        scoreProperty: 'hubspotscore',
        properties: ['name', 'domain', 'lifecyclestage', 'hubspotscore', 'hubspot_owner_id']
    },
    deal: {
        crmType: 'deals',
        objectTypeId: '0-3',
        stageProperty: 'dealstage',
        scoreProperty: null,
        properties: ['dealname', 'pipeline', 'dealstage', 'hubspot_owner_id']
    }
};

type Properties = Record<string, string | null | undefined>;

function present(value: string | null | undefined): string | null {
    const trimmed = value?.trim();
    return trimmed ? trimmed : null;
}

/** The name a rep knows the record by; null when HubSpot has none. */
export function displayNameOf(objectType: TimelineObjectType, properties: Properties): string | null {
    switch (objectType) {
        case 'contact': {
            const name = [present(properties.firstname), present(properties.lastname)].filter(Boolean).join(' ');
            return name || present(properties.email);
        }
        case 'company':
            return present(properties.name) ?? present(properties.domain);
        case 'deal':
            return present(properties.dealname);
    }
}

/** `https://app.hubspot.com/contacts/<portalId>/record/<objectTypeId>/<id>` (EU portals use app-eu1). */
export function recordUrl(appBaseUrl: string, portalId: number, objectType: TimelineObjectType, id: string): string {
    return `${appBaseUrl.replace(/\/+$/, '')}/contacts/${portalId}/record/${crmObjects[objectType].objectTypeId}/${id}`;
}

/** HubSpot numbers arrive as strings; anything that is not a finite number reads as absent. */
export function numberOrNull(value: string | null | undefined): number | null {
    if (value === null || value === undefined || value.trim() === '') return null;
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : null;
}

/** HubSpot instants arrive as ISO strings or epoch milliseconds; returns epoch ms or null. */
export function instantOf(value: string | Date | null | undefined): number | null {
    if (value === null || value === undefined) return null;
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.getTime();
    const trimmed = value.trim();
    if (trimmed === '') return null;
    const parsed = /^\d+$/.test(trimmed) ? Number(trimmed) : Date.parse(trimmed);
    return Number.isFinite(parsed) ? parsed : null;
}

export function isoOf(epochMs: number): string {
    return new Date(epochMs).toISOString();
}

/** A URL the contract accepts (absolute http/https), or null. */
export function webUrlOrNull(value: string | null | undefined): string | null {
    if (!value) return null;
    try {
        const url = new URL(value);
        return url.protocol === 'https:' || url.protocol === 'http:' ? url.toString() : null;
    } catch {
        return null;
    }
}
