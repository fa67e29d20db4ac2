/**
 * The independent oracle: from the edit log and the mapping's rules alone, the state both CRMs must
 * be in once the bridge has converged. Pure; it knows nothing of the engine's snapshots or plans.
 *
 *   two_way                         the latest confirmed change of the field, on either side
 *   always_salesforce               Salesforce's latest value (HubSpot edits are overwritten)
 *   prefer_salesforce_unless_blank  Salesforce's value; a HubSpot value only fills a blank one
 *   identity                        one HubSpot contact per person; among the Salesforce records present
 *                                   at the first sync the most recently updated one syncs, later records
 *                                   with a synced person's email stay Excluded (stable winners)
 *   lead conversion                 the Contact keeps the Lead's values and history and the same contact
 *   delete / merge (tombstone)      the other side's record stays, nothing is re-created
 *   company association             a Contact keeps the last Account the soak moved it to; its HubSpot
 *                                   contact is associated with that Account's company and none it left
 */
import type { CreateEntry, EditLogEntry, PersonEntry, SalesforceObject, Side } from './edit-log';
import { fieldFor, propertyOf, type FieldRule, type SoakRules } from './mapping-rules';

/** The HubSpot properties the soak writes and compares (Email is the identity and never edited). */
export const SOAK_PROPERTIES = [
    'email',
    'firstname',
    'lastname',
    'jobtitle',
    'phone',
    'mobilephone',
    'company',
    'city',
    'industry'
] as const;

export interface ExpectedField {
    property: string;
    salesforceField: string;
    rule: FieldRule;
    value: string | null;
    /**
     * Other values that are right too. Under `prefer_salesforce_unless_blank` HubSpot fills a blank
     * Salesforce field with whatever value it holds when a sync first sees the blank: every HubSpot value
     * edited while Salesforce stayed blank may be the one that filled it.
     */
    alsoAccepted?: (string | null)[];
}

export interface ExpectedPerson {
    person: string;
    email: string;
    salesforce: { live: boolean; object: SalesforceObject; id: string | null };
    hubspot: { live: boolean; id: string | null };
    /** Both sides live: every mapped soak field must hold `fields[].value` on both. */
    fields: ExpectedField[];
    /** Live Salesforce Leads (not converted) and Contacts carrying the email. */
    salesforceRecords: number;
    /** Live HubSpot contacts whose primary email is the person's. */
    hubspotContacts: number;
    /** Records that must stay out of the sync (duplicate-policy losers and later duplicates). */
    excludedSalesforceIds: string[];
    /**
     * The Accounts the soak moved the synced Contact to, oldest first (null: no Account). The last one must be
     * its Account, and its HubSpot contact associated with that Account's company and with none it left.
     */
    accountMoves: (string | null)[];
}

interface FieldEvent {
    seq: number;
    at: number;
    side: Side;
    value: string | null;
}

interface SalesforceRecordState {
    id: string;
    object: SalesforceObject;
    live: boolean;
    lastChangeAt: number;
    /** Changes by HubSpot property (translated through the mapping of the record's object). */
    events: Map<string, FieldEvent[]>;
    /** The Accounts the soak moved the record to (`AccountId` updates), oldest first; null = no Account. */
    accountMoves: (string | null)[];
}

interface PersonState {
    person: string;
    email: string;
    records: Map<string, SalesforceRecordState>;
    synced: string | null;
    /** The relay creates the Salesforce record (a HubSpot-created person). */
    relayCreatesSalesforce: boolean;
    /** ...and did so in the first sync, which the soak waits for: the Lead exists whatever HubSpot does later. */
    relayCreatedSalesforceAtBaseline: boolean;
    hubspotId: string | null;
    hubspotLive: boolean;
    relayCreatesHubSpot: boolean;
    salesforceDeleted: boolean;
    hubspotEvents: Map<string, FieldEvent[]>;
}

const blank = (value: string | null | undefined) => value === null || value === undefined || value === '';

function push(events: Map<string, FieldEvent[]>, property: string, event: FieldEvent): void {
    const list = events.get(property) ?? [];
    list.push(event);
    events.set(property, list);
}

export function computeExpectedState(log: readonly EditLogEntry[], rules: SoakRules): ExpectedPerson[] {
    const people = new Map<string, PersonState>();
    let baselinePassed = false;
    const entries = [...log].sort((a, b) => a.seq - b.seq);

    const personOf = (entry: PersonEntry): PersonState => {
        let state = people.get(entry.person);
        if (!state) {
            state = {
                person: entry.person,
                email: '',
                records: new Map(),
                synced: null,
                relayCreatesSalesforce: false,
                relayCreatedSalesforceAtBaseline: false,
                hubspotId: null,
                hubspotLive: false,
                relayCreatesHubSpot: false,
                salesforceDeleted: false,
                hubspotEvents: new Map()
            };
            people.set(entry.person, state);
        }
        return state;
    };

    for (const entry of entries) {
        if (entry.kind === 'baseline') {
            baselinePassed = true;
            for (const state of people.values()) pickWinner(state);
            continue;
        }
        const state = personOf(entry);
        switch (entry.kind) {
            case 'create':
                applyCreate(state, entry, rules, baselinePassed);
                break;
            case 'update': {
                const event = { seq: entry.seq, at: entry.at, side: entry.side, value: entry.value };
                if (entry.side === 'hubspot') {
                    knownContact(state, entry.record);
                    push(state.hubspotEvents, entry.field, event);
                } else {
                    const record = knownRecord(state, entry.record, entry.object as SalesforceObject);
                    record.lastChangeAt = entry.at;
                    const mapping = propertyOf(rules, record.object, entry.field);
                    if (mapping) push(record.events, mapping.hubspot, event);
                    if (entry.field === 'AccountId') record.accountMoves.push(entry.value);
                }
                break;
            }
            case 'delete':
            case 'merge':
                if (entry.side === 'hubspot') {
                    knownContact(state, entry.record);
                    state.hubspotLive = false;
                } else {
                    knownRecord(state, entry.record, entry.object as SalesforceObject).live = false;
                    if (state.synced === entry.record) state.salesforceDeleted = true;
                }
                if (entry.kind === 'merge' && entry.side === 'salesforce') {
                    const into = people.get(entry.intoPerson)?.records.get(entry.into);
                    if (into) into.lastChangeAt = entry.at;
                }
                break;
            case 'convert': {
                const lead = knownRecord(state, entry.record, 'Lead');
                lead.live = false;
                // The Contact carries the Lead's values; their history is the Lead's, translated to Contact fields.
                state.records.set(entry.contact, {
                    id: entry.contact,
                    object: 'Contact',
                    live: true,
                    lastChangeAt: entry.at,
                    events: lead.events,
                    accountMoves: []
                });
                if (state.synced === entry.record) state.synced = entry.contact;
                break;
            }
        }
    }
    return [...people.values()].map((state) => expectedPerson(state, rules));
}

function applyCreate(state: PersonState, entry: CreateEntry, rules: SoakRules, baselinePassed: boolean): void {
    const email = entry.values.Email ?? entry.values.email;
    if (email && !state.email) state.email = email.toLowerCase();
    const event = (value: string | null): FieldEvent => ({ seq: entry.seq, at: entry.at, side: entry.side, value });
    if (entry.side === 'hubspot') {
        state.hubspotId = entry.record;
        state.hubspotLive = true;
        for (const [property, value] of Object.entries(entry.values)) push(state.hubspotEvents, property, event(value));
        if (state.records.size === 0 && baselinePassed) state.relayCreatesSalesforce = true;
        return;
    }
    const object = entry.object as SalesforceObject;
    const record: SalesforceRecordState = {
        id: entry.record,
        object,
        live: true,
        lastChangeAt: entry.at,
        events: new Map(),
        accountMoves: []
    };
    for (const [field, value] of Object.entries(entry.values)) {
        const mapping = propertyOf(rules, object, field);
        if (mapping) push(record.events, mapping.hubspot, event(value));
    }
    state.records.set(entry.record, record);
    // After the first sync a person's first record syncs at once; later ones are duplicates of a synced person.
    if (baselinePassed && state.synced === null && !entry.duplicateOfSyncedPerson) {
        state.synced = entry.record;
        if (state.hubspotId === null) state.relayCreatesHubSpot = true;
    }
}

/**
 * The record an edit names. One the soak did not create is the record the relay created for a
 * HubSpot-only person (the soak found it by email): it becomes the person's synced record, holding
 * what the relay copied from HubSpot and no change of its own.
 */
function knownRecord(state: PersonState, id: string, object: SalesforceObject): SalesforceRecordState {
    const known = state.records.get(id);
    if (known) return known;
    if (!state.relayCreatesSalesforce || state.synced !== null) {
        throw new Error(`edit log: ${state.person} edits Salesforce record ${id}, which it neither created nor synced`);
    }
    const record: SalesforceRecordState = {
        id,
        object,
        live: true,
        lastChangeAt: 0,
        events: new Map(),
        accountMoves: []
    };
    state.records.set(id, record);
    state.synced = id;
    return record;
}

/** A contact the soak did not create is the one the relay created for the person (found by email). */
function knownContact(state: PersonState, id: string): void {
    if (state.hubspotId === id) return;
    if (state.hubspotId !== null || !state.relayCreatesHubSpot) {
        throw new Error(`edit log: ${state.person} edits HubSpot contact ${id}, which it neither created nor synced`);
    }
    state.hubspotId = id;
    state.hubspotLive = true;
}

/** The first sync applies the duplicate policy: most recently updated among the live records. */
function pickWinner(state: PersonState): void {
    if (state.synced !== null) return;
    const live = [...state.records.values()].filter((record) => record.live);
    if (live.length === 0) {
        // A HubSpot-only person: the first sync creates the Salesforce record.
        if (state.records.size === 0 && state.hubspotLive) {
            state.relayCreatesSalesforce = true;
            state.relayCreatedSalesforceAtBaseline = true;
        }
        return;
    }
    live.sort((a, b) => b.lastChangeAt - a.lastChangeAt);
    state.synced = live[0]!.id;
    if (state.hubspotId === null) state.relayCreatesHubSpot = true;
}

function fold(
    rule: FieldRule,
    salesforce: FieldEvent[],
    hubspot: FieldEvent[]
): { value: string | null; alsoAccepted?: (string | null)[] } {
    const all = [...salesforce, ...hubspot].sort((a, b) => a.at - b.at || a.seq - b.seq);
    switch (rule) {
        case 'two_way':
            return { value: all.at(-1)?.value ?? null };
        case 'always_salesforce':
            return { value: salesforce.at(-1)?.value ?? null };
        case 'prefer_salesforce_unless_blank':
            return preferSalesforce(all);
        case 'dont_sync':
            return { value: null };
    }
}

/**
 * Salesforce's latest value; while it is blank, HubSpot fills it. The fill happens at a sync, so any HubSpot
 * value edited from the first fill candidate until Salesforce is edited again may be the one that stuck.
 */
function preferSalesforce(all: FieldEvent[]): { value: string | null; alsoAccepted: (string | null)[] } {
    let value: string | null = null;
    let fillCandidates: (string | null)[] = [];
    for (const event of all) {
        if (event.side === 'salesforce') {
            value = event.value;
            fillCandidates = [];
        } else if (blank(value) || fillCandidates.length > 0) {
            fillCandidates.push(event.value);
            if (blank(value)) value = event.value;
        }
    }
    return {
        value: blank(value) ? null : value,
        alsoAccepted: fillCandidates.filter((candidate) => candidate !== value)
    };
}

function expectedPerson(state: PersonState, rules: SoakRules): ExpectedPerson {
    const synced = state.synced ? state.records.get(state.synced) : undefined;
    const object: SalesforceObject = synced?.object ?? 'Lead';
    const salesforceLive = synced
        ? synced.live
        : state.relayCreatedSalesforceAtBaseline || (state.relayCreatesSalesforce && state.hubspotLive);
    const hubspotLive = state.hubspotId !== null ? state.hubspotLive : state.relayCreatesHubSpot;
    const fields: ExpectedField[] = [];
    if (salesforceLive && hubspotLive) {
        for (const property of SOAK_PROPERTIES) {
            const mapping = fieldFor(rules, object, property);
            if (!mapping || mapping.rule === 'dont_sync') continue;
            const { value, alsoAccepted = [] } = fold(
                mapping.rule,
                synced?.events.get(property) ?? [],
                state.hubspotEvents.get(property) ?? []
            );
            fields.push({
                property,
                salesforceField: mapping.salesforce,
                rule: mapping.rule,
                value: property === 'email' && value ? value.toLowerCase() : value,
                ...(alsoAccepted.length > 0 ? { alsoAccepted } : {})
            });
        }
    }
    const excluded = [...state.records.values()].filter((record) => record.live && record.id !== state.synced);
    return {
        person: state.person,
        email: state.email,
        salesforce: { live: salesforceLive, object, id: synced?.id ?? null },
        hubspot: { live: hubspotLive, id: state.hubspotId },
        fields,
        salesforceRecords: excluded.length + (salesforceLive ? 1 : 0),
        hubspotContacts: hubspotLive ? 1 : 0,
        excludedSalesforceIds: excluded.map((record) => record.id),
        accountMoves: synced?.accountMoves ?? []
    };
}
