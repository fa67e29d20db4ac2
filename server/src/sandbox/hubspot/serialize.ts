import { associationType } from './catalogue/associations';
import { OBJECT_TYPES, type ObjectTypeName } from './catalogue/object-types';
import type { CrmStore, StoredObject } from './store/crm-store';

export interface ReadShape {
    properties?: string[];
    propertiesWithHistory?: string[];
    associations?: ObjectTypeName[];
}

export interface ApiObject {
    id: string;
    properties: Record<string, string | null>;
    propertiesWithHistory?: Record<
        string,
        { value: string; timestamp: string; sourceType: string; sourceId?: string; updatedByUserId?: number }[]
    >;
    associations?: Record<string, { results: { id: string; type: string }[] }>;
    createdAt: string;
    updatedAt: string;
    archived: boolean;
    archivedAt?: string;
}

/**
 * A record as `SimplePublicObject(WithAssociations)`: the requested properties (unset ones as null,
 * unknown names left out), or the type's defaults when none were asked for.
 */
export function toApiObject(
    store: CrmStore,
    type: ObjectTypeName,
    record: StoredObject,
    shape: ReadShape = {}
): ApiObject {
    const catalogue = store.catalogue(type);
    const requested = shape.properties?.length ? shape.properties : OBJECT_TYPES[type].defaultProperties;
    const properties: Record<string, string | null> = {};
    for (const name of requested) if (catalogue.has(name)) properties[name] = store.valueOf(type, record, name);
    const result: ApiObject = {
        id: String(record.id),
        properties,
        createdAt: new Date(record.createdAt).toISOString(),
        updatedAt: new Date(record.updatedAt).toISOString(),
        archived: record.archivedAt !== undefined
    };
    if (record.archivedAt !== undefined) result.archivedAt = new Date(record.archivedAt).toISOString();
    if (shape.propertiesWithHistory?.length) {
        result.propertiesWithHistory = {};
        for (const name of shape.propertiesWithHistory) {
            if (!catalogue.has(name)) continue;
            result.propertiesWithHistory[name] = store.historyOf(type, record, name).map((entry) => ({
                ...entry,
                timestamp: new Date(entry.timestamp).toISOString()
            }));
        }
    }
    if (shape.associations?.length) {
        const associations: NonNullable<ApiObject['associations']> = {};
        for (const to of shape.associations) {
            const results: { id: string; type: string }[] = [];
            for (const [toId, typeIds] of store.associationsOf(type, record.id, to))
                for (const typeId of typeIds)
                    results.push({ id: String(toId), type: associationType(typeId)?.v3Name ?? String(typeId) });
            // HubSpot leaves out association types a record has none of.
            if (results.length > 0) associations[to] = { results };
        }
        result.associations = associations;
    }
    return result;
}
