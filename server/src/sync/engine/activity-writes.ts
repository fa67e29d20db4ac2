/**
 * Every write of one activity step, queued into full batches (HubSpot 100, Salesforce 200) whatever
 * page the change came from. What the state store keeps follows the outcome: a link as soon as an
 * engagement or Task exists (before its ID is written back, so a failed write-back never creates a
 * second copy), and a pair's snapshots, audit entries and conflicts only for the sides whose write
 * landed — a failed write is planned again on the next read of the pair.
 */
import type { AuditInput, ConflictInput, SnapshotEntry } from '../../state/store';
import type { HubSpotCreateInput, WriteResult } from '../adapters/ports';
import { hubspotBatchSize, salesforceBatchSize } from '../adapters/ports';
import type { EngagementType } from '../mapping/schema';
import type { FieldSnapshot, RecordPlan } from '../plan/plan-record';
import type { ResolvedActivity } from '../schema/validate-relations';
import type { SalesforceValue } from '../values/conversion';
import { BatchQueue } from './activity-batches';
import { associationSnapshotKey, engagementAssociationTypes, type AssociationMove } from './activity-fields';
import { count, recordErrors, type RunContext } from './context';

/** One linked Task ⇄ engagement pair. */
export interface ActivityPair {
    salesforceId: string;
    engagementType: EngagementType;
    engagementId: string;
}

type Settle = (ok: boolean) => void;

interface HubSpotUpdate {
    id: string;
    properties: Record<string, string>;
    settle: Settle[];
}

interface SalesforceUpdate {
    Id: string;
    fields: Record<string, SalesforceValue>;
    settle: Settle[];
}

interface EngagementCreate {
    salesforceId: string;
    input: HubSpotCreateInput;
    snapshots: Record<string, FieldSnapshot>;
}

interface TaskCreate {
    engagementType: EngagementType;
    engagementId: string;
    fields: Record<string, SalesforceValue>;
    snapshots: Record<string, FieldSnapshot>;
}

interface AssociationChange {
    fromId: string;
    toId: string;
    settle: Settle;
}

export class ActivityWrites {
    /** False once a write failed: the step's cursor then stays, so the failed records are read again. */
    complete = true;
    private readonly engagementCreates = new Map<EngagementType, BatchQueue<EngagementCreate>>();
    private readonly engagementUpdates = new Map<EngagementType, BatchQueue<HubSpotUpdate>>();
    private readonly associationCreates = new Map<string, BatchQueue<AssociationChange>>();
    private readonly associationRemovals = new Map<string, BatchQueue<AssociationChange>>();
    private readonly taskCreates: BatchQueue<TaskCreate>;
    private readonly taskUpdates: BatchQueue<SalesforceUpdate>;

    constructor(
        private readonly context: RunContext,
        private readonly resolved: ResolvedActivity
    ) {
        this.taskCreates = new BatchQueue(salesforceBatchSize, (batch) => this.sendTaskCreates(batch));
        this.taskUpdates = new BatchQueue(salesforceBatchSize, (batch) => this.sendTaskUpdates(batch), {
            key: (entry) => entry.Id,
            merge: (waiting, entry) => ({
                Id: waiting.Id,
                fields: { ...waiting.fields, ...entry.fields },
                settle: [...waiting.settle, ...entry.settle]
            })
        });
    }

    private get activity() {
        return this.resolved.activity;
    }

    private get object() {
        return this.resolved.activity.salesforceObject;
    }

    /** A new engagement for a Task; linked when created, its ID then written back to the Task. */
    async createEngagement(engagementType: EngagementType, entry: EngagementCreate): Promise<void> {
        await this.queue(this.engagementCreates, engagementType, hubspotBatchSize, (batch) =>
            this.sendEngagementCreates(engagementType, batch)
        ).push(entry);
    }

    /** A new Task for an engagement; it carries the engagement ID, so it never travels back. */
    async createTask(entry: TaskCreate): Promise<void> {
        await this.taskCreates.push(entry);
    }

    /** An engagement linked earlier whose ID has not reached its Task yet. */
    async writeBack(salesforceId: string, engagementId: string): Promise<void> {
        await this.taskUpdates.push({
            Id: salesforceId,
            fields: { [this.activity.engagementIdField]: engagementId },
            settle: []
        });
    }

    /**
     * A linked pair's plan and association moves. What it wrote is kept once every write of the pair
     * has an outcome; a pair with nothing to write keeps its agreed snapshots at once.
     */
    async applyPlan(pair: ActivityPair, plan: RecordPlan, moves: AssociationMove[]): Promise<void> {
        const { context } = this;
        for (const problem of plan.errors) this.error(pair, problem.category, problem.message, problem.field);
        const writesHubSpot = Object.keys(plan.toHubSpot).length > 0;
        const writesSalesforce = Object.keys(plan.toSalesforce).length > 0;
        const changes = moves.flatMap((move) => [
            ...(move.remove ? [{ kind: 'remove' as const, target: move.remove }] : []),
            ...(move.add ? [{ kind: 'add' as const, target: move.add }] : [])
        ]);
        if (context.dryRun) {
            for (const entry of plan.audit) this.countField(entry.field, entry.property, entry.direction);
            count(context, this.activity.id, 'conflicts', plan.conflicts.length);
        }
        let pending = (writesHubSpot ? 1 : 0) + (writesSalesforce ? 1 : 0) + changes.length;
        const landed = { hubspot: true, salesforce: true, associations: true };
        const keep = () => this.keep(pair, plan, moves, landed);
        const settle =
            (side: keyof typeof landed): Settle =>
            (ok) => {
                if (!ok) landed[side] = false;
                pending -= 1;
                if (pending === 0) keep();
            };
        if (pending === 0) {
            if (!context.dryRun) keep();
            return;
        }
        if (writesHubSpot) {
            await this.queue(
                this.engagementUpdates,
                pair.engagementType,
                hubspotBatchSize,
                (batch) => this.sendEngagementUpdates(pair.engagementType, batch),
                {
                    key: (entry) => entry.id,
                    merge: (waiting, entry) => ({
                        id: waiting.id,
                        properties: { ...waiting.properties, ...entry.properties },
                        settle: [...waiting.settle, ...entry.settle]
                    })
                }
            ).push({ id: pair.engagementId, properties: plan.toHubSpot, settle: [settle('hubspot')] });
        }
        if (writesSalesforce) {
            await this.taskUpdates.push({
                Id: pair.salesforceId,
                fields: plan.toSalesforce,
                settle: [settle('salesforce')]
            });
        }
        for (const change of changes) {
            const { hubspotObjectType: toType, hubspotId: toId } = change.target;
            const entry = { fromId: pair.engagementId, toId, settle: settle('associations') };
            if (change.kind === 'remove') {
                await this.queue(
                    this.associationRemovals,
                    `${pair.engagementType}|${toType}`,
                    hubspotBatchSize,
                    (batch) => this.sendAssociationRemovals(pair.engagementType, toType, batch)
                ).push(entry);
            } else {
                const typeId = engagementAssociationTypes[pair.engagementType][toType];
                if (typeId === undefined) {
                    entry.settle(true);
                    continue;
                }
                await this.queue(
                    this.associationCreates,
                    `${pair.engagementType}|${toType}|${typeId}`,
                    hubspotBatchSize,
                    (batch) => this.sendAssociationCreates(pair, toType, typeId, batch)
                ).push(entry);
            }
        }
    }

    /** Sends everything still waiting; creates first, since they queue the write-backs of their IDs. */
    async finish(): Promise<void> {
        for (const queue of this.engagementCreates.values()) await queue.flush();
        await this.taskCreates.flush();
        for (const queue of this.engagementUpdates.values()) await queue.flush();
        for (const queue of this.associationRemovals.values()) await queue.flush();
        for (const queue of this.associationCreates.values()) await queue.flush();
        await this.taskUpdates.flush();
    }

    private queue<T>(
        queues: Map<string, BatchQueue<T>>,
        key: string,
        size: number,
        send: (batch: T[]) => Promise<void>,
        merging?: ConstructorParameters<typeof BatchQueue<T>>[2]
    ): BatchQueue<T> {
        let queue = queues.get(key);
        if (!queue) {
            queue = new BatchQueue(size, send, merging);
            queues.set(key, queue);
        }
        return queue;
    }

    /** Dry run: one planned call per batch that would have been sent. */
    private plan(side: 'hubspot' | 'salesforce', counter: string, entries: number): void {
        this.context.report.plannedWriteCalls[side] += 1;
        count(this.context, this.activity.id, counter, entries);
    }

    private async sendEngagementCreates(engagementType: EngagementType, batch: EngagementCreate[]): Promise<void> {
        const { context } = this;
        if (context.dryRun) {
            this.plan('hubspot', `would_create_${engagementType}`, batch.length);
            // The write-backs the creates would need, so the planned Salesforce calls add up.
            for (const entry of batch) await this.writeBack(entry.salesforceId, '(new engagement)');
            return;
        }
        const results = await context.hubspot.create(
            engagementType,
            batch.map((entry) => entry.input)
        );
        const created: { entry: EngagementCreate; id: string }[] = [];
        batch.forEach((entry, index) => {
            const result = results[index];
            if (result.ok) created.push({ entry, id: result.id });
            else this.failed({ salesforceId: entry.salesforceId }, result);
        });
        context.store.transaction(() => {
            context.store.upsertLinks(
                created.map(({ entry, id }) => ({
                    mappingId: this.activity.id,
                    salesforceObject: this.object,
                    salesforceId: entry.salesforceId,
                    hubspotObjectType: engagementType,
                    hubspotId: id
                }))
            );
            context.store.saveSnapshots(
                created.map(({ entry }) => ({
                    salesforceObject: this.object,
                    salesforceId: entry.salesforceId,
                    snapshots: entry.snapshots
                }))
            );
        });
        count(context, this.activity.id, `created_${engagementType}`, created.length);
        for (const { entry, id } of created) await this.writeBack(entry.salesforceId, id);
    }

    private async sendTaskCreates(batch: TaskCreate[]): Promise<void> {
        const { context } = this;
        if (context.dryRun) return this.plan('salesforce', `would_create_${this.object}`, batch.length);
        const results = await context.salesforce.create(
            this.object,
            batch.map((entry) => entry.fields)
        );
        const created: { entry: TaskCreate; id: string }[] = [];
        batch.forEach((entry, index) => {
            const result = results[index];
            if (result.ok) created.push({ entry, id: result.id });
            else this.failed({ hubspotObjectType: entry.engagementType, hubspotId: entry.engagementId }, result);
        });
        context.store.transaction(() => {
            context.store.upsertLinks(
                created.map(({ entry, id }) => ({
                    mappingId: this.activity.id,
                    salesforceObject: this.object,
                    salesforceId: id,
                    hubspotObjectType: entry.engagementType,
                    hubspotId: entry.engagementId
                }))
            );
            context.store.saveSnapshots(
                created.map(({ entry, id }) => ({
                    salesforceObject: this.object,
                    salesforceId: id,
                    snapshots: entry.snapshots
                }))
            );
        });
        count(context, this.activity.id, `created_${this.object}`, created.length);
    }

    private async sendEngagementUpdates(engagementType: EngagementType, batch: HubSpotUpdate[]): Promise<void> {
        const { context } = this;
        if (context.dryRun) return this.plan('hubspot', `would_update_${engagementType}`, batch.length);
        const results = await context.hubspot.update(
            engagementType,
            batch.map(({ id, properties }) => ({ id, properties }))
        );
        let updated = 0;
        batch.forEach((entry, index) => {
            const result = results[index];
            if (result.ok) updated += 1;
            else this.failed({ hubspotObjectType: engagementType, hubspotId: entry.id }, result);
            for (const settle of entry.settle) settle(result.ok);
        });
        count(context, this.activity.id, `updated_${engagementType}`, updated);
    }

    private async sendTaskUpdates(batch: SalesforceUpdate[]): Promise<void> {
        const { context } = this;
        const withFields = batch.filter((entry) => entry.settle.length > 0).length;
        if (context.dryRun) return this.plan('salesforce', `would_update_${this.object}`, withFields);
        const results = await context.salesforce.update(
            this.object,
            batch.map((entry) => ({ ...entry.fields, Id: entry.Id }))
        );
        let updated = 0;
        batch.forEach((entry, index) => {
            const result = results[index];
            if (result.ok && entry.settle.length > 0) updated += 1;
            if (!result.ok) this.failed({ salesforceId: entry.Id }, result);
            for (const settle of entry.settle) settle(result.ok);
        });
        count(context, this.activity.id, `updated_${this.object}`, updated);
    }

    private async sendAssociationCreates(
        pair: ActivityPair,
        toType: string,
        typeId: number,
        batch: AssociationChange[]
    ): Promise<void> {
        const { context } = this;
        if (context.dryRun) return this.plan('hubspot', 'would_associate', batch.length);
        const results = await context.hubspot.createAssociations(pair.engagementType, toType, batch, typeId);
        batch.forEach((entry, index) => {
            const result = results[index];
            if (!result.ok) {
                this.failed(
                    { hubspotObjectType: pair.engagementType, hubspotId: entry.fromId },
                    {
                        ...result,
                        category: result.category === 'field_value' ? 'association' : result.category,
                        message: `association ${pair.engagementType} ${entry.fromId} → ${toType} ${entry.toId}: ${result.message}`
                    }
                );
            }
            entry.settle(result.ok);
        });
        count(context, this.activity.id, 'associations_created', results.filter((result) => result.ok).length);
    }

    private async sendAssociationRemovals(
        engagementType: EngagementType,
        toType: string,
        batch: AssociationChange[]
    ): Promise<void> {
        const { context } = this;
        if (context.dryRun) return this.plan('hubspot', 'would_unassociate', batch.length);
        // HubSpot answers a batch archive as a whole; a failure throws and fails the run before any state moves.
        await context.hubspot.archiveAssociations(engagementType, toType, batch);
        for (const entry of batch) entry.settle(true);
        count(context, this.activity.id, 'associations_removed', batch.length);
    }

    private keep(
        pair: ActivityPair,
        plan: RecordPlan,
        moves: AssociationMove[],
        landed: { hubspot: boolean; salesforce: boolean; associations: boolean }
    ): void {
        const { context } = this;
        const failedFields = new Set(
            plan.audit
                .filter((entry) => (entry.direction === 'to_hubspot' ? !landed.hubspot : !landed.salesforce))
                .map((entry) => entry.field)
        );
        const snapshots: Record<string, FieldSnapshot> = {};
        for (const [field, snapshot] of Object.entries(plan.snapshots))
            if (!failedFields.has(field)) snapshots[field] = snapshot;
        if (landed.associations)
            for (const move of moves) snapshots[associationSnapshotKey(move.field)] = move.snapshot;
        const ref = { mappingId: this.activity.id, salesforceObject: this.object, salesforceId: pair.salesforceId };
        const audit: AuditInput[] = plan.audit
            .filter((entry) => !failedFields.has(entry.field))
            .map((entry) => ({ ...entry, ...ref, runId: context.runId, hubspotId: pair.engagementId }));
        const conflicts: ConflictInput[] = plan.conflicts.map((conflict) => ({
            ...conflict,
            ...ref,
            runId: context.runId,
            hubspotId: pair.engagementId
        }));
        const entry: SnapshotEntry = { salesforceObject: this.object, salesforceId: pair.salesforceId, snapshots };
        context.store.transaction(() => {
            context.store.saveSnapshots([entry]);
            context.store.appendAudit(audit);
            context.store.recordConflicts(conflicts);
        });
        for (const item of audit) this.countField(item.field, item.property, item.direction);
        count(context, this.activity.id, 'conflicts', conflicts.length);
    }

    private countField(field: string, property: string, direction: string): void {
        const key = `${this.activity.id} ${field} ↔ ${property} ${direction}`;
        this.context.report.fieldChanges[key] = (this.context.report.fieldChanges[key] ?? 0) + 1;
    }

    private error(pair: ActivityPair, category: WriteFailure['category'], message: string, field?: string): void {
        recordErrors(this.context, [
            {
                runId: this.context.runId,
                mappingId: this.activity.id,
                salesforceObject: this.object,
                salesforceId: pair.salesforceId,
                hubspotObjectType: pair.engagementType,
                hubspotId: pair.engagementId,
                ...(field === undefined ? {} : { field }),
                category,
                message
            }
        ]);
    }

    private failed(
        ref: { salesforceId?: string; hubspotObjectType?: string; hubspotId?: string },
        result: WriteFailure
    ): void {
        this.complete = false;
        recordErrors(this.context, [
            {
                runId: this.context.runId,
                mappingId: this.activity.id,
                ...(ref.salesforceId === undefined ? {} : { salesforceObject: this.object }),
                ...ref,
                category: result.category,
                message: result.message
            }
        ]);
    }
}

type WriteFailure = Extract<WriteResult, { ok: false }>;
