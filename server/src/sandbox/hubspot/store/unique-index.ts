import type { ObjectTypeName } from '../catalogue/object-types';

/**
 * Live records by the value of each unique-value property (`hasUniqueValue`: contacts' email and any
 * custom unique property). Values compare case-insensitively, as HubSpot's email does.
 */
export class UniqueIndex {
    private readonly byProperty = new Map<string, Map<string, number>>();

    private values(type: ObjectTypeName, property: string): Map<string, number> {
        const key = `${type}|${property}`;
        let values = this.byProperty.get(key);
        if (!values) this.byProperty.set(key, (values = new Map()));
        return values;
    }

    holder(type: ObjectTypeName, property: string, value: string): number | undefined {
        return this.byProperty.get(`${type}|${property}`)?.get(value.toLowerCase());
    }

    add(type: ObjectTypeName, property: string, value: string, id: number): void {
        this.values(type, property).set(value.toLowerCase(), id);
    }

    /** Forgets `value` if it still points at `id` (a merge may have moved it to another record). */
    remove(type: ObjectTypeName, property: string, value: string, id: number): void {
        const values = this.values(type, property);
        if (values.get(value.toLowerCase()) === id) values.delete(value.toLowerCase());
    }

    clear(): void {
        this.byProperty.clear();
    }
}
