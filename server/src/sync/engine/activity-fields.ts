/**
 * An activity route seen as record fields, so a linked Task ⇄ engagement pair is planned by the same
 * three-way planner as records (`planRecord`: snapshots, the four rules, newer change wins). Pure.
 *
 * Activity properties carry no rule of their own in the mapping file; the activity's direction and its
 * `hubspotTypesToSalesforce` say which way each engagement type flows, and that decides the rule here,
 * in this one place:
 * - both ways (direction `both`, type listed): `two_way`;
 * - Salesforce → HubSpot only: `always_salesforce` (HubSpot edits are overwritten when the Task changes);
 * - HubSpot → Salesforce only: `two_way` with HubSpot not writable, which the planner reads as
 *   "copy from HubSpot" (`one_way_field`).
 */
import type { EngagementType, SyncRule } from '../mapping/schema';
import { planRecord, valueHash, type FieldSnapshot, type RecordPairState, type RecordPlan } from '../plan/plan-record';
import type { HubSpotPropertySchema } from '../schema/live-schema';
import { isHubSpotReadOnly, isSalesforceReadOnly } from '../schema/live-schema';
import type { ResolvedField } from '../schema/validate-mapping';
import type { ResolvedActivity } from '../schema/validate-relations';
import { canonicalHubSpot, canonicalSalesforce, type SalesforceValue } from '../values/conversion';

type Route = ResolvedActivity['routes'][number];

/** `hs_timestamp` exists on every engagement type as a datetime. */
const hubspotTimestamp: HubSpotPropertySchema = {
    name: 'hs_timestamp',
    type: 'datetime',
    fieldType: 'date',
    options: []
};

export function flowsToHubSpot(resolved: ResolvedActivity): boolean {
    return resolved.activity.direction !== 'hubspot_to_salesforce';
}

export function flowsToSalesforce(resolved: ResolvedActivity, engagementType: EngagementType): boolean {
    const { activity } = resolved;
    return activity.direction !== 'salesforce_to_hubspot' && activity.hubspotTypesToSalesforce.includes(engagementType);
}

/** The route's property pairs plus the timestamp, as the planner's fields (read-only targets left out). */
export function activityFields(resolved: ResolvedActivity, route: Route): ResolvedField[] {
    const type = route.route.engagementType;
    const toHubSpot = flowsToHubSpot(resolved);
    const toSalesforce = flowsToSalesforce(resolved, type);
    const rule: SyncRule = toSalesforce ? 'two_way' : 'always_salesforce';
    const pairs = [
        {
            salesforce: resolved.timestampField,
            hubspot: hubspotTimestamp,
            conversion: resolved.timestampField.type === 'date' ? ('date_to_datetime' as const) : ('datetime' as const)
        },
        ...route.properties
    ];
    return pairs.flatMap((pair): ResolvedField[] => {
        const writable = {
            salesforce: toSalesforce && !isSalesforceReadOnly(pair.salesforce),
            hubspot: toHubSpot && !isHubSpotReadOnly(pair.hubspot)
        };
        if (!writable.salesforce && !writable.hubspot) return [];
        // always_salesforce never asks about writability: a field it cannot write is simply not synced.
        if (rule === 'always_salesforce' && !writable.hubspot) return [];
        return [
            {
                salesforce: pair.salesforce,
                hubspot: pair.hubspot,
                rule,
                conversion: pair.conversion,
                ...('valueMap' in pair && pair.valueMap !== undefined ? { valueMap: pair.valueMap } : {}),
                owner: false,
                writable
            }
        ];
    });
}

/** What a read of the activity object selects: the system fields, the package's fields, every route's fields. */
export function activityReadFields(resolved: ResolvedActivity): string[] {
    const { activity } = resolved;
    const fields = new Set([
        'Id',
        'SystemModstamp',
        'CreatedDate',
        activity.engagementIdField,
        activity.timestampField,
        activity.whoField,
        activity.whatField
    ]);
    for (const { route, properties } of resolved.routes) {
        if (route.when) fields.add(route.when.field);
        for (const property of properties) fields.add(property.salesforce.name);
    }
    return [...fields];
}

export function hubspotPropertiesOf(fields: ResolvedField[]): string[] {
    return [...new Set(fields.map((field) => field.hubspot.name))];
}

/** Every field has a snapshot whose Salesforce side hashes like `values`: nothing changed in Salesforce. */
export function salesforceMatchesSnapshot(
    fields: ResolvedField[],
    values: Record<string, SalesforceValue | undefined>,
    snapshots: Record<string, FieldSnapshot> | undefined
): boolean {
    return fields.every((field) => {
        const snapshot = snapshots?.[field.salesforce.name];
        const hash = valueHash(canonicalSalesforce(field.conversion, values[field.salesforce.name] ?? null));
        return snapshot !== undefined && snapshot.salesforceHash === hash;
    });
}

/** Every field has a snapshot whose HubSpot side hashes like `values`: nothing changed in HubSpot. */
export function hubspotMatchesSnapshot(
    fields: ResolvedField[],
    values: Record<string, string | null | undefined>,
    snapshots: Record<string, FieldSnapshot> | undefined
): boolean {
    return fields.every((field) => {
        const snapshot = snapshots?.[field.salesforce.name];
        const hash = valueHash(canonicalHubSpot(field.conversion, values[field.hubspot.name] ?? null));
        return snapshot !== undefined && snapshot.hubspotHash === hash;
    });
}

/**
 * After a copy was created, the snapshots of the fields the copy already agrees on: the plan of the
 * new pair (no snapshots yet) writes nothing for them. A field it would write (a value the target
 * refused) keeps no snapshot, so the next change of the pair reads both sides again.
 */
export function agreedSnapshots(plan: RecordPlan): Record<string, FieldSnapshot> {
    const pending = new Set(plan.audit.map((entry) => entry.field));
    return Object.fromEntries(Object.entries(plan.snapshots).filter(([field]) => !pending.has(field)));
}

/** What Who or What is associated with in HubSpot: `contacts/101`, `deals/7`. */
export interface AssociationTarget {
    hubspotObjectType: string;
    hubspotId: string;
}

/** Snapshot key of the association the engine made for the activity's Who or What field. */
export const associationSnapshotKey = (field: string) => `@association:${field}`;

const targetKey = (target: AssociationTarget | undefined): string | null =>
    target ? `${target.hubspotObjectType}/${target.hubspotId}` : null;

function parseTargetKey(key: string | null): AssociationTarget | undefined {
    const match = key === null ? null : /^([^/]+)\/(.+)$/.exec(key);
    return match ? { hubspotObjectType: match[1], hubspotId: match[2] } : undefined;
}

export function associationSnapshot(
    salesforceId: string | undefined,
    target: AssociationTarget | undefined
): FieldSnapshot {
    const key = targetKey(target);
    return {
        salesforceValue: salesforceId ?? null,
        hubspotValue: key,
        salesforceHash: valueHash(salesforceId ?? null),
        hubspotHash: valueHash(key)
    };
}

export interface AssociationMove {
    field: string;
    /** The association the engine made before, to archive. */
    remove?: AssociationTarget;
    /** The association Who/What asks for now, to create. */
    add?: AssociationTarget;
    snapshot: FieldSnapshot;
}

/**
 * Who/What against the association the engine made last time (its snapshot). A different Salesforce
 * record, or the same one now linked to another HubSpot record (or linked at last), moves the
 * association. Without a snapshot (copied before associations were tracked) the current target is
 * added and nothing is removed: which association the engine made then is not known.
 */
export function planAssociationMove(
    field: string,
    salesforceId: string | undefined,
    target: AssociationTarget | undefined,
    snapshot: FieldSnapshot | undefined
): AssociationMove | undefined {
    const next = associationSnapshot(salesforceId, target);
    if (snapshot && snapshot.salesforceHash === next.salesforceHash && snapshot.hubspotHash === next.hubspotHash) {
        return undefined;
    }
    const previous = snapshot ? parseTargetKey(snapshot.hubspotValue) : undefined;
    const unchangedTarget = targetKey(previous) === targetKey(target);
    return {
        field,
        ...(previous && !unchangedTarget ? { remove: previous } : {}),
        ...(target && !unchangedTarget ? { add: target } : {}),
        snapshot: next
    };
}

/** Engagement → contact, company, deal: HubSpot's default association type IDs. */
export const engagementAssociationTypes: Record<EngagementType, Record<string, number>> = {
    calls: { contacts: 194, companies: 182, deals: 206 },
    emails: { contacts: 198, companies: 186, deals: 210 },
    meetings: { contacts: 200, companies: 188, deals: 212 },
    notes: { contacts: 202, companies: 190, deals: 214 },
    tasks: { contacts: 204, companies: 192, deals: 216 }
};

/** The snapshots of a new pair: what its copy agrees on, and the associations the create made. */
export function snapshotsOfNewPair(
    fields: ResolvedField[],
    state: RecordPairState,
    associations: { field: string; salesforceId: string | undefined; target: AssociationTarget | undefined }[]
): Record<string, FieldSnapshot> {
    const snapshots = agreedSnapshots(planRecord(fields, state));
    for (const { field, salesforceId, target } of associations) {
        snapshots[associationSnapshotKey(field)] = associationSnapshot(salesforceId, target);
    }
    return snapshots;
}
