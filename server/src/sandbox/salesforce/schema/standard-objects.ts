import { compoundNameField, field, masterRecordField, ownerField, reference, systemFields } from './field-builder';
import type { FieldDef } from './types';

/**
 * The standard objects the bridge touches, with the fields, lengths and picklists of a fresh
 * Enterprise Edition org (English labels). Custom fields from the package are added at start-up.
 */
export interface StandardObjectSpec {
    name: string;
    label: string;
    labelPlural: string;
    keyPrefix: string;
    createable?: boolean;
    mergeable?: boolean;
    fields: FieldDef[];
}

const SALUTATIONS = ['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.', 'Mx.'];
const INDUSTRIES = [
    'Agriculture',
    'Apparel',
    'Banking',
    'Biotechnology',
    'Chemicals',
    'Communications',
    'Construction',
    'Consulting',
    'Education',
    'Electronics',
    'Energy',
    'Engineering',
    'Entertainment',
    'Environmental',
    'Finance',
    'Food & Beverage',
    'Government',
    'Healthcare',
    'Hospitality',
    'Insurance',
    'Machinery',
    'Manufacturing',
    'Media',
    'Not For Profit',
    'Recreation',
    'Retail',
    'Shipping',
    'Technology',
    'Telecommunications',
    'Transportation',
    'Utilities',
    'Other'
];
const LEAD_SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'];
const RATINGS = ['Hot', 'Warm', 'Cold'];

/** Lead statuses (the LeadStatus table); exactly one is the converted status. */
export const LEAD_STATUSES = [
    { value: 'Open - Not Contacted', isDefault: true, isConverted: false },
    { value: 'Working - Contacted', isDefault: false, isConverted: false },
    { value: 'Closed - Converted', isDefault: false, isConverted: true },
    { value: 'Closed - Not Converted', isDefault: false, isConverted: false }
];

/** Opportunity stages (the OpportunityStage table) and what each implies. */
export const OPPORTUNITY_STAGES = [
    { value: 'Prospecting', probability: 10, forecastCategory: 'Pipeline', isClosed: false, isWon: false },
    { value: 'Qualification', probability: 10, forecastCategory: 'Pipeline', isClosed: false, isWon: false },
    { value: 'Needs Analysis', probability: 20, forecastCategory: 'Pipeline', isClosed: false, isWon: false },
    { value: 'Value Proposition', probability: 50, forecastCategory: 'Pipeline', isClosed: false, isWon: false },
    { value: 'Id. Decision Makers', probability: 60, forecastCategory: 'Pipeline', isClosed: false, isWon: false },
    { value: 'Perception Analysis', probability: 70, forecastCategory: 'Pipeline', isClosed: false, isWon: false },
    { value: 'Proposal/Price Quote', probability: 75, forecastCategory: 'Pipeline', isClosed: false, isWon: false },
    { value: 'Negotiation/Review', probability: 90, forecastCategory: 'Pipeline', isClosed: false, isWon: false },
    { value: 'Closed Won', probability: 100, forecastCategory: 'Closed', isClosed: true, isWon: true },
    { value: 'Closed Lost', probability: 0, forecastCategory: 'Omitted', isClosed: true, isWon: false }
];

const TASK_STATUSES = [
    { value: 'Not Started', default: true },
    'In Progress',
    'Completed',
    'Waiting on someone else',
    'Deferred'
];
export const CLOSED_TASK_STATUSES = new Set(['Completed']);

function address(prefix: string, label: string): FieldDef[] {
    return [
        field(`${prefix}Street`, 'textarea', { label: `${label} Street` }),
        field(`${prefix}City`, 'string', { label: `${label} City`, length: 40 }),
        field(`${prefix}State`, 'string', { label: `${label} State/Province`, length: 80 }),
        field(`${prefix}PostalCode`, 'string', { label: `${label} Zip/Postal Code`, length: 20 }),
        field(`${prefix}Country`, 'string', { label: `${label} Country`, length: 80 })
    ];
}

function personName(): FieldDef[] {
    return [
        field('Salutation', 'picklist', { values: SALUTATIONS }),
        field('FirstName', 'string', { label: 'First Name', length: 40 }),
        field('LastName', 'string', { label: 'Last Name', length: 80, required: true }),
        compoundNameField()
    ];
}

const restricted = { restrictedPicklist: true };

export const STANDARD_OBJECTS: StandardObjectSpec[] = [
    {
        name: 'User',
        label: 'User',
        labelPlural: 'Users',
        keyPrefix: '005',
        createable: false,
        fields: [
            ...systemFields(),
            field('Username', 'string', { length: 80, readOnly: true, unique: true }),
            ...personName().map((f) => ({ ...f, createable: false, updateable: false })),
            field('Alias', 'string', { length: 8, readOnly: true }),
            field('Email', 'email', { readOnly: true }),
            field('Title', 'string', { length: 80, readOnly: true }),
            field('IsActive', 'boolean', { label: 'Active', readOnly: true }),
            field('TimeZoneSidKey', 'picklist', {
                label: 'Time Zone',
                values: ['America/Los_Angeles', 'America/New_York', 'Europe/London', 'Europe/Paris', 'GMT'],
                readOnly: true,
                ...restricted
            })
        ]
    },
    {
        name: 'RecordType',
        label: 'Record Type',
        labelPlural: 'Record Types',
        keyPrefix: '012',
        createable: false,
        fields: [
            ...systemFields(),
            field('Name', 'string', { label: 'Record Type Label', length: 80, readOnly: true, nameField: true }),
            field('DeveloperName', 'string', { label: 'Record Type Name', length: 80, readOnly: true }),
            field('SobjectType', 'picklist', {
                label: 'SObject Type Name',
                values: ['Account', 'Contact', 'Lead', 'Opportunity'],
                readOnly: true,
                ...restricted
            }),
            field('Description', 'string', { length: 255, readOnly: true }),
            field('IsActive', 'boolean', { label: 'Active', readOnly: true })
        ]
    },
    {
        name: 'LeadStatus',
        label: 'Lead Status Value',
        labelPlural: 'Lead Status Values',
        keyPrefix: '01J',
        createable: false,
        fields: [
            ...systemFields(),
            field('MasterLabel', 'string', { label: 'Master Label', length: 255, readOnly: true, nameField: true }),
            field('ApiName', 'string', { label: 'Api Name', length: 255, readOnly: true }),
            field('SortOrder', 'int', { label: 'Sort Order', readOnly: true }),
            field('IsDefault', 'boolean', { label: 'Is Default', readOnly: true }),
            field('IsConverted', 'boolean', { label: 'Is Converted', readOnly: true })
        ]
    },
    {
        name: 'OpportunityStage',
        label: 'Opportunity Stage',
        labelPlural: 'Opportunity Stages',
        keyPrefix: '01K',
        createable: false,
        fields: [
            ...systemFields(),
            field('MasterLabel', 'string', { label: 'Master Label', length: 255, readOnly: true, nameField: true }),
            field('ApiName', 'string', { label: 'Api Name', length: 255, readOnly: true }),
            field('IsActive', 'boolean', { label: 'Is Active', readOnly: true }),
            field('SortOrder', 'int', { label: 'Sort Order', readOnly: true }),
            field('IsClosed', 'boolean', { label: 'Closed', readOnly: true }),
            field('IsWon', 'boolean', { label: 'Won', readOnly: true }),
            field('ForecastCategory', 'string', { label: 'Forecast Category', length: 40, readOnly: true }),
            field('DefaultProbability', 'percent', { label: 'Probability (%)', readOnly: true })
        ]
    },
    {
        name: 'Account',
        label: 'Account',
        labelPlural: 'Accounts',
        keyPrefix: '001',
        mergeable: true,
        fields: [
            ...systemFields(),
            masterRecordField('Account'),
            field('Name', 'string', { label: 'Account Name', length: 255, required: true, nameField: true }),
            field('Type', 'picklist', {
                label: 'Account Type',
                values: [
                    'Prospect',
                    'Customer - Direct',
                    'Customer - Channel',
                    'Channel Partner / Reseller',
                    'Installation Partner',
                    'Technology Partner',
                    'Other'
                ]
            }),
            reference('ParentId', ['Account'], 'Parent', {
                label: 'Parent Account ID',
                childRelationshipName: 'ChildAccounts'
            }),
            ...address('Billing', 'Billing'),
            ...address('Shipping', 'Shipping'),
            field('Phone', 'phone', { label: 'Account Phone' }),
            field('Fax', 'phone', { label: 'Account Fax' }),
            field('Website', 'url'),
            field('Industry', 'picklist', { values: INDUSTRIES }),
            field('AnnualRevenue', 'currency', { label: 'Annual Revenue', precision: 18, scale: 0 }),
            field('NumberOfEmployees', 'int', { label: 'Employees', precision: 8 }),
            field('Rating', 'picklist', { label: 'Account Rating', values: RATINGS }),
            field('AccountSource', 'picklist', { label: 'Account Source', values: LEAD_SOURCES }),
            field('Description', 'textarea', { label: 'Account Description', length: 32000 }),
            ownerField(),
            field('LastActivityDate', 'date', { label: 'Last Activity', readOnly: true })
        ]
    },
    {
        name: 'Contact',
        label: 'Contact',
        labelPlural: 'Contacts',
        keyPrefix: '003',
        mergeable: true,
        fields: [
            ...systemFields(),
            masterRecordField('Contact'),
            reference('AccountId', ['Account'], 'Account', { label: 'Account ID', childRelationshipName: 'Contacts' }),
            ...personName(),
            ...address('Mailing', 'Mailing'),
            field('Phone', 'phone', { label: 'Business Phone' }),
            field('MobilePhone', 'phone', { label: 'Mobile Phone' }),
            field('Email', 'email'),
            field('Title', 'string', { length: 128 }),
            field('Department', 'string', { length: 80 }),
            field('LeadSource', 'picklist', { label: 'Lead Source', values: LEAD_SOURCES }),
            field('Birthdate', 'date'),
            reference('ReportsToId', ['Contact'], 'ReportsTo', { label: 'Reports To ID' }),
            field('HasOptedOutOfEmail', 'boolean', { label: 'Email Opt Out' }),
            field('DoNotCall', 'boolean', { label: 'Do Not Call' }),
            field('Description', 'textarea', { label: 'Contact Description', length: 32000 }),
            ownerField(),
            field('LastActivityDate', 'date', { label: 'Last Activity', readOnly: true })
        ]
    },
    {
        name: 'Lead',
        label: 'Lead',
        labelPlural: 'Leads',
        keyPrefix: '00Q',
        mergeable: true,
        fields: [
            ...systemFields(),
            masterRecordField('Lead'),
            ...personName(),
            field('Title', 'string', { length: 128 }),
            field('Company', 'string', { length: 255, required: true }),
            ...address('', 'Lead'),
            field('Phone', 'phone'),
            field('MobilePhone', 'phone', { label: 'Mobile Phone' }),
            field('Email', 'email'),
            field('Website', 'url'),
            field('Description', 'textarea', { length: 32000 }),
            field('LeadSource', 'picklist', { label: 'Lead Source', values: LEAD_SOURCES }),
            field('Status', 'picklist', {
                label: 'Lead Status',
                nillable: false,
                values: LEAD_STATUSES.map((s) => ({ value: s.value, default: s.isDefault })),
                ...restricted
            }),
            field('Industry', 'picklist', { values: INDUSTRIES }),
            field('Rating', 'picklist', { values: RATINGS }),
            field('AnnualRevenue', 'currency', { label: 'Annual Revenue', precision: 18, scale: 0 }),
            field('NumberOfEmployees', 'int', { label: 'Employees', precision: 8 }),
            field('HasOptedOutOfEmail', 'boolean', { label: 'Email Opt Out' }),
            field('DoNotCall', 'boolean', { label: 'Do Not Call' }),
            ownerField(),
            field('IsConverted', 'boolean', { label: 'Converted', readOnly: true }),
            field('ConvertedDate', 'date', { label: 'Converted Date', readOnly: true }),
            reference('ConvertedAccountId', ['Account'], 'ConvertedAccount', {
                label: 'Converted Account ID',
                readOnly: true
            }),
            reference('ConvertedContactId', ['Contact'], 'ConvertedContact', {
                label: 'Converted Contact ID',
                readOnly: true
            }),
            reference('ConvertedOpportunityId', ['Opportunity'], 'ConvertedOpportunity', {
                label: 'Converted Opportunity ID',
                readOnly: true
            }),
            field('IsUnreadByOwner', 'boolean', { label: 'Unread By Owner' }),
            field('LastActivityDate', 'date', { label: 'Last Activity', readOnly: true })
        ]
    },
    {
        name: 'Opportunity',
        label: 'Opportunity',
        labelPlural: 'Opportunities',
        keyPrefix: '006',
        fields: [
            ...systemFields(),
            reference('AccountId', ['Account'], 'Account', {
                label: 'Account ID',
                childRelationshipName: 'Opportunities'
            }),
            reference('RecordTypeId', ['RecordType'], 'RecordType', { label: 'Record Type ID' }),
            field('Name', 'string', { label: 'Opportunity Name', length: 120, required: true, nameField: true }),
            field('Description', 'textarea', { length: 32000 }),
            field('StageName', 'picklist', {
                label: 'Stage',
                required: true,
                values: OPPORTUNITY_STAGES.map((s) => s.value),
                ...restricted
            }),
            field('Amount', 'currency', { precision: 18, scale: 2 }),
            field('Probability', 'percent', { label: 'Probability (%)', defaultedOnCreate: true }),
            field('CloseDate', 'date', { label: 'Close Date', required: true }),
            field('Type', 'picklist', {
                label: 'Opportunity Type',
                values: ['New Customer', 'Existing Customer - Upgrade', 'Existing Customer - Replacement']
            }),
            field('NextStep', 'string', { label: 'Next Step', length: 255 }),
            field('LeadSource', 'picklist', { label: 'Lead Source', values: LEAD_SOURCES }),
            field('IsClosed', 'boolean', { label: 'Closed', readOnly: true }),
            field('IsWon', 'boolean', { label: 'Won', readOnly: true }),
            field('ForecastCategory', 'picklist', {
                label: 'Forecast Category',
                values: ['Omitted', 'Pipeline', 'BestCase', 'Forecast', 'Closed'],
                readOnly: true,
                defaultedOnCreate: true,
                ...restricted
            }),
            ownerField(),
            field('LastActivityDate', 'date', { label: 'Last Activity', readOnly: true })
        ]
    },
    {
        name: 'OpportunityContactRole',
        label: 'Opportunity Contact Role',
        labelPlural: 'Opportunity Contact Role',
        keyPrefix: '00K',
        fields: [
            ...systemFields(),
            reference('OpportunityId', ['Opportunity'], 'Opportunity', {
                label: 'Opportunity ID',
                childRelationshipName: 'OpportunityContactRoles',
                required: true,
                updateable: false
            }),
            reference('ContactId', ['Contact'], 'Contact', {
                label: 'Contact ID',
                required: true,
                childRelationshipName: 'OpportunityContactRoles'
            }),
            field('Role', 'picklist', {
                values: [
                    'Business User',
                    'Decision Maker',
                    'Economic Buyer',
                    'Economic Decision Maker',
                    'Evaluator',
                    'Executive Sponsor',
                    'Influencer',
                    'Technical Buyer',
                    'Other'
                ]
            }),
            field('IsPrimary', 'boolean', { label: 'Primary' })
        ]
    },
    {
        name: 'Task',
        label: 'Task',
        labelPlural: 'Tasks',
        keyPrefix: '00T',
        fields: [
            ...systemFields(),
            reference('WhoId', ['Contact', 'Lead'], 'Who', { label: 'Name ID', childRelationshipName: 'Tasks' }),
            reference('WhatId', ['Account', 'Opportunity'], 'What', {
                label: 'Related To ID',
                childRelationshipName: 'Tasks'
            }),
            field('Subject', 'combobox', { values: ['Call', 'Send Letter', 'Send Quote', 'Other'] }),
            field('ActivityDate', 'date', { label: 'Due Date Only' }),
            field('Status', 'picklist', {
                required: true,
                values: TASK_STATUSES,
                defaultedOnCreate: true,
                ...restricted
            }),
            field('Priority', 'picklist', {
                required: true,
                values: ['High', { value: 'Normal', default: true }, 'Low'],
                ...restricted
            }),
            field('IsClosed', 'boolean', { label: 'Closed', readOnly: true }),
            field('Description', 'textarea', { length: 32000 }),
            field('TaskSubtype', 'picklist', {
                label: 'Task Subtype',
                values: ['Task', 'Email', 'ListEmail', 'Cadence', 'Call', 'LinkedIn'],
                updateable: false,
                ...restricted
            }),
            field('CallType', 'picklist', { label: 'Call Type', values: ['Internal', 'Inbound', 'Outbound'] }),
            field('CallDurationInSeconds', 'int', { label: 'Call Duration', precision: 8 }),
            ownerField()
        ]
    },
    {
        name: 'Event',
        label: 'Event',
        labelPlural: 'Events',
        keyPrefix: '00U',
        fields: [
            ...systemFields(),
            reference('WhoId', ['Contact', 'Lead'], 'Who', { label: 'Name ID', childRelationshipName: 'Events' }),
            reference('WhatId', ['Account', 'Opportunity'], 'What', {
                label: 'Related To ID',
                childRelationshipName: 'Events'
            }),
            field('Subject', 'combobox', { values: ['Call', 'Email', 'Meeting', 'Send Letter/Quote', 'Other'] }),
            field('Location', 'string', { length: 255 }),
            field('IsAllDayEvent', 'boolean', { label: 'All-Day Event' }),
            field('StartDateTime', 'datetime', { label: 'Start Date Time', required: true }),
            field('EndDateTime', 'datetime', { label: 'End Date Time', defaultedOnCreate: true }),
            field('DurationInMinutes', 'int', { label: 'Duration', precision: 8, defaultedOnCreate: true }),
            field('ActivityDate', 'date', { label: 'Due Date Only', readOnly: true }),
            field('Description', 'textarea', { length: 32000 }),
            field('EventSubtype', 'picklist', {
                label: 'Event Subtype',
                values: ['Event'],
                updateable: false,
                ...restricted
            }),
            ownerField()
        ]
    }
];

/** Which objects a package "Activity" custom field lands on. */
export const ACTIVITY_OBJECTS = ['Task', 'Event'];
