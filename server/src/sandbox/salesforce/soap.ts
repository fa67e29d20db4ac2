import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { AuthService } from './auth';
import { newTransactionKey, type DmlEngine, type WriteContext } from './dml';
import { asSalesforceError, SalesforceError } from './errors';
import { toId18 } from './ids';
import { LEAD_STATUSES, OPPORTUNITY_STAGES } from './schema/standard-objects';
import type { ObjectDef } from './schema/types';
import type { RecordStore, SObjectRecord } from './store';
import { formatDate } from './wire-format';

/**
 * The two Partner SOAP calls the bridge needs and REST lacks: `convertLead` and `merge`, read from the
 * envelope jsforce's `conn.soap` builds and answered in the Partner WSDL's shapes.
 */

const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    removeNSPrefix: true,
    parseTagValue: false,
    trimValues: true,
    isArray: (name) => ['leadConverts', 'mergeRequests', 'recordToMergeIds', 'fieldsToNull', 'ids'].includes(name)
});

const MERGEABLE = new Set(['Lead', 'Contact', 'Account']);
const ENVELOPE_OPEN =
    '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="urn:partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:sf="urn:sobject.partner.soap.sforce.com"><soapenv:Body>';
const ENVELOPE_CLOSE = '</soapenv:Body></soapenv:Envelope>';

export interface SoapResponse {
    status: number;
    body: string;
}

function escapeXml(text: string): string {
    return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function element(name: string, value: unknown): string {
    if (value === null || value === undefined) return `<${name} xsi:nil="true"/>`;
    if (Array.isArray(value)) return value.map((v) => element(name, v)).join('');
    if (typeof value === 'object') {
        return `<${name}>${Object.entries(value as Record<string, unknown>)
            .map(([k, v]) => element(k, v))
            .join('')}</${name}>`;
    }
    return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** A SOAP fault; API faults use the `sf:` prefix, envelope-level ones `soapenv:Client`. */
export function soapFault(code: string, message: string, faultCode = `sf:${code}`): SoapResponse {
    return {
        status: 500,
        body: `${ENVELOPE_OPEN}<soapenv:Fault><faultcode>${faultCode}</faultcode><faultstring>${escapeXml(
            faultCode.startsWith('sf:') ? `${code}: ${message}` : message
        )}</faultstring></soapenv:Fault>${ENVELOPE_CLOSE}`
    };
}

function text(value: unknown): string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'object') {
        const inner = (value as Record<string, unknown>)['#text'];
        return inner === undefined ? undefined : String(inner);
    }
    const s = String(value);
    return s === '' ? undefined : s;
}

function saveErrors(error: unknown) {
    const sf = asSalesforceError(error);
    return [{ fields: sf.fields, message: sf.message, statusCode: sf.errorCode }];
}

/** Lead field -> field on the converted Contact, Account or Opportunity. */
export type LeadFieldMapping = Record<string, Partial<Record<'Contact' | 'Account' | 'Opportunity', string>>>;

export class SoapService {
    constructor(
        private readonly auth: AuthService,
        private readonly store: RecordStore,
        private readonly dml: DmlEngine,
        private readonly now: () => number,
        private readonly leadFieldMapping: LeadFieldMapping = {}
    ) {}

    /** Values the lead field mapping carries to one of the converted records. */
    private mapped(lead: SObjectRecord, target: 'Contact' | 'Account' | 'Opportunity'): Record<string, unknown> {
        const values: Record<string, unknown> = {};
        for (const [leadField, targets] of Object.entries(this.leadFieldMapping)) {
            const targetField = targets[target];
            if (targetField && lead[leadField] !== undefined) values[targetField] = lead[leadField];
        }
        return values;
    }

    /** Answers one SOAP call; `consumeApiRequest` counts it against the daily allowance once authenticated. */
    handle(xml: string, apiVersion: string, consumeApiRequest: () => boolean): SoapResponse {
        const validation = XMLValidator.validate(xml);
        if (validation !== true) {
            return soapFault('Client', `Unable to parse the request: ${validation.err.msg}`, 'soapenv:Client');
        }
        const envelope = (parser.parse(xml) as { Envelope?: Record<string, unknown> }).Envelope;
        if (!envelope) return soapFault('Client', 'Expected a SOAP Envelope', 'soapenv:Client');
        const header = (envelope.Header ?? {}) as Record<string, Record<string, unknown> | undefined>;
        const body = (envelope.Body ?? {}) as Record<string, unknown>;
        const session = this.auth.authenticate(text(header.SessionHeader?.sessionId));
        if (!session)
            return soapFault('INVALID_SESSION_ID', 'Invalid Session ID found in SessionHeader: Illegal Session');
        if (!consumeApiRequest()) return soapFault('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
        const client = text(header.CallOptions?.client);
        const write: WriteContext = {
            userId: session.userId,
            changeOrigin: `com/salesforce/api/soap/${apiVersion}${client ? `;client=${client}` : ''}`,
            transactionKey: newTransactionKey(),
            allowDuplicateSave: text(header.DuplicateRuleHeader?.allowSave) === 'true'
        };
        const [method] = Object.keys(body).filter((k) => !k.startsWith('@'));
        const request = (body[method] ?? {}) as Record<string, unknown>;
        let results: Record<string, unknown>[] | Record<string, unknown>;
        switch (method) {
            case 'convertLead':
                results = ((request.leadConverts ?? []) as Record<string, unknown>[]).map((c) =>
                    this.convert(c, write)
                );
                break;
            case 'merge':
                results = ((request.mergeRequests ?? []) as Record<string, unknown>[]).map((m) => this.merge(m, write));
                break;
            case 'emptyRecycleBin':
                results = ((request.ids ?? []) as unknown[]).map((id) => this.purge(text(id) ?? ''));
                break;
            case 'getServerTimestamp':
                results = { timestamp: new Date(this.now()).toISOString() };
                break;
            default:
                return soapFault('INVALID_OPERATION', `Operation ${method ?? ''} is not supported by this sandbox`);
        }
        return {
            status: 200,
            body: `${ENVELOPE_OPEN}<${method}Response>${element('result', results)}</${method}Response>${ENVELOPE_CLOSE}`
        };
    }

    private convert(request: Record<string, unknown>, write: WriteContext): Record<string, unknown> {
        const leadIdText = text(request.leadId) ?? '';
        const leadId = toId18(leadIdText);
        try {
            return this.store.transaction(() => this.convertOne(request, leadId, leadIdText, write));
        } catch (error) {
            return {
                accountId: null,
                contactId: null,
                errors: saveErrors(error),
                leadId: leadId ?? leadIdText,
                opportunityId: null,
                success: false
            };
        }
    }

    private convertOne(
        request: Record<string, unknown>,
        leadId: string | undefined,
        leadIdText: string,
        write: WriteContext
    ) {
        const lead = leadId ? this.store.table('Lead').get(leadId) : undefined;
        if (!lead || lead.IsDeleted === true) {
            throw new SalesforceError(400, 'INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id: ${leadIdText}`, [
                'LeadId'
            ]);
        }
        if (lead.IsConverted === true) {
            throw new SalesforceError(
                400,
                'CANNOT_UPDATE_CONVERTED_LEAD',
                'This lead was already converted to the contact.'
            );
        }
        const status = text(request.convertedStatus);
        if (!LEAD_STATUSES.some((s) => s.isConverted && s.value === status)) {
            throw new SalesforceError(400, 'INVALID_STATUS', `invalid convertedStatus: ${status ?? ''}`, ['Status']);
        }
        const ownerId = this.existing('User', text(request.ownerId), 'OwnerId')?.Id ?? (lead.OwnerId as string);
        const account =
            this.existing('Account', text(request.accountId), 'AccountId') ??
            this.dml.create(
                'Account',
                {
                    Name: lead.Company,
                    Website: lead.Website,
                    Phone: lead.Phone,
                    Industry: lead.Industry,
                    AnnualRevenue: lead.AnnualRevenue,
                    NumberOfEmployees: lead.NumberOfEmployees,
                    BillingStreet: lead.Street,
                    BillingCity: lead.City,
                    BillingState: lead.State,
                    BillingPostalCode: lead.PostalCode,
                    BillingCountry: lead.Country,
                    AccountSource: lead.LeadSource,
                    OwnerId: ownerId,
                    ...this.mapped(lead, 'Account')
                },
                write
            );
        const existingContact = this.existing('Contact', text(request.contactId), 'ContactId');
        if (existingContact && existingContact.AccountId !== account.Id) {
            throw new SalesforceError(
                400,
                'INVALID_CROSS_REFERENCE_KEY',
                'The contact must belong to the selected account',
                ['ContactId']
            );
        }
        const contact =
            existingContact ??
            this.dml.create(
                'Contact',
                {
                    AccountId: account.Id,
                    Salutation: lead.Salutation,
                    FirstName: lead.FirstName,
                    LastName: lead.LastName,
                    Title: lead.Title,
                    Email: lead.Email,
                    Phone: lead.Phone,
                    MobilePhone: lead.MobilePhone,
                    LeadSource: lead.LeadSource,
                    MailingStreet: lead.Street,
                    MailingCity: lead.City,
                    MailingState: lead.State,
                    MailingPostalCode: lead.PostalCode,
                    MailingCountry: lead.Country,
                    HasOptedOutOfEmail: lead.HasOptedOutOfEmail,
                    DoNotCall: lead.DoNotCall,
                    Description: lead.Description,
                    OwnerId: ownerId,
                    ...this.mapped(lead, 'Contact')
                },
                { ...write, allowDuplicateSave: true }
            );
        let opportunityId: string | null = null;
        if (text(request.doNotCreateOpportunity) !== 'true') {
            opportunityId =
                this.existing('Opportunity', text(request.opportunityId), 'OpportunityId')?.Id ??
                this.dml.create(
                    'Opportunity',
                    {
                        Name: text(request.opportunityName) ?? `${String(lead.Company)}-`,
                        AccountId: account.Id,
                        StageName: OPPORTUNITY_STAGES[0].value,
                        CloseDate: endOfQuarter(this.now()),
                        LeadSource: lead.LeadSource,
                        OwnerId: ownerId,
                        ...this.mapped(lead, 'Opportunity')
                    },
                    write
                ).Id;
        }
        const leadDef = this.dml.objectDef('Lead');
        this.dml.applyUpdate(
            leadDef,
            lead,
            {
                Status: status,
                IsConverted: true,
                ConvertedDate: formatDate(this.now()),
                ConvertedAccountId: account.Id,
                ConvertedContactId: contact.Id,
                ConvertedOpportunityId: opportunityId
            },
            write
        );
        this.reparent(['Task', 'Event'], 'WhoId', [lead.Id], contact.Id, write);
        return {
            accountId: account.Id,
            contactId: contact.Id,
            errors: [],
            leadId: lead.Id,
            opportunityId,
            success: true
        };
    }

    /** emptyRecycleBin: removes a deleted record for good (queryAll no longer sees it). */
    private purge(idText: string): Record<string, unknown> {
        const id = toId18(idText);
        const record = id ? this.store.get(id) : undefined;
        if (!record || record.IsDeleted !== true) {
            return {
                errors: [{ fields: [], message: 'Entity is not in the recycle bin', statusCode: 'INVALID_ID_FIELD' }],
                id: idText,
                success: false
            };
        }
        this.store.transaction(() => this.store.remove(this.store.objectOfId(record.Id)!, record.Id));
        return { errors: [], id: record.Id, success: true };
    }

    private existing(objectName: string, idText: string | undefined, fieldName: string): SObjectRecord | undefined {
        if (!idText) return undefined;
        const id = toId18(idText);
        const record = id ? this.store.table(objectName).get(id) : undefined;
        if (!record || record.IsDeleted === true) {
            throw new SalesforceError(400, 'INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id: ${idText}`, [
                fieldName
            ]);
        }
        return record;
    }

    private merge(request: Record<string, unknown>, write: WriteContext): Record<string, unknown> {
        const master = (request.masterRecord ?? {}) as Record<string, unknown>;
        const masterIdText = text(master.Id) ?? '';
        try {
            return this.store.transaction(() => this.mergeOne(master, masterIdText, request, write));
        } catch (error) {
            return {
                errors: saveErrors(error),
                id: masterIdText || null,
                mergedRecordIds: [],
                success: false,
                updatedRelatedIds: []
            };
        }
    }

    private mergeOne(
        master: Record<string, unknown>,
        masterIdText: string,
        request: Record<string, unknown>,
        write: WriteContext
    ) {
        const attributes = master.attributes as Record<string, unknown> | undefined;
        const typeName = text(master.type) ?? text(attributes?.type);
        const def = typeName ? this.dml.objectDef(typeName) : undefined;
        if (!def || !MERGEABLE.has(def.name)) {
            throw new SalesforceError(
                400,
                'INVALID_TYPE',
                `Merge is supported for Lead, Contact and Account, not ${typeName ?? '(none)'}`
            );
        }
        const masterId = toId18(masterIdText);
        const masterRecord = masterId ? this.dml.liveRecord(def, masterId) : undefined;
        if (!masterRecord) throw new SalesforceError(400, 'INVALID_ID_FIELD', 'Invalid master record id');
        const loserIds = ((request.recordToMergeIds ?? []) as unknown[]).map((value) => {
            const id = toId18(text(value) ?? '');
            if (!id || !id.startsWith(def.keyPrefix) || id === masterRecord.Id) {
                throw new SalesforceError(400, 'INVALID_ID_FIELD', `invalid record to merge: ${text(value) ?? ''}`);
            }
            this.dml.liveRecord(def, id);
            return id;
        });
        if (loserIds.length === 0 || loserIds.length > 2) {
            throw new SalesforceError(
                400,
                'INVALID_OPERATION',
                'A merge request needs one or two records to merge into the master'
            );
        }
        const updates: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(master)) {
            if (['type', 'Id', 'attributes', 'fieldsToNull'].includes(key) || key.startsWith('@')) continue;
            updates[key] = text(value) ?? null;
        }
        for (const name of ((master.fieldsToNull ?? []) as unknown[]).map((v) => text(v) ?? '')) updates[name] = null;
        if (Object.keys(updates).length > 0) this.dml.update(def.name, masterRecord.Id, updates, write);
        const updatedRelatedIds = this.reparentChildren(def, loserIds, masterRecord.Id, write);
        for (const id of loserIds) this.dml.delete(id, write, masterRecord.Id);
        return { errors: [], id: masterRecord.Id, mergedRecordIds: loserIds, success: true, updatedRelatedIds };
    }

    private reparentChildren(def: ObjectDef, loserIds: string[], masterId: string, write: WriteContext): string[] {
        switch (def.name) {
            case 'Account':
                return [
                    ...this.reparent(['Contact', 'Opportunity'], 'AccountId', loserIds, masterId, write),
                    ...this.reparent(['Task', 'Event'], 'WhatId', loserIds, masterId, write)
                ];
            case 'Contact':
                return [
                    ...this.reparent(['Task', 'Event'], 'WhoId', loserIds, masterId, write),
                    ...this.reparent(['OpportunityContactRole'], 'ContactId', loserIds, masterId, write)
                ];
            default:
                return this.reparent(['Task', 'Event'], 'WhoId', loserIds, masterId, write);
        }
    }

    private reparent(objects: string[], field: string, fromIds: string[], toId: string, write: WriteContext): string[] {
        const from = new Set(fromIds);
        const moved: string[] = [];
        for (const objectName of objects) {
            const def = this.dml.objectDef(objectName);
            for (const record of [...this.store.table(objectName).values()]) {
                if (record.IsDeleted === true || !from.has(record[field] as string)) continue;
                this.dml.applyUpdate(def, record, { [field]: toId }, write);
                moved.push(record.Id);
            }
        }
        return moved;
    }
}

function endOfQuarter(now: number): string {
    const date = new Date(now);
    const quarterEndMonth = Math.floor(date.getUTCMonth() / 3) * 3 + 3;
    return formatDate(Date.UTC(date.getUTCFullYear(), quarterEndMonth, 0));
}
