/**
 * One linked record pair in, one plan out: which fields go to Salesforce, which properties go to
 * HubSpot, the conflicts, the per-field errors (the other fields still sync) and the audit entries.
 * Pure; the runner batches the writes and stores `snapshots` only after they succeed, so a crash or a
 * failed write repeats the work instead of losing it.
 */
import { hash } from 'node:crypto';

import type { ErrorCategory } from '../errors';
import type { SyncRule } from '../mapping/schema';
import type { ResolvedField } from '../schema/validate-mapping';
import {
    canonicalHubSpot,
    canonicalSalesforce,
    toHubSpot,
    toSalesforce,
    type ConversionContext,
    type HubSpotValue,
    type SalesforceValue
} from '../values/conversion';
import type { OwnerDirectory } from '../values/owners';
import { validateForHubSpot, validateForSalesforce } from '../values/validate-value';
import { applyRule, type RuleReason } from './rules';

/** The state of one field after it last synced: both values and the hashes of their canonical forms. */
export interface FieldSnapshot {
    salesforceValue: SalesforceValue;
    hubspotValue: HubSpotValue;
    salesforceHash: string;
    hubspotHash: string;
}

export interface RecordPairState {
    salesforce: {
        id: string;
        values: Record<string, SalesforceValue | undefined>;
        /** SystemModstamp of the record, ISO-8601. */
        modifiedAt: string;
        /** See `SalesforceRecord.writtenByIntegrationOnly`. */
        writtenByIntegrationOnly?: boolean;
    };
    hubspot: {
        id: string;
        values: Record<string, HubSpotValue | undefined>;
        /** Record-level lastmodifieddate / hs_lastmodifieddate, the fallback when a property has no history. */
        modifiedAt: string;
        /** Per property: when its current value was set (propertiesWithHistory[name][0].timestamp). */
        propertyChangedAt?: Record<string, string | undefined>;
        /**
         * Per property: the values it held before its current one, newest first (the rest of its history).
         * A field without a snapshot whose Salesforce value HubSpot held earlier is compared three-way
         * against that value: both sides agreed on it, and HubSpot moved on since.
         */
        propertyEarlierValues?: Record<string, (HubSpotValue | null)[] | undefined>;
    };
    /** By Salesforce field name; absent before the first sync. */
    snapshots: Record<string, FieldSnapshot | undefined>;
}

export type WriteDirection = 'to_salesforce' | 'to_hubspot';

export interface AuditEntry {
    field: string;
    property: string;
    direction: WriteDirection;
    rule: SyncRule;
    reason: RuleReason;
    before: SalesforceValue | HubSpotValue;
    after: SalesforceValue | HubSpotValue;
}

export interface FieldConflict {
    field: string;
    property: string;
    salesforceValue: SalesforceValue;
    hubspotValue: HubSpotValue;
    salesforceChangedAt: string;
    hubspotChangedAt: string;
    winner: 'salesforce' | 'hubspot';
}

export interface FieldError {
    field: string;
    property: string;
    direction: WriteDirection;
    category: ErrorCategory;
    message: string;
}

export interface RecordPlan {
    toSalesforce: Record<string, SalesforceValue>;
    /** HubSpot wire values; `''` clears a property. */
    toHubSpot: Record<string, string>;
    conflicts: FieldConflict[];
    errors: FieldError[];
    audit: AuditEntry[];
    /** Snapshots to store once the writes succeed, by Salesforce field name. */
    snapshots: Record<string, FieldSnapshot>;
    /** HubSpot properties to clear in a write before `toHubSpot` (a lifecycle stage moving backwards). */
    clearBeforeWrite?: string[];
}

export interface PlanContext {
    owners?: OwnerDirectory;
}

/** Characters of a value hash: the first 22 of the SHA-256 digest in base64url (132 bits). */
const valueHashLength = 22;

/**
 * Hash of a canonical value; the snapshot keeps hashes so echo checks need no stored plaintext compare.
 * The characters are copied into a string of their own, as a window holds hundreds of thousands of them and
 * a `slice` of the digest would keep all 43 characters alive behind each one. A run hashes every mapped
 * field of every record it reads, so this is a hot path: the one-shot `hash` and the copy by char codes
 * take a third of the time of `createHash` and a Buffer.
 */
export function valueHash(canonical: string | null): string {
    const digest = hash('sha256', canonical === null ? '\u0000null' : `s:${canonical}`, 'base64url');
    const codes = new Array<number>(valueHashLength);
    for (let index = 0; index < valueHashLength; index += 1) codes[index] = digest.charCodeAt(index);
    return String.fromCharCode(...codes);
}

export function emptyPlan(): RecordPlan {
    return { toSalesforce: {}, toHubSpot: {}, conflicts: [], errors: [], audit: [], snapshots: {} };
}

export function planRecord(fields: ResolvedField[], state: RecordPairState, context: PlanContext = {}): RecordPlan {
    const plan = emptyPlan();
    for (const field of fields) planField(field, state, context, plan);
    return plan;
}

export function snapshotOf(field: ResolvedField, salesforce: SalesforceValue, hubspot: HubSpotValue): FieldSnapshot {
    return {
        salesforceValue: salesforce,
        hubspotValue: hubspot,
        salesforceHash: valueHash(canonicalSalesforce(field.conversion, salesforce)),
        hubspotHash: valueHash(canonicalHubSpot(field.conversion, hubspot))
    };
}

function planField(field: ResolvedField, state: RecordPairState, context: PlanContext, plan: RecordPlan): void {
    if (field.rule === 'dont_sync') return;
    const fieldName = field.salesforce.name;
    const propertyName = field.hubspot.name;
    const conversionContext: ConversionContext = {
        ...(field.valueMap === undefined ? {} : { valueMap: field.valueMap }),
        ...(context.owners === undefined ? {} : { owners: context.owners })
    };
    const salesforceValue = state.salesforce.values[fieldName] ?? null;
    const hubspotValue = state.hubspot.values[propertyName] ?? null;
    const salesforceCanonical = canonicalSalesforce(field.conversion, salesforceValue);
    const hubspotCanonical = canonicalHubSpot(field.conversion, hubspotValue);
    const salesforceHash = valueHash(salesforceCanonical);
    const hubspotHash = valueHash(hubspotCanonical);
    const snapshot = state.snapshots[fieldName];
    const hubspotChangedAt = state.hubspot.propertyChangedAt?.[propertyName] ?? state.hubspot.modifiedAt;
    // A record only the engine ever wrote holds values it copied from HubSpot: its SystemModstamp (the
    // engine's own write) says nothing about when those values were current, so HubSpot's are newer. Once a
    // field has a snapshot, the engine's own writes are in it: a Salesforce value off the snapshot is a user's
    // edit, even when an engine write since made the integration user the record's last modifier.
    const engineCopy = state.salesforce.writtenByIntegrationOnly === true && snapshot === undefined;
    const salesforceChangedAt = engineCopy ? new Date(0).toISOString() : state.salesforce.modifiedAt;

    const asHubSpot = toHubSpot(field.conversion, salesforceValue, conversionContext);
    const salesforceAgreesWith = (hubspot: HubSpotValue) =>
        asHubSpot.ok
            ? canonicalHubSpot(field.conversion, asHubSpot.value) === canonicalHubSpot(field.conversion, hubspot)
            : salesforceCanonical === canonicalHubSpot(field.conversion, hubspot);
    const inSync = salesforceAgreesWith(hubspotValue);

    // Before the first snapshot, the last value both sides held (from HubSpot's history) is the base of the
    // three-way comparison, so a side that kept it never beats the side that changed it, however recently
    // its record was touched on other fields. Without one, each side's value counts as its change.
    const earlierAgreed = snapshot
        ? undefined
        : state.hubspot.propertyEarlierValues?.[propertyName]?.find((earlier) => salesforceAgreesWith(earlier));
    const base =
        snapshot ?? (earlierAgreed === undefined ? undefined : snapshotOf(field, salesforceValue, earlierAgreed));

    const outcome = applyRule({
        rule: field.rule,
        writable: field.writable,
        salesforceBlank: salesforceCanonical === null,
        hubspotBlank: hubspotCanonical === null,
        salesforceChanged: base ? base.salesforceHash !== salesforceHash : undefined,
        hubspotChanged: base ? base.hubspotHash !== hubspotHash : undefined,
        inSync,
        salesforceChangedAt,
        hubspotChangedAt,
        snapshotSalesforceBlank: base ? base.salesforceValue === null || base.salesforceValue === '' : undefined
    });

    const recordError = (direction: WriteDirection, category: ErrorCategory, message: string): void => {
        plan.errors.push({ field: fieldName, property: propertyName, direction, category, message });
    };

    if (outcome.action === 'none') {
        // Record the agreed state (first sync, or both sides made the same edit) so later runs compare against it.
        if (
            inSync &&
            (!snapshot || snapshot.salesforceHash !== salesforceHash || snapshot.hubspotHash !== hubspotHash)
        ) {
            plan.snapshots[fieldName] = snapshotOf(field, salesforceValue, hubspotValue);
        }
        return;
    }

    // Values the engine copied into a record only it ever wrote are no edit of that side's: no conflict.
    if (outcome.conflict && !engineCopy) {
        plan.conflicts.push({
            field: fieldName,
            property: propertyName,
            salesforceValue,
            hubspotValue,
            salesforceChangedAt: state.salesforce.modifiedAt,
            hubspotChangedAt,
            winner: outcome.conflict.winner
        });
    }

    if (outcome.action === 'to_hubspot') {
        if (!asHubSpot.ok) return recordError('to_hubspot', asHubSpot.category, asHubSpot.message);
        const problem = validateForHubSpot(asHubSpot.value, field.hubspot);
        if (problem) return recordError('to_hubspot', problem.category, problem.message);
        plan.toHubSpot[propertyName] = asHubSpot.value;
        plan.audit.push({
            field: fieldName,
            property: propertyName,
            direction: 'to_hubspot',
            rule: field.rule,
            reason: outcome.reason,
            before: hubspotValue,
            after: asHubSpot.value === '' ? null : asHubSpot.value
        });
        plan.snapshots[fieldName] = snapshotOf(field, salesforceValue, asHubSpot.value === '' ? null : asHubSpot.value);
        return;
    }

    const asSalesforce = toSalesforce(field.conversion, hubspotValue, conversionContext);
    if (!asSalesforce.ok) return recordError('to_salesforce', asSalesforce.category, asSalesforce.message);
    const problem = validateForSalesforce(asSalesforce.value, field.salesforce);
    if (problem) return recordError('to_salesforce', problem.category, problem.message);
    plan.toSalesforce[fieldName] = asSalesforce.value;
    plan.audit.push({
        field: fieldName,
        property: propertyName,
        direction: 'to_salesforce',
        rule: field.rule,
        reason: outcome.reason,
        before: salesforceValue,
        after: asSalesforce.value
    });
    plan.snapshots[fieldName] = snapshotOf(field, asSalesforce.value, hubspotValue);
}
