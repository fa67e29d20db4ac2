/**
 * Finding a record's counterpart on the other side, in a fixed order of trust: the stored link, then
 * the counterpart's ID field/property (salesforceaccountid, HubSpot_Id__c, ...), then the natural key
 * (normalised email for contacts, normalised website domain for companies). Deals and custom objects
 * have no natural key: never matched by name. Several candidates at any step → not linked, reported
 * as ambiguous, because linking the wrong pair would merge two customers' data.
 */
import type { RecordMapping } from '../mapping/schema';
import { normaliseDomain } from './domain';
import { normaliseEmail } from './email';

export type MatchVia = 'stored_link' | 'id_field' | 'email' | 'domain';

export type MatchResult =
    | { status: 'matched'; counterpartId: string; via: MatchVia }
    | { status: 'ambiguous'; candidates: string[]; via: MatchVia }
    | { status: 'unmatched' };

export interface MatchInput {
    /** The counterpart ID from the state store's links table. */
    storedLink?: string;
    /** Counterparts whose ID field/property names this record. */
    idFieldMatches: string[];
    /** Counterparts with the same normalised natural key (empty when the mapping has none). */
    naturalKeyMatches: string[];
    naturalKey: 'email' | 'domain' | 'none';
    /** Counterparts already linked to some other record: never taken by a natural-key match. */
    isLinkedElsewhere: (counterpartId: string) => boolean;
}

export function findCounterpart(input: MatchInput): MatchResult {
    if (input.storedLink) return { status: 'matched', counterpartId: input.storedLink, via: 'stored_link' };
    const byId = [...new Set(input.idFieldMatches)];
    if (byId.length === 1) return { status: 'matched', counterpartId: byId[0], via: 'id_field' };
    if (byId.length > 1) return { status: 'ambiguous', candidates: byId.sort(), via: 'id_field' };
    if (input.naturalKey === 'none') return { status: 'unmatched' };
    const free = [...new Set(input.naturalKeyMatches)].filter((id) => !input.isLinkedElsewhere(id));
    if (free.length === 1) return { status: 'matched', counterpartId: free[0], via: input.naturalKey };
    if (free.length > 1) return { status: 'ambiguous', candidates: free.sort(), via: input.naturalKey };
    return { status: 'unmatched' };
}

/** The normalised natural key of a value under a mapping's match strategy. */
export function naturalKeyOf(match: RecordMapping['identity']['match'], value: unknown): string | undefined {
    if (match === 'email') return normaliseEmail(value);
    if (match === 'domain') return normaliseDomain(value);
    return undefined;
}

/** Groups record IDs by a key, skipping records without one; the lookups `findCounterpart` takes. */
export function indexByKey<T>(
    records: Iterable<T>,
    idOf: (record: T) => string,
    keyOf: (record: T) => string | undefined
): Map<string, string[]> {
    const index = new Map<string, string[]>();
    for (const record of records) {
        const key = keyOf(record);
        if (key === undefined) continue;
        const ids = index.get(key);
        if (ids) ids.push(idOf(record));
        else index.set(key, [idOf(record)]);
    }
    return index;
}
