import { z } from 'zod';
import { seededRandom } from '../common/faults';
import type { DmlEngine } from './dml';
import type { SchemaCatalog } from './schema/catalog';
import { LEAD_STATUSES, OPPORTUNITY_STAGES } from './schema/standard-objects';
import type { RecordStore, SObjectRecord } from './store';
import { formatDate } from './wire-format';

/** Deterministic datasets: the same shape and seed always give the same records (timestamps aside). */
export const SeedShape = z.strictObject({
    seed: z.number().int().default(1),
    accounts: z.number().int().min(0).max(2_000_000).default(0),
    contacts: z.number().int().min(0).max(2_000_000).default(0),
    leads: z.number().int().min(0).max(2_000_000).default(0),
    /** Average opportunities per account (fractions spread deterministically). */
    opportunitiesPerAccount: z.number().min(0).max(50).default(0),
    /** Average tasks/events per lead and contact. */
    activitiesPerRecord: z.number().min(0).max(50).default(0),
    /** Share of leads whose e-mail is also a contact's e-mail. */
    duplicateEmailShare: z.number().min(0).max(1).default(0.1),
    /** Share of accounts whose website domain repeats another account's. */
    sharedDomainShare: z.number().min(0).max(1).default(0.2)
});
export type SeedShape = z.infer<typeof SeedShape>;
export type SeedShapeInput = z.input<typeof SeedShape>;

export const SEED_PRESETS: Record<'empty' | 'demo', SeedShapeInput> = {
    empty: {},
    demo: { accounts: 25, contacts: 75, leads: 60, opportunitiesPerAccount: 1.5, activitiesPerRecord: 1 }
};

export interface SeedSummary {
    created: Record<string, number>;
    durationMs: number;
}

const FIRST_NAMES = [
    'Alex',
    'Sam',
    'Jordan',
    'Taylor',
    'Morgan',
    'Casey',
    'Riley',
    'Jamie',
    'Avery',
    'Quinn',
    'Robin',
    'Charlie',
    'Emma',
    'Noah',
    'Olivia',
    'Liam',
    'Sophia',
    'Lucas',
    'Mia',
    'Ethan'
];
const LAST_NAMES = [
    'Smith',
    'Johnson',
    'Williams',
    'Brown',
    'Jones',
    'Garcia',
    'Miller',
    'Davis',
    'Martinez',
    'Lopez',
    'Wilson',
    'Anderson',
    'Thomas',
    'Moore',
    'Martin',
    'Lee',
    'Clark',
    'Lewis',
    'Walker',
    'Hall'
];
const COMPANY_WORDS = [
    'Acme',
    'Globex',
    'Initech',
    'Umbrella',
    'Stark',
    'Wayne',
    'Hooli',
    'Vandelay',
    'Soylent',
    'Tyrell',
    'Cyberdyne',
    'Aperture',
    'Wonka',
    'Gringotts',
    'Oscorp',
    'Massive'
];
const COMPANY_SUFFIXES = ['Inc', 'LLC', 'Group', 'Labs', 'Systems', 'Partners', 'Holdings', 'GmbH'];
const INDUSTRIES = ['Technology', 'Finance', 'Healthcare', 'Manufacturing', 'Retail', 'Education', 'Energy', 'Media'];
const CITIES = [
    ['San Francisco', 'CA', 'USA'],
    ['New York', 'NY', 'USA'],
    ['Austin', 'TX', 'USA'],
    ['London', '', 'United Kingdom'],
    ['Berlin', '', 'Germany'],
    ['Paris', '', 'France'],
    ['Toronto', 'ON', 'Canada']
];
const DAY_MS = 86_400_000;
const CHUNK = 10_000;

export function seedDataset(
    shapeInput: SeedShapeInput,
    context: { catalog: SchemaCatalog; store: RecordStore; dml: DmlEngine; ownerIds: string[]; now: number }
): SeedSummary {
    const shape = SeedShape.parse(shapeInput);
    const started = Date.now();
    const random = seededRandom(shape.seed);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
    const { catalog, store, dml, now } = context;
    const created: Record<string, number> = {};
    const buffers = new Map<string, SObjectRecord[]>();
    const add = (objectName: string, values: Record<string, unknown>, ageDays: number): SObjectRecord => {
        const def = catalog.find(objectName)!;
        const timestamp = now - Math.floor(ageDays * DAY_MS);
        const record = dml.buildRecord(def, values, pick(context.ownerIds), timestamp);
        const buffer = buffers.get(def.name) ?? [];
        buffer.push(record);
        buffers.set(def.name, buffer);
        if (buffer.length >= CHUNK) flush(def.name);
        created[def.name] = (created[def.name] ?? 0) + 1;
        return record;
    };
    const flush = (objectName: string) => {
        const buffer = buffers.get(objectName);
        if (buffer && buffer.length > 0) store.putMany(objectName, buffer.splice(0));
    };
    const flushAll = () => {
        for (const name of buffers.keys()) flush(name);
    };
    const age = () => random() * 90;

    const domains: string[] = [];
    const accountIds: string[] = [];
    for (let i = 0; i < shape.accounts; i++) {
        const reuse = domains.length > 0 && random() < shape.sharedDomainShare;
        const word = pick(COMPANY_WORDS);
        const domain = reuse ? pick(domains) : `${word.toLowerCase()}${i}.example.com`;
        if (!reuse) domains.push(domain);
        const [city, state, country] = pick(CITIES);
        const account = add(
            'Account',
            {
                Name: `${word} ${pick(COMPANY_SUFFIXES)} ${i}`,
                Website: `https://www.${domain}`,
                Industry: pick(INDUSTRIES),
                Type: 'Prospect',
                BillingCity: city,
                BillingState: state || undefined,
                BillingCountry: country,
                NumberOfEmployees: 10 + Math.floor(random() * 5000),
                AnnualRevenue: Math.floor(random() * 50_000_000)
            },
            age()
        );
        accountIds.push(account.Id);
    }
    flushAll();

    const person = (i: number, domain: string) => {
        const first = pick(FIRST_NAMES);
        const last = pick(LAST_NAMES);
        return {
            FirstName: first,
            LastName: last,
            Email: `${first}.${last}.${i}@${domain}`.toLowerCase(),
            Phone: `+1 415 555 ${String(1000 + (i % 9000)).padStart(4, '0')}`,
            Title: pick(['CEO', 'CTO', 'VP Sales', 'Marketing Manager', 'Engineer', 'Buyer'])
        };
    };
    const contactEmails: string[] = [];
    const contactsByAccount = new Map<string, string[]>();
    const peopleIds: string[] = [];
    for (let i = 0; i < shape.contacts; i++) {
        const accountId = accountIds.length > 0 ? accountIds[i % accountIds.length] : undefined;
        const account = accountId ? store.get(accountId) : undefined;
        const domain = account ? String(account.Website).replace('https://www.', '') : 'example.org';
        const values = person(i, domain);
        const contact = add(
            'Contact',
            { ...values, AccountId: accountId, LeadSource: pick(['Web', 'Phone Inquiry', 'Partner Referral']) },
            age()
        );
        contactEmails.push(values.Email);
        peopleIds.push(contact.Id);
        if (accountId) {
            const list = contactsByAccount.get(accountId);
            if (list) list.push(contact.Id);
            else contactsByAccount.set(accountId, [contact.Id]);
        }
    }
    flushAll();

    const workingStatuses = LEAD_STATUSES.filter((s) => !s.isConverted).map((s) => s.value);
    for (let i = 0; i < shape.leads; i++) {
        const values = person(shape.contacts + i, `${pick(COMPANY_WORDS).toLowerCase()}-lead${i % 997}.example.net`);
        if (contactEmails.length > 0 && random() < shape.duplicateEmailShare) values.Email = pick(contactEmails);
        const lead = add(
            'Lead',
            {
                ...values,
                Company: `${pick(COMPANY_WORDS)} ${pick(COMPANY_SUFFIXES)}`,
                Status: pick(workingStatuses),
                LeadSource: pick(['Web', 'Phone Inquiry', 'Purchased List', 'Other']),
                Industry: pick(INDUSTRIES)
            },
            age()
        );
        peopleIds.push(lead.Id);
    }
    flushAll();

    const recordTypes = [...store.table('RecordType').values()].filter((rt) => rt.SobjectType === 'Opportunity');
    for (const accountId of accountIds) {
        const whole = Math.floor(shape.opportunitiesPerAccount);
        const count = whole + (random() < shape.opportunitiesPerAccount - whole ? 1 : 0);
        for (let j = 0; j < count; j++) {
            const stage = pick(OPPORTUNITY_STAGES);
            const opportunity = add(
                'Opportunity',
                {
                    Name: `${String(store.get(accountId)?.Name)} - Deal ${j + 1}`,
                    AccountId: accountId,
                    StageName: stage.value,
                    Amount: Math.round(random() * 200_000) + 1000,
                    CloseDate: formatDate(now + Math.floor((random() - 0.3) * 120) * DAY_MS),
                    RecordTypeId: recordTypes.length > 0 ? pick(recordTypes).Id : undefined,
                    Type: 'New Customer'
                },
                age()
            );
            const contacts = contactsByAccount.get(accountId);
            if (contacts && contacts.length > 0) {
                add(
                    'OpportunityContactRole',
                    {
                        OpportunityId: opportunity.Id,
                        ContactId: pick(contacts),
                        Role: 'Decision Maker',
                        IsPrimary: true
                    },
                    age()
                );
            }
        }
    }
    flushAll();

    for (const whoId of peopleIds) {
        const whole = Math.floor(shape.activitiesPerRecord);
        const count = whole + (random() < shape.activitiesPerRecord - whole ? 1 : 0);
        for (let j = 0; j < count; j++) {
            const when = now - Math.floor(random() * 60) * DAY_MS;
            if (random() < 0.7) {
                add(
                    'Task',
                    {
                        WhoId: whoId,
                        Subject: pick(['Call', 'Send Quote', 'Follow up']),
                        Status: pick(['Not Started', 'In Progress', 'Completed']),
                        Priority: 'Normal',
                        ActivityDate: formatDate(when)
                    },
                    age()
                );
            } else {
                add('Event', { WhoId: whoId, Subject: 'Meeting', StartDateTime: when, DurationInMinutes: 30 }, age());
            }
        }
    }
    flushAll();
    return { created, durationMs: Date.now() - started };
}
