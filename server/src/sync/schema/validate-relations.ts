/**
 * Associations and activity mappings checked against the live schemas; activities also resolve their
 * property pairs to conversions, like record fields.
 */
import { filterFields } from '../mapping/filter';
import type { ActivityMapping, ActivityRoute, AssociationMapping, MappingFile, ValueMap } from '../mapping/schema';
import { chooseConversion, type Conversion } from '../values/conversion';
import { isSalesforceReadOnly, type HubSpotPropertySchema, type SalesforceFieldSchema } from './live-schema';
import type { Reporter } from './problems';

export interface ResolvedActivityProperty {
    salesforce: SalesforceFieldSchema;
    hubspot: HubSpotPropertySchema;
    conversion: Conversion;
    valueMap?: ValueMap;
}

export interface ResolvedActivity {
    activity: ActivityMapping;
    timestampField: SalesforceFieldSchema;
    /** In the mapping's order; each with its properties resolved to conversions. */
    routes: { route: ActivityRoute; properties: ResolvedActivityProperty[] }[];
}

export function checkAssociation(
    association: AssociationMapping,
    mapping: MappingFile,
    salesforceFieldsOf: (object: string) => Map<string, SalesforceFieldSchema> | undefined,
    report: Reporter
): void {
    const objectOf = (id: string) => mapping.records.find((record) => record.id === id)?.salesforceObject;
    const checkLookup = (object: string | undefined, field: string) => {
        if (!object) return;
        const fields = salesforceFieldsOf(object);
        if (!fields) {
            report.fatal(
                'unknown_salesforce_object',
                object,
                undefined,
                'the object does not exist or the integration user cannot see it'
            );
            return;
        }
        const described = fields.get(field);
        if (!described) report.fatal('unknown_salesforce_field', object, field, 'no such field');
        else if (described.type !== 'reference')
            report.fatal(
                'lookup_not_a_reference',
                object,
                field,
                `an association needs a lookup, not ${described.type}`
            );
    };
    if (association.kind === 'lookup') {
        checkLookup(objectOf(association.from), association.field);
    } else {
        checkLookup(association.salesforceObject, association.from.field);
        checkLookup(association.salesforceObject, association.to.field);
    }
}

export function checkActivity(
    activity: ActivityMapping,
    salesforceFieldsOf: (object: string) => Map<string, SalesforceFieldSchema> | undefined,
    hubspotPropertiesOf: (objectType: string) => Map<string, HubSpotPropertySchema> | undefined,
    report: Reporter
): ResolvedActivity | undefined {
    const object = activity.salesforceObject;
    const fields = salesforceFieldsOf(object);
    if (!fields) {
        report.fatal(
            'unknown_salesforce_object',
            object,
            undefined,
            'the object does not exist or the integration user cannot see it'
        );
        return undefined;
    }
    const requireField = (name: string) => {
        const field = fields.get(name);
        if (!field) report.fatal('unknown_salesforce_field', object, name, 'no such field');
        return field;
    };
    const idField = requireField(activity.engagementIdField);
    if (idField && isSalesforceReadOnly(idField)) {
        report.fatal('salesforce_field_read_only', object, idField.name, 'the engine writes the engagement ID here');
    }
    const timestampField = requireField(activity.timestampField);
    if (timestampField && timestampField.type !== 'date' && timestampField.type !== 'datetime') {
        report.fatal(
            'incompatible_types',
            object,
            timestampField.name,
            `the timestamp must be a date or datetime, not ${timestampField.type}`
        );
    }
    requireField(activity.whoField);
    requireField(activity.whatField);
    if (activity.scope)
        for (const name of filterFields(activity.scope).filter((name) => !name.includes('.'))) requireField(name);

    let complete = timestampField !== undefined;
    const routes = activity.routes.map((route) => {
        if (route.when) requireField(route.when.field);
        const properties = hubspotPropertiesOf(route.engagementType);
        if (!properties) {
            report.fatal(
                'unknown_hubspot_object_type',
                route.engagementType,
                undefined,
                'the engagement type is not available'
            );
            complete = false;
            return { route, properties: [] };
        }
        const resolved: ResolvedActivityProperty[] = [];
        for (const pair of route.properties) {
            const salesforce = requireField(pair.salesforce);
            const hubspot = properties.get(pair.hubspot);
            if (!hubspot)
                report.fatal('unknown_hubspot_property', route.engagementType, pair.hubspot, 'no such property');
            if (!salesforce || !hubspot) {
                complete = false;
                continue;
            }
            const conversion = chooseConversion(salesforce, hubspot, false);
            if (!conversion) {
                report.fatal(
                    'incompatible_types',
                    object,
                    pair.salesforce,
                    `Salesforce ${salesforce.type} cannot sync with HubSpot ${hubspot.type}/${hubspot.fieldType} property ${hubspot.name}`
                );
                complete = false;
                continue;
            }
            resolved.push({
                salesforce,
                hubspot,
                conversion,
                ...(pair.valueMap === undefined ? {} : { valueMap: pair.valueMap })
            });
        }
        return { route, properties: resolved };
    });
    return complete && timestampField ? { activity, timestampField, routes } : undefined;
}
