/**
 * HubSpot lists (the v3 Lists API): a list holds records of one object type. Membership is what the
 * sync engine reads (`GET /crm/v3/lists/{listId}/memberships`), so lists are static here: an operator
 * or a test adds and removes members; HubSpot's filter-driven (active) lists are not evaluated.
 */
export interface StoredList {
    listId: string;
    name: string;
    objectTypeId: string;
    /** Record id → when it joined (epoch ms). */
    members: Map<string, number>;
}

export class ListStore {
    private readonly lists = new Map<string, StoredList>();
    private nextId = 1;

    create(name: string, objectTypeId: string): StoredList {
        const list: StoredList = { listId: String(this.nextId++), name, objectTypeId, members: new Map() };
        this.lists.set(list.listId, list);
        return list;
    }

    get(listId: string): StoredList | undefined {
        return this.lists.get(listId);
    }

    /** Members ordered by record id (numerically), as HubSpot pages them. */
    members(listId: string): { recordId: string; joinedAt: number }[] {
        const list = this.lists.get(listId);
        if (!list) return [];
        return [...list.members]
            .map(([recordId, joinedAt]) => ({ recordId, joinedAt }))
            .sort((left, right) => Number(left.recordId) - Number(right.recordId));
    }

    clear(): void {
        this.lists.clear();
        this.nextId = 1;
    }
}
