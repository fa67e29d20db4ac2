/**
 * Test data: the live schemas of a standard Salesforce org with the package installed and a standard
 * HubSpot portal, reduced to what the shipped mapping touches. Used by unit tests of pure logic; the
 * sandboxes serve the real describe and properties payloads to the end-to-end tests.
 */
import type { HubSpotPropertySchema, LiveSchemasInput, SalesforceFieldSchema } from './live-schema';

type FieldExtras = Partial<SalesforceFieldSchema>;
type PropertyExtras = Partial<HubSpotPropertySchema>;

export function sfField(name: string, type: string, extras: FieldExtras = {}): SalesforceFieldSchema {
    return {
        name,
        type,
        length: type === 'string' ? 255 : type === 'textarea' ? 32_000 : 0,
        createable: true,
        updateable: true,
        calculated: false,
        nillable: true,
        defaultedOnCreate: false,
        ...extras
    };
}

export function sfPicklist(name: string, values: string[], extras: FieldExtras = {}): SalesforceFieldSchema {
    return sfField(name, 'picklist', {
        picklistValues: values.map((value) => ({ value, active: true })),
        ...extras
    });
}

export const readOnly: FieldExtras = { createable: false, updateable: false };

export function hsProperty(
    name: string,
    type: string,
    fieldType: string,
    extras: PropertyExtras = {}
): HubSpotPropertySchema {
    return { name, type, fieldType, options: [], ...extras };
}

export function hsText(name: string, extras: PropertyExtras = {}): HubSpotPropertySchema {
    return hsProperty(name, 'string', 'text', extras);
}

export function hsSelect(name: string, values: string[], extras: PropertyExtras = {}): HubSpotPropertySchema {
    return hsProperty(name, 'enumeration', 'select', {
        options: values.map((value) => ({ value, label: value, hidden: false })),
        ...extras
    });
}

const ownerLookup = () => sfField('OwnerId', 'reference', { referenceTo: ['User', 'Group'], nillable: false });
const packageFields = () => [
    sfField('HubSpot_Id__c', 'string', { length: 32 }),
    sfPicklist('HubSpot_Sync_Status__c', ['Not Synced', 'Pending', 'Synced', 'Error', 'Excluded'], {
        restrictedPicklist: true
    }),
    sfField('HubSpot_Last_Synced__c', 'datetime'),
    sfField('HubSpot_Last_Sync_Error__c', 'textarea', { length: 32_768 }),
    sfField('HubSpot_Record_Url__c', 'url')
];
const personPackageFields = () => [
    ...packageFields(),
    sfPicklist(
        'HubSpot_Lifecycle_Stage__c',
        [
            'subscriber',
            'lead',
            'marketingqualifiedlead',
            'salesqualifiedlead',
            'opportunity',
            'customer',
            'evangelist',
            'other'
        ],
        { restrictedPicklist: true }
    ),
    sfField('HubSpot_Score__c', 'double')
];
const leadStatuses = ['Open - Not Contacted', 'Working - Contacted', 'Closed - Converted', 'Closed - Not Converted'];
const industries = [
    'Banking',
    'Education',
    'Finance',
    'Healthcare',
    'Insurance',
    'Retail',
    'Technology',
    'Telecommunications'
];
const opportunityStages = [
    'Prospecting',
    'Qualification',
    'Needs Analysis',
    'Value Proposition',
    'Id. Decision Makers',
    'Perception Analysis',
    'Proposal/Price Quote',
    'Negotiation/Review',
    'Closed Won',
    'Closed Lost'
];
const address = (prefix: string) =>
    ['Street', 'City', 'State', 'PostalCode', 'Country'].map((part) => sfField(`${prefix}${part}`, 'string'));

const readOnlyScore = () =>
    hsProperty('hubspotscore', 'number', 'number', {
        calculated: true,
        modificationMetadata: { readOnlyValue: true }
    });
const ownerProperty = () => hsProperty('hubspot_owner_id', 'enumeration', 'select', { externalOptions: true });
const addressProperties = () => ['address', 'city', 'state', 'zip', 'country'].map((name) => hsText(name));

export function standardLiveSchemas(): LiveSchemasInput {
    return {
        salesforce: {
            Lead: {
                name: 'Lead',
                fields: [
                    sfField('Id', 'id', readOnly),
                    sfField('FirstName', 'string', { length: 40 }),
                    sfField('LastName', 'string', { length: 80, nillable: false }),
                    sfField('Email', 'email', { length: 80 }),
                    sfField('Company', 'string', { nillable: false }),
                    sfField('Title', 'string', { length: 128 }),
                    sfField('Phone', 'phone', { length: 40 }),
                    sfField('MobilePhone', 'phone', { length: 40 }),
                    sfField('Website', 'url'),
                    ...address(''),
                    sfPicklist('Industry', industries),
                    sfPicklist('Status', leadStatuses, {
                        nillable: false,
                        defaultedOnCreate: true,
                        picklistValues: leadStatuses.map((value) => ({
                            value,
                            active: true,
                            defaultValue: value === 'Open - Not Contacted'
                        }))
                    }),
                    ownerLookup(),
                    sfField('IsConverted', 'boolean', readOnly),
                    sfField('ConvertedContactId', 'reference', { ...readOnly, referenceTo: ['Contact'] }),
                    sfField('SystemModstamp', 'datetime', readOnly),
                    ...personPackageFields()
                ]
            },
            Contact: {
                name: 'Contact',
                fields: [
                    sfField('Id', 'id', readOnly),
                    sfField('FirstName', 'string', { length: 40 }),
                    sfField('LastName', 'string', { length: 80, nillable: false }),
                    sfField('Email', 'email', { length: 80 }),
                    sfField('Title', 'string', { length: 128 }),
                    sfField('Phone', 'phone', { length: 40 }),
                    sfField('MobilePhone', 'phone', { length: 40 }),
                    ...address('Mailing'),
                    sfField('AccountId', 'reference', { referenceTo: ['Account'] }),
                    ownerLookup(),
                    sfField('SystemModstamp', 'datetime', readOnly),
                    ...personPackageFields()
                ]
            },
            Account: {
                name: 'Account',
                fields: [
                    sfField('Id', 'id', readOnly),
                    sfField('Name', 'string', { nillable: false }),
                    sfField('Website', 'url'),
                    sfField('Phone', 'phone', { length: 40 }),
                    ...address('Billing'),
                    sfField('NumberOfEmployees', 'int'),
                    sfField('AnnualRevenue', 'currency'),
                    sfField('Description', 'textarea'),
                    sfPicklist('Industry', industries),
                    ownerLookup(),
                    ...packageFields()
                ]
            },
            Opportunity: {
                name: 'Opportunity',
                fields: [
                    sfField('Id', 'id', readOnly),
                    sfField('Name', 'string', { length: 120, nillable: false }),
                    sfField('Amount', 'currency'),
                    sfField('CloseDate', 'date', { nillable: false }),
                    sfField('Description', 'textarea'),
                    sfPicklist('StageName', opportunityStages, { nillable: false }),
                    sfPicklist('Type', ['Existing Customer - Upgrade', 'New Customer']),
                    sfField('AccountId', 'reference', { referenceTo: ['Account'] }),
                    ownerLookup(),
                    ...packageFields()
                ]
            },
            OpportunityContactRole: {
                name: 'OpportunityContactRole',
                fields: [
                    sfField('OpportunityId', 'reference', { referenceTo: ['Opportunity'] }),
                    sfField('ContactId', 'reference', { referenceTo: ['Contact'] })
                ]
            },
            Task: {
                name: 'Task',
                fields: [
                    sfField('Subject', 'combobox'),
                    sfField('Description', 'textarea'),
                    sfPicklist('TaskSubtype', ['Task', 'Email', 'ListEmail', 'Cadence', 'Call', 'LinkedIn']),
                    sfPicklist('CallType', ['Internal', 'Inbound', 'Outbound']),
                    sfPicklist('Status', [
                        'Not Started',
                        'In Progress',
                        'Completed',
                        'Waiting on someone else',
                        'Deferred'
                    ]),
                    sfPicklist('Priority', ['High', 'Normal', 'Low']),
                    sfField('ActivityDate', 'date'),
                    sfField('WhoId', 'reference', { referenceTo: ['Contact', 'Lead'] }),
                    sfField('WhatId', 'reference', { referenceTo: ['Account', 'Opportunity'] }),
                    sfField('HubSpot_Engagement_Id__c', 'string', { length: 32 })
                ]
            },
            Event: {
                name: 'Event',
                fields: [
                    sfField('Subject', 'combobox'),
                    sfField('Description', 'textarea'),
                    sfField('StartDateTime', 'datetime'),
                    sfField('EndDateTime', 'datetime'),
                    sfField('Location', 'string'),
                    sfField('WhoId', 'reference', { referenceTo: ['Contact', 'Lead'] }),
                    sfField('WhatId', 'reference', { referenceTo: ['Account', 'Opportunity'] }),
                    sfField('HubSpot_Engagement_Id__c', 'string', { length: 32 })
                ]
            }
        },
        hubspot: {
            contacts: [
                ...['firstname', 'lastname', 'email', 'company', 'jobtitle', 'website', 'industry'].map((name) =>
                    hsText(name)
                ),
                hsProperty('phone', 'string', 'phonenumber'),
                hsProperty('mobilephone', 'string', 'phonenumber'),
                ...addressProperties(),
                ownerProperty(),
                hsSelect('hs_lead_status', ['NEW', 'OPEN', 'IN_PROGRESS', 'OPEN_DEAL', 'UNQUALIFIED', 'CONNECTED']),
                hsSelect('lifecyclestage', [
                    'subscriber',
                    'lead',
                    'marketingqualifiedlead',
                    'salesqualifiedlead',
                    'opportunity',
                    'customer',
                    'evangelist',
                    'other'
                ]),
                readOnlyScore(),
                hsText('salesforceleadid'),
                hsText('salesforcecontactid')
            ],
            companies: [
                ...['name', 'website', 'domain', 'description'].map((name) => hsText(name)),
                hsProperty('phone', 'string', 'phonenumber'),
                ...addressProperties(),
                hsProperty('numberofemployees', 'number', 'number'),
                hsProperty('annualrevenue', 'number', 'number'),
                hsSelect('industry', [
                    'BANKING',
                    'EDUCATION_MANAGEMENT',
                    'FINANCIAL_SERVICES',
                    'HOSPITAL_HEALTH_CARE',
                    'INSURANCE',
                    'RETAIL',
                    'INFORMATION_TECHNOLOGY_AND_SERVICES',
                    'TELECOMMUNICATIONS',
                    'COMPUTER_SOFTWARE'
                ]),
                ownerProperty(),
                hsText('salesforceaccountid')
            ],
            deals: [
                hsText('dealname'),
                hsProperty('amount', 'number', 'number'),
                hsProperty('closedate', 'datetime', 'date'),
                hsProperty('description', 'string', 'textarea'),
                hsProperty('pipeline', 'enumeration', 'select', { externalOptions: true }),
                hsProperty('dealstage', 'enumeration', 'radio', { externalOptions: true }),
                hsSelect('dealtype', ['newbusiness', 'existingbusiness']),
                ownerProperty(),
                hsText('salesforceopportunityid')
            ],
            calls: [
                hsText('hs_call_title'),
                hsProperty('hs_call_body', 'string', 'html'),
                hsSelect('hs_call_direction', ['INBOUND', 'OUTBOUND'])
            ],
            emails: [hsText('hs_email_subject'), hsProperty('hs_email_text', 'string', 'textarea')],
            tasks: [
                hsText('hs_task_subject'),
                hsProperty('hs_task_body', 'string', 'html'),
                hsSelect('hs_task_status', ['NOT_STARTED', 'IN_PROGRESS', 'WAITING', 'COMPLETED', 'DEFERRED']),
                hsSelect('hs_task_priority', ['LOW', 'MEDIUM', 'HIGH'])
            ],
            meetings: [
                hsText('hs_meeting_title'),
                hsProperty('hs_meeting_body', 'string', 'html'),
                hsProperty('hs_meeting_start_time', 'datetime', 'date'),
                hsProperty('hs_meeting_end_time', 'datetime', 'date'),
                hsText('hs_meeting_location')
            ]
        },
        hubspotPipelines: [
            {
                id: 'default',
                stages: [
                    'appointmentscheduled',
                    'qualifiedtobuy',
                    'presentationscheduled',
                    'decisionmakerboughtin',
                    'contractsent',
                    'closedwon',
                    'closedlost'
                ].map((id) => ({ id }))
            }
        ]
    };
}
