/**
 * Creating the counterpart of an unmatched record, under the mapping's create rules. A create is the
 * first sync of a pair whose other side is empty, so it reuses the same planner over a blank
 * counterpart; what it adds is the ID back-reference and, for Salesforce, the required-field check
 * (a record Salesforce would refuse is not sent, it becomes an error naming the missing fields).
 */
import type { MappingFile } from '../mapping/schema';
import type { ResolvedRecordMapping } from '../schema/validate-mapping';
import type { HubSpotValue, SalesforceValue } from '../values/conversion';
import { planLinkedPair, type PairContext } from './record-pair';
import type { RecordPlan } from './plan-record';

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
    // Nothing exists in Salesforce yet, so nothing may flow to HubSpot from it.
    plan.toHubSpot = {};
    plan.audit = plan.audit.filter((entry) => entry.direction === 'to_salesforce');
    const idField = resolved.mapping.identity.hubspotIdField;
    if (idField) plan.toSalesforce[idField] = record.id;
    markCreated(plan, 'to_salesforce');

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
