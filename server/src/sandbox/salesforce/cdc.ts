import type { SandboxClock } from '../common/clock';
import type { ChangeType, RecordChange } from './dml';
import type { SchemaCatalog } from './schema/catalog';
import type { SObjectRecord } from './store';

/**
 * Change Data Capture: every committed change becomes a change event with a replay ID, retained for
 * 72 hours of sandbox time, delivered on `/data/<Object>ChangeEvent` and `/data/ChangeEvents`.
 */

export const RETENTION_MS = 72 * 3_600_000;
export const ALL_CHANGES_CHANNEL = '/data/ChangeEvents';

export type GapType = 'GAP_CREATE' | 'GAP_UPDATE' | 'GAP_DELETE' | 'GAP_UNDELETE' | 'GAP_OVERFLOW';

export interface ChangeEventHeader {
    entityName: string;
    recordIds: string[];
    changeType: ChangeType | GapType;
    changeOrigin: string;
    transactionKey: string;
    sequenceNumber: number;
    commitTimestamp: number;
    commitNumber: number;
    commitUser: string;
    changedFields: string[];
    diffFields: string[];
    nulledFields: string[];
}

export interface ChangeEvent {
    replayId: number;
    entityName: string;
    createdAt: number;
    payload: { ChangeEventHeader: ChangeEventHeader } & Record<string, unknown>;
}

/** Fields change events never carry. */
const OMITTED = new Set(['Id', 'IsDeleted', 'SystemModstamp']);
/** Compound name fields are reported as `Name: {Salutation, FirstName, LastName}`. */
const NAME_PARTS = ['Salutation', 'FirstName', 'LastName'];
const PERSON_OBJECTS = new Set(['Lead', 'Contact']);
/** A stable id for each object's event schema (real orgs hash the Avro schema). */
const SCHEMA_ID = 'IeRuaY6cbI_HsV8Rv1Mc5g';

/** Where events are kept beyond the process (the sandbox's SQLite file), when there is one. */
export interface EventPersistence {
    saveEvent(replayId: number, createdAt: number, event: ChangeEvent): void;
    loadEvents(): unknown[];
    pruneEvents(olderThan: number): void;
}

export function channelFor(entityName: string): string {
    return `/data/${entityName}ChangeEvent`;
}

export class ChangeEventBus {
    private events: ChangeEvent[] = [];
    private nextReplayId = 1;
    private commitNumber = 10_650_575_000;
    private readonly sequenceByTransaction = new Map<string, number>();
    private readonly listeners = new Set<(event: ChangeEvent) => void>();

    constructor(
        private readonly catalog: SchemaCatalog,
        private readonly clock: SandboxClock,
        private readonly persistence?: EventPersistence
    ) {
        const stored = (persistence?.loadEvents() ?? []) as ChangeEvent[];
        if (stored.length > 0) {
            this.events = stored;
            this.nextReplayId = stored[stored.length - 1].replayId + 1;
            this.commitNumber += this.nextReplayId;
        }
    }

    subscribe(listener: (event: ChangeEvent) => void): () => void {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
    }

    /** Known channel names (for subscription validation). */
    isChannel(channel: string): boolean {
        if (channel === ALL_CHANGES_CHANNEL) return true;
        const match = /^\/data\/(\w+)ChangeEvent$/.exec(channel);
        return match !== null && this.catalog.find(match[1]) !== undefined && this.catalog.find(match[1])!.createable;
    }

    matches(channel: string, event: ChangeEvent): boolean {
        return channel === ALL_CHANGES_CHANNEL || channel === channelFor(event.entityName);
    }

    /** Events after `replayId` still retained (-1: none, -2: all retained). Undefined if the id is too old. */
    replayFrom(channel: string, replayId: number): ChangeEvent[] | undefined {
        this.prune();
        if (replayId === -1) return [];
        const retained = this.events.filter((e) => this.matches(channel, e));
        if (replayId === -2) return retained;
        const oldest = this.events[0]?.replayId ?? this.nextReplayId;
        if (replayId < oldest - 1 || replayId >= this.nextReplayId) return undefined;
        return retained.filter((e) => e.replayId > replayId);
    }

    get latestReplayId(): number {
        return this.nextReplayId - 1;
    }

    recordChange(change: RecordChange): void {
        const def = this.catalog.find(change.object);
        if (!def || !def.createable) return;
        const sequenceNumber = (this.sequenceByTransaction.get(change.transactionKey) ?? 0) + 1;
        this.sequenceByTransaction.set(change.transactionKey, sequenceNumber);
        if (this.sequenceByTransaction.size > 10_000) this.sequenceByTransaction.clear();
        const fieldNames =
            change.changeType === 'UPDATE'
                ? change.changedFields
                : change.changeType === 'DELETE'
                  ? []
                  : def.fields.map((f) => f.name).filter((name) => change.record[name] !== undefined);
        const { body, changedFields, nulledFields } = this.payloadFields(def.name, fieldNames, change.record);
        this.publish({
            entityName: def.name,
            header: {
                entityName: def.name,
                recordIds: [change.recordId],
                changeType: change.changeType,
                changeOrigin: change.changeOrigin,
                transactionKey: change.transactionKey,
                sequenceNumber,
                commitTimestamp: change.commitTimestamp,
                commitNumber: this.commitNumber++,
                commitUser: change.commitUser,
                changedFields: change.changeType === 'UPDATE' ? changedFields : [],
                diffFields: [],
                nulledFields: change.changeType === 'UPDATE' ? nulledFields : []
            },
            body
        });
    }

    /** A gap event: the records changed but the event could not carry the details. */
    publishGap(entityName: string, recordIds: string[], changeType: GapType, commitUser: string): ChangeEvent {
        return this.publish({
            entityName,
            header: {
                entityName,
                recordIds,
                changeType,
                changeOrigin: '',
                transactionKey: `gap-${this.nextReplayId}`,
                sequenceNumber: 1,
                commitTimestamp: this.clock.now(),
                commitNumber: this.commitNumber++,
                commitUser,
                changedFields: [],
                diffFields: [],
                nulledFields: []
            },
            body: {}
        });
    }

    all(): ChangeEvent[] {
        this.prune();
        return [...this.events];
    }

    clear(): void {
        this.events = [];
    }

    private payloadFields(objectName: string, fieldNames: string[], record: SObjectRecord) {
        const def = this.catalog.find(objectName)!;
        const body: Record<string, unknown> = {};
        const changedFields: string[] = [];
        const nulledFields: string[] = [];
        const compound = PERSON_OBJECTS.has(objectName);
        for (const name of fieldNames) {
            if (OMITTED.has(name) || (compound && name === 'Name')) continue;
            const field = def.fieldsByLowerName.get(name.toLowerCase());
            const raw = record[name];
            const value =
                raw === undefined ? null : field?.type === 'datetime' ? new Date(raw as number).toISOString() : raw;
            if (compound && NAME_PARTS.includes(name)) {
                const nameValue = (body.Name as Record<string, unknown> | undefined) ?? {};
                nameValue[name] = value;
                body.Name = nameValue;
                changedFields.push(`Name.${name}`);
                if (value === null) nulledFields.push(`Name.${name}`);
                continue;
            }
            body[name] = value;
            changedFields.push(name);
            if (value === null) nulledFields.push(name);
        }
        return { body, changedFields, nulledFields };
    }

    private publish(event: {
        entityName: string;
        header: ChangeEventHeader;
        body: Record<string, unknown>;
    }): ChangeEvent {
        const changeEvent: ChangeEvent = {
            replayId: this.nextReplayId++,
            entityName: event.entityName,
            createdAt: this.clock.now(),
            payload: { ChangeEventHeader: event.header, ...event.body }
        };
        this.events.push(changeEvent);
        this.persistence?.saveEvent(changeEvent.replayId, changeEvent.createdAt, changeEvent);
        this.prune();
        for (const listener of this.listeners) listener(changeEvent);
        return changeEvent;
    }

    private prune(): void {
        const horizon = this.clock.now() - RETENTION_MS;
        let drop = 0;
        while (drop < this.events.length && this.events[drop].createdAt < horizon) drop++;
        if (drop > 0) {
            this.events = this.events.slice(drop);
            this.persistence?.pruneEvents(horizon);
        }
    }
}

export function toCometdData(event: ChangeEvent) {
    return { schema: SCHEMA_ID, payload: event.payload, event: { replayId: event.replayId } };
}
