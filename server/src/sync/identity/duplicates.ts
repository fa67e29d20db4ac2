/**
 * One email, many Salesforce records. HubSpot holds one contact per email while Salesforce allows many
 * Leads and Contacts, so exactly one of them syncs: the winner under the configured policy. The others
 * are Excluded with the winner's ID as the reason, and records without a usable email never match.
 */
import type { DuplicatePolicy } from '../mapping/schema';
import { normaliseEmail } from './email';

export interface PersonRecord {
    /** The Salesforce object: prefer_contact ranks `Contact` above everything else. */
    salesforceObject: string;
    id: string;
    email: unknown;
    /** SystemModstamp / LastModifiedDate, ISO-8601. */
    modifiedAt: string;
    createdAt: string;
}

export interface ExcludedPerson {
    record: PersonRecord;
    winnerId: string;
    reason: string;
}

export interface DuplicateResolution {
    /** One record per normalised email. */
    winners: Map<string, PersonRecord>;
    excluded: ExcludedPerson[];
    /** Records whose email is blank or not an email: they cannot match and are reported. */
    withoutEmail: PersonRecord[];
}

type Comparator = (left: PersonRecord, right: PersonRecord) => number;

const byId: Comparator = (left, right) => (left.id < right.id ? -1 : left.id > right.id ? 1 : 0);
const newestFirst: Comparator = (left, right) =>
    Date.parse(right.modifiedAt) - Date.parse(left.modifiedAt) || byId(left, right);
const oldestFirst: Comparator = (left, right) =>
    Date.parse(left.createdAt) - Date.parse(right.createdAt) || byId(left, right);
const contactsFirst: Comparator = (left, right) =>
    Number(right.salesforceObject === 'Contact') - Number(left.salesforceObject === 'Contact') ||
    newestFirst(left, right);

const policyOrder: Record<DuplicatePolicy, Comparator> = {
    most_recently_updated: newestFirst,
    prefer_contact: contactsFirst,
    oldest: oldestFirst
};

export function resolveEmailDuplicates(records: PersonRecord[], policy: DuplicatePolicy): DuplicateResolution {
    const groups = new Map<string, PersonRecord[]>();
    const withoutEmail: PersonRecord[] = [];
    for (const record of records) {
        const email = normaliseEmail(record.email);
        if (!email) {
            withoutEmail.push(record);
            continue;
        }
        const group = groups.get(email);
        if (group) group.push(record);
        else groups.set(email, [record]);
    }

    const winners = new Map<string, PersonRecord>();
    const excluded: ExcludedPerson[] = [];
    for (const [email, group] of groups) {
        const [winner, ...losers] = [...group].sort(policyOrder[policy]);
        winners.set(email, winner);
        for (const loser of losers) {
            excluded.push({
                record: loser,
                winnerId: winner.id,
                reason: `${email} syncs with ${winner.salesforceObject} ${winner.id} (${policy.replaceAll('_', ' ')})`
            });
        }
    }
    return { winners, excluded, withoutEmail };
}
