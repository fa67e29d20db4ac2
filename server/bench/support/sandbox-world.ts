/**
 * What the sandbox process does on command: seeding, user edits and reading values, all in process
 * (no API call, so none of it shows in the engine's counts or the HubSpot rate limit).
 */
import type { RunningHubSpotSandbox } from '../../src/sandbox/hubspot';
import type { RunningSalesforceSandbox } from '../../src/sandbox/salesforce';
import type { InitialLoadShape, SyncBenchShape } from './load-shape';
import type { Probe, SeededCounts } from './sandbox-protocol';

export interface SandboxPair {
    salesforce: RunningSalesforceSandbox;
    hubspot: RunningHubSpotSandbox;
}

export function seedPair({ salesforce, hubspot }: SandboxPair, shape: SyncBenchShape | InitialLoadShape): SeededCounts {
    salesforce.handle.seed(shape.salesforce);
    const leadEmails = salesforce.handle
        .query(`SELECT Email FROM Lead WHERE Email != null LIMIT ${shape.leadEmailOverlap}`)
        .map((row) => String(row.Email));
    hubspot.handle.seed({
        contacts: shape.hubspot.contacts,
        companies: shape.hubspot.companies,
        dealsPerCompany: 0,
        engagementsPerContact: 0,
        leadEmails: leadEmails.slice(0, shape.hubspot.contacts)
    });
    const counts: SeededCounts = {};
    for (const object of ['Account', 'Contact', 'Lead', 'Opportunity', 'Task', 'Event']) {
        const count = salesforce.handle.count(object);
        if (count > 0) counts[object] = count;
    }
    counts.hubspotContacts = hubspot.handle.store.count('contacts');
    counts.hubspotCompanies = hubspot.handle.store.count('companies');
    return counts;
}

/** Every 100th record of each synced object is edited by a user, on both sides. */
export function changeOnePercent({ salesforce, hubspot }: SandboxPair): void {
    for (const object of ['Account', 'Contact', 'Lead', 'Opportunity']) {
        const rows = salesforce.handle.query(`SELECT Id FROM ${object}`);
        for (let index = 0; index < rows.length; index += 100) {
            salesforce.handle.editAsUser(String(rows[index].Id), { Description: `changed in the benchmark ${index}` });
        }
    }
    for (const type of ['contacts', 'companies'] as const) {
        let index = 0;
        for (const record of hubspot.handle.store.live(type)) {
            if (index % 100 === 0) {
                hubspot.handle.editAsUser(type, String(record.id), {
                    phone: `+1 555 ${String(index).padStart(4, '0')}`
                });
            }
            index++;
        }
    }
}

export function salesforceIds({ salesforce }: SandboxPair, object: string, limit: number): string[] {
    if (!/^\w+$/.test(object)) throw new Error(`not an object name: ${object}`);
    return salesforce.handle.query(`SELECT Id FROM ${object} LIMIT ${limit}`).map((row) => String(row.Id));
}

/** Current values (null when unset or the record is gone). */
export function readValues({ salesforce, hubspot }: SandboxPair, probes: Probe[]): (string | null)[] {
    return probes.map((probe) => {
        if (probe.side === 'salesforce') {
            const value = salesforce.handle.getRecord(probe.id)?.[probe.field];
            return value === undefined || value === null ? null : String(value);
        }
        const store = hubspot.handle.store;
        const record = store.find(probe.objectType, probe.id);
        return record ? store.valueOf(probe.objectType, record, probe.property) : null;
    });
}
