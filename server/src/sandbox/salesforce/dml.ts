import { randomUUID } from 'node:crypto';
import { deriveFields } from './behaviors';
import { notFound, SalesforceError } from './errors';
import type { SchemaCatalog } from './schema/catalog';
import type { ObjectDef } from './schema/types';
import type { RecordStore, SObjectRecord } from './store';
import { checkRequired, checkUnique, coerceRecordInput } from './validation';
import { recordUrl } from './wire-format';
import { prepareQuery, type PreparedQuery } from './soql/execute';

/** Who writes and through which channel; drives audit fields and the CDC `changeOrigin`. */
export interface WriteContext {
    userId: string;
    /** e.g. `com/salesforce/api/rest/68.0;client=sync-app`; empty for edits made in the UI. */
    changeOrigin: string;
    /** Groups the changes of one request (the CDC `transactionKey`). */
    transactionKey: string;
    /** `Sforce-Duplicate-Rule-Header: allowSave=true`. */
    allowDuplicateSave?: boolean;
}

export type ChangeType = 'CREATE' | 'UPDATE' | 'DELETE' | 'UNDELETE';

export interface RecordChange {
    object: string;
    changeType: ChangeType;
    recordId: string;
    changedFields: string[];
    /** Record after the change (before it, for deletes). */
    record: SObjectRecord;
    commitTimestamp: number;
    commitUser: string;
    changeOrigin: string;
    transactionKey: string;
}

export interface ValidationRule {
    object: string;
    name: string;
    /** A SOQL WHERE condition; the save fails when the record matches it. */
    errorCondition: string;
    errorMessage: string;
    errorDisplayField?: string;
}

export interface DmlOptions {
    validationRules: ValidationRule[];
    /** Block a Lead or Contact whose e-mail already exists on another Lead or Contact. */
    emailDuplicateRule: boolean;
}

/** Children deleted with their parent: parent object -> [child object, reference field]. */
const CASCADES: Record<string, [string, string][]> = {
    Account: [
        ['Contact', 'AccountId'],
        ['Opportunity', 'AccountId'],
        ['Task', 'WhatId'],
        ['Event', 'WhatId']
    ],
    Contact: [
        ['OpportunityContactRole', 'ContactId'],
        ['Task', 'WhoId'],
        ['Event', 'WhoId']
    ],
    Lead: [
        ['Task', 'WhoId'],
        ['Event', 'WhoId']
    ],
    Opportunity: [
        ['OpportunityContactRole', 'OpportunityId'],
        ['Task', 'WhatId'],
        ['Event', 'WhatId']
    ]
};

/** Fields maintained by the platform that never count as "changed" by the caller. */
const AUDIT_FIELDS = new Set(['CreatedDate', 'CreatedById', 'SystemModstamp', 'IsDeleted']);

/**
 * Record audit stamps (CreatedDate, LastModifiedDate, SystemModstamp) come back from Salesforce with
 * whole seconds (`…:32.000+0000`); change events keep the commit's milliseconds.
 */
function wholeSecond(epochMs: number): number {
    return epochMs - (epochMs % 1000);
}

export function newTransactionKey(): string {
    return randomUUID();
}

/** Creates, updates, deletes and upserts records with the platform's validation and side effects. */
export class DmlEngine {
    private readonly changeListeners: ((change: RecordChange) => void)[] = [];
    private readonly compiledRules = new Map<ValidationRule, PreparedQuery>();

    constructor(
        private readonly catalog: SchemaCatalog,
        private readonly store: RecordStore,
        private readonly now: () => number,
        readonly options: DmlOptions
    ) {}

    onChange(listener: (change: RecordChange) => void): void {
        this.changeListeners.push(listener);
    }

    objectDef(name: string): ObjectDef {
        const def = this.catalog.find(name);
        if (!def) throw new SalesforceError(404, 'NOT_FOUND', `The requested resource does not exist`);
        return def;
    }

    create(objectName: string, input: Record<string, unknown>, ctx: WriteContext): SObjectRecord {
        const def = this.objectDef(objectName);
        if (!def.createable) {
            throw new SalesforceError(400, 'INVALID_TYPE_FOR_OPERATION', `entity type cannot be inserted: ${def.name}`);
        }
        const values = coerceRecordInput(def, input, 'create', this.store);
        const now = this.now();
        const record = this.buildRecord(def, values, ctx.userId, now);
        this.checkRecord(def, record, ctx);
        this.store.put(def.name, record);
        this.emit(def, 'CREATE', record, [], ctx, now);
        return record;
    }

    /**
     * A new record from stored-form values with the platform's defaults and derived fields, not yet
     * validated or saved (seeding uses it directly).
     */
    buildRecord(def: ObjectDef, values: Record<string, unknown>, userId: string, now: number): SObjectRecord {
        const stamp = wholeSecond(now);
        const system: Record<string, unknown> = {
            IsDeleted: false,
            CreatedDate: stamp,
            CreatedById: userId,
            LastModifiedDate: stamp,
            LastModifiedById: userId,
            SystemModstamp: stamp,
            OwnerId: userId
        };
        // Keys are added in field order and never deleted, so records keep V8's compact "fast" layout.
        const record = this.store.newRecord(def.name);
        record.Id = this.store.ids.next(def.keyPrefix);
        for (const field of def.fields) {
            if (field.name === 'Id') continue;
            let value = field.name in values ? values[field.name] : system[field.name];
            if (value === undefined && !(field.name in values)) {
                value = field.picklistValues.find((v) => v.defaultValue && v.active)?.value;
                if (value === undefined && field.type === 'boolean') value = false;
            }
            if (field.name in system && system[field.name] !== undefined && field.name !== 'OwnerId') {
                value = system[field.name];
            }
            if (value !== null && value !== undefined) record[field.name] = value;
        }
        deriveFields(def, record, new Set(Object.keys(values)), true);
        return record;
    }

    update(objectName: string, id: string, input: Record<string, unknown>, ctx: WriteContext): SObjectRecord {
        const def = this.objectDef(objectName);
        const previous = this.liveRecord(def, id);
        if (def.name === 'Lead' && previous.IsConverted === true) {
            throw new SalesforceError(400, 'CANNOT_UPDATE_CONVERTED_LEAD', 'cannot reference converted lead');
        }
        const values = coerceRecordInput(def, input, 'update', this.store);
        return this.applyUpdate(def, previous, values, ctx);
    }

    /** Writes already-coerced values (used by update, convertLead and merge). */
    applyUpdate(
        def: ObjectDef,
        previous: SObjectRecord,
        values: Record<string, unknown>,
        ctx: WriteContext
    ): SObjectRecord {
        const now = this.now();
        const next = this.store.withValues(def.name, previous, values);
        deriveFields(def, next, new Set(Object.keys(values)), false);
        const stamp = wholeSecond(now);
        Object.assign(next, { LastModifiedDate: stamp, LastModifiedById: ctx.userId, SystemModstamp: stamp });
        this.checkRecord(def, next, ctx);
        const changed = def.fields
            .map((f) => f.name)
            .filter(
                (name) => !AUDIT_FIELDS.has(name) && (name === 'LastModifiedDate' || next[name] !== previous[name])
            );
        this.store.put(def.name, next);
        this.emit(def, 'UPDATE', next, changed, ctx, now);
        return next;
    }

    /** Moves a record to the recycle bin (queryAll still sees it). */
    delete(id: string, ctx: WriteContext, masterRecordId?: string): SObjectRecord {
        const objectName = this.store.objectOfId(id);
        if (!objectName) throw notFound();
        const def = this.objectDef(objectName);
        if (!def.deletable) {
            throw new SalesforceError(400, 'INVALID_TYPE_FOR_OPERATION', `entity type cannot be deleted: ${def.name}`);
        }
        const previous = this.liveRecord(def, id);
        return this.store.transaction(() => this.moveToRecycleBin(def, previous, ctx, masterRecordId, undefined));
    }

    private moveToRecycleBin(
        def: ObjectDef,
        previous: SObjectRecord,
        ctx: WriteContext,
        masterRecordId: string | undefined,
        cascadeOf: string | undefined
    ): SObjectRecord {
        const now = this.now();
        const deleted = this.store.withValues(def.name, previous, {
            IsDeleted: true,
            SystemModstamp: wholeSecond(now),
            LastModifiedDate: wholeSecond(now),
            LastModifiedById: ctx.userId,
            $deletedAt: now,
            $cascadeOf: cascadeOf,
            ...(masterRecordId ? { MasterRecordId: masterRecordId } : {})
        });
        this.store.put(def.name, deleted);
        this.emit(def, 'DELETE', deleted, [], ctx, now);
        // Like the platform, deleting a parent deletes the records that cannot live without it.
        for (const [childObject, field] of CASCADES[def.name] ?? []) {
            const childDef = this.objectDef(childObject);
            for (const child of [...this.store.table(childObject).values()]) {
                if (child[field] !== previous.Id || child.IsDeleted === true) continue;
                this.moveToRecycleBin(childDef, child, ctx, undefined, previous.Id);
            }
        }
        return deleted;
    }

    /** Restores a record from the recycle bin, with the children its deletion took along. */
    undelete(id: string, ctx: WriteContext): SObjectRecord {
        const record = this.store.get(id);
        if (!record) throw notFound();
        if (record.IsDeleted !== true) {
            throw new SalesforceError(400, 'UNDELETE_FAILED', 'Entity is not in the recycle bin');
        }
        return this.store.transaction(() => this.restore(this.objectDef(this.store.objectOfId(id)!), record, ctx));
    }

    private restore(def: ObjectDef, record: SObjectRecord, ctx: WriteContext): SObjectRecord {
        const now = this.now();
        const restored = this.store.withValues(def.name, record, {
            IsDeleted: false,
            SystemModstamp: wholeSecond(now),
            LastModifiedDate: wholeSecond(now),
            $deletedAt: null,
            $cascadeOf: null,
            MasterRecordId: null
        });
        this.checkRecord(def, restored, ctx);
        this.store.put(def.name, restored);
        this.emit(def, 'UNDELETE', restored, [], ctx, now);
        for (const [childObject] of CASCADES[def.name] ?? []) {
            const childDef = this.objectDef(childObject);
            for (const child of [...this.store.table(childObject).values()]) {
                if (child.$cascadeOf === record.Id && child.IsDeleted === true) this.restore(childDef, child, ctx);
            }
        }
        return restored;
    }

    /**
     * Upsert by external ID: 0 matches creates, 1 updates, several answer 300 with the matching URLs.
     * `Id` as the key field updates by record ID.
     */
    upsert(
        objectName: string,
        keyField: string,
        keyValue: string,
        input: Record<string, unknown>,
        ctx: WriteContext,
        apiVersion: string
    ): { record: SObjectRecord; created: boolean } {
        const def = this.objectDef(objectName);
        const field = def.fieldsByLowerName.get(keyField.toLowerCase());
        if (!field || (!field.externalId && field.name !== 'Id')) {
            throw new SalesforceError(
                404,
                'NOT_FOUND',
                `Provided external ID field does not exist or is not accessible: ${keyField}`
            );
        }
        const body = { ...input };
        for (const key of Object.keys(body)) if (key.toLowerCase() === field.name.toLowerCase()) delete body[key];
        const matches =
            field.name === 'Id'
                ? [keyValue].filter((id) => this.store.get(id)?.IsDeleted === false)
                : this.store
                      .lookup(def.name, field.name, keyValue)
                      .filter((id) => this.store.get(id)?.IsDeleted !== true);
        if (matches.length > 1) {
            throw new SalesforceError(
                300,
                'MULTIPLE_CHOICES',
                `More than one record found for external id field ${field.name} with value ${keyValue}.`,
                [],
                { urls: matches.map((id) => recordUrl(apiVersion, def.name, id)) }
            );
        }
        if (matches.length === 1) return { record: this.update(def.name, matches[0], body, ctx), created: false };
        if (field.name === 'Id') throw notFound();
        return { record: this.create(def.name, { ...body, [field.name]: keyValue }, ctx), created: true };
    }

    liveRecord(def: ObjectDef, id: string): SObjectRecord {
        const record = this.store.table(def.name).get(id);
        if (!record) throw new SalesforceError(404, 'NOT_FOUND', 'The requested resource does not exist');
        if (record.IsDeleted === true) throw new SalesforceError(400, 'ENTITY_IS_DELETED', 'entity is deleted');
        return record;
    }

    private checkRecord(def: ObjectDef, record: SObjectRecord, ctx: WriteContext): void {
        checkRequired(def, record);
        checkUnique(def, record, this.store);
        for (const rule of this.options.validationRules) {
            if (rule.object.toLowerCase() !== def.name.toLowerCase()) continue;
            if (this.compileRule(rule).matches(record)) {
                throw new SalesforceError(
                    400,
                    'FIELD_CUSTOM_VALIDATION_EXCEPTION',
                    rule.errorMessage,
                    rule.errorDisplayField ? [rule.errorDisplayField] : []
                );
            }
        }
        if (this.options.emailDuplicateRule && !ctx.allowDuplicateSave) this.checkEmailDuplicates(def, record);
    }

    private compileRule(rule: ValidationRule): PreparedQuery {
        let prepared = this.compiledRules.get(rule);
        if (!prepared) {
            prepared = prepareQuery(`SELECT Id FROM ${rule.object} WHERE ${rule.errorCondition}`, {
                catalog: this.catalog,
                store: this.store,
                now: this.now
            });
            this.compiledRules.set(rule, prepared);
        }
        return prepared;
    }

    private checkEmailDuplicates(def: ObjectDef, record: SObjectRecord): void {
        if ((def.name !== 'Lead' && def.name !== 'Contact') || typeof record.Email !== 'string') return;
        const matchResults = ['Lead', 'Contact']
            .map((object) => ({
                object,
                ids: this.store
                    .lookup(object, 'Email', record.Email as string)
                    .filter((id) => id !== record.Id)
                    .filter((id) => {
                        const other = this.store.get(id);
                        return other !== undefined && other.IsDeleted !== true && other.IsConverted !== true;
                    })
            }))
            .filter((m) => m.ids.length > 0);
        if (matchResults.length === 0) return;
        const ruleName = `Standard_${def.name}_Duplicate_Rule`;
        throw new SalesforceError(400, 'DUPLICATES_DETECTED', 'Use one of these records?', [], {
            duplicateResult: {
                allowSave: false,
                duplicateRule: ruleName,
                duplicateRuleEntityType: def.name,
                errorMessage: null,
                matchResults: matchResults.map((m) => ({
                    entityType: m.object,
                    errors: [],
                    matchEngine: 'ExactMatchEngine',
                    matchRecords: m.ids.map((id) => ({
                        additionalInformation: [],
                        fieldDiffs: [],
                        matchConfidence: 100,
                        record: { attributes: { type: m.object }, Id: id }
                    })),
                    rule: `Standard_Rule_for_${def.name}s_with_Duplicate_${m.object}s`,
                    size: m.ids.length,
                    success: true
                }))
            }
        });
    }

    private emit(
        def: ObjectDef,
        changeType: ChangeType,
        record: SObjectRecord,
        changedFields: string[],
        ctx: WriteContext,
        now: number
    ): void {
        if (this.changeListeners.length === 0) return;
        const change: RecordChange = {
            object: def.name,
            changeType,
            recordId: record.Id,
            changedFields,
            record,
            commitTimestamp: now,
            commitUser: ctx.userId,
            changeOrigin: ctx.changeOrigin,
            transactionKey: ctx.transactionKey
        };
        this.store.onCommit(() => {
            for (const listener of this.changeListeners) listener(change);
        });
    }
}
