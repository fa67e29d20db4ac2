/**
 * Observed end state versus the oracle's: lost updates (a field that does not hold the value the rules
 * give), wrong company associations, missing records, duplicates and resurrections. Pure.
 */
import type { ObservedHubSpotContact, ObservedSalesforceRecord } from './crm';
import type { ExpectedPerson } from './oracle';

export interface FieldMismatch {
    person: string;
    email: string;
    property: string;
    rule: string;
    expected: string | null;
    salesforce: string | null;
    hubspot: string | null;
}

export interface Comparison {
    peopleCompared: number;
    fieldsCompared: number;
    lostUpdates: FieldMismatch[];
    /** Expected live records that are not there. */
    missingRecords: string[];
    /** More live records for one email than the edit log explains (the relay created or kept one too many). */
    duplicateRecords: string[];
    /** Records deleted or merged away that came back. */
    resurrected: string[];
    /** Contacts whose Account, or whose HubSpot contact's company associations, do not follow the Account. */
    wrongAssociations: string[];
    /** Contacts with an Account, or moved by the soak, whose associations were compared. */
    associationsCompared: number;
}

/** What the association check reads besides the records: both ends of every company link. */
export interface ObservedCompanies {
    /** Salesforce Account ID → its HubSpot company (null while the relay has not linked it). */
    accountCompanies: ReadonlyMap<string, string | null>;
    /** HubSpot contact ID → the companies it is associated with. */
    contactCompanies: ReadonlyMap<string, readonly string[]>;
}

const same = (a: string | null | undefined, b: string | null | undefined) => (a ?? null) === (b ?? null);

export function compareWithOracle(
    expected: readonly ExpectedPerson[],
    salesforce: readonly ObservedSalesforceRecord[],
    hubspot: readonly ObservedHubSpotContact[],
    companies: ObservedCompanies
): Comparison {
    const result: Comparison = {
        peopleCompared: 0,
        fieldsCompared: 0,
        lostUpdates: [],
        missingRecords: [],
        duplicateRecords: [],
        resurrected: [],
        wrongAssociations: [],
        associationsCompared: 0
    };
    const byEmail = <T extends { email: string | null }>(records: readonly T[]) => {
        const map = new Map<string, T[]>();
        for (const record of records) {
            const key = record.email ?? '';
            map.set(key, [...(map.get(key) ?? []), record]);
        }
        return map;
    };
    const salesforceByEmail = byEmail(salesforce);
    const hubspotByEmail = byEmail(hubspot);
    const known = new Set(expected.map((person) => person.email));

    for (const person of expected) {
        const sfRecords = salesforceByEmail.get(person.email) ?? [];
        const hsContacts = hubspotByEmail.get(person.email) ?? [];
        const label = `${person.person} <${person.email}>`;
        countRecords(result, `${label} Salesforce`, sfRecords.length, person.salesforceRecords, person.salesforce.live);
        countRecords(result, `${label} HubSpot`, hsContacts.length, person.hubspotContacts, person.hubspot.live);
        for (const id of person.excludedSalesforceIds) {
            if (!sfRecords.some((record) => record.id === id)) result.missingRecords.push(`${label} duplicate ${id}`);
        }
        if (person.fields.length === 0) continue;

        const synced = person.salesforce.id
            ? sfRecords.find((record) => record.id === person.salesforce.id)
            : sfRecords.find((record) => !person.excludedSalesforceIds.includes(record.id));
        const contact = person.hubspot.id
            ? hsContacts.find((candidate) => candidate.id === person.hubspot.id)
            : hsContacts[0];
        if (!synced || !contact) {
            if (person.salesforce.id && !synced)
                result.missingRecords.push(`${label} Salesforce ${person.salesforce.id}`);
            if (person.hubspot.id && !contact) result.missingRecords.push(`${label} HubSpot ${person.hubspot.id}`);
            continue;
        }
        result.peopleCompared += 1;
        for (const field of person.fields) {
            result.fieldsCompared += 1;
            const salesforceValue = synced.values[field.salesforceField] ?? null;
            const hubspotValue = contact.values[field.property] ?? null;
            const normalise = (value: string | null) =>
                field.property === 'email' ? (value?.toLowerCase() ?? null) : value;
            const accepted = [field.value, ...(field.alsoAccepted ?? [])];
            const right = accepted.some(
                (value) => same(normalise(salesforceValue), value) && same(normalise(hubspotValue), value)
            );
            if (right) continue;
            result.lostUpdates.push({
                person: person.person,
                email: person.email,
                property: field.property,
                rule: field.rule,
                expected: field.value,
                salesforce: salesforceValue,
                hubspot: hubspotValue
            });
        }
        if (synced.object === 'Contact') compareAssociations(result, label, person, synced, contact.id, companies);
    }
    // Records under emails the soak never used were created by something other than the edits.
    for (const [email, records] of salesforceByEmail) {
        if (!known.has(email))
            result.duplicateRecords.push(...records.map((r) => `unknown Salesforce ${r.object} ${r.id} <${email}>`));
    }
    for (const [email, records] of hubspotByEmail) {
        if (!known.has(email))
            result.duplicateRecords.push(...records.map((r) => `unknown HubSpot contact ${r.id} <${email}>`));
    }
    return result;
}

function countRecords(result: Comparison, label: string, observed: number, expected: number, live: boolean): void {
    if (observed > expected) {
        const extra = `${label}: ${observed} live records, ${expected} expected`;
        // No record expected on a side where the person was deleted or merged away: it came back.
        if (!live && expected === 0) result.resurrected.push(extra);
        else result.duplicateRecords.push(extra);
    } else if (observed < expected) {
        result.missingRecords.push(`${label}: ${observed} live records, ${expected} expected`);
    }
}

/**
 * A Contact's lookup syncs as its HubSpot contact's company association: the Contact keeps the Account the
 * soak last moved it to, and its contact is associated with that Account's company and with none of the
 * companies of Accounts it was moved away from. Other associations (a HubSpot merge adds the merged
 * contact's) are HubSpot's to keep.
 */
function compareAssociations(
    result: Comparison,
    label: string,
    person: ExpectedPerson,
    synced: ObservedSalesforceRecord,
    contactId: string,
    companies: ObservedCompanies
): void {
    const accountId = synced.values.AccountId ?? null;
    const moved = person.accountMoves.at(-1);
    if (moved !== undefined && !same(moved, accountId)) {
        result.wrongAssociations.push(`${label}: Contact ${synced.id} has Account ${accountId}, moved to ${moved}`);
    }
    if (accountId === null && person.accountMoves.length === 0) return;
    result.associationsCompared += 1;
    const associated = companies.contactCompanies.get(contactId) ?? [];
    const company = accountId === null ? null : (companies.accountCompanies.get(accountId) ?? null);
    if (accountId !== null && company === null) {
        result.wrongAssociations.push(`${label}: Account ${accountId} has no HubSpot company`);
    } else if (company !== null && !associated.includes(company)) {
        result.wrongAssociations.push(
            `${label}: contact ${contactId} not associated with company ${company} of Account ${accountId} (associated: ${associated.join(', ') || 'none'})`
        );
    }
    for (const left of new Set(person.accountMoves)) {
        const leftCompany = left === null || left === accountId ? null : companies.accountCompanies.get(left);
        if (leftCompany && associated.includes(leftCompany)) {
            result.wrongAssociations.push(
                `${label}: contact ${contactId} still associated with company ${leftCompany} of Account ${left}, which it left`
            );
        }
    }
}
