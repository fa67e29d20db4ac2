/**
 * Echo suppression before any counterpart is fetched: a changed record whose mapped values all hash
 * like the last synced snapshot changed only in what the engine itself wrote (or in unmapped fields),
 * so it needs no read of the other side and no write. The planner would reach the same verdict; this
 * check just spends no API call to get there.
 */
import { canonicalHubSpot, canonicalSalesforce } from '../values/conversion';
import type { FieldSnapshot } from '../plan/plan-record';
import { valueHash } from '../plan/plan-record';
import type { ResolvedRecordMapping } from '../schema/validate-mapping';

/** Snapshot key of a lookup association (Contact.AccountId): the association step stores it. */
export const lookupSnapshotKey = (field: string) => `@lookup:${field}`;

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** The snapshot of a lookup whose association was made for `value` (`lookupSettled` checks against it). */
export function lookupSnapshot(value: unknown): FieldSnapshot {
    const target = text(value);
    return {
        salesforceValue: target,
        hubspotValue: null,
        salesforceHash: valueHash(target),
        hubspotHash: valueHash(null)
    };
}

/**
 * The lookup still holds the value its association was last made for (the `@lookup:<field>` snapshot the
 * association step stores): the record group checks this while it plans, so the association step itself
 * reads no snapshots.
 */
export function lookupSettled(
    snapshots: Record<string, FieldSnapshot> | undefined,
    field: string,
    value: unknown
): boolean {
    return snapshots?.[lookupSnapshotKey(field)]?.salesforceHash === valueHash(text(value));
}

export function salesforceUnchanged(
    resolved: ResolvedRecordMapping,
    values: Record<string, unknown>,
    snapshots: Record<string, FieldSnapshot> | undefined,
    lookupFields: string[]
): boolean {
    if (!snapshots) return false;
    for (const field of resolved.fields) {
        if (field.rule === 'dont_sync') continue;
        const snapshot = snapshots[field.salesforce.name];
        const value = values[field.salesforce.name] as Parameters<typeof canonicalSalesforce>[1];
        if (!snapshot || snapshot.salesforceHash !== valueHash(canonicalSalesforce(field.conversion, value ?? null))) {
            return false;
        }
    }
    const stages = resolved.mapping.dealStages;
    if (stages && stages.rule !== 'dont_sync') {
        const snapshot = snapshots[stages.salesforceStageField];
        if (!snapshot || snapshot.salesforceHash !== valueHash(text(values[stages.salesforceStageField]))) return false;
    }
    return lookupFields.every((field) => lookupSettled(snapshots, field, values[field]));
}

export function hubspotUnchanged(
    resolved: ResolvedRecordMapping,
    values: Record<string, string | null | undefined>,
    snapshots: Record<string, FieldSnapshot> | undefined
): boolean {
    if (!snapshots) return false;
    for (const field of resolved.fields) {
        if (field.rule === 'dont_sync') continue;
        const snapshot = snapshots[field.salesforce.name];
        if (
            !snapshot ||
            snapshot.hubspotHash !== valueHash(canonicalHubSpot(field.conversion, values[field.hubspot.name] ?? null))
        ) {
            return false;
        }
    }
    const stages = resolved.mapping.dealStages;
    if (stages && stages.rule !== 'dont_sync') {
        const snapshot = snapshots[stages.salesforceStageField];
        const pipeline = text(values[stages.pipelineProperty]);
        const stage = text(values[stages.stageProperty]);
        const composite = pipeline && stage ? `${pipeline}/${stage}` : null;
        if (!snapshot || snapshot.hubspotHash !== valueHash(composite)) return false;
    }
    return true;
}

/** Snapshot key of an unlinked record's fingerprint (Excluded, ambiguous): what it looked like when decided. */
export const seenSnapshotKey = '@seen';

/**
 * One hash over what decides an unlinked record's fate (its mapped values and match field): while it
 * holds, an Excluded or ambiguous record that comes back only because of its status write is skipped
 * without looking for namesakes again.
 */
export function salesforceFingerprint(resolved: ResolvedRecordMapping, values: Record<string, unknown>): string {
    const parts = resolved.fields.map((field) =>
        canonicalSalesforce(
            field.conversion,
            (values[field.salesforce.name] ?? null) as Parameters<typeof canonicalSalesforce>[1]
        )
    );
    const matchField = resolved.mapping.identity.salesforceMatchField;
    parts.push(matchField ? text(values[matchField]) : null);
    return valueHash(JSON.stringify(parts));
}

export function fingerprintSnapshot(fingerprint: string): FieldSnapshot {
    return { salesforceValue: null, hubspotValue: null, salesforceHash: fingerprint, hubspotHash: '' };
}

/** True when some `two_way` field changed on both sides since its snapshot: a conflict is possible. */
export function bothSidesChanged(
    resolved: ResolvedRecordMapping,
    salesforceValues: Record<string, unknown>,
    hubspotValues: Record<string, string | null | undefined>,
    snapshots: Record<string, FieldSnapshot> | undefined
): boolean {
    if (!snapshots) return false;
    return resolved.fields.some((field) => {
        const snapshot = snapshots[field.salesforce.name];
        if (field.rule !== 'two_way' || !snapshot) return false;
        const salesforceValue = (salesforceValues[field.salesforce.name] ?? null) as Parameters<
            typeof canonicalSalesforce
        >[1];
        const salesforceHash = valueHash(canonicalSalesforce(field.conversion, salesforceValue));
        const hubspotHash = valueHash(canonicalHubSpot(field.conversion, hubspotValues[field.hubspot.name] ?? null));
        return salesforceHash !== snapshot.salesforceHash && hubspotHash !== snapshot.hubspotHash;
    });
}
