/**
 * The datasets the benchmarks seed, as pure shapes: `bench:sync`'s mixed world (scaled from 20k
 * Leads/Contacts) and the people-and-companies world of `bench`'s initial loads.
 */

/** `bench:sync`: 20k Leads/Contacts with duplicate emails, 5k Accounts, 8k Opportunities, 40k Tasks at scale 1. */
export function syncBenchShape(scale: number) {
    if (!(scale > 0 && scale <= 1)) throw new RangeError(`scale must be in (0, 1], not ${scale}`);
    const people = Math.round(20_000 * scale);
    const accounts = Math.round(5_000 * scale);
    return {
        salesforce: {
            accounts,
            contacts: Math.round(people / 2),
            leads: Math.round(people / 2),
            opportunitiesPerAccount: 1.6,
            activitiesPerRecord: 2,
            duplicateEmailShare: 0.1,
            sharedDomainShare: 0.2,
            seed: 7
        },
        hubspot: { contacts: Math.round(people * 0.3), companies: Math.round(accounts * 0.3) },
        /** HubSpot contacts that share an email with a Salesforce Lead (the first ones get these emails). */
        leadEmailOverlap: Math.round(people * 0.1)
    };
}

export type SyncBenchShape = ReturnType<typeof syncBenchShape>;

/**
 * An initial load of `records` records over both CRMs: in Salesforce 10% Accounts, 35% Contacts and 35%
 * Leads; in HubSpot 16% contacts and 4% companies (every contact works at one, so its Lead gets the
 * required Company), a quarter of the contacts with the email of a Salesforce Lead (so they match rather
 * than duplicate). No opportunities or activities: the load is about records.
 */
export function initialLoadShape(records: number) {
    if (!Number.isInteger(records) || records < 10)
        throw new RangeError(`records must be an integer ≥ 10, not ${records}`);
    const accounts = Math.round(records * 0.1);
    const contacts = Math.round(records * 0.35);
    const hubspotContacts = Math.round(records * 0.16);
    const hubspotCompanies = Math.round(records * 0.04);
    const leads = records - accounts - contacts - hubspotContacts - hubspotCompanies;
    return {
        salesforce: {
            accounts,
            contacts,
            leads,
            opportunitiesPerAccount: 0,
            activitiesPerRecord: 0,
            duplicateEmailShare: 0.1,
            sharedDomainShare: 0.2,
            seed: 11
        },
        hubspot: { contacts: hubspotContacts, companies: hubspotCompanies },
        leadEmailOverlap: Math.round(hubspotContacts / 4)
    };
}

export type InitialLoadShape = ReturnType<typeof initialLoadShape>;
