/**
 * Salesforce Tasks and Events become HubSpot engagements associated with the synced contact, company
 * and deal, read one query page (≤2,000 rows) at a time. A new activity is created and linked, then
 * its engagement ID is written back; a linked one is planned against its engagement with the record
 * planner (three-way, the field rules) and its association follows a Who/What change.
 */
import type { StateStore } from '../../state/store';
import { advanceCursor, settledCursor } from '../changes/cursor';
import { buildSalesforceChangesQuery } from '../changes/salesforce-query';
import type { EngagementType } from '../mapping/schema';
import { emptyPlan, planRecord, type FieldSnapshot } from '../plan/plan-record';
import type { HubSpotRecord, SalesforceRecord } from '../plan/plan-batch';
import { planEngagementFromActivity, routeActivity } from '../relations/activities';
import type { ResolvedField } from '../schema/validate-mapping';
import type { ResolvedActivity } from '../schema/validate-relations';
import { hubspotBatchSize } from '../adapters/ports';
import { BatchQueue } from './activity-batches';
import {
    activityFields,
    activityReadFields,
    associationSnapshotKey,
    engagementAssociationTypes,
    hubspotPropertiesOf,
    planAssociationMove,
    salesforceMatchesSnapshot,
    snapshotsOfNewPair,
    type AssociationMove,
    type AssociationTarget
} from './activity-fields';
import { ActivityWrites } from './activity-writes';
import { count, recordErrors, type RunContext } from './context';
import { toHubSpotRecord, toSalesforceRecord } from './record-io';

/** A linked activity that changed in Salesforce, waiting for its engagement to be read. */
interface LinkedChange {
    record: SalesforceRecord;
    engagementId: string;
    fields: ResolvedField[];
    snapshots: Record<string, FieldSnapshot> | undefined;
    moves: AssociationMove[];
}

/** Who/What → the HubSpot records they are linked to, across every synced object. */
function associationTargets(
    context: RunContext,
    resolved: ResolvedActivity,
    records: SalesforceRecord[]
): Map<string, AssociationTarget> {
    const { activity } = resolved;
    const related = [
        ...new Set(
            records.flatMap((record) =>
                [relatedId(record.values, activity.whoField), relatedId(record.values, activity.whatField)].filter(
                    (id) => id !== undefined
                )
            )
        )
    ];
    const targets = new Map<string, AssociationTarget>();
    if (related.length === 0) return targets;
    for (const object of new Set(context.mapping.records.map((record) => record.salesforceObject))) {
        for (const [id, link] of context.store.linksBySalesforceIds(object, related)) {
            if (link.tombstonedAt === null)
                targets.set(id, { hubspotObjectType: link.hubspotObjectType, hubspotId: link.hubspotId });
        }
    }
    return targets;
}

function relatedId(values: SalesforceRecord['values'], field: string): string | undefined {
    const value = values[field];
    return typeof value === 'string' && value !== '' ? value : undefined;
}

class ActivitiesToHubSpot {
    private readonly writes: ActivityWrites;
    private readonly engagementReads = new Map<EngagementType, BatchQueue<LinkedChange>>();

    constructor(
        private readonly context: RunContext,
        private readonly resolved: ResolvedActivity
    ) {
        this.writes = new ActivityWrites(context, resolved);
    }

    private get activity() {
        return this.resolved.activity;
    }

    private get store(): StateStore {
        return this.context.store;
    }

    async run(): Promise<void> {
        const { context, activity } = this;
        const { request } = context;
        const saved = this.store.getCursor(activity.id, 'salesforce');
        const since =
            request.mode === 'full' || !saved ? undefined : { modifiedAt: saved.modifiedAt, id: saved.recordId };
        // Copied activities are read too: their changes update the engagement (echoes are dropped by hash).
        let soql = buildSalesforceChangesQuery({
            object: activity.salesforceObject,
            fields: activityReadFields(this.resolved),
            ...(activity.scope ? { scope: activity.scope } : {}),
            ...(since ? { since } : {})
        });
        if (request.limit !== undefined) soql += ` LIMIT ${request.limit}`;

        const readAt = context.now();
        let cursor = since;
        for await (const page of context.salesforce.queryPages(soql)) {
            const records = page.map(toSalesforceRecord);
            count(context, activity.id, 'read_salesforce', records.length);
            cursor = advanceCursor(cursor, records);
            await this.planPage(records);
        }
        for (const queue of this.engagementReads.values()) await queue.flush();
        await this.writes.finish();
        // The cursor moves once, after every write it covers: batches fill across pages, so a page's last
        // writes may go out with the next page's. A crash before this point reads the activities again;
        // links and snapshots (stored as each batch lands) make the repeat create and write nothing twice.
        if (cursor && this.writes.complete && context.moveCursors && !context.dryRun) {
            const settled = settledCursor(cursor, readAt);
            this.store.saveCursor({
                stream: activity.id,
                side: 'salesforce',
                modifiedAt: settled.modifiedAt,
                recordId: settled.id,
                lookbackSeconds: 0
            });
        }
    }

    private async planPage(records: SalesforceRecord[]): Promise<void> {
        const { context, activity, resolved } = this;
        const targets = associationTargets(context, resolved, records);
        const ids = records.map((record) => record.id);
        const links = this.store.linksBySalesforceIds(activity.salesforceObject, ids);
        const snapshots = this.store.snapshotsFor(activity.salesforceObject, ids);
        for (const record of records) {
            const link = links.get(record.id);
            const carried = relatedId(record.values, activity.engagementIdField);
            if (link && carried === undefined) {
                await this.writes.writeBack(record.id, link.hubspotId);
                continue;
            }
            if (carried !== undefined) {
                if (link && link.tombstonedAt === null)
                    await this.planLinked(record, link, snapshots.get(record.id), targets);
                continue;
            }
            await this.planCreate(record, targets);
        }
    }

    private async planLinked(
        record: SalesforceRecord,
        link: { hubspotObjectType: string; hubspotId: string },
        snapshots: Record<string, FieldSnapshot> | undefined,
        targets: Map<string, AssociationTarget>
    ): Promise<void> {
        const { context, activity, resolved } = this;
        const routed = routeActivity(resolved.routes, record.values);
        if (!routed) return count(context, activity.id, 'skipped_no_route');
        const engagementType = routed.route.engagementType;
        if (engagementType !== link.hubspotObjectType)
            return count(context, activity.id, 'skipped_engagement_type_changed');
        const fields = activityFields(resolved, routed);
        const moves = [activity.whoField, activity.whatField].flatMap((field) => {
            const salesforceId = relatedId(record.values, field);
            const target = salesforceId === undefined ? undefined : targets.get(salesforceId);
            const move = planAssociationMove(field, salesforceId, target, snapshots?.[associationSnapshotKey(field)]);
            return move ? [move] : [];
        });
        const pair = { salesforceId: record.id, engagementType, engagementId: link.hubspotId };
        if (salesforceMatchesSnapshot(fields, record.values, snapshots)) {
            // Only what the engine wrote itself (or unmapped fields) changed: no read, and at most the associations move.
            if (moves.length > 0) await this.writes.applyPlan(pair, emptyPlan(), moves);
            return;
        }
        const change: LinkedChange = { record, engagementId: link.hubspotId, fields, snapshots, moves };
        let queue = this.engagementReads.get(engagementType);
        if (!queue) {
            queue = new BatchQueue(hubspotBatchSize, (batch) => this.readEngagements(engagementType, batch), {
                key: (entry) => entry.engagementId,
                merge: (_, entry) => entry
            });
            this.engagementReads.set(engagementType, queue);
        }
        await queue.push(change);
    }

    /** The engagements of changed pairs, 100 per call, with the change times of the two-way properties. */
    private async readEngagements(engagementType: EngagementType, batch: LinkedChange[]): Promise<void> {
        const properties = [...new Set(batch.flatMap((change) => hubspotPropertiesOf(change.fields)))];
        const history = [
            ...new Set(
                batch.flatMap((change) =>
                    change.fields.filter((field) => field.rule === 'two_way').map((field) => field.hubspot.name)
                )
            )
        ];
        const objects = await this.context.hubspot.read(
            engagementType,
            batch.map((change) => change.engagementId),
            [...properties, 'hs_lastmodifieddate'],
            history.length > 0 ? { history } : {}
        );
        const found = new Map(objects.map((object) => [object.id, toHubSpotRecord(object, engagementType)]));
        for (const change of batch) {
            const engagement = found.get(change.engagementId);
            if (!engagement) {
                // Deleted in HubSpot: nothing to update; deletes of activities are not propagated.
                count(this.context, this.activity.id, 'skipped_engagement_missing');
                continue;
            }
            await this.planChange(engagementType, change, engagement);
        }
    }

    private async planChange(
        engagementType: EngagementType,
        change: LinkedChange,
        engagement: HubSpotRecord
    ): Promise<void> {
        const plan = planRecord(
            change.fields,
            { salesforce: change.record, hubspot: engagement, snapshots: change.snapshots ?? {} },
            { owners: this.context.owners }
        );
        await this.writes.applyPlan(
            { salesforceId: change.record.id, engagementType, engagementId: change.engagementId },
            plan,
            change.moves
        );
    }

    private async planCreate(record: SalesforceRecord, targets: Map<string, AssociationTarget>): Promise<void> {
        const { context, activity, resolved } = this;
        const decision = planEngagementFromActivity(resolved, record, (id) => targets.get(id));
        if (decision.action === 'skip') return count(context, activity.id, `skipped_${decision.reason}`);
        const { plan } = decision;
        recordErrors(
            context,
            plan.errors.map((problem) => ({
                runId: context.runId,
                mappingId: activity.id,
                salesforceObject: activity.salesforceObject,
                salesforceId: record.id,
                field: problem.field,
                category: problem.category,
                message: problem.message
            }))
        );
        const types = engagementAssociationTypes[plan.engagementType];
        const associations = plan.associations.flatMap((target) => {
            const typeId = types[target.hubspotObjectType];
            return typeId === undefined ? [] : [{ toId: target.hubspotId, associationTypeId: typeId }];
        });
        const routed = routeActivity(resolved.routes, record.values)!;
        const snapshots = snapshotsOfNewPair(
            activityFields(resolved, routed),
            {
                salesforce: record,
                hubspot: { id: '', values: plan.properties, modifiedAt: record.modifiedAt },
                snapshots: {}
            },
            [activity.whoField, activity.whatField].map((field) => {
                const salesforceId = relatedId(record.values, field);
                return {
                    field,
                    salesforceId,
                    target: salesforceId === undefined ? undefined : targets.get(salesforceId)
                };
            })
        );
        await this.writes.createEngagement(plan.engagementType, {
            salesforceId: record.id,
            input: { properties: plan.properties, associations },
            snapshots
        });
    }
}

export async function syncActivitiesToHubSpot(context: RunContext, resolved: ResolvedActivity): Promise<void> {
    await new ActivitiesToHubSpot(context, resolved).run();
}
