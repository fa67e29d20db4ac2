/**
 * Associations follow the records: Contact.AccountId ↔ contact-company, Opportunity.AccountId ↔
 * deal-company, OpportunityContactRole ↔ deal-contact. Salesforce says which pairs should exist; the
 * plan is the difference to the pairs HubSpot has, translated through the links. A pair whose other
 * end has not synced yet waits (reported as `waiting`), as HubSpot's "waiting for account to sync".
 */
import type { AssociationMapping } from '../mapping/schema';

/** A Salesforce-side pair: from record ID → to record ID (lookup holder → looked-up, or junction ends). */
export interface SalesforcePair {
    fromId: string;
    toId: string;
}

/** A HubSpot-side pair of record IDs. */
export interface HubSpotPair {
    fromId: string;
    toId: string;
}

export interface AssociationPlan {
    create: HubSpotPair[];
    /** Only with delete policy `propagate`; otherwise pairs HubSpot has beyond Salesforce are kept. */
    remove: HubSpotPair[];
    /** Salesforce pairs whose ends are not linked to HubSpot records yet. */
    waiting: SalesforcePair[];
}

const key = (pair: HubSpotPair) => `${pair.fromId}→${pair.toId}`;

/** The Salesforce pairs a lookup association implies, from records read with the lookup field. */
export function lookupPairs(
    association: Extract<AssociationMapping, { kind: 'lookup' }>,
    records: { id: string; values: Record<string, unknown> }[]
): SalesforcePair[] {
    return records.flatMap((record) => {
        const target = record.values[association.field];
        return typeof target === 'string' && target !== '' ? [{ fromId: record.id, toId: target }] : [];
    });
}

/**
 * `fromLinks` / `toLinks` map Salesforce IDs of each end to HubSpot IDs. `existing` are the HubSpot
 * pairs of the same association type for the HubSpot records on the `from` side that were read.
 */
export function planAssociations(
    association: AssociationMapping,
    desired: SalesforcePair[],
    existing: HubSpotPair[],
    fromLinks: Map<string, string>,
    toLinks: Map<string, string>
): AssociationPlan {
    const waiting: SalesforcePair[] = [];
    const wanted = new Map<string, HubSpotPair>();
    for (const pair of desired) {
        const fromId = fromLinks.get(pair.fromId);
        const toId = toLinks.get(pair.toId);
        if (fromId === undefined || toId === undefined) waiting.push(pair);
        else wanted.set(key({ fromId, toId }), { fromId, toId });
    }
    const present = new Map(existing.map((pair) => [key(pair), pair]));
    const create = [...wanted.entries()].filter(([pairKey]) => !present.has(pairKey)).map(([, pair]) => pair);
    const remove =
        association.delete === 'propagate'
            ? [...present.entries()].filter(([pairKey]) => !wanted.has(pairKey)).map(([, pair]) => pair)
            : [];
    return { create, remove, waiting };
}
