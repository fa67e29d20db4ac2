/**
 * The soak's edit log: every change the soak made to either CRM, as the CRM confirmed it. The oracle
 * computes the expected end state from this log and the mapping rules alone.
 */
export type Side = 'salesforce' | 'hubspot';
export type SalesforceObject = 'Lead' | 'Contact';

interface EntryBase {
    /** Order of confirmation (ties in `at` are broken by it). */
    seq: number;
    /** Epoch milliseconds when the CRM confirmed the change. */
    at: number;
    side: Side;
    /** The soak's name for the person (one email, one identity). */
    person: string;
}

/** A record created with these values (Salesforce field names or HubSpot property names, by side). */
export interface CreateEntry extends EntryBase {
    kind: 'create';
    object: SalesforceObject | 'contacts';
    record: string;
    values: Record<string, string | null>;
    /** A record created on purpose with the email of an already synced person (must stay Excluded). */
    duplicateOfSyncedPerson: boolean;
}

export interface UpdateEntry extends EntryBase {
    kind: 'update';
    object: SalesforceObject | 'contacts';
    record: string;
    field: string;
    value: string | null;
}

export interface DeleteEntry extends EntryBase {
    kind: 'delete';
    object: SalesforceObject | 'contacts';
    record: string;
}

/** Salesforce SOAP merge or HubSpot merge: `record` (of `person`) disappears into `into` (of `intoPerson`). */
export interface MergeEntry extends EntryBase {
    kind: 'merge';
    object: SalesforceObject | 'contacts';
    record: string;
    into: string;
    intoPerson: string;
}

/** SOAP convertLead: the Lead `record` became the Contact `contact`. */
export interface ConvertEntry extends EntryBase {
    kind: 'convert';
    side: 'salesforce';
    object: 'Lead';
    record: string;
    contact: string;
}

/** The relay finished the first sync: the duplicate policy picked its winners among the records then. */
export interface BaselineEntry {
    kind: 'baseline';
    seq: number;
    at: number;
}

export type EditLogEntry = CreateEntry | UpdateEntry | DeleteEntry | MergeEntry | ConvertEntry | BaselineEntry;
export type PersonEntry = Exclude<EditLogEntry, BaselineEntry>;

/** Appends entries in confirmation order; `at` never goes backwards so the log sorts the way it happened. */
export class EditLog {
    readonly entries: EditLogEntry[] = [];
    private lastAt = 0;

    constructor(private readonly now: () => number = Date.now) {}

    record<E extends EditLogEntry>(entry: DistributiveOmit<E, 'seq' | 'at'>): E {
        this.lastAt = Math.max(this.lastAt, this.now());
        const full = { ...entry, seq: this.entries.length + 1, at: this.lastAt } as unknown as E;
        this.entries.push(full);
        return full;
    }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
