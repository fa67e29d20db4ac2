/**
 * Salesforce Tasks and Events become HubSpot engagements associated with the synced contact, company
 * and deal. Idempotent twice over: only activities without an engagement ID are read, and each
 * engagement created is linked in the state store before its ID is written back to Salesforce, so a
 * failed write-back is retried without creating the engagement again.
 */
import { advanceCursor } from '../changes/cursor';
import { buildSalesforceChangesQuery } from '../changes/salesforce-query';
import type { EngagementType } from '../mapping/schema';
import {
    planActivityFromEngagement,
    planEngagementFromActivity,
    planEngagementUpdate,
    type ActivityValueError,
    type LinkedRecord
} from '../relations/activities';
import { valueHash } from '../plan/plan-record';
import type { SnapshotEntry } from '../../state/store';
import type { ResolvedActivity } from '../schema/validate-relations';
import type { HubSpotCreateInput } from '../adapters/ports';
import { hubspotBatchSize, salesforceBatchSize } from '../adapters/ports';
import { count, recordErrors, type RunContext } from './context';
import { fingerprintSnapshot } from './echo';
import { readHubSpotChanges, toSalesforceRecord } from './record-io';

/** Engagement → contact, company, deal: HubSpot's default association type IDs. */
const engagementAssociationTypes: Record<EngagementType, Record<string, number>> = {
    calls: { contacts: 194, companies: 182, deals: 206 },
    emails: { contacts: 198, companies: 186, deals: 210 },
    meetings: { contacts: 200, companies: 188, deals: 212 },
    notes: { contacts: 202, companies: 190, deals: 214 },
    tasks: { contacts: 204, companies: 192, deals: 216 }
};

function readFields(resolved: ResolvedActivity): string[] {
    const { activity } = resolved;
    const fields = new Set([
        'Id',
        'SystemModstamp',
        'CreatedDate',
        activity.engagementIdField,
        activity.timestampField
    ]);
    fields.add(activity.whoField);
    fields.add(activity.whatField);
    for (const { route, properties } of resolved.routes) {
        if (route.when) fields.add(route.when.field);
        for (const property of properties) fields.add(property.salesforce.name);
    }
    return [...fields];
}

/** The snapshot key holding the hash of the engagement properties last written for an activity. */
const engagementSnapshotKey = '@engagement';

function engagementSnapshot(
    salesforceObject: string,
    salesforceId: string,
    properties: Record<string, string>
): SnapshotEntry {
    const canonical = JSON.stringify(Object.entries(properties).sort(([left], [right]) => left.localeCompare(right)));
    return {
        salesforceObject,
        salesforceId,
        snapshots: { [engagementSnapshotKey]: fingerprintSnapshot(valueHash(canonical)) }
    };
}

function recordActivityErrors(
    context: RunContext,
    resolved: ResolvedActivity,
    salesforceId: string,
    errors: ActivityValueError[]
): void {
    const { activity } = resolved;
    recordErrors(
        context,
        errors.map((problem) => ({
            runId: context.runId,
            mappingId: activity.id,
            salesforceObject: activity.salesforceObject,
            salesforceId,
            field: problem.field,
            category: problem.category,
            message: problem.message
        }))
    );
}

async function syncActivity(context: RunContext, resolved: ResolvedActivity): Promise<void> {
    const { activity } = resolved;
    const { store } = context;
    const saved = store.getCursor(activity.id, 'salesforce');
    const since =
        context.request.mode === 'full' || !saved ? undefined : { modifiedAt: saved.modifiedAt, id: saved.recordId };
    // Copied activities are read too: their changes update the engagement (echoes are dropped by hash).
    let soql = buildSalesforceChangesQuery({
        object: activity.salesforceObject,
        fields: readFields(resolved),
        ...(activity.scope ? { scope: activity.scope } : {}),
        ...(since ? { since } : {})
    });
    if (context.request.limit !== undefined) soql += ` LIMIT ${context.request.limit}`;
    const records = (await context.salesforce.query(soql)).map(toSalesforceRecord);
    count(context, activity.id, 'read_salesforce', records.length);
    if (records.length === 0) return;

    // Who/What → the linked HubSpot records, across every synced object.
    const related = [
        ...new Set(
            records.flatMap((record) =>
                [record.values[activity.whoField], record.values[activity.whatField]].filter(
                    (id): id is string => typeof id === 'string' && id !== ''
                )
            )
        )
    ];
    const linked = new Map<string, LinkedRecord>();
    for (const object of new Set(context.mapping.records.map((record) => record.salesforceObject))) {
        for (const [id, link] of store.linksBySalesforceIds(object, related)) {
            if (link.tombstonedAt === null)
                linked.set(id, { hubspotObjectType: link.hubspotObjectType, hubspotId: link.hubspotId });
        }
    }
    const alreadyCreated = store.linksBySalesforceIds(
        activity.salesforceObject,
        records.map((record) => record.id)
    );

    const snapshots = store.snapshotsFor(
        activity.salesforceObject,
        records.map((record) => record.id)
    );

    const writeBack = new Map<string, string>();
    const creates = new Map<
        EngagementType,
        { salesforceId: string; input: HubSpotCreateInput; snapshot: SnapshotEntry | undefined }[]
    >();
    const updates = new Map<
        EngagementType,
        { salesforceId: string; hubspotId: string; properties: Record<string, string>; snapshot: SnapshotEntry }[]
    >();
    const baselines: SnapshotEntry[] = [];
    for (const record of records) {
        const existing = alreadyCreated.get(record.id);
        const carried = record.values[activity.engagementIdField];
        if (existing && (typeof carried !== 'string' || carried === '')) {
            writeBack.set(record.id, existing.hubspotId);
            continue;
        }
        if (typeof carried === 'string' && carried !== '') {
            if (!existing || activity.direction === 'hubspot_to_salesforce') continue;
            const planned = planEngagementUpdate(resolved, record.values);
            if ('reason' in planned) {
                count(context, activity.id, `skipped_${planned.reason}`);
                continue;
            }
            if (planned.engagementType !== existing.hubspotObjectType) {
                count(context, activity.id, 'skipped_engagement_type_changed');
                continue;
            }
            const snapshot = engagementSnapshot(activity.salesforceObject, record.id, planned.properties);
            const recorded = snapshots.get(record.id)?.[engagementSnapshotKey];
            // First sight of a copy made before snapshots were kept: its values become the baseline.
            if (!recorded) baselines.push(snapshot);
            else if (recorded.salesforceHash !== snapshot.snapshots[engagementSnapshotKey].salesforceHash) {
                recordActivityErrors(context, resolved, record.id, planned.errors);
                const list = updates.get(planned.engagementType) ?? [];
                list.push({
                    salesforceId: record.id,
                    hubspotId: existing.hubspotId,
                    properties: planned.properties,
                    snapshot
                });
                updates.set(planned.engagementType, list);
            }
            continue;
        }
        const decision = planEngagementFromActivity(resolved, record, (id) => linked.get(id));
        if (decision.action === 'skip') {
            count(context, activity.id, `skipped_${decision.reason}`);
            continue;
        }
        const { plan } = decision;
        recordActivityErrors(context, resolved, record.id, plan.errors);
        const types = engagementAssociationTypes[plan.engagementType];
        const associations = plan.associations.flatMap((target) => {
            const typeId = types[target.hubspotObjectType];
            return typeId === undefined ? [] : [{ toId: target.hubspotId, associationTypeId: typeId }];
        });
        const list = creates.get(plan.engagementType) ?? [];
        const planned = planEngagementUpdate(resolved, record.values);
        list.push({
            salesforceId: record.id,
            input: { properties: plan.properties, associations },
            snapshot:
                'reason' in planned
                    ? undefined
                    : engagementSnapshot(activity.salesforceObject, record.id, planned.properties)
        });
        creates.set(plan.engagementType, list);
    }
    if (!context.dryRun) store.saveSnapshots(baselines);

    let complete = true;
    for (const [engagementType, list] of creates) {
        if (context.dryRun) {
            context.report.plannedWriteCalls.hubspot += Math.ceil(list.length / hubspotBatchSize);
            count(context, activity.id, `would_create_${engagementType}`, list.length);
            continue;
        }
        const results = await context.hubspot.create(
            engagementType,
            list.map((entry) => entry.input)
        );
        const created: SnapshotEntry[] = [];
        const links = list.flatMap((entry, index) => {
            const result = results[index];
            if (result.ok) {
                writeBack.set(entry.salesforceId, result.id);
                if (entry.snapshot) created.push(entry.snapshot);
                return [
                    {
                        mappingId: activity.id,
                        salesforceObject: activity.salesforceObject,
                        salesforceId: entry.salesforceId,
                        hubspotObjectType: engagementType,
                        hubspotId: result.id
                    }
                ];
            }
            complete = false;
            recordErrors(context, [
                {
                    runId: context.runId,
                    mappingId: activity.id,
                    salesforceObject: activity.salesforceObject,
                    salesforceId: entry.salesforceId,
                    category: result.category,
                    message: result.message
                }
            ]);
            return [];
        });
        store.transaction(() => {
            store.upsertLinks(links);
            store.saveSnapshots(created);
        });
        count(context, activity.id, `created_${engagementType}`, links.length);
    }

    for (const [engagementType, list] of updates) {
        if (context.dryRun) {
            context.report.plannedWriteCalls.hubspot += Math.ceil(list.length / hubspotBatchSize);
            count(context, activity.id, `would_update_${engagementType}`, list.length);
            continue;
        }
        const results = await context.hubspot.update(
            engagementType,
            list.map((entry) => ({ id: entry.hubspotId, properties: entry.properties }))
        );
        const landed: SnapshotEntry[] = [];
        list.forEach((entry, index) => {
            const result = results[index];
            if (result.ok) {
                landed.push(entry.snapshot);
                return;
            }
            // The snapshot stays as it was, so the next read of the activity tries again.
            complete = false;
            recordErrors(context, [
                {
                    runId: context.runId,
                    mappingId: activity.id,
                    salesforceObject: activity.salesforceObject,
                    salesforceId: entry.salesforceId,
                    hubspotObjectType: engagementType,
                    hubspotId: entry.hubspotId,
                    category: result.category,
                    message: result.message
                }
            ]);
        });
        store.saveSnapshots(landed);
        count(context, activity.id, `updated_${engagementType}`, landed.length);
    }

    if (context.dryRun) {
        context.report.plannedWriteCalls.salesforce += Math.ceil(
            (writeBack.size + [...creates.values()].reduce((total, list) => total + list.length, 0)) /
                salesforceBatchSize
        );
        return;
    }
    const ids = [...writeBack.keys()];
    const results = await context.salesforce.update(
        activity.salesforceObject,
        ids.map((id) => ({ Id: id, [activity.engagementIdField]: writeBack.get(id)! }))
    );
    results.forEach((result, index) => {
        if (result.ok) return;
        complete = false;
        recordErrors(context, [
            {
                runId: context.runId,
                mappingId: activity.id,
                salesforceObject: activity.salesforceObject,
                salesforceId: ids[index],
                category: result.category,
                message: result.message
            }
        ]);
    });
    const cursor = advanceCursor(since, records);
    // Failed records keep the cursor where it was: they carry no engagement ID yet, so they are read again.
    if (cursor && complete && context.moveCursors) {
        store.saveCursor({
            stream: activity.id,
            side: 'salesforce',
            modifiedAt: cursor.modifiedAt,
            recordId: cursor.id,
            lookbackSeconds: 0
        });
    }
}

/**
 * HubSpot engagements of the configured types become Salesforce activities (Tasks), related to the
 * Salesforce records their contact, company and deal sync with. Only engagements the bridge has not
 * linked yet are copied; each new activity carries the engagement ID, so it never travels back.
 */
async function syncEngagementsToSalesforce(context: RunContext, resolved: ResolvedActivity): Promise<void> {
    const { activity } = resolved;
    const { store } = context;
    for (const engagementType of activity.hubspotTypesToSalesforce) {
        const route = resolved.routes.find((candidate) => candidate.route.engagementType === engagementType);
        if (!route) continue;
        const stream = `${activity.id}:${engagementType}`;
        const properties = [...new Set(['hs_timestamp', ...route.properties.map((property) => property.hubspot.name)])];
        const changes = await readHubSpotChanges(context, engagementType, properties, stream);
        count(context, activity.id, `read_hubspot_${engagementType}`, changes.records.length);
        const known = store.linksByHubSpotIds(
            engagementType,
            changes.records.map((record) => record.id)
        );
        const fresh = changes.records.filter((record) => !known.has(record.id));
        let complete = true;
        if (fresh.length > 0) {
            const related = await relatedSalesforceRecords(
                context,
                engagementType,
                fresh.map((record) => record.id)
            );
            const plans = fresh.flatMap((record) => {
                const plan = planActivityFromEngagement(
                    resolved,
                    { id: record.id, type: engagementType, properties: record.values },
                    related.get(record.id) ?? {}
                );
                return plan ? [{ engagementId: record.id, plan }] : [];
            });
            recordErrors(
                context,
                plans.flatMap(({ engagementId, plan }) =>
                    plan.errors.map((problem) => ({
                        runId: context.runId,
                        mappingId: activity.id,
                        hubspotObjectType: engagementType,
                        hubspotId: engagementId,
                        field: problem.field,
                        category: problem.category,
                        message: problem.message
                    }))
                )
            );
            if (context.dryRun) {
                context.report.plannedWriteCalls.salesforce += Math.ceil(plans.length / salesforceBatchSize);
                count(context, activity.id, `would_create_${activity.salesforceObject}`, plans.length);
                continue;
            }
            const results = await context.salesforce.create(
                activity.salesforceObject,
                plans.map(({ plan }) => plan.fields)
            );
            const links = plans.flatMap(({ engagementId }, index) => {
                const result = results[index];
                if (result.ok) {
                    return [
                        {
                            mappingId: activity.id,
                            salesforceObject: activity.salesforceObject,
                            salesforceId: result.id,
                            hubspotObjectType: engagementType,
                            hubspotId: engagementId
                        }
                    ];
                }
                complete = false;
                recordErrors(context, [
                    {
                        runId: context.runId,
                        mappingId: activity.id,
                        hubspotObjectType: engagementType,
                        hubspotId: engagementId,
                        category: result.category,
                        message: result.message
                    }
                ]);
                return [];
            });
            store.upsertLinks(links);
            count(context, activity.id, `created_${activity.salesforceObject}`, links.length);
        }
        // A failed create keeps the cursor, so the engagement is read again next run.
        if (changes.cursor && complete && context.moveCursors && !context.dryRun) {
            store.saveCursor({
                stream,
                side: 'hubspot',
                modifiedAt: changes.cursor.modifiedAt,
                recordId: changes.cursor.id,
                lookbackSeconds: 0
            });
        }
    }
}

/** Per engagement: the Salesforce records its associated contact (who) and company or deal (what) sync with. */
async function relatedSalesforceRecords(
    context: RunContext,
    engagementType: string,
    engagementIds: string[]
): Promise<Map<string, { who?: string; what?: string }>> {
    const related = new Map<string, { who?: string; what?: string }>();
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
            if (linked && entry[role] === undefined) entry[role] = linked.salesforceId;
            related.set(engagementId, entry);
        }
    }
    return related;
}

export async function syncActivities(
    context: RunContext,
    selected: (id: string, object: string) => boolean
): Promise<void> {
    for (const resolved of context.validation.activities.values()) {
        if (!selected(resolved.activity.id, resolved.activity.salesforceObject)) continue;
        if (resolved.activity.direction !== 'hubspot_to_salesforce') await syncActivity(context, resolved);
        if (resolved.activity.direction !== 'salesforce_to_hubspot')
            await syncEngagementsToSalesforce(context, resolved);
    }
}
