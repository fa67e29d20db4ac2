/**
 * The edit generator: a population of people on both sides, then random concurrent edits — field edits,
 * same-field conflicts, creates, duplicate emails, lead conversions, Contacts moved between Accounts, deletes
 * and merges on both sides.
 *
 * The oracle's answer must be unambiguous, so edits of one person never overlap and are spaced by more
 * than a second (both sides' timestamps order them), and a person whose Salesforce record would get a
 * newer modstamp than a later HubSpot change of a field Salesforce also changed is "pinned": Salesforce
 * then edits only that field, and the person is not converted or merged (the engine compares the record's
 * modstamp, not the field's own change time, so that case has no single right answer).
 */
import type { SalesforceObject } from './edit-log';
import type { CrmEditor } from './crm';
import { fieldFor, type SoakRules } from './mapping-rules';
import { SOAK_PROPERTIES } from './oracle';

/** Gap between two edits of the same person: more than the one-second resolution of any timestamp. */
export const EDIT_SPACING_MS = 1_200;

const SALESFORCE_INDUSTRIES = ['Banking', 'Education', 'Retail', 'Technology', 'Insurance'];

export interface Person {
    key: string;
    email: string;
    /** The Salesforce record that syncs with the HubSpot contact (null until the relay created it). */
    salesforce: { object: SalesforceObject; id: string } | null;
    hubspot: string | null;
    /** Existed at the first sync (only those are converted, merged or deleted). */
    fromSetup: boolean;
    /** Other Salesforce records carry the email (never converted, merged or deleted: the winner must stay). */
    hasDuplicates: boolean;
    /** Salesforce City was blank at creation (never a HubSpot merge primary: the merge would fill it). */
    cityBlankAtStart: boolean;
    /** Deleted or merged away on one side: no more edits. */
    gone: boolean;
    /**
     * Its Contact was moved between Accounts: never in a HubSpot merge, which would add the other contact's
     * companies to its own and blur which associations the moves left behind.
     */
    movedBetweenAccounts: boolean;
    lastSalesforceEdit: Map<string, number>;
    lastHubSpotEdit: Map<string, number>;
    busy: boolean;
    nextEditAt: number;
}

export type OperationKind =
    | 'salesforce_update'
    | 'hubspot_update'
    | 'conflict'
    | 'salesforce_create'
    | 'hubspot_create'
    | 'duplicate_email'
    | 'convert_lead'
    | 'move_account'
    | 'salesforce_delete'
    | 'hubspot_delete'
    | 'salesforce_merge'
    | 'hubspot_merge';

const fieldEditKinds = new Set<OperationKind>(['salesforce_update', 'hubspot_update', 'conflict']);

const weights: [OperationKind, number][] = [
    ['salesforce_update', 24],
    ['hubspot_update', 24],
    ['conflict', 16],
    ['salesforce_create', 4],
    ['hubspot_create', 4],
    ['duplicate_email', 3],
    ['convert_lead', 5],
    ['move_account', 6],
    ['salesforce_delete', 2],
    ['hubspot_delete', 2],
    ['salesforce_merge', 3],
    ['hubspot_merge', 3]
];
const structural = new Set<OperationKind>([
    'convert_lead',
    'salesforce_delete',
    'hubspot_delete',
    'salesforce_merge',
    'hubspot_merge'
]);

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

export interface ChaosOptions {
    random: () => number;
    rules: SoakRules;
    editor: CrmEditor;
    /** Runs share of the people: at most this many conversions, deletes and merges in all. */
    structuralBudget: number;
    /** False: field edits and same-field conflicts only (no creates, duplicates, conversions, deletes, merges). */
    structural: boolean;
    workers: number;
    maxOperations: number;
}

export class EditGenerator {
    readonly people: Person[] = [];
    readonly operations = new Map<OperationKind, number>();
    readonly failures: string[] = [];
    /** Numbers people and values apart, so every value the soak writes is new. */
    private counter = 0;
    private peopleCounter = 0;
    private createdDuringChaos = 0;
    /** The Accounts Contacts are moved between (created before the first sync, so each has its company). */
    private readonly accounts: string[] = [];
    private structuralLeft: number;
    private started = 0;

    constructor(private readonly options: ChaosOptions) {
        this.structuralLeft = options.structuralBudget;
    }

    private get random() {
        return this.options.random;
    }

    private pick<T>(items: readonly T[]): T {
        return items[Math.floor(this.random() * items.length)]!;
    }

    private newPerson(fromSetup: boolean, cityBlank: boolean): Person {
        this.peopleCounter += 1;
        const person: Person = {
            key: `p${String(this.peopleCounter).padStart(3, '0')}`,
            email: `soak.person${this.peopleCounter}@soak-${Math.floor(this.random() * 1e6)}.example.com`,
            salesforce: null,
            hubspot: null,
            fromSetup,
            hasDuplicates: false,
            cityBlankAtStart: cityBlank,
            gone: false,
            movedBetweenAccounts: false,
            lastSalesforceEdit: new Map(),
            lastHubSpotEdit: new Map(),
            busy: false,
            nextEditAt: 0
        };
        this.people.push(person);
        return person;
    }

    /** A fresh value no earlier edit used, so every change is visible as a change. */
    private value(property: string, side: 'salesforce' | 'hubspot'): string {
        this.counter += 1;
        const n = this.counter;
        switch (property) {
            case 'firstname':
                return `F${n}`;
            case 'lastname':
                return `L${n}`;
            case 'jobtitle':
                return `Title ${n}`;
            case 'phone':
                return `+1 555 ${String(n).padStart(4, '0')}`;
            case 'mobilephone':
                return `+1 556 ${String(n).padStart(4, '0')}`;
            case 'company':
                return `Company ${n}`;
            case 'city':
                return `City ${n}`;
            case 'industry':
                // Salesforce's Industry is a picklist; HubSpot's is text (and always overwritten by Salesforce).
                return side === 'salesforce' ? this.pick(SALESFORCE_INDUSTRIES) : `Industry ${n}`;
            default:
                throw new Error(`no generator for ${property}`);
        }
    }

    /** Salesforce values of a new record: every soak field mapped for the object (City blank when asked). */
    private salesforceValues(person: Person, object: SalesforceObject, cityBlank: boolean) {
        const values: Record<string, string | null> = {};
        for (const property of SOAK_PROPERTIES) {
            const mapping = fieldFor(this.options.rules, object, property);
            if (!mapping) continue;
            if (property === 'email') values[mapping.salesforce] = person.email;
            else if (property === 'city' && cityBlank) continue;
            else values[mapping.salesforce] = this.value(property, 'salesforce');
        }
        // Leads need a Company; Contacts a LastName (both are in the mapping, so they are set above).
        return values;
    }

    private hubspotValues(person: Person, cityBlank: boolean): Record<string, string> {
        const values: Record<string, string> = { email: person.email };
        for (const property of SOAK_PROPERTIES) {
            if (property === 'email' || property === 'industry' || (property === 'city' && cityBlank)) continue;
            values[property] = this.value(property, 'hubspot');
        }
        return values;
    }

    /**
     * The people who exist before the relay's first sync: matched pairs (same values on both sides),
     * Salesforce-only Leads and Contacts, HubSpot-only contacts, and duplicate-email groups of two Leads.
     */
    async populate(size: number): Promise<void> {
        const { editor } = this.options;
        const shares = { pairs: 0.3, leads: 0.25, contacts: 0.15, hubspot: 0.2 };
        const count = (share: number) => Math.max(1, Math.round(size * share));
        const creations: Promise<unknown>[] = [];
        const cityBlank = () => this.random() < 0.25;
        for (let i = 0; i < count(shares.pairs); i++) {
            const person = this.newPerson(true, false);
            const values = this.salesforceValues(person, 'Lead', false);
            const hubspotValues: Record<string, string> = {};
            for (const property of SOAK_PROPERTIES) {
                const mapping = fieldFor(this.options.rules, 'Lead', property);
                const value = mapping ? values[mapping.salesforce] : undefined;
                // Industry is Salesforce's alone; the pair starts equal on every field both sides hold.
                if (mapping && value && property !== 'industry') hubspotValues[property] = value;
            }
            hubspotValues.industry = values.Industry ?? '';
            creations.push(
                editor.createHubSpot(person.key, hubspotValues).then((id) => (person.hubspot = id)),
                editor
                    .createSalesforce(person.key, 'Lead', values)
                    .then((id) => (person.salesforce = { object: 'Lead', id }))
            );
        }
        for (const [object, n] of [
            ['Lead', count(shares.leads)],
            ['Contact', count(shares.contacts)]
        ] as const) {
            for (let i = 0; i < n; i++) {
                const blankCity = cityBlank();
                const person = this.newPerson(true, blankCity);
                creations.push(
                    editor
                        .createSalesforce(person.key, object, this.salesforceValues(person, object, blankCity))
                        .then((id) => (person.salesforce = { object, id }))
                );
            }
        }
        for (let i = 0; i < count(shares.hubspot); i++) {
            const blankCity = cityBlank();
            const person = this.newPerson(true, blankCity);
            creations.push(
                editor
                    .createHubSpot(person.key, this.hubspotValues(person, blankCity))
                    .then((id) => (person.hubspot = id))
            );
        }
        for (let i = 1; i <= 3; i++) {
            creations.push(
                editor
                    .createAccount(`Soak Account ${i}`, `https://soak-account-${i}.example.com`)
                    .then((id) => (this.accounts[i - 1] = id))
            );
        }
        await Promise.all(creations);

        // Duplicate groups: two Leads with one email, the second clearly the most recently updated.
        const groups = Math.max(1, size - this.people.length);
        const firsts: Person[] = [];
        for (let i = 0; i < groups; i++) {
            const person = this.newPerson(true, false);
            person.hasDuplicates = true;
            firsts.push(person);
        }
        await Promise.all(
            firsts.map((person) =>
                editor.createSalesforce(person.key, 'Lead', this.salesforceValues(person, 'Lead', false))
            )
        );
        await sleep(EDIT_SPACING_MS);
        await Promise.all(
            firsts.map(async (person) => {
                const id = await editor.createSalesforce(
                    person.key,
                    'Lead',
                    this.salesforceValues(person, 'Lead', false)
                );
                person.salesforce = { object: 'Lead', id };
            })
        );
    }

    /** Finds the records the relay created (Salesforce Leads for HubSpot contacts and the reverse). */
    private async resolve(person: Person): Promise<boolean> {
        const { editor } = this.options;
        if (!person.hubspot) person.hubspot = await editor.findHubSpot(person.email);
        if (!person.salesforce) {
            const found = await editor.findSalesforce(person.email);
            if (found.length === 1) person.salesforce = found[0]!;
        }
        return person.hubspot !== null && person.salesforce !== null;
    }

    async resolveAll(): Promise<void> {
        for (const person of this.people) await this.resolve(person);
    }

    /** Two-way fields Salesforce may edit now without making the oracle's answer ambiguous. */
    private salesforceEditable(person: Person): string[] {
        const object = person.salesforce!.object;
        const mapped = SOAK_PROPERTIES.filter(
            (property) => property !== 'email' && fieldFor(this.options.rules, object, property)
        );
        const pinned = this.pinnedFields(person);
        if (pinned.length === 0) return mapped;
        return pinned.length === 1 ? pinned : [];
    }

    private pinnedFields(person: Person): string[] {
        const object = person.salesforce!.object;
        return [...person.lastHubSpotEdit]
            .filter(([property, at]) => {
                const salesforceAt = person.lastSalesforceEdit.get(property);
                return (
                    fieldFor(this.options.rules, object, property)?.rule === 'two_way' &&
                    salesforceAt !== undefined &&
                    at > salesforceAt
                );
            })
            .map(([property]) => property);
    }

    private hubspotEditable(person: Person): string[] {
        const object = person.salesforce!.object;
        return SOAK_PROPERTIES.filter(
            (property) => property !== 'email' && fieldFor(this.options.rules, object, property)
        );
    }

    private async salesforceEdit(person: Person, property: string): Promise<void> {
        const { object, id } = person.salesforce!;
        const mapping = fieldFor(this.options.rules, object, property)!;
        await this.options.editor.updateSalesforce(
            person.key,
            object,
            id,
            mapping.salesforce,
            this.value(property, 'salesforce')
        );
        person.lastSalesforceEdit.set(property, Date.now());
    }

    private async hubspotEdit(person: Person, property: string): Promise<void> {
        await this.options.editor.updateHubSpot(person.key, person.hubspot!, property, this.value(property, 'hubspot'));
        person.lastHubSpotEdit.set(property, Date.now());
    }

    private available(filter: (person: Person) => boolean): Person[] {
        const now = Date.now();
        return this.people.filter(
            (person) => !person.busy && !person.gone && person.nextEditAt <= now && filter(person)
        );
    }

    private settled = (person: Person) => person.salesforce !== null && person.hubspot !== null;
    private restructurable = (person: Person) =>
        person.fromSetup && !person.hasDuplicates && this.settled(person) && this.pinnedFields(person).length === 0;

    /** Candidates for an operation, or null when nobody fits it right now. */
    private candidates(kind: OperationKind): Person[] | null {
        if (!this.options.structural && !fieldEditKinds.has(kind)) return null;
        switch (kind) {
            case 'salesforce_update':
                return this.pickOne(this.available((p) => this.settled(p) && this.salesforceEditable(p).length > 0));
            case 'hubspot_update':
                return this.pickOne(this.available(this.settled));
            case 'conflict':
                return this.pickOne(this.available((p) => this.settled(p) && this.conflictFields(p).length > 0));
            case 'salesforce_create':
            case 'hubspot_create':
                // Creates need no one free, so they would crowd out the rest: at most double the population.
                return this.createdDuringChaos < this.options.structuralBudget * 2 ? [] : null;
            case 'duplicate_email':
                return this.pickOne(this.available((p) => this.settled(p) && p.salesforce!.object === 'Lead'));
            case 'convert_lead':
                return this.pickOne(this.available((p) => this.restructurable(p) && p.salesforce!.object === 'Lead'));
            case 'move_account':
                // A new modstamp must not overtake a later HubSpot change of a field Salesforce changed too.
                return this.pickOne(
                    this.available(
                        (p) =>
                            this.settled(p) && p.salesforce!.object === 'Contact' && this.pinnedFields(p).length === 0
                    )
                );
            case 'salesforce_delete':
            case 'hubspot_delete':
                return this.pickOne(this.available(this.restructurable));
            case 'salesforce_merge': {
                const object = this.pick(['Lead', 'Contact'] as const);
                return this.pickTwo(this.available((p) => this.restructurable(p) && p.salesforce!.object === object));
            }
            case 'hubspot_merge': {
                const pool = this.available((p) => this.restructurable(p) && !p.movedBetweenAccounts);
                const primaries = pool.filter((p) => !p.cityBlankAtStart);
                if (primaries.length === 0) return null;
                const primary = this.pick(primaries);
                const secondaries = pool.filter((p) => p !== primary);
                return secondaries.length === 0 ? null : [primary, this.pick(secondaries)];
            }
        }
    }

    private conflictFields(person: Person): string[] {
        return this.salesforceEditable(person).filter(
            (property) => fieldFor(this.options.rules, person.salesforce!.object, property)?.rule === 'two_way'
        );
    }

    private pickOne(pool: Person[]): Person[] | null {
        return pool.length === 0 ? null : [this.pick(pool)];
    }

    private pickTwo(pool: Person[]): Person[] | null {
        if (pool.length < 2) return null;
        const first = this.pick(pool);
        return [first, this.pick(pool.filter((p) => p !== first))];
    }

    private chooseKind(): OperationKind {
        const total = weights.reduce((sum, [, weight]) => sum + weight, 0);
        let roll = this.random() * total;
        for (const [kind, weight] of weights) {
            roll -= weight;
            if (roll < 0) return kind;
        }
        return weights[0]![0];
    }

    private async perform(kind: OperationKind, people: Person[]): Promise<void> {
        const { editor } = this.options;
        const [person, other] = people;
        switch (kind) {
            case 'salesforce_update':
                return this.salesforceEdit(person!, this.pick(this.salesforceEditable(person!)));
            case 'hubspot_update':
                return this.hubspotEdit(person!, this.pick(this.hubspotEditable(person!)));
            case 'conflict': {
                // The same field on both sides, the later one by more than a second: it must win.
                const property = this.pick(this.conflictFields(person!));
                const salesforceFirst = this.random() < 0.5;
                await (salesforceFirst ? this.salesforceEdit(person!, property) : this.hubspotEdit(person!, property));
                await sleep(EDIT_SPACING_MS);
                await (salesforceFirst ? this.hubspotEdit(person!, property) : this.salesforceEdit(person!, property));
                return;
            }
            case 'salesforce_create': {
                const object = this.pick(['Lead', 'Contact'] as const);
                this.createdDuringChaos += 1;
                const created = this.newPerson(false, false);
                created.busy = true;
                try {
                    const id = await editor.createSalesforce(
                        created.key,
                        object,
                        this.salesforceValues(created, object, false)
                    );
                    created.salesforce = { object, id };
                } finally {
                    created.busy = false;
                    created.nextEditAt = Date.now() + EDIT_SPACING_MS;
                }
                return;
            }
            case 'hubspot_create': {
                this.createdDuringChaos += 1;
                const created = this.newPerson(false, false);
                created.busy = true;
                try {
                    created.hubspot = await editor.createHubSpot(created.key, this.hubspotValues(created, false));
                } finally {
                    created.busy = false;
                    created.nextEditAt = Date.now() + EDIT_SPACING_MS;
                }
                return;
            }
            case 'duplicate_email': {
                const values = this.salesforceValues(person!, 'Lead', false);
                await editor.createSalesforce(person!.key, 'Lead', values, true);
                person!.hasDuplicates = true;
                return;
            }
            case 'convert_lead': {
                const contact = await editor.convertLead(person!.key, person!.salesforce!.id);
                person!.salesforce = { object: 'Contact', id: contact };
                return;
            }
            case 'move_account': {
                const account = this.pick([...this.accounts, null]);
                await editor.updateSalesforce(person!.key, 'Contact', person!.salesforce!.id, 'AccountId', account);
                person!.movedBetweenAccounts = true;
                return;
            }
            case 'salesforce_delete':
                await editor.deleteSalesforce(person!.key, person!.salesforce!.object, person!.salesforce!.id);
                person!.gone = true;
                return;
            case 'hubspot_delete':
                await editor.archiveHubSpot(person!.key, person!.hubspot!);
                person!.gone = true;
                return;
            case 'salesforce_merge':
                await editor.mergeSalesforce(
                    person!.salesforce!.object,
                    { person: person!.key, record: person!.salesforce!.id },
                    { person: other!.key, record: other!.salesforce!.id }
                );
                other!.gone = true;
                return;
            case 'hubspot_merge':
                await editor.mergeHubSpot(
                    { person: person!.key, record: person!.hubspot! },
                    { person: other!.key, record: other!.hubspot! }
                );
                other!.gone = true;
                return;
        }
    }

    /** One worker: picks an operation and people who fit it, performs it, until `until` or the count runs out. */
    private async worker(until: number): Promise<void> {
        while (Date.now() < until && this.started < this.options.maxOperations) {
            let kind = this.chooseKind();
            if (structural.has(kind) && this.structuralLeft <= 0) kind = 'hubspot_update';
            const people = this.candidates(kind);
            if (people === null) {
                // Resolve records the relay may have created since (HubSpot-created people get their Lead later).
                const unresolved = this.available((p) => !this.settled(p));
                if (unresolved.length > 0) {
                    const person = this.pick(unresolved);
                    person.busy = true;
                    await this.resolve(person).catch(() => false);
                    person.busy = false;
                } else {
                    await sleep(50);
                }
                continue;
            }
            if (structural.has(kind)) this.structuralLeft -= 1;
            this.started += 1;
            for (const person of people) person.busy = true;
            try {
                await this.perform(kind, people);
                this.operations.set(kind, (this.operations.get(kind) ?? 0) + 1);
            } catch (error) {
                this.failures.push(`${kind} on ${people.map((p) => p.key).join('+')}: ${(error as Error).message}`);
            } finally {
                for (const person of people) {
                    person.busy = false;
                    person.nextEditAt = Date.now() + EDIT_SPACING_MS;
                }
            }
        }
    }

    async run(durationMs: number): Promise<void> {
        const until = Date.now() + durationMs;
        await Promise.all(Array.from({ length: this.options.workers }, () => this.worker(until)));
    }
}
