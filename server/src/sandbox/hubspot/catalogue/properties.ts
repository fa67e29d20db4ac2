import type { ObjectTypeName } from './object-types';

/** A property definition in the shape `GET /crm/v3/properties/{objectType}` returns it. */
export interface PropertyOption {
    label: string;
    value: string;
    displayOrder: number;
    hidden: boolean;
    description?: string;
}

export type PropertyType = 'string' | 'number' | 'date' | 'datetime' | 'enumeration' | 'bool' | 'phone_number';
export type FieldType =
    | 'text'
    | 'textarea'
    | 'html'
    | 'phonenumber'
    | 'file'
    | 'number'
    | 'calculation_equation'
    | 'date'
    | 'select'
    | 'radio'
    | 'checkbox'
    | 'booleancheckbox';

export interface PropertyDefinition {
    name: string;
    label: string;
    type: PropertyType;
    fieldType: FieldType;
    groupName: string;
    description: string;
    options: PropertyOption[];
    displayOrder: number;
    calculated: boolean;
    externalOptions: boolean;
    hasUniqueValue: boolean;
    hidden: boolean;
    hubspotDefined: boolean;
    formField: boolean;
    modificationMetadata: { archivable: boolean; readOnlyDefinition: boolean; readOnlyValue: boolean };
    createdAt: string;
    updatedAt: string;
    archived: boolean;
    archivedAt?: string;
}

/** Default lifecycle stages in HubSpot's order; the order drives the forward-only rule. */
export const LIFECYCLE_STAGES: readonly [string, string][] = [
    ['subscriber', 'Subscriber'],
    ['lead', 'Lead'],
    ['marketingqualifiedlead', 'Marketing Qualified Lead'],
    ['salesqualifiedlead', 'Sales Qualified Lead'],
    ['opportunity', 'Opportunity'],
    ['customer', 'Customer'],
    ['evangelist', 'Evangelist'],
    ['other', 'Other']
];

/** When the default catalogue was "created": a fixed instant keeps exports deterministic. */
const CATALOGUE_TIMESTAMP = '2020-01-01T00:00:00.000Z';

interface Spec {
    type?: PropertyType;
    fieldType?: FieldType;
    label?: string;
    group?: string;
    options?: readonly (readonly [string, string])[];
    readOnly?: boolean;
    unique?: boolean;
    externalOptions?: boolean;
    calculated?: boolean;
    /** Defined by this portal (the integration's own fields) rather than by HubSpot. */
    custom?: boolean;
}

const text: Spec = {};
const number: Spec = { type: 'number', fieldType: 'number' };
const datetime: Spec = { type: 'datetime', fieldType: 'date' };
const date: Spec = { type: 'date', fieldType: 'date' };
const readOnlyDatetime: Spec = { ...datetime, readOnly: true };
const owner: Spec = { type: 'enumeration', fieldType: 'select', externalOptions: true, label: 'Owner' };
const enumeration = (options: readonly (readonly [string, string])[], fieldType: FieldType = 'select'): Spec => ({
    type: 'enumeration',
    fieldType,
    options
});
const salesforceId = (label: string): Spec => ({ label, group: 'salesforceinformation', custom: true });

const COMMON: Record<string, Spec> = {
    hs_object_id: { ...number, readOnly: true, label: 'Record ID', unique: true },
    hubspot_owner_id: owner,
    hs_merged_object_ids: { type: 'enumeration', fieldType: 'checkbox', readOnly: true, label: 'Merged Record IDs' }
};

const CONTACT: Record<string, Spec> = {
    ...COMMON,
    email: { label: 'Email', unique: true },
    firstname: { label: 'First Name' },
    lastname: { label: 'Last Name' },
    phone: { type: 'string', fieldType: 'phonenumber', label: 'Phone Number' },
    mobilephone: { type: 'string', fieldType: 'phonenumber', label: 'Mobile Phone Number' },
    company: { label: 'Company Name' },
    jobtitle: { label: 'Job Title' },
    date_of_birth: { ...date, label: 'Date of birth' },
    website: text,
    address: { label: 'Street Address' },
    city: text,
    state: text,
    zip: { label: 'Postal Code' },
    country: text,
    industry: text,
    hs_additional_emails: {
        type: 'enumeration',
        fieldType: 'checkbox',
        readOnly: true,
        label: 'Additional email addresses'
    },
    createdate: { ...datetime, label: 'Create Date' },
    lastmodifieddate: { ...readOnlyDatetime, label: 'Last Modified Date' },
    hs_lastmodifieddate: { ...readOnlyDatetime, label: 'Object last modified date/time' },
    lifecyclestage: { ...enumeration(LIFECYCLE_STAGES, 'radio'), label: 'Lifecycle Stage' },
    hs_lead_status: enumeration([
        ['NEW', 'New'],
        ['OPEN', 'Open'],
        ['IN_PROGRESS', 'In Progress'],
        ['OPEN_DEAL', 'Open Deal'],
        ['UNQUALIFIED', 'Unqualified'],
        ['ATTEMPTED_TO_CONTACT', 'Attempted to Contact'],
        ['CONNECTED', 'Connected'],
        ['BAD_TIMING', 'Bad Timing']
    ]),
    hubspotscore: { ...number, readOnly: true, calculated: true, label: 'HubSpot Score' },
    hs_email_optout: { type: 'bool', fieldType: 'booleancheckbox', label: 'Unsubscribed from all email' },
    hs_analytics_source: enumeration([
        ['ORGANIC_SEARCH', 'Organic Search'],
        ['PAID_SEARCH', 'Paid Search'],
        ['EMAIL_MARKETING', 'Email Marketing'],
        ['SOCIAL_MEDIA', 'Organic Social'],
        ['REFERRALS', 'Referrals'],
        ['OTHER_CAMPAIGNS', 'Other Campaigns'],
        ['DIRECT_TRAFFIC', 'Direct Traffic'],
        ['OFFLINE', 'Offline Sources'],
        ['PAID_SOCIAL', 'Paid Social']
    ]),
    hs_analytics_num_page_views: { ...number, readOnly: true, calculated: true, label: 'Number of Pageviews' },
    num_conversion_events: { ...number, readOnly: true, calculated: true, label: 'Number of Form Submissions' },
    salesforceleadid: salesforceId('Salesforce Lead ID'),
    salesforcecontactid: salesforceId('Salesforce Contact ID'),
    salesforceaccountid: salesforceId('Salesforce Account ID'),
    salesforcelastsynctime: {
        ...datetime,
        group: 'salesforceinformation',
        custom: true,
        label: 'Last Salesforce Sync Time'
    }
};

const COMPANY: Record<string, Spec> = {
    ...COMMON,
    name: { label: 'Company name' },
    domain: { label: 'Company Domain Name' },
    website: { label: 'Website URL' },
    phone: { type: 'string', fieldType: 'phonenumber', label: 'Phone Number' },
    industry: text,
    address: { label: 'Street Address' },
    city: text,
    state: text,
    zip: { label: 'Postal Code' },
    country: text,
    numberofemployees: { ...number, label: 'Number of Employees' },
    annualrevenue: { ...number, label: 'Annual Revenue' },
    description: { fieldType: 'textarea', label: 'Description' },
    createdate: { ...datetime, label: 'Create Date' },
    hs_lastmodifieddate: { ...readOnlyDatetime, label: 'Last Modified Date' },
    lifecyclestage: { ...enumeration(LIFECYCLE_STAGES, 'radio'), label: 'Lifecycle Stage' },
    salesforceaccountid: salesforceId('Salesforce Account ID'),
    salesforcelastsynctime: {
        ...datetime,
        group: 'salesforceinformation',
        custom: true,
        label: 'Last Salesforce Sync Time'
    }
};

const DEAL: Record<string, Spec> = {
    ...COMMON,
    dealname: { label: 'Deal Name' },
    amount: { ...number, label: 'Amount' },
    closedate: { ...datetime, label: 'Close Date' },
    pipeline: { type: 'enumeration', fieldType: 'select', externalOptions: true, label: 'Pipeline' },
    dealstage: { type: 'enumeration', fieldType: 'select', externalOptions: true, label: 'Deal Stage' },
    dealtype: enumeration([
        ['newbusiness', 'New Business'],
        ['existingbusiness', 'Existing Business']
    ]),
    description: { fieldType: 'textarea', label: 'Deal Description' },
    hs_deal_stage_probability: { ...number, readOnly: true, calculated: true, label: 'Deal probability' },
    hs_is_closed: {
        type: 'bool',
        fieldType: 'booleancheckbox',
        readOnly: true,
        calculated: true,
        label: 'Is Deal Closed?'
    },
    hs_is_closed_won: {
        type: 'bool',
        fieldType: 'booleancheckbox',
        readOnly: true,
        calculated: true,
        label: 'Is Closed Won'
    },
    createdate: { ...datetime, label: 'Create Date' },
    hs_lastmodifieddate: { ...readOnlyDatetime, label: 'Last Modified Date' },
    salesforceopportunityid: salesforceId('Salesforce Opportunity ID'),
    salesforcelastsynctime: {
        ...datetime,
        group: 'salesforceinformation',
        custom: true,
        label: 'Last Salesforce Sync Time'
    }
};

const ENGAGEMENT: Record<string, Spec> = {
    ...COMMON,
    hs_timestamp: { ...datetime, label: 'Activity date' },
    hs_createdate: { ...readOnlyDatetime, label: 'Create date' },
    hs_lastmodifieddate: { ...readOnlyDatetime, label: 'Last modified date' },
    salesforcetaskid: salesforceId('Salesforce Task ID')
};

const DIRECTION = (values: string[]) => enumeration(values.map((v) => [v, v] as const));

const ENGAGEMENT_SPECIFIC: Record<'notes' | 'emails' | 'calls' | 'meetings' | 'tasks', Record<string, Spec>> = {
    notes: { hs_note_body: { fieldType: 'html', label: 'Note body' } },
    emails: {
        hs_email_subject: text,
        hs_email_text: { fieldType: 'textarea' },
        hs_email_html: { fieldType: 'html' },
        hs_email_direction: DIRECTION(['EMAIL', 'INCOMING_EMAIL', 'FORWARDED_EMAIL']),
        hs_email_status: DIRECTION(['BOUNCED', 'FAILED', 'SCHEDULED', 'SENDING', 'SENT'])
    },
    calls: {
        hs_call_title: text,
        hs_call_body: { fieldType: 'html' },
        hs_call_duration: number,
        hs_call_direction: DIRECTION(['INBOUND', 'OUTBOUND']),
        hs_call_status: DIRECTION([
            'BUSY',
            'CALLING_CRM_USER',
            'CANCELED',
            'COMPLETED',
            'CONNECTING',
            'FAILED',
            'IN_PROGRESS',
            'NO_ANSWER',
            'QUEUED',
            'RINGING'
        ])
    },
    meetings: {
        hs_meeting_title: text,
        hs_meeting_body: { fieldType: 'html' },
        hs_meeting_location: text,
        hs_meeting_start_time: datetime,
        hs_meeting_end_time: datetime,
        hs_meeting_outcome: DIRECTION(['SCHEDULED', 'COMPLETED', 'RESCHEDULED', 'NO_SHOW', 'CANCELED'])
    },
    tasks: {
        hs_task_subject: text,
        hs_task_body: { fieldType: 'html' },
        hs_task_status: DIRECTION(['NOT_STARTED', 'IN_PROGRESS', 'WAITING', 'COMPLETED', 'DEFERRED']),
        hs_task_priority: DIRECTION(['NONE', 'LOW', 'MEDIUM', 'HIGH']),
        hs_task_type: DIRECTION(['CALL', 'EMAIL', 'TODO']),
        hs_task_completion_date: { ...readOnlyDatetime }
    }
};

function humanize(name: string): string {
    return name
        .replace(/^hs_/, '')
        .split('_')
        .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
        .join(' ');
}

function build(specs: Record<string, Spec>, defaultGroup: string): PropertyDefinition[] {
    return Object.entries(specs).map(([name, spec], index) => ({
        name,
        label: spec.label ?? humanize(name),
        type: spec.type ?? 'string',
        fieldType: spec.fieldType ?? 'text',
        groupName: spec.group ?? defaultGroup,
        description: '',
        options: (spec.options ?? []).map(([value, label], displayOrder) => ({
            label,
            value,
            displayOrder,
            hidden: false
        })),
        displayOrder: index,
        calculated: spec.calculated ?? false,
        externalOptions: spec.externalOptions ?? false,
        hasUniqueValue: spec.unique ?? false,
        hidden: false,
        hubspotDefined: !spec.custom,
        formField: !spec.readOnly,
        modificationMetadata: {
            archivable: !!spec.custom,
            readOnlyDefinition: !spec.custom,
            readOnlyValue: !!spec.readOnly
        },
        createdAt: CATALOGUE_TIMESTAMP,
        updatedAt: CATALOGUE_TIMESTAMP,
        archived: false
    }));
}

/** A fresh copy of the default property catalogue of one object type. */
export function defaultProperties(type: ObjectTypeName): PropertyDefinition[] {
    switch (type) {
        case 'contacts':
            return build(CONTACT, 'contactinformation');
        case 'companies':
            return build(COMPANY, 'companyinformation');
        case 'deals':
            return build(DEAL, 'dealinformation');
        default:
            return build({ ...ENGAGEMENT, ...ENGAGEMENT_SPECIFIC[type] }, 'engagement');
    }
}
