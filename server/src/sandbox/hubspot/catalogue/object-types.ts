/**
 * The CRM object types the sandbox serves, with the facts HubSpot attaches to each: the object type id
 * used by associations v4, the singular name accepted in paths, the property HubSpot bumps on every write,
 * and the properties returned when a caller asks for none.
 */
export const OBJECT_TYPE_NAMES = [
    'contacts',
    'companies',
    'deals',
    'notes',
    'emails',
    'calls',
    'meetings',
    'tasks'
] as const;
export type ObjectTypeName = (typeof OBJECT_TYPE_NAMES)[number];

export interface ObjectTypeInfo {
    name: ObjectTypeName;
    singular: string;
    objectTypeId: string;
    /** Upper-case name HubSpot uses in messages ("Could not get some CONTACT objects"). */
    messageName: string;
    lastModifiedProperty: 'lastmodifieddate' | 'hs_lastmodifieddate';
    createdProperty: 'createdate' | 'hs_createdate';
    defaultProperties: readonly string[];
    /** Whether webhooks exist for the type (HubSpot's legacy v3 subscriptions cover contact/company/deal). */
    webhookName?: 'contact' | 'company' | 'deal';
    /** Scope family the private app needs (engagements ride on the contacts scopes). */
    scopeObject: 'contacts' | 'companies' | 'deals';
    /** Properties free-text search (`query`) looks at. */
    searchableProperties: readonly string[];
}

const ENGAGEMENT_DEFAULTS = ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'] as const;

export const OBJECT_TYPES: Record<ObjectTypeName, ObjectTypeInfo> = {
    contacts: {
        name: 'contacts',
        singular: 'contact',
        objectTypeId: '0-1',
        messageName: 'CONTACT',
        lastModifiedProperty: 'lastmodifieddate',
        createdProperty: 'createdate',
        defaultProperties: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
        webhookName: 'contact',
        scopeObject: 'contacts',
        searchableProperties: [
            'firstname',
            'lastname',
            'email',
            'phone',
            'hs_additional_emails',
            'mobilephone',
            'company'
        ]
    },
    companies: {
        name: 'companies',
        singular: 'company',
        objectTypeId: '0-2',
        messageName: 'COMPANY',
        lastModifiedProperty: 'hs_lastmodifieddate',
        createdProperty: 'createdate',
        defaultProperties: ['name', 'domain', 'createdate', 'hs_lastmodifieddate', 'hs_object_id'],
        webhookName: 'company',
        scopeObject: 'companies',
        searchableProperties: ['name', 'domain', 'website', 'phone']
    },
    deals: {
        name: 'deals',
        singular: 'deal',
        objectTypeId: '0-3',
        messageName: 'DEAL',
        lastModifiedProperty: 'hs_lastmodifieddate',
        createdProperty: 'createdate',
        defaultProperties: [
            'dealname',
            'amount',
            'closedate',
            'pipeline',
            'dealstage',
            'createdate',
            'hs_lastmodifieddate',
            'hs_object_id'
        ],
        webhookName: 'deal',
        scopeObject: 'deals',
        searchableProperties: ['dealname', 'pipeline', 'dealstage', 'description', 'dealtype']
    },
    notes: engagement('notes', 'note', '0-46', 'NOTE', ['hs_note_body']),
    emails: engagement('emails', 'email', '0-49', 'EMAIL', ['hs_email_subject', 'hs_email_text']),
    calls: engagement('calls', 'call', '0-48', 'CALL', ['hs_call_title', 'hs_call_body']),
    meetings: engagement('meetings', 'meeting', '0-47', 'MEETING', ['hs_meeting_title', 'hs_meeting_body']),
    tasks: engagement('tasks', 'task', '0-27', 'TASK', ['hs_task_subject', 'hs_task_body'])
};

function engagement(
    name: ObjectTypeName,
    singular: string,
    objectTypeId: string,
    messageName: string,
    searchableProperties: string[]
): ObjectTypeInfo {
    return {
        name,
        singular,
        objectTypeId,
        messageName,
        lastModifiedProperty: 'hs_lastmodifieddate',
        createdProperty: 'hs_createdate',
        defaultProperties: ENGAGEMENT_DEFAULTS,
        scopeObject: 'contacts',
        searchableProperties
    };
}

const BY_ALIAS = new Map<string, ObjectTypeInfo>();
for (const info of Object.values(OBJECT_TYPES)) {
    BY_ALIAS.set(info.name, info);
    BY_ALIAS.set(info.singular, info);
    BY_ALIAS.set(info.objectTypeId, info);
}

/** Resolves a path segment (`contacts`, `contact`, `0-1`, any case) to its object type. */
export function resolveObjectType(segment: string): ObjectTypeInfo | undefined {
    return BY_ALIAS.get(segment.toLowerCase());
}

export function isEngagement(type: ObjectTypeName): boolean {
    return OBJECT_TYPES[type].createdProperty === 'hs_createdate';
}
