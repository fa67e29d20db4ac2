import type { SandboxClock } from '../../common/clock';
import {
    associationType,
    associationTypesBetween,
    defaultAssociationType,
    type AssociationType
} from '../catalogue/associations';
import { OBJECT_TYPE_NAMES, OBJECT_TYPES, type ObjectTypeName } from '../catalogue/object-types';
import { defaultOwners, type Owner } from '../catalogue/owners';
import { defaultDealPipelines, stageOutcome, type Pipeline } from '../catalogue/pipelines';
import { defaultProperties, type PropertyDefinition } from '../catalogue/properties';
import { apiError, notFound, validationError } from '../errors';
import { propertyValidationError, validateProperties } from '../property-values';
import { AssociationIndex } from './association-index';
import type { Persistence } from './persistence';
import { UniqueIndex } from './unique-index';

export interface HistoryEntry {
    value: string;
    timestamp: number;
    sourceType: string;
    sourceId?: string;
    updatedByUserId?: number;
}

export interface StoredObject {
    id: number;
    /** Only properties that hold a value; system properties are derived (see `valueOf`). */
    properties: Record<string, string>;
    createdAt: number;
    updatedAt: number;
    archivedAt?: number;
    /**
     * Changes after a property's first value, newest first. A property without an entry here has a
     * one-entry history: its current value, set when the record was created.
     */
    history?: Record<string, HistoryEntry[]>;
    createdBy: WriteSource;
}

/** Who wrote: becomes `sourceType`/`sourceId` in property history and `changeSource` in webhooks. */
export interface WriteSource {
    sourceType: 'INTEGRATION' | 'CRM_UI' | 'IMPORT' | 'API';
    sourceId?: string;
    updatedByUserId?: number;
}

export type CrmChange =
    | { kind: 'creation'; type: ObjectTypeName; id: number; at: number; source: WriteSource }
    | { kind: 'deletion'; type: ObjectTypeName; id: number; at: number; source: WriteSource }
    | {
          kind: 'propertyChange';
          type: ObjectTypeName;
          id: number;
          property: string;
          value: string;
          at: number;
          source: WriteSource;
      }
    | { kind: 'merge'; type: ObjectTypeName; primaryId: number; mergedIds: number[]; at: number; source: WriteSource }
    | {
          kind: 'associationChange';
          fromType: ObjectTypeName;
          fromId: number;
          toType: ObjectTypeName;
          toId: number;
          typeId: number;
          removed: boolean;
          at: number;
          source: WriteSource;
      };

interface ObjectTable {
    records: Map<number, StoredObject>;
    /** Ids in ascending order (ids only grow, so appends keep it sorted); drives `after` paging. */
    ids: number[];
}

const FIRST_ID = 1001;

export class CrmStore {
    private tables = new Map<ObjectTypeName, ObjectTable>();
    private catalogues = new Map<ObjectTypeName, Map<string, PropertyDefinition>>();
    private readonly unique = new UniqueIndex();
    /** Ids of merged-away records → the id that absorbed them (reads of the old id follow it). */
    private readonly mergedInto = new Map<number, number>();
    private readonly links = new AssociationIndex();
    pipelines: Pipeline[] = [];
    owners: Owner[] = [];
    private nextId = FIRST_ID;
    private readonly listeners: ((change: CrmChange) => void)[] = [];

    constructor(
        private readonly persistence: Persistence,
        private readonly clock: SandboxClock
    ) {
        this.initialize();
        if (persistence.durable) this.loadFromPersistence();
    }

    onChange(listener: (change: CrmChange) => void): void {
        this.listeners.push(listener);
    }

    private emit(change: CrmChange): void {
        for (const listener of this.listeners) listener(change);
    }

    /** Empties every table and restores the default catalogue, in memory and in the data file. */
    reset(): void {
        this.initialize();
        this.persistence.clear();
    }

    private initialize(): void {
        this.tables = new Map(OBJECT_TYPE_NAMES.map((type) => [type, { records: new Map(), ids: [] }]));
        this.catalogues = new Map(
            OBJECT_TYPE_NAMES.map((type) => [type, new Map(defaultProperties(type).map((p) => [p.name, p]))])
        );
        this.unique.clear();
        this.mergedInto.clear();
        this.links.clear();
        this.pipelines = defaultDealPipelines();
        this.owners = defaultOwners();
        this.nextId = FIRST_ID;
    }

    private loadFromPersistence(): void {
        const meta = new Map([...this.persistence.load('meta')].map((row) => [row.id, row.data]));
        for (const [loser, winner] of (meta.get('merged') as [number, number][] | undefined) ?? [])
            this.mergedInto.set(loser, winner);
        for (const type of OBJECT_TYPE_NAMES) {
            const stored = meta.get(`properties:${type}`) as PropertyDefinition[] | undefined;
            if (stored) this.catalogues.set(type, new Map(stored.map((p) => [p.name, p])));
            const table = this.table(type);
            for (const row of this.persistence.load(`object:${type}`)) {
                const record = row.data as StoredObject;
                table.records.set(record.id, record);
                table.ids.push(record.id);
                // Records are never deleted (archive keeps them), so the highest id tells the next one.
                this.nextId = Math.max(this.nextId, record.id + 1);
                if (record.archivedAt === undefined) this.indexUnique(type, record);
            }
            table.ids.sort((a, b) => a - b);
        }
        // Merged-away contacts' emails keep finding the surviving record.
        for (const [loser, winner] of this.mergedInto) {
            const email = this.table('contacts').records.get(loser)?.properties.email;
            if (email && this.unique.holder('contacts', 'email', email) === undefined)
                this.unique.add('contacts', 'email', email, winner);
        }
        for (const row of this.persistence.load('association')) {
            const [from, fromId, to, toId] = row.id.split('|');
            this.links.set(
                from as ObjectTypeName,
                Number(fromId),
                to as ObjectTypeName,
                Number(toId),
                row.data as number[]
            );
        }
    }

    /** Runs `work` as one durable transaction (batch endpoints are all-or-nothing). */
    transaction<T>(work: () => T): T {
        return this.persistence.transaction(work);
    }

    // ---- catalogue -------------------------------------------------------------------------------

    catalogue(type: ObjectTypeName): Map<string, PropertyDefinition> {
        return this.catalogues.get(type)!;
    }

    saveCatalogue(type: ObjectTypeName): void {
        this.persistence.put('meta', `properties:${type}`, [...this.catalogue(type).values()]);
    }

    // ---- records ---------------------------------------------------------------------------------

    private table(type: ObjectTypeName): ObjectTable {
        return this.tables.get(type)!;
    }

    count(type: ObjectTypeName): number {
        return this.table(type).records.size;
    }

    private allocateId(): number {
        return this.nextId++;
    }

    /** A live record by id, following merges; archived ones only when asked for. */
    get(type: ObjectTypeName, id: number, includeArchived = false): StoredObject | undefined {
        const record = this.table(type).records.get(this.mergedInto.get(id) ?? id);
        if (!record || (record.archivedAt !== undefined && !includeArchived)) return undefined;
        return record;
    }

    /** Resolves `id` (or a unique property value when `idProperty` is given) to a live record. */
    find(type: ObjectTypeName, id: string, idProperty?: string, includeArchived = false): StoredObject | undefined {
        if (!idProperty || idProperty === 'hs_object_id') {
            if (!/^\d{1,18}$/.test(id)) return undefined;
            return this.get(type, Number(id), includeArchived);
        }
        const holder = this.unique.holder(type, idProperty, id);
        if (holder !== undefined) return this.get(type, holder, includeArchived);
        if (!includeArchived) return undefined;
        for (const record of this.table(type).records.values())
            if (record.properties[idProperty] === id && (includeArchived || record.archivedAt === undefined))
                return record;
        return undefined;
    }

    /** Checks that `idProperty` may identify records (HubSpot requires a unique-value property). */
    assertIdProperty(type: ObjectTypeName, idProperty: string | undefined): void {
        if (!idProperty || idProperty === 'hs_object_id') return;
        const definition = this.catalogue(type).get(idProperty);
        if (!definition || !definition.hasUniqueValue)
            throw validationError(`${idProperty} is not a unique property and cannot be used as an idProperty`);
    }

    /** Page of records with id > `after`, ascending (the list endpoint's and `getAll`'s order). */
    list(
        type: ObjectTypeName,
        after: number,
        limit: number,
        archived: boolean
    ): { records: StoredObject[]; more: boolean } {
        const { ids, records } = this.table(type);
        let low = 0;
        let high = ids.length;
        while (low < high) {
            const mid = (low + high) >>> 1;
            if (ids[mid] <= after) low = mid + 1;
            else high = mid;
        }
        const page: StoredObject[] = [];
        for (let index = low; index < ids.length; index++) {
            const record = records.get(ids[index]);
            if (!record || (record.archivedAt !== undefined) !== archived) continue;
            if (page.length === limit) return { records: page, more: true };
            page.push(record);
        }
        return { records: page, more: false };
    }

    /** Every live record of a type, in id order (search scans these). */
    *live(type: ObjectTypeName): Iterable<StoredObject> {
        const { ids, records } = this.table(type);
        for (const id of ids) {
            const record = records.get(id);
            if (record && record.archivedAt === undefined) yield record;
        }
    }

    /** A property's current value as the API reports it, including the derived system properties. */
    valueOf(type: ObjectTypeName, record: StoredObject, property: string): string | null {
        switch (property) {
            case 'hs_object_id':
                return String(record.id);
            case 'hs_createdate':
                return new Date(record.createdAt).toISOString();
            case 'createdate':
                return record.properties.createdate ?? new Date(record.createdAt).toISOString();
            case 'lastmodifieddate':
            case 'hs_lastmodifieddate':
                return new Date(record.updatedAt).toISOString();
            case 'hs_deal_stage_probability':
            case 'hs_is_closed':
            case 'hs_is_closed_won': {
                if (type !== 'deals') break;
                const stage = this.dealStage(record.properties.pipeline, record.properties.dealstage);
                if (!stage) return null;
                const outcome = stageOutcome(stage);
                if (property === 'hs_deal_stage_probability') return outcome.probability;
                return String(property === 'hs_is_closed' ? outcome.closed : outcome.won);
            }
        }
        return record.properties[property] ?? null;
    }

    /** History newest first; the creation value is implied when nothing changed since. */
    historyOf(type: ObjectTypeName, record: StoredObject, property: string): HistoryEntry[] {
        const recorded = record.history?.[property];
        if (recorded) return recorded;
        const value = this.valueOf(type, record, property);
        if (value === null) return [];
        return [{ value, timestamp: record.createdAt, ...record.createdBy }];
    }

    private dealStage(pipelineId: string | undefined, stageId: string | undefined) {
        if (!stageId) return undefined;
        const pipelines = pipelineId ? this.pipelines.filter((p) => p.id === pipelineId) : this.pipelines;
        for (const pipeline of pipelines) {
            const stage = pipeline.stages.find((s) => s.id === stageId);
            if (stage) return stage;
        }
        return undefined;
    }

    /**
     * Validates a property write without applying it. Throws the 400 HubSpot answers; contact emails
     * must stay unique (409), deal stages must exist in the pipeline.
     */
    prepareWrite(
        type: ObjectTypeName,
        input: Record<string, unknown>,
        options: { allowReadOnly?: boolean; existing?: StoredObject } = {}
    ): Record<string, string> {
        const { values, issues } = validateProperties(this.catalogue(type), input, options.allowReadOnly);
        if (values.hubspot_owner_id && !this.owners.some((owner) => owner.id === values.hubspot_owner_id))
            issues.push({
                name: 'hubspot_owner_id',
                error: 'INVALID_OWNER_ID',
                message: `${values.hubspot_owner_id} is not a valid owner id`
            });
        if (type === 'deals' && values.pipeline && !this.pipelines.some((p) => p.id === values.pipeline))
            issues.push({
                name: 'pipeline',
                error: 'INVALID_OPTION',
                message: `${values.pipeline} was not one of the allowed options: [${this.pipelines.map((p) => p.id).join(', ')}]`
            });
        else if (type === 'deals' && values.dealstage) {
            const pipelineId = values.pipeline || options.existing?.properties.pipeline || undefined;
            if (!this.dealStage(pipelineId, values.dealstage)) {
                const allowed = this.pipelines
                    .filter((p) => !pipelineId || p.id === pipelineId)
                    .flatMap((p) => p.stages.map((s) => s.id));
                issues.push({
                    name: 'dealstage',
                    error: 'INVALID_OPTION',
                    message: `${values.dealstage} was not one of the allowed options: [${allowed.join(', ')}]`
                });
            }
        }
        if (issues.length > 0) throw propertyValidationError(issues);
        for (const property of this.uniqueProperties(type)) {
            const value = values[property];
            const holder = value ? this.unique.holder(type, property, value) : undefined;
            if (holder === undefined || holder === options.existing?.id) continue;
            if (type === 'contacts' && property === 'email') throw contactConflict(holder);
            throw apiError(
                409,
                'CONFLICT',
                `A ${OBJECT_TYPES[type].singular} with ${property} ${value} already exists. Existing ID: ${holder}`
            );
        }
        return values;
    }

    /** A batch whose inputs share a unique value is refused before anything is written. */
    assertDistinctUniqueValues(type: ObjectTypeName, inputs: Record<string, unknown>[]): void {
        for (const property of this.uniqueProperties(type)) {
            const seen = new Set<string>();
            for (const input of inputs) {
                const value = input[property];
                if (value === undefined || value === null || value === '') continue;
                const key = String(value).toLowerCase();
                if (seen.has(key))
                    throw validationError(`Duplicate values found in batch input for ${property}: [${key}]`);
                seen.add(key);
            }
        }
    }

    /** Properties whose values identify one record (`hasUniqueValue`), `hs_object_id` aside. */
    private uniqueProperties(type: ObjectTypeName): string[] {
        const names: string[] = [];
        for (const definition of this.catalogue(type).values())
            if (definition.hasUniqueValue && !definition.archived && definition.name !== 'hs_object_id')
                names.push(definition.name);
        return names;
    }

    private indexUnique(type: ObjectTypeName, record: StoredObject): void {
        for (const property of this.uniqueProperties(type)) {
            const value = record.properties[property];
            if (value) this.unique.add(type, property, value, record.id);
        }
    }

    private unindexUnique(type: ObjectTypeName, record: StoredObject): void {
        for (const property of this.uniqueProperties(type)) {
            const value = record.properties[property];
            if (value) this.unique.remove(type, property, value, record.id);
        }
    }

    private persistRecord(type: ObjectTypeName, record: StoredObject): void {
        this.persistence.put(`object:${type}`, String(record.id), record);
    }

    /** Creates a record from already validated values (see `prepareWrite`). */
    insert(
        type: ObjectTypeName,
        values: Record<string, string>,
        source: WriteSource,
        options: { at?: number; quiet?: boolean } = {}
    ): StoredObject {
        const at = options.at ?? this.clock.now();
        const properties: Record<string, string> = {};
        for (const [name, value] of Object.entries(values)) if (value !== '') properties[name] = value;
        if (type === 'contacts' && properties.lifecyclestage === undefined) properties.lifecyclestage = 'lead';
        if (type === 'deals' && properties.dealstage && !properties.pipeline) properties.pipeline = 'default';
        const record: StoredObject = {
            id: this.allocateId(),
            properties,
            createdAt: at,
            updatedAt: at,
            createdBy: source
        };
        const table = this.table(type);
        table.records.set(record.id, record);
        table.ids.push(record.id);
        this.indexUnique(type, record);
        this.persistRecord(type, record);
        if (!options.quiet) {
            this.emit({ kind: 'creation', type, id: record.id, at, source });
            for (const [property, value] of Object.entries(properties))
                this.emit({ kind: 'propertyChange', type, id: record.id, property, value, at, source });
        }
        return record;
    }

    /**
     * Applies validated values to a record: records history for every change, keeps lifecycle stages
     * forward-only (an earlier stage is ignored unless the stage was cleared first, as HubSpot does).
     */
    apply(
        type: ObjectTypeName,
        record: StoredObject,
        values: Record<string, string>,
        source: WriteSource,
        options: { at?: number; quiet?: boolean } = {}
    ): string[] {
        const at = options.at ?? this.clock.now();
        const changed: string[] = [];
        for (const [name, value] of Object.entries(values)) {
            const current = record.properties[name];
            if ((current ?? '') === value) continue;
            if (
                name === 'lifecyclestage' &&
                current &&
                value &&
                this.stageRank(type, value) < this.stageRank(type, current)
            )
                continue;
            const history = (record.history ??= {});
            history[name] ??= this.historyOf(type, record, name);
            history[name].unshift({ value, timestamp: at, ...source });
            if (value === '') delete record.properties[name];
            else record.properties[name] = value;
            if (this.catalogue(type).get(name)?.hasUniqueValue) {
                if (current) this.unique.remove(type, name, current, record.id);
                if (value) this.unique.add(type, name, value, record.id);
            }
            changed.push(name);
        }
        if (changed.length === 0) return changed;
        record.updatedAt = at;
        this.persistRecord(type, record);
        if (!options.quiet)
            for (const property of changed)
                this.emit({
                    kind: 'propertyChange',
                    type,
                    id: record.id,
                    property,
                    value: values[property],
                    at,
                    source
                });
        return changed;
    }

    private stageRank(type: ObjectTypeName, stage: string): number {
        const option = this.catalogue(type)
            .get('lifecyclestage')
            ?.options.find((o) => o.value === stage);
        return option?.displayOrder ?? Number.MAX_SAFE_INTEGER;
    }

    archive(type: ObjectTypeName, record: StoredObject, source: WriteSource, quiet = false): void {
        if (record.archivedAt !== undefined) return;
        const at = this.clock.now();
        record.archivedAt = at;
        record.updatedAt = at;
        this.unindexUnique(type, record);
        this.persistRecord(type, record);
        if (!quiet) this.emit({ kind: 'deletion', type, id: record.id, at, source });
    }

    /**
     * GDPR deletion: the record, its history and its associations are gone for good (no archive, no
     * restore); HubSpot notifies subscribers with a deletion.
     */
    purge(type: ObjectTypeName, record: StoredObject, source: WriteSource): void {
        this.transaction(() => {
            for (const to of OBJECT_TYPE_NAMES)
                for (const toId of this.associationsOf(type, record.id, to).keys())
                    this.dissociate(type, record.id, to, toId, undefined, source, true);
            const table = this.table(type);
            table.records.delete(record.id);
            table.ids.splice(table.ids.indexOf(record.id), 1);
            this.unindexUnique(type, record);
            this.persistence.remove(`object:${type}`, String(record.id));
        });
        this.emit({ kind: 'deletion', type, id: record.id, at: this.clock.now(), source });
    }

    /**
     * Merges `mergedId` into `primaryId`: HubSpot keeps the primary's values, fills its gaps from the
     * merged record, moves associations, archives the merged record and redirects its id.
     */
    merge(type: ObjectTypeName, primaryId: string, mergedId: string, source: WriteSource): StoredObject {
        const primary = this.find(type, primaryId);
        const merged = this.find(type, mergedId);
        if (!primary) throw notFound(primaryId);
        if (!merged) throw notFound(mergedId);
        if (primary.id === merged.id)
            throw validationError(`Cannot merge ${OBJECT_TYPES[type].singular} ${primaryId} into itself`);
        return this.transaction(() => {
            const at = this.clock.now();
            const fill: Record<string, string> = {};
            for (const [name, value] of Object.entries(merged.properties))
                if (primary.properties[name] === undefined && name !== 'email') fill[name] = value;
            if (type === 'contacts' && merged.properties.email) {
                const additional = new Set((primary.properties.hs_additional_emails ?? '').split(';').filter(Boolean));
                additional.add(merged.properties.email);
                fill.hs_additional_emails = [...additional].join(';');
            }
            const mergedIds = new Set((primary.properties.hs_merged_object_ids ?? '').split(';').filter(Boolean));
            mergedIds.add(String(merged.id));
            fill.hs_merged_object_ids = [...mergedIds].join(';');
            for (const to of OBJECT_TYPE_NAMES) {
                for (const [toId, typeIds] of this.associationsOf(type, merged.id, to)) {
                    if (to === type && toId === primary.id) continue;
                    this.associate(type, primary.id, to, toId, typeIds, source, true);
                }
            }
            this.apply(type, primary, fill, source, { at, quiet: true });
            // The merge event stands for the merged record's disappearance (no separate deletion).
            this.archive(type, merged, source, true);
            // The merged contact's email keeps finding the surviving record.
            if (type === 'contacts' && merged.properties.email)
                this.unique.add(type, 'email', merged.properties.email, primary.id);
            this.mergedInto.set(merged.id, primary.id);
            for (const [loser, winner] of this.mergedInto)
                if (winner === merged.id) this.mergedInto.set(loser, primary.id);
            this.persistence.put('meta', 'merged', [...this.mergedInto]);
            this.emit({ kind: 'merge', type, primaryId: primary.id, mergedIds: [merged.id], at, source });
            return primary;
        });
    }

    // ---- associations ----------------------------------------------------------------------------

    /** toId → type ids of a record's associations towards one object type. */
    associationsOf(from: ObjectTypeName, fromId: number, to: ObjectTypeName): Map<number, number[]> {
        return this.links.targets(from, fromId, to);
    }

    /** Checks the type ids for a pair (400 as HubSpot answers an unknown or mismatched type). */
    resolveAssociationTypes(from: ObjectTypeName, to: ObjectTypeName, typeIds: number[]): AssociationType[] {
        return typeIds.map((typeId) => {
            const type = associationType(typeId);
            if (!type || type.from !== from || type.to !== to)
                throw validationError(
                    `${typeId} is not a valid association type between ${OBJECT_TYPES[from].singular} and ${OBJECT_TYPES[to].singular}`
                );
            return type;
        });
    }

    /**
     * Stores an association in both directions. Any labeled type implies the pair's unlabeled type;
     * a primary type moves away from the record's previous primary target.
     */
    associate(
        from: ObjectTypeName,
        fromId: number,
        to: ObjectTypeName,
        toId: number,
        typeIds: number[],
        source: WriteSource,
        quiet = false
    ): number[] {
        const types = this.resolveAssociationTypes(from, to, typeIds);
        const unlabeled = defaultAssociationType(from, to);
        if (unlabeled && !types.some((t) => t.typeId === unlabeled.typeId)) types.push(unlabeled);
        const at = this.clock.now();
        const forward = this.associationsOf(from, fromId, to);
        const existing = new Set(forward.get(toId) ?? []);
        const added: AssociationType[] = [];
        for (const type of types) {
            if (existing.has(type.typeId)) continue;
            if (type.primary)
                for (const [otherId, otherTypes] of forward)
                    if (otherId !== toId && otherTypes.includes(type.typeId))
                        this.dissociate(from, fromId, to, otherId, [type.typeId], source, quiet);
            existing.add(type.typeId);
            added.push(type);
        }
        if (added.length === 0) return [...existing];
        this.storePair(from, fromId, to, toId, [...existing]);
        const inverse = new Set(this.associationsOf(to, toId, from).get(fromId) ?? []);
        for (const type of added) inverse.add(type.inverseTypeId);
        this.storePair(to, toId, from, fromId, [...inverse]);
        if (!quiet)
            for (const type of added)
                this.emit({
                    kind: 'associationChange',
                    fromType: from,
                    fromId,
                    toType: to,
                    toId,
                    typeId: type.typeId,
                    removed: false,
                    at,
                    source
                });
        return [...existing];
    }

    /** Removes some (or, without `typeIds`, all) association types between two records. */
    dissociate(
        from: ObjectTypeName,
        fromId: number,
        to: ObjectTypeName,
        toId: number,
        typeIds: number[] | undefined,
        source: WriteSource,
        quiet = false
    ): void {
        const current = this.associationsOf(from, fromId, to).get(toId);
        if (!current) return;
        const unlabeled = defaultAssociationType(from, to)?.typeId;
        // Removing the unlabeled type removes the association entirely, labels included.
        const removeAll = !typeIds || (unlabeled !== undefined && typeIds.includes(unlabeled));
        const removed = removeAll ? current : current.filter((id) => typeIds.includes(id));
        if (removed.length === 0) return;
        const remaining = current.filter((id) => !removed.includes(id));
        this.storePair(from, fromId, to, toId, remaining);
        const inverseRemoved = removed.map((id) => associationType(id)?.inverseTypeId);
        const backward = this.associationsOf(to, toId, from).get(fromId) ?? [];
        this.storePair(
            to,
            toId,
            from,
            fromId,
            backward.filter((id) => !inverseRemoved.includes(id))
        );
        if (!quiet) {
            const at = this.clock.now();
            for (const typeId of removed)
                this.emit({
                    kind: 'associationChange',
                    fromType: from,
                    fromId,
                    toType: to,
                    toId,
                    typeId,
                    removed: true,
                    at,
                    source
                });
        }
    }

    private storePair(from: ObjectTypeName, fromId: number, to: ObjectTypeName, toId: number, typeIds: number[]): void {
        this.links.set(from, fromId, to, toId, typeIds);
        const key = `${from}|${fromId}|${to}|${toId}`;
        if (typeIds.length === 0) this.persistence.remove('association', key);
        else this.persistence.put('association', key, typeIds);
    }

    /** Type ids HubSpot defines between two object types (for the labels endpoint). */
    associationDefinitions(from: ObjectTypeName, to: ObjectTypeName): AssociationType[] {
        return associationTypesBetween(from, to);
    }

    /** Every stored record, for export; archived ones included. */
    export(): Record<ObjectTypeName, StoredObject[]> {
        return Object.fromEntries(
            OBJECT_TYPE_NAMES.map((type) => [type, [...this.table(type).records.values()]])
        ) as Record<ObjectTypeName, StoredObject[]>;
    }
}

export function contactConflict(existingId: number) {
    return apiError(409, 'CONFLICT', `Contact already exists. Existing ID: ${existingId}`);
}
