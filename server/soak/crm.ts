/**
 * The soak's hands on both CRMs: the real jsforce (REST + Partner SOAP for convertLead and merge) and
 * the real @hubspot/api-client against the sandboxes. Every change is written to the edit log only once
 * the CRM confirmed it; reads find the records the relay created and the final state of both sides.
 */
import { Client } from '@hubspot/api-client';
import jsforce, { type Connection } from 'jsforce';
import type { RunningHubSpotSandbox } from '../src/sandbox/hubspot';
import type { RunningSalesforceSandbox } from '../src/sandbox/salesforce';
import type { EditLog, SalesforceObject } from './edit-log';
import { EDITOR_API_VERSION } from './sandboxes';

export interface ObservedSalesforceRecord {
    id: string;
    object: SalesforceObject;
    email: string | null;
    values: Record<string, string | null>;
}

export interface ObservedHubSpotContact {
    id: string;
    email: string | null;
    values: Record<string, string | null>;
}

interface SaveResult {
    id?: string;
    success: boolean;
    errors?: unknown[];
}

const text = (value: unknown): string | null =>
    value === null || value === undefined || value === '' ? null : String(value);

/** SOQL string literal (the soak only ever quotes its own generated emails, but escape anyway). */
const soqlString = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

export class CrmEditor {
    private constructor(
        private readonly salesforce: Connection,
        private readonly hubspot: Client,
        private readonly log: EditLog
    ) {}

    static async connect(
        sandboxes: { salesforce: RunningSalesforceSandbox; hubspot: RunningHubSpotSandbox },
        log: EditLog
    ): Promise<CrmEditor> {
        const info = sandboxes.salesforce.connection;
        const salesforce = new jsforce.Connection({
            loginUrl: info.loginUrl,
            version: EDITOR_API_VERSION,
            oauth2: { loginUrl: info.loginUrl, clientId: info.clientId, clientSecret: info.clientSecret }
        });
        // People edit as a sales rep, as in a real org: the relay's integration user writes only its copies.
        const [rep] = sandboxes.salesforce.handle.users.salesRepIds;
        const repUsername = sandboxes.salesforce.handle.getRecord(rep)?.Username;
        if (typeof repUsername !== 'string') throw new Error('the Salesforce sandbox has no sales rep to edit as');
        await salesforce.login(repUsername, info.password);
        // ... and in HubSpot through another private app, so their edits are not the relay's own writes.
        const hubspot = new Client({
            accessToken: sandboxes.hubspot.connection.otherAppAccessToken,
            basePath: sandboxes.hubspot.connection.basePath,
            // Only the sandbox's real rate limiter can refuse the soak (no faults on its endpoints): a 429 is safe to retry.
            numberOfApiCallRetries: 3
        });
        return new CrmEditor(salesforce, hubspot, log);
    }

    private static saved(result: SaveResult, what: string): string {
        if (!result.success || !result.id) throw new Error(`${what} failed: ${JSON.stringify(result.errors)}`);
        return result.id;
    }

    async createSalesforce(
        person: string,
        object: SalesforceObject,
        values: Record<string, string | null>,
        duplicateOfSyncedPerson = false
    ): Promise<string> {
        const result = (await this.salesforce.sobject(object).create(values)) as SaveResult;
        const record = CrmEditor.saved(result, `create ${object}`);
        this.log.record({
            kind: 'create',
            side: 'salesforce',
            person,
            object,
            record,
            values,
            duplicateOfSyncedPerson
        });
        return record;
    }

    async updateSalesforce(
        person: string,
        object: SalesforceObject,
        record: string,
        field: string,
        value: string | null
    ): Promise<void> {
        const result = (await this.salesforce.sobject(object).update({ Id: record, [field]: value })) as SaveResult;
        CrmEditor.saved(result, `update ${object} ${record}`);
        this.log.record({ kind: 'update', side: 'salesforce', person, object, record, field, value });
    }

    async deleteSalesforce(person: string, object: SalesforceObject, record: string): Promise<void> {
        const result = (await this.salesforce.sobject(object).destroy(record)) as SaveResult;
        CrmEditor.saved(result, `delete ${object} ${record}`);
        this.log.record({ kind: 'delete', side: 'salesforce', person, object, record });
    }

    /** Partner SOAP merge: `victim` disappears into `master`, whose fields stay as they are. */
    async mergeSalesforce(
        object: SalesforceObject,
        master: { person: string; record: string },
        victim: { person: string; record: string }
    ): Promise<void> {
        const result = (await this.salesforce.soap.merge({
            masterRecord: { type: object, Id: master.record },
            recordToMergeIds: [victim.record]
        } as never)) as unknown as { success: boolean | string; errors?: unknown };
        if (String(result.success) !== 'true') throw new Error(`merge failed: ${JSON.stringify(result.errors)}`);
        this.log.record({
            kind: 'merge',
            side: 'salesforce',
            person: victim.person,
            object,
            record: victim.record,
            into: master.record,
            intoPerson: master.person
        });
    }

    /** Partner SOAP convertLead (no opportunity): returns the new Contact's ID. */
    async convertLead(person: string, lead: string): Promise<string> {
        const result = (await this.salesforce.soap.convertLead({
            leadId: lead,
            convertedStatus: 'Closed - Converted',
            doNotCreateOpportunity: true
        } as never)) as unknown as { success: boolean | string; contactId?: string; errors?: unknown };
        if (String(result.success) !== 'true' || !result.contactId) {
            throw new Error(`convertLead failed: ${JSON.stringify(result.errors)}`);
        }
        this.log.record({
            kind: 'convert',
            side: 'salesforce',
            person,
            object: 'Lead',
            record: lead,
            contact: result.contactId
        });
        return result.contactId;
    }

    async createHubSpot(person: string, values: Record<string, string>): Promise<string> {
        const created = await this.hubspot.crm.contacts.basicApi.create({ properties: values, associations: [] });
        this.log.record({
            kind: 'create',
            side: 'hubspot',
            person,
            object: 'contacts',
            record: created.id,
            values,
            duplicateOfSyncedPerson: false
        });
        return created.id;
    }

    async updateHubSpot(person: string, record: string, property: string, value: string): Promise<void> {
        await this.hubspot.crm.contacts.basicApi.update(record, { properties: { [property]: value } });
        this.log.record({
            kind: 'update',
            side: 'hubspot',
            person,
            object: 'contacts',
            record,
            field: property,
            value
        });
    }

    async archiveHubSpot(person: string, record: string): Promise<void> {
        await this.hubspot.crm.contacts.basicApi.archive(record);
        this.log.record({ kind: 'delete', side: 'hubspot', person, object: 'contacts', record });
    }

    async mergeHubSpot(primary: { person: string; record: string }, secondary: { person: string; record: string }) {
        await this.hubspot.crm.contacts.basicApi.merge({
            primaryObjectId: primary.record,
            objectIdToMerge: secondary.record
        });
        this.log.record({
            kind: 'merge',
            side: 'hubspot',
            person: secondary.person,
            object: 'contacts',
            record: secondary.record,
            into: primary.record,
            intoPerson: primary.person
        });
    }

    /**
     * An Account for contacts to be moved between. Accounts are not people: the edit log records the moves
     * (`AccountId` updates), not the Accounts.
     */
    async createAccount(name: string, website: string): Promise<string> {
        const result = (await this.salesforce
            .sobject('Account')
            .create({ Name: name, Website: website })) as SaveResult;
        return CrmEditor.saved(result, 'create Account');
    }

    /** Every Account's HubSpot company, from the package field the relay writes (null while unlinked). */
    async readAccountCompanies(): Promise<Map<string, string | null>> {
        const companies = new Map<string, string | null>();
        let result = await this.salesforce.query<{ Id: string; HubSpot_Id__c: unknown }>(
            'SELECT Id, HubSpot_Id__c FROM Account'
        );
        for (;;) {
            for (const row of result.records) companies.set(row.Id, text(row.HubSpot_Id__c));
            if (result.done || !result.nextRecordsUrl) break;
            result = await this.salesforce.queryMore(result.nextRecordsUrl);
        }
        return companies;
    }

    /** The companies each HubSpot contact is associated with (v4 batch reads of 100). */
    async readCompanyAssociations(contactIds: string[]): Promise<Map<string, string[]>> {
        const associated = new Map<string, string[]>();
        for (let start = 0; start < contactIds.length; start += 100) {
            const response = await this.hubspot.crm.associations.v4.batchApi.getPage('contacts', 'companies', {
                inputs: contactIds.slice(start, start + 100).map((id) => ({ id }))
            });
            for (const result of response.results) {
                associated.set(
                    String(result._from.id),
                    result.to.map((target) => String(target.toObjectId))
                );
            }
        }
        return associated;
    }

    /** The live (not converted) Salesforce records carrying `email`. */
    async findSalesforce(email: string): Promise<{ id: string; object: SalesforceObject }[]> {
        const found: { id: string; object: SalesforceObject }[] = [];
        for (const object of ['Lead', 'Contact'] as const) {
            const where = `Email = ${soqlString(email)}${object === 'Lead' ? ' AND IsConverted = false' : ''}`;
            const result = await this.salesforce.query<{ Id: string }>(`SELECT Id FROM ${object} WHERE ${where}`);
            for (const record of result.records) found.push({ id: record.Id, object });
        }
        return found;
    }

    /** The HubSpot contact whose email is `email`, through the single-record read by unique property. */
    async findHubSpot(email: string): Promise<string | null> {
        try {
            const contact = await this.hubspot.crm.contacts.basicApi.getById(
                email,
                ['email'],
                undefined,
                undefined,
                false,
                'email'
            );
            return contact.properties.email?.toLowerCase() === email ? contact.id : null;
        } catch (error) {
            if ((error as { code?: number }).code === 404) return null;
            throw error;
        }
    }

    /** Every live Lead (not converted) and Contact with the given fields. */
    async readSalesforce(fields: Record<SalesforceObject, string[]>): Promise<ObservedSalesforceRecord[]> {
        const records: ObservedSalesforceRecord[] = [];
        for (const object of ['Lead', 'Contact'] as const) {
            const select = [...new Set(['Id', 'Email', ...fields[object]])].join(', ');
            const where = object === 'Lead' ? ' WHERE IsConverted = false' : '';
            let result = await this.salesforce.query<Record<string, unknown>>(
                `SELECT ${select} FROM ${object}${where}`
            );
            for (;;) {
                for (const row of result.records) {
                    const values: Record<string, string | null> = {};
                    for (const field of fields[object]) values[field] = text(row[field]);
                    records.push({ id: String(row.Id), object, email: text(row.Email)?.toLowerCase() ?? null, values });
                }
                if (result.done || !result.nextRecordsUrl) break;
                result = await this.salesforce.queryMore(result.nextRecordsUrl);
            }
        }
        return records;
    }

    /** Every live HubSpot contact with the given properties. */
    async readHubSpot(properties: string[]): Promise<ObservedHubSpotContact[]> {
        const contacts: ObservedHubSpotContact[] = [];
        let after: string | undefined;
        do {
            const page = await this.hubspot.crm.contacts.basicApi.getPage(100, after, properties);
            for (const contact of page.results) {
                const values: Record<string, string | null> = {};
                for (const property of properties) values[property] = text(contact.properties[property]);
                contacts.push({ id: contact.id, email: values.email?.toLowerCase() ?? null, values });
            }
            after = page.paging?.next?.after;
        } while (after);
        return contacts;
    }
}
