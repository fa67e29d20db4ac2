import type { ObjectTypeName } from '../catalogue/object-types';

/**
 * Associations in memory: `${from}|${to}` → fromId → flat `[toId, typeId, toId, typeId, ...]`.
 * Flat arrays instead of nested maps keep a million associated records within the memory budget;
 * a record's associations towards one type are few, so linear scans are cheap.
 */
export class AssociationIndex {
    private readonly pairs = new Map<string, Map<number, number[]>>();

    /** toId → type ids of a record's associations towards one object type. */
    targets(from: ObjectTypeName, fromId: number, to: ObjectTypeName): Map<number, number[]> {
        const flat = this.pairs.get(`${from}|${to}`)?.get(fromId);
        const result = new Map<number, number[]>();
        if (!flat) return result;
        for (let index = 0; index < flat.length; index += 2) {
            const typeIds = result.get(flat[index]);
            if (typeIds) typeIds.push(flat[index + 1]);
            else result.set(flat[index], [flat[index + 1]]);
        }
        return result;
    }

    /** Replaces the type ids between two records in one direction (none removes the association). */
    set(from: ObjectTypeName, fromId: number, to: ObjectTypeName, toId: number, typeIds: number[]): void {
        const key = `${from}|${to}`;
        let byFrom = this.pairs.get(key);
        if (!byFrom) this.pairs.set(key, (byFrom = new Map()));
        const flat = byFrom.get(fromId) ?? [];
        const next: number[] = [];
        for (let index = 0; index < flat.length; index += 2)
            if (flat[index] !== toId) next.push(flat[index], flat[index + 1]);
        for (const typeId of typeIds) next.push(toId, typeId);
        if (next.length === 0) byFrom.delete(fromId);
        else byFrom.set(fromId, next);
    }

    clear(): void {
        this.pairs.clear();
    }
}
