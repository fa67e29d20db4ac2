/**
 * Creating the counterpart of an unmatched record, under the mapping's create rules. A create is the
 * first sync of a pair whose other side is empty, so it reuses the same planner over a blank
 * counterpart; what it adds is the ID back-reference and, for Salesforce, the required-field check
 * (a record Salesforce would refuse is not sent, it becomes an error naming the missing fields).
 */
import type { MappingFile } from '../mapping/schema';
import type { ResolvedField, ResolvedRecordMapping } from '../schema/validate-mapping';
import { toHubSpot, type HubSpotValue, type SalesforceValue } from '../values/conversion';
import { validateForHubSpot } from '../values/validate-value';
import { planLifecycleStage, planLinkedPair, type PairContext } from './record-pair';
import { snapshotOf, type RecordPlan } from './plan-record';

export interface CreatePlan extends RecordPlan {
    /** True when the record cannot be created (a required value is missing); nothing is written. */
    blocked: boolean;
}

const epoch = new Date(0).toISOString();

function markCreated(plan: RecordPlan, direction: 'to_hubspot' | 'to_salesforce'): void {
    for (const entry of plan.audit) if (entry.direction === direction) entry.reason = 'record_created';
}

export function planCreateInHubSpot(
    mapping: MappingFile,
    resolved: ResolvedRecordMapping,
    record: { id: string; values: Record<string, SalesforceValue | undefined>; modifiedAt: string },
    context: PairContext = {}
): CreatePlan {
    const creatable = { ...resolved, fields: resolved.fields.filter((field) => field.writable.hubspot) };
    const plan = planLinkedPair(
        mapping,
        creatable,
        {
            salesforce: record,
            hubspot: { id: '', values: {}, modifiedAt: epoch },
            snapshots: {}
        },
        context
    );
    for (const [property, value] of Object.entries(plan.toHubSpot)) if (value === '') delete plan.toHubSpot[property];
    const idProperty = resolved.mapping.identity.salesforceIdProperty;
    if (idProperty) plan.toHubSpot[idProperty] = record.id;
    markCreated(plan, 'to_hubspot');
    return { ...plan, blocked: false };
}

/** The value Salesforce gives a new record whose create leaves the field out: its active default picklist value. */
function salesforceDefault(field: ResolvedField): string | undefined {
    if (!field.salesforce.createable) return undefined;
    return field.salesforce.picklistValues?.find((entry) => entry.active && entry.defaultValue === true)?.value;
}

/**
 * Mapped fields the create leaves empty and Salesforce defaults: the default is written
 * explicitly, copied to HubSpot when it converts to a value HubSpot accepts, and snapshotted as synced.
 */
function fillSalesforceDefaults(
    resolved: ResolvedRecordMapping,
    record: { values: Record<string, HubSpotValue | undefined> },
    plan: RecordPlan,
    context: PairContext
): void {
    for (const field of resolved.fields) {
        const name = field.salesforce.name;
        const planned = plan.toSalesforce[name];
        const value = salesforceDefault(field);
        if (field.rule === 'dont_sync' || value === undefined || (planned !== undefined && planned !== null)) continue;
        // A HubSpot value that did not make it into the create (refused, recorded as an error) is not overwritten,
        // unless the rule lets only Salesforce write the field.
        if (field.rule !== 'always_salesforce' && (record.values[field.hubspot.name] ?? '') !== '') continue;
        plan.toSalesforce[name] = value;
        if (!field.writable.hubspot) continue;
        const asHubSpot = toHubSpot(field.conversion, value, {
            ...(field.valueMap === undefined ? {} : { valueMap: field.valueMap }),
            ...(context.owners === undefined ? {} : { owners: context.owners })
        });
        // A default HubSpot would refuse is left to the next run, which records the error on the pair.
        if (!asHubSpot.ok || asHubSpot.value === '' || validateForHubSpot(asHubSpot.value, field.hubspot)) continue;
        plan.toHubSpot[field.hubspot.name] = asHubSpot.value;
        plan.snapshots[name] = snapshotOf(field, value, asHubSpot.value);
        plan.audit.push({
            field: name,
            property: field.hubspot.name,
            direction: 'to_hubspot',
            rule: field.rule,
            reason: 'record_created',
            before: null,
            after: asHubSpot.value
        });
    }
}

/**
 * A field only Salesforce writes (`always_salesforce`) that the new record leaves blank, with nothing of
 * Salesforce's to fill it, is blank in HubSpot too by the rule: cleared with the new record's ID and
 * snapshotted as synced, so the next run neither clears it nor reads the record back for it.
 */
function clearWhatOnlySalesforceWrites(
    resolved: ResolvedRecordMapping,
    record: { values: Record<string, HubSpotValue | undefined> },
    plan: RecordPlan
): void {
    for (const field of resolved.fields) {
        const { salesforce, hubspot } = field;
        const value = record.values[hubspot.name] ?? null;
        if (field.rule !== 'always_salesforce' || !field.writable.hubspot || value === null || value === '') continue;
        // What Salesforce fills in itself (a formula, a default it does not describe) is only known once read.
        if (!salesforce.createable || salesforce.calculated || salesforce.defaultedOnCreate) continue;
        const planned = plan.toSalesforce[salesforce.name];
        if ((planned !== undefined && planned !== null) || plan.toHubSpot[hubspot.name] !== undefined) continue;
        plan.toHubSpot[hubspot.name] = '';
        plan.snapshots[salesforce.name] = snapshotOf(field, null, null);
        plan.audit.push({
            field: salesforce.name,
            property: hubspot.name,
            direction: 'to_hubspot',
            rule: field.rule,
            reason: 'record_created',
            before: value,
            after: null
        });
    }
}

export function planCreateInSalesforce(
    mapping: MappingFile,
    resolved: ResolvedRecordMapping,
    record: {
        id: string;
        values: Record<string, HubSpotValue | undefined>;
        modifiedAt: string;
        propertyChangedAt?: Record<string, string | undefined>;
    },
    context: PairContext = {}
): CreatePlan {
    const creatable = {
        ...resolved,
        fields: resolved.fields.filter((field) => field.writable.salesforce && field.salesforce.createable)
    };
    const plan = planLinkedPair(
        mapping,
        { ...creatable, mapping: { ...creatable.mapping, lifecycle: undefined } },
        {
            salesforce: { id: '', values: {}, modifiedAt: epoch },
            hubspot: record,
            snapshots: {}
        },
        context
    );
    // Nothing exists in Salesforce yet, so nothing may flow to HubSpot from it...
    plan.toHubSpot = {};
    plan.audit = plan.audit.filter((entry) => entry.direction === 'to_salesforce');
    const idField = resolved.mapping.identity.hubspotIdField;
    if (idField) plan.toSalesforce[idField] = record.id;
    markCreated(plan, 'to_salesforce');
    // ... but what Salesforce fills in on create (picklist defaults, and the stage derived from them) is decided
    // now and goes to HubSpot with the new record's ID: left to the next run, the new record would come back as
    // a change and cost a write on each side.
    fillSalesforceDefaults(resolved, record, plan, context);
    clearWhatOnlySalesforceWrites(resolved, record, plan);
    planLifecycleStage(mapping, resolved, plan.toSalesforce, record.values, plan, context.opportunities);

    const missing = [...resolved.salesforceFields.values()]
        .filter((field) => field.createable && !field.nillable && !field.defaultedOnCreate && field.type !== 'boolean')
        .filter((field) => plan.toSalesforce[field.name] === undefined || plan.toSalesforce[field.name] === null)
        .map((field) => field.name);
    for (const name of missing) {
        const mapped = resolved.fields.find((field) => field.salesforce.name === name);
        plan.errors.push({
            field: name,
            property: mapped?.hubspot.name ?? '',
            direction: 'to_salesforce',
            category: 'field_value',
            message: mapped
                ? `${resolved.mapping.salesforceObject}.${name} is required, but HubSpot ${mapped.hubspot.name} is blank`
                : `${resolved.mapping.salesforceObject}.${name} is required and no HubSpot property is mapped to it`
        });
    }
    return { ...plan, blocked: missing.length > 0 };
}
