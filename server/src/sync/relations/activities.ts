/**
 * Activities: Salesforce Tasks/Events become HubSpot engagements (calls, emails, meetings, tasks,
 * notes) associated with the synced contact, company and deal; configured engagement types come back
 * as Salesforce records. Both directions are idempotent through the package's engagement ID field: a
 * record that already carries an engagement ID is never copied again (`planEngagementUpdate` gives
 * what its engagement should hold after the activity changed). Values cross with the same
 * conversions and pre-write checks as record fields.
 */
import type { ErrorCategory } from '../errors';
import type { ActivityRoute, EngagementType } from '../mapping/schema';
import type { ResolvedActivity } from '../schema/validate-relations';
import { toHubSpot, toSalesforce, type HubSpotValue, type SalesforceValue } from '../values/conversion';
import { validateForHubSpot, validateForSalesforce } from '../values/validate-value';

export interface LinkedRecord {
    hubspotObjectType: string;
    hubspotId: string;
}

export interface ActivityValueError {
    field: string;
    property: string;
    category: ErrorCategory;
    message: string;
}

export interface EngagementPlan {
    engagementType: EngagementType;
    properties: Record<string, string>;
    /** HubSpot records to associate on create, from the Who/What links. */
    associations: LinkedRecord[];
    /** Values left out because HubSpot would reject them; the engagement is still created. */
    errors: ActivityValueError[];
}

/** The first route whose condition holds; the last route may be a catch-all. */
export function routeActivity(
    routes: ResolvedActivity['routes'],
    values: Record<string, SalesforceValue | undefined>
): ResolvedActivity['routes'][number] | undefined {
    return routes.find(({ route }) => matchesRoute(route, values));
}

function matchesRoute(route: ActivityRoute, values: Record<string, SalesforceValue | undefined>): boolean {
    if (!route.when) return true;
    const value = values[route.when.field];
    return typeof value === 'string' && route.when.in.includes(value);
}

export type EngagementDecision =
    | { action: 'create'; plan: EngagementPlan }
    | { action: 'skip'; reason: 'already_synced' | 'no_route' | 'not_this_direction' | 'no_timestamp' };

/**
 * `links` resolves the activity's WhoId/WhatId to linked HubSpot records (unlinked ones are left out).
 */
export function planEngagementFromActivity(
    resolved: ResolvedActivity,
    record: { id: string; values: Record<string, SalesforceValue | undefined> },
    links: (salesforceId: string) => LinkedRecord | undefined
): EngagementDecision {
    const { activity } = resolved;
    if (activity.direction === 'hubspot_to_salesforce') return { action: 'skip', reason: 'not_this_direction' };
    const engagementId = record.values[activity.engagementIdField];
    if (typeof engagementId === 'string' && engagementId !== '') return { action: 'skip', reason: 'already_synced' };
    const planned = engagementValues(resolved, record.values);
    if ('reason' in planned) return { action: 'skip', reason: planned.reason };
    // A new engagement has nothing to clear.
    const properties = Object.fromEntries(Object.entries(planned.properties).filter(([, value]) => value !== ''));
    const associations = [activity.whoField, activity.whatField]
        .map((field) => record.values[field])
        .filter((id): id is string => typeof id === 'string' && id !== '')
        .map(links)
        .filter((linked): linked is LinkedRecord => linked !== undefined);
    return {
        action: 'create',
        plan: { engagementType: planned.engagementType, properties, associations, errors: planned.errors }
    };
}

/**
 * What an engagement copied earlier should hold now, for an update after its activity changed. Cleared
 * fields are sent as '' (HubSpot clears the property), so the result is complete and can be compared by
 * hash with what was written last. Associations are set when the engagement is created.
 */
export function planEngagementUpdate(
    resolved: ResolvedActivity,
    values: Record<string, SalesforceValue | undefined>
): Omit<EngagementPlan, 'associations'> | { reason: 'no_route' | 'no_timestamp' } {
    return engagementValues(resolved, values);
}

function engagementValues(
    resolved: ResolvedActivity,
    values: Record<string, SalesforceValue | undefined>
): Omit<EngagementPlan, 'associations'> | { reason: 'no_route' | 'no_timestamp' } {
    const { activity } = resolved;
    const routed = routeActivity(resolved.routes, values);
    if (!routed) return { reason: 'no_route' };
    const timestampConversion = resolved.timestampField.type === 'date' ? 'date_to_datetime' : 'datetime';
    const timestamp = toHubSpot(timestampConversion, values[activity.timestampField] ?? null);
    if (!timestamp.ok || timestamp.value === '') return { reason: 'no_timestamp' };

    const properties: Record<string, string> = { hs_timestamp: timestamp.value };
    const errors: ActivityValueError[] = [];
    for (const property of routed.properties) {
        const field = property.salesforce.name;
        const converted = toHubSpot(property.conversion, values[field] ?? null, {
            ...(property.valueMap === undefined ? {} : { valueMap: property.valueMap })
        });
        const problem = converted.ok ? validateForHubSpot(converted.value, property.hubspot) : converted;
        if (problem)
            errors.push({
                field,
                property: property.hubspot.name,
                category: problem.category,
                message: problem.message
            });
        else if (converted.ok) properties[property.hubspot.name] = converted.value;
    }
    return { engagementType: routed.route.engagementType, properties, errors };
}

export interface SalesforceActivityPlan {
    salesforceObject: string;
    fields: Record<string, SalesforceValue>;
    errors: ActivityValueError[];
}

/**
 * `related` holds the Salesforce IDs linked to the engagement's associated contact (who) and
 * company or deal (what), when the adapter found them.
 */
export function planActivityFromEngagement(
    resolved: ResolvedActivity,
    engagement: { id: string; type: EngagementType; properties: Record<string, HubSpotValue | undefined> },
    related: { who?: string; what?: string } = {}
): SalesforceActivityPlan | undefined {
    const { activity } = resolved;
    if (
        activity.direction === 'salesforce_to_hubspot' ||
        !activity.hubspotTypesToSalesforce.includes(engagement.type)
    ) {
        return undefined;
    }
    const routed = resolved.routes.find(({ route }) => route.engagementType === engagement.type);
    if (!routed) return undefined;
    const fields: Record<string, SalesforceValue> = { [activity.engagementIdField]: engagement.id };
    const errors: ActivityValueError[] = [];
    for (const property of routed.properties) {
        const converted = toSalesforce(property.conversion, engagement.properties[property.hubspot.name] ?? null, {
            ...(property.valueMap === undefined ? {} : { valueMap: property.valueMap })
        });
        const problem = converted.ok ? validateForSalesforce(converted.value, property.salesforce) : converted;
        if (problem) {
            errors.push({
                field: property.salesforce.name,
                property: property.hubspot.name,
                category: problem.category,
                message: problem.message
            });
        } else if (converted.ok && converted.value !== null) {
            fields[property.salesforce.name] = converted.value;
        }
    }
    // The route's condition value marks the record's kind (e.g. TaskSubtype = Call) so it routes back the same way.
    if (routed.route.when) fields[routed.route.when.field] = routed.route.when.in[0];
    const timestampConversion = resolved.timestampField.type === 'date' ? 'date_to_datetime' : 'datetime';
    const timestamp = toSalesforce(timestampConversion, engagement.properties.hs_timestamp ?? null);
    if (timestamp.ok && timestamp.value !== null) fields[activity.timestampField] = timestamp.value;
    if (related.who) fields[activity.whoField] = related.who;
    if (related.what) fields[activity.whatField] = related.what;
    return { salesforceObject: activity.salesforceObject, fields, errors };
}
