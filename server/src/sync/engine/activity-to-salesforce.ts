/**
 * HubSpot engagements of the configured types become Salesforce activities (Tasks) related to the
 * records their contact, company and deal sync with, read one search page at a time. A new engagement
 * becomes a Task carrying its ID (so it never travels back); an engagement linked earlier that changed
 * in HubSpot is planned against its Task with the record planner, so its edits reach the Task under
 * the same rules as record fields.
 */
import { buildSalesforceChangesQuery } from '../changes/salesforce-query';
import type { EngagementType } from '../mapping/schema';
import { planRecord } from '../plan/plan-record';
import type { HubSpotRecord } from '../plan/plan-batch';
import { planActivityFromEngagement, routeActivity } from '../relations/activities';
import type { ResolvedActivity } from '../schema/validate-relations';
import { hubspotBatchSize, salesforceBatchSize } from '../adapters/ports';
import { BatchQueue } from './activity-batches';
import {
    activityFields,
    activityReadFields,
    hubspotMatchesSnapshot,
    hubspotPropertiesOf,
    snapshotsOfNewPair,
    type AssociationTarget
} from './activity-fields';
import { ActivityWrites } from './activity-writes';
import { count, recordErrors, type RunContext } from './context';
import { readHubSpotChangePages, toSalesforceRecord } from './record-io';

/** The Salesforce record an engagement's associated contact (who) or company/deal (what) syncs with. */
interface Related {
    salesforceId: string;
    target: AssociationTarget;
}

/** Per engagement: who and what, from its associations (one read per 100 engagements and target type). */
async function relatedSalesforceRecords(
    context: RunContext,
    engagementType: string,
    engagementIds: string[]
): Promise<Map<string, { who?: Related; what?: Related }>> {
    const related = new Map<string, { who?: Related; what?: Related }>();
    for (const [targetType, role] of [
        ['contacts', 'who'],
        ['deals', 'what'],
        ['companies', 'what']
    ] as const) {
        const associated = await context.hubspot.readAssociations(engagementType, targetType, engagementIds);
        const links = context.store.linksByHubSpotIds(targetType, [...associated.values()].flat());
        for (const [engagementId, targets] of associated) {
            const entry = related.get(engagementId) ?? {};
            const linked = targets
                .map((target) => links.get(target))
                .find((link) => link && link.tombstonedAt === null);
            // The deal wins over the company for What: it is the more specific record.
            if (linked && entry[role] === undefined) {
                entry[role] = {
                    salesforceId: linked.salesforceId,
                    target: { hubspotObjectType: targetType, hubspotId: linked.hubspotId }
                };
            }
            related.set(engagementId, entry);
        }
    }
    return related;
}

class EngagementsToSalesforce {
    private readonly writes: ActivityWrites;
    /** Engagements queued for a Task: narrowed search windows can return one twice before its link exists. */
    private readonly queuedForCreate = new Set<string>();
    private readonly fresh: BatchQueue<HubSpotRecord>;
    private readonly changed: BatchQueue<{ engagement: HubSpotRecord; salesforceId: string }>;

    constructor(
        private readonly context: RunContext,
        private readonly resolved: ResolvedActivity,
        private readonly engagementType: EngagementType,
        private readonly route: ResolvedActivity['routes'][number]
    ) {
        this.writes = new ActivityWrites(context, resolved);
        this.fresh = new BatchQueue(hubspotBatchSize, (batch) => this.createTasks(batch));
        // The later copy of an engagement read twice is the current one.
        this.changed = new BatchQueue(salesforceBatchSize, (batch) => this.planChanges(batch), {
            key: (entry) => entry.engagement.id,
            merge: (_, entry) => entry
        });
    }

    private get activity() {
        return this.resolved.activity;
    }

    async run(): Promise<void> {
        const { context, activity, engagementType } = this;
        const stream = `${activity.id}:${engagementType}`;
        const fields = activityFields(this.resolved, this.route);
        const read = await readHubSpotChangePages(
            context,
            engagementType,
            hubspotPropertiesOf(fields),
            stream,
            (records) => this.planPage(records)
        );
        await this.fresh.flush();
        await this.changed.flush();
        await this.writes.finish();
        // As on the Salesforce side, the cursor moves once every write it covers has landed.
        if (read.cursor && this.writes.complete && context.moveCursors && !context.dryRun) {
            context.store.saveCursor({
                stream,
                side: 'hubspot',
                modifiedAt: read.cursor.modifiedAt,
                recordId: read.cursor.id,
                lookbackSeconds: 0
            });
        }
    }

    private async planPage(records: HubSpotRecord[]): Promise<void> {
        const { context, activity, engagementType } = this;
        count(context, activity.id, `read_hubspot_${engagementType}`, records.length);
        const links = context.store.linksByHubSpotIds(
            engagementType,
            records.map((record) => record.id)
        );
        const snapshots = context.store.snapshotsFor(
            activity.salesforceObject,
            [...links.values()].map((link) => link.salesforceId)
        );
        const fields = activityFields(this.resolved, this.route);
        for (const record of records) {
            const link = links.get(record.id);
            if (!link) {
                if (this.queuedForCreate.has(record.id)) continue;
                this.queuedForCreate.add(record.id);
                await this.fresh.push(record);
                continue;
            }
            // Another activity mapping owns it, or the pair was tombstoned.
            if (link.salesforceObject !== activity.salesforceObject || link.tombstonedAt !== null) continue;
            // Unchanged since the last sync, or changed only by the engine's own write: nothing to read.
            if (hubspotMatchesSnapshot(fields, record.values, snapshots.get(link.salesforceId))) continue;
            await this.changed.push({ engagement: record, salesforceId: link.salesforceId });
        }
    }

    private async createTasks(batch: HubSpotRecord[]): Promise<void> {
        const { context, activity, resolved, engagementType } = this;
        const related = await relatedSalesforceRecords(
            context,
            engagementType,
            batch.map((record) => record.id)
        );
        const fields = activityFields(resolved, this.route);
        for (const engagement of batch) {
            const { who, what } = related.get(engagement.id) ?? {};
            const plan = planActivityFromEngagement(
                resolved,
                { id: engagement.id, type: engagementType, properties: engagement.values },
                { ...(who ? { who: who.salesforceId } : {}), ...(what ? { what: what.salesforceId } : {}) }
            );
            if (!plan) continue;
            recordErrors(
                context,
                plan.errors.map((problem) => ({
                    runId: context.runId,
                    mappingId: activity.id,
                    hubspotObjectType: engagementType,
                    hubspotId: engagement.id,
                    field: problem.field,
                    category: problem.category,
                    message: problem.message
                }))
            );
            const snapshots = snapshotsOfNewPair(
                fields,
                {
                    salesforce: { id: '', values: plan.fields, modifiedAt: engagement.modifiedAt },
                    hubspot: engagement,
                    snapshots: {}
                },
                [
                    { field: activity.whoField, salesforceId: who?.salesforceId, target: who?.target },
                    { field: activity.whatField, salesforceId: what?.salesforceId, target: what?.target }
                ]
            );
            await this.writes.createTask({
                engagementType,
                engagementId: engagement.id,
                fields: plan.fields,
                snapshots
            });
        }
    }

    /** Engagements changed in HubSpot: their Tasks (one query per 200), then one plan per pair. */
    private async planChanges(batch: { engagement: HubSpotRecord; salesforceId: string }[]): Promise<void> {
        const { context, activity, resolved, engagementType } = this;
        const ids = batch.map((entry) => entry.salesforceId);
        const soql = buildSalesforceChangesQuery({
            object: activity.salesforceObject,
            fields: activityReadFields(resolved),
            scope: { field: 'Id', op: 'in', value: ids }
        });
        const tasks = new Map(
            (await context.salesforce.query(soql)).map((row) => [row.id, toSalesforceRecord(row)] as const)
        );
        const snapshots = context.store.snapshotsFor(activity.salesforceObject, ids);
        for (const { engagement, salesforceId } of batch) {
            const task = tasks.get(salesforceId);
            if (!task) {
                // Deleted in Salesforce: nothing to update; deletes of activities are not propagated.
                count(context, activity.id, `skipped_${activity.salesforceObject}_missing`);
                continue;
            }
            const routed = routeActivity(resolved.routes, task.values);
            if (!routed || routed.route.engagementType !== engagementType) {
                count(context, activity.id, 'skipped_engagement_type_changed');
                continue;
            }
            const plan = planRecord(
                activityFields(resolved, routed),
                { salesforce: task, hubspot: engagement, snapshots: snapshots.get(salesforceId) ?? {} },
                { owners: context.owners }
            );
            await this.writes.applyPlan({ salesforceId, engagementType, engagementId: engagement.id }, plan, []);
        }
    }
}

/**
 * One pass per engagement type the activity copies to Salesforce, each with its own cursor. `route`
 * is the first route of the type: it maps the engagement's properties back.
 */
export async function syncEngagementsToSalesforce(context: RunContext, resolved: ResolvedActivity): Promise<void> {
    for (const engagementType of resolved.activity.hubspotTypesToSalesforce) {
        const route = resolved.routes.find((candidate) => candidate.route.engagementType === engagementType);
        if (!route) continue;
        await new EngagementsToSalesforce(context, resolved, engagementType, route).run();
    }
}
