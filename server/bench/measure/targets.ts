/**
 * Records a user edits during the benchmark: synced pairs picked from the state store's links, handed
 * out without repeats so no two measurements (or samples) edit the same record.
 */
import type { Probe } from '../support/sandbox-protocol';
import type { BenchWorld } from './world';

/** One synced pair: the record a user edits and its counterpart, whose value the bench watches. */
export interface EditTarget {
    side: 'salesforce' | 'hubspot';
    /** What the user edits. */
    object: string;
    id: string;
    /** The field or property edited on this side. */
    field: string;
    /** Where the edit must show up. */
    counterpart: Probe;
}

export class TargetPool {
    private constructor(
        private readonly salesforceSide: EditTarget[],
        private readonly hubspotSide: EditTarget[]
    ) {}

    /**
     * Salesforce Contacts (edited in Salesforce, watched on their HubSpot contacts) and HubSpot contacts
     * synced with Leads (edited in HubSpot, watched on the Leads); `perSide` of each, all linked.
     */
    static async pick(world: BenchWorld, perSide: number): Promise<TargetPool> {
        const linked = async (object: 'Contact' | 'Lead') => {
            const ids = await world.sandboxes.ask<string[]>({ kind: 'salesforce-ids', object, limit: perSide * 2 });
            return [...world.store.linksBySalesforceIds(object, ids).values()].filter(
                (link) => link.tombstonedAt === null && link.hubspotObjectType === 'contacts'
            );
        };
        const contacts = (await linked('Contact')).slice(0, perSide).map((link): EditTarget => ({
            side: 'salesforce',
            object: 'Contact',
            id: link.salesforceId,
            field: 'Phone',
            counterpart: { side: 'hubspot', objectType: 'contacts', id: link.hubspotId, property: 'phone' }
        }));
        const leads = (await linked('Lead')).slice(0, perSide).map((link): EditTarget => ({
            side: 'hubspot',
            object: 'contacts',
            id: link.hubspotId,
            field: 'phone',
            counterpart: { side: 'salesforce', id: link.salesforceId, field: 'Phone' }
        }));
        if (contacts.length < perSide || leads.length < perSide) {
            throw new Error(
                `the initial sync linked only ${contacts.length} Contacts and ${leads.length} Leads; ${perSide} of each are needed`
            );
        }
        return new TargetPool(contacts, leads);
    }

    take(side: 'salesforce' | 'hubspot', count: number): EditTarget[] {
        const pool = side === 'salesforce' ? this.salesforceSide : this.hubspotSide;
        if (pool.length < count) throw new Error(`only ${pool.length} ${side} targets left, ${count} needed`);
        return pool.splice(0, count);
    }
}

let sequence = 0;

/** A phone number no record has had before in this process. */
export function freshPhone(): string {
    sequence += 1;
    return `+1 555 ${String(sequence).padStart(7, '0')}`;
}

/** Applies one value per target through the real clients, batched per side and object. */
export async function editAsUser(world: BenchWorld, edits: { target: EditTarget; value: string }[]): Promise<void> {
    const groups = new Map<string, { target: EditTarget; value: string }[]>();
    for (const edit of edits) {
        const key = `${edit.target.side}|${edit.target.object}`;
        groups.set(key, [...(groups.get(key) ?? []), edit]);
    }
    for (const list of groups.values()) {
        const { side, object } = list[0]!.target;
        if (side === 'salesforce') {
            await world.user.salesforce(
                object,
                list.map((edit) => ({ Id: edit.target.id, [edit.target.field]: edit.value }))
            );
        } else {
            await world.user.hubspot(
                object,
                list.map((edit) => ({ id: edit.target.id, properties: { [edit.target.field]: edit.value } }))
            );
        }
    }
}
