import { join } from 'node:path';
import { EditLog } from './edit-log';
import { loadSoakRules } from './mapping-rules';
import { computeExpectedState } from './oracle';

const rules = loadSoakRules(join(__dirname, '../../config/sync-mapping.yaml'));

/** An edit log whose clock the test moves by hand. */
function logAt() {
    let now = 1_000;
    const log = new EditLog(() => now);
    return { log, advance: (ms = 1_500) => (now += ms) };
}

const leadValues = (email: string, extra: Record<string, string | null> = {}) => ({
    Email: email,
    FirstName: 'Ada',
    LastName: 'Lovelace',
    Company: 'Engines',
    Title: 'Analyst',
    City: null,
    Industry: 'Banking',
    ...extra
});

/** Logs a Lead the soak created in Salesforce (person p1 unless told). */
function leadCreated(
    log: EditLog,
    record: string,
    email: string,
    values: Record<string, string | null> = {},
    options: { person?: string; duplicateOfSyncedPerson?: boolean } = {}
) {
    log.record({
        kind: 'create',
        side: 'salesforce',
        person: options.person ?? 'p1',
        object: 'Lead',
        record,
        values: leadValues(email, values),
        duplicateOfSyncedPerson: options.duplicateOfSyncedPerson ?? false
    });
}

/** Logs an edit of p1's record on one side. */
function edited(
    log: EditLog,
    side: 'salesforce' | 'hubspot',
    object: 'Lead' | 'Contact' | 'contacts',
    record: string,
    field: string,
    value: string | null
) {
    log.record({ kind: 'update', side, person: 'p1', object, record, field, value });
}

function field(person: ReturnType<typeof computeExpectedState>[number], property: string) {
    return person.fields.find((candidate) => candidate.property === property)?.value;
}

describe('soak oracle', () => {
    it('two_way: the latest change wins, whichever side made it', () => {
        const { log, advance } = logAt();
        leadCreated(log, 'L1', 'a@x.io');
        advance();
        log.record({ kind: 'baseline' });
        advance();
        edited(log, 'salesforce', 'Lead', 'L1', 'Title', 'SF title');
        advance();
        edited(log, 'hubspot', 'contacts', '9', 'jobtitle', 'HS title');
        advance();
        edited(log, 'hubspot', 'contacts', '9', 'firstname', 'Augusta');
        advance();
        edited(log, 'salesforce', 'Lead', 'L1', 'FirstName', 'Ada B.');
        const [person] = computeExpectedState(log.entries, rules);
        expect(field(person!, 'jobtitle')).toBe('HS title');
        expect(field(person!, 'firstname')).toBe('Ada B.');
        expect(person).toMatchObject({
            salesforceRecords: 1,
            hubspotContacts: 1,
            salesforce: { live: true, id: 'L1' }
        });
    });

    it('always_salesforce ignores HubSpot; prefer_salesforce_unless_blank lets HubSpot fill a blank only', () => {
        const { log, advance } = logAt();
        leadCreated(log, 'L1', 'a@x.io');
        log.record({ kind: 'baseline' });
        advance();
        edited(log, 'hubspot', 'contacts', '9', 'industry', 'Anything');
        edited(log, 'hubspot', 'contacts', '9', 'city', 'Paris');
        advance();
        edited(log, 'hubspot', 'contacts', '9', 'city', 'Lyon');
        let [person] = computeExpectedState(log.entries, rules);
        expect(field(person!, 'industry')).toBe('Banking');
        // Paris or Lyon filled the blank Salesforce City: whichever HubSpot held when a sync saw the blank.
        expect(field(person!, 'city')).toBe('Paris');
        expect(person!.fields.find((entry) => entry.property === 'city')?.alsoAccepted).toEqual(['Lyon']);
        advance();
        edited(log, 'salesforce', 'Lead', 'L1', 'City', 'Nice');
        [person] = computeExpectedState(log.entries, rules);
        expect(field(person!, 'city')).toBe('Nice');
        expect(person!.fields.find((entry) => entry.property === 'city')?.alsoAccepted).toBeUndefined();
    });

    it('duplicates: the most recently updated record at the first sync wins, later ones stay excluded', () => {
        const { log, advance } = logAt();
        leadCreated(log, 'L1', 'd@x.io', { Title: 'old' });
        advance();
        leadCreated(log, 'L2', 'd@x.io', { Title: 'new' });
        log.record({ kind: 'baseline' });
        advance();
        leadCreated(log, 'L3', 'd@x.io', { Title: 'later' }, { duplicateOfSyncedPerson: true });
        const [person] = computeExpectedState(log.entries, rules);
        expect(person).toMatchObject({ salesforce: { id: 'L2' }, salesforceRecords: 3, hubspotContacts: 1 });
        expect(person!.excludedSalesforceIds.sort()).toEqual(['L1', 'L3']);
        expect(field(person!, 'jobtitle')).toBe('new');
    });

    it('lead conversion keeps the values and their history; Lead-only fields stop being compared', () => {
        const { log, advance } = logAt();
        leadCreated(log, 'L1', 'c@x.io');
        log.record({ kind: 'baseline' });
        advance();
        edited(log, 'hubspot', 'contacts', '9', 'lastname', 'King');
        advance();
        log.record({ kind: 'convert', side: 'salesforce', person: 'p1', object: 'Lead', record: 'L1', contact: 'C1' });
        const [person] = computeExpectedState(log.entries, rules);
        expect(person).toMatchObject({ salesforce: { live: true, object: 'Contact', id: 'C1' }, salesforceRecords: 1 });
        expect(field(person!, 'lastname')).toBe('King');
        expect(person!.fields.map((f) => f.property)).not.toContain('company');
    });

    it('deletes and merges: the other side stays, nothing is compared or expected to come back', () => {
        const { log, advance } = logAt();
        for (const [person, record, email] of [
            ['p1', 'L1', 'a@x.io'],
            ['p2', 'L2', 'b@x.io'],
            ['p3', 'L3', 'c@x.io']
        ]) {
            leadCreated(log, record!, email!, {}, { person: person! });
        }
        log.record({ kind: 'baseline' });
        advance();
        log.record({
            kind: 'merge',
            side: 'salesforce',
            person: 'p2',
            object: 'Lead',
            record: 'L2',
            into: 'L1',
            intoPerson: 'p1'
        });
        log.record({ kind: 'delete', side: 'hubspot', person: 'p3', object: 'contacts', record: '33' });
        const people = new Map(computeExpectedState(log.entries, rules).map((p) => [p.person, p]));
        expect(people.get('p1')).toMatchObject({ salesforceRecords: 1, hubspotContacts: 1 });
        expect(people.get('p2')).toMatchObject({
            salesforce: { live: false },
            salesforceRecords: 0,
            hubspotContacts: 1,
            fields: []
        });
        expect(people.get('p3')).toMatchObject({
            salesforce: { live: true },
            salesforceRecords: 1,
            hubspotContacts: 0,
            fields: []
        });
    });

    it('a HubSpot-only person gets a Lead from the relay, which the edits then find and change', () => {
        const { log, advance } = logAt();
        log.record({
            kind: 'create',
            side: 'hubspot',
            person: 'p1',
            object: 'contacts',
            record: '9',
            values: { email: 'h@x.io', firstname: 'Hu', lastname: 'Bert', company: 'HS', city: 'Oslo' },
            duplicateOfSyncedPerson: false
        });
        log.record({ kind: 'baseline' });
        advance();
        edited(log, 'salesforce', 'Lead', 'L9', 'FirstName', 'Hubert');
        const [person] = computeExpectedState(log.entries, rules);
        expect(person).toMatchObject({
            salesforce: { live: true, id: 'L9' },
            hubspot: { id: '9' },
            salesforceRecords: 1
        });
        expect(field(person!, 'firstname')).toBe('Hubert');
        expect(field(person!, 'city')).toBe('Oslo');
        expect(field(person!, 'industry')).toBeNull();
    });

    it('a pair linked late (the relay’s copy lost its link): the copy is no edit, each field is its latest edit', () => {
        // The relay copied the Lead into contact 9 but lost the link (a SIGKILL); a later run pairs them by
        // email. The engine's first sync of the pair must give each field its latest edit, not the values
        // of the record modified last (here the Lead, on Phone).
        const { log, advance } = logAt();
        log.record({ kind: 'baseline' });
        advance();
        leadCreated(log, 'L1', 'late@x.io', { Phone: '+1 555 0001' });
        advance();
        edited(log, 'hubspot', 'contacts', '9', 'jobtitle', 'HS title');
        advance();
        edited(log, 'salesforce', 'Lead', 'L1', 'Phone', '+1 555 0002');
        const [person] = computeExpectedState(log.entries, rules);
        expect(person).toMatchObject({ salesforce: { id: 'L1' }, hubspot: { id: '9' } });
        expect(field(person!, 'jobtitle')).toBe('HS title');
        expect(field(person!, 'phone')).toBe('+1 555 0002');
        expect(field(person!, 'company')).toBe('Engines');
    });

    it('a Lead the first sync created stays when its HubSpot contact is deleted later (tombstone)', () => {
        const { log, advance } = logAt();
        log.record({
            kind: 'create',
            side: 'hubspot',
            person: 'p1',
            object: 'contacts',
            record: '9',
            values: { email: 'h@x.io', lastname: 'B', company: 'HS' },
            duplicateOfSyncedPerson: false
        });
        log.record({ kind: 'baseline' });
        advance();
        log.record({ kind: 'delete', side: 'hubspot', person: 'p1', object: 'contacts', record: '9' });
        const [person] = computeExpectedState(log.entries, rules);
        expect(person).toMatchObject({
            salesforce: { live: true },
            salesforceRecords: 1,
            hubspotContacts: 0,
            fields: []
        });
    });

    it('moves between Accounts: the converted Contact keeps the moves made to it, oldest first', () => {
        const { log, advance } = logAt();
        leadCreated(log, 'L1', 'a@x.io');
        advance();
        log.record({ kind: 'baseline' });
        advance();
        log.record({ kind: 'convert', side: 'salesforce', person: 'p1', object: 'Lead', record: 'L1', contact: 'C1' });
        expect(computeExpectedState(log.entries, rules)[0]!.accountMoves).toEqual([]);
        for (const account of ['001A', null, '001B']) {
            advance();
            edited(log, 'salesforce', 'Contact', 'C1', 'AccountId', account);
        }
        const [person] = computeExpectedState(log.entries, rules);
        expect(person!.accountMoves).toEqual(['001A', null, '001B']);
        // A move is no field edit: every compared field keeps the Lead's value.
        expect(field(person!, 'lastname')).toBe('Lovelace');
    });
});
