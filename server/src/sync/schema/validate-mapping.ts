/**
 * The mapping checked against both live schemas, as a pure function over plain data.
 *
 * Fatal problems (unknown objects, fields or properties, incompatible types, writes to formula or
 * read-only targets) stop the start with one message listing all of them. Warnings (picklist values on
 * one side only, inactive Salesforce values, DateTime → date losing the time, ...) are shown in the
 * dashboard and CLI. Each problem has a stable code plus the mapping, object and field it concerns.
 * The same pass resolves every mapped field to its conversion and target metadata for the planner.
 */
import {
    ruleWritesHubSpot,
    ruleWritesSalesforce,
    type FieldMapping,
    type MappingFile,
    type RecordMapping,
    type SyncRule,
    type ValueMap
} from '../mapping/schema';
import { filterFields } from '../mapping/filter';
import { chooseConversion, type Conversion } from '../values/conversion';
import {
    isHubSpotReadOnly,
    isSalesforceReadOnly,
    LiveSchemas,
    type HubSpotPropertySchema,
    type LiveSchemasInput,
    type SalesforceFieldSchema
} from './live-schema';
import { MappingSchemaError, reporter, type Reporter, type SchemaProblem } from './problems';
import { checkActivity, checkAssociation, type ResolvedActivity } from './validate-relations';

export interface ResolvedField {
    salesforce: SalesforceFieldSchema;
    hubspot: HubSpotPropertySchema;
    rule: SyncRule;
    conversion: Conversion;
    valueMap?: ValueMap;
    owner: boolean;
    /** What the engine may write, from the rule and the targets' read-only flags together. */
    writable: { salesforce: boolean; hubspot: boolean };
}

export interface ResolvedRecordMapping {
    mapping: RecordMapping;
    fields: ResolvedField[];
    salesforceFields: Map<string, SalesforceFieldSchema>;
    hubspotProperties: Map<string, HubSpotPropertySchema>;
}

export interface MappingValidation {
    fatal: SchemaProblem[];
    warnings: SchemaProblem[];
    /** Enabled record mappings by id, with the fields that resolved cleanly. */
    resolved: Map<string, ResolvedRecordMapping>;
    /** Enabled activity mappings by id. */
    activities: Map<string, ResolvedActivity>;
}

export function assertMappingFitsSchemas(validation: MappingValidation): MappingValidation {
    if (validation.fatal.length > 0) throw new MappingSchemaError(validation.fatal);
    return validation;
}

const syncStatusValues = ['Not Synced', 'Pending', 'Synced', 'Error', 'Excluded'];

export function validateMappingAgainstSchemas(mapping: MappingFile, liveInput: LiveSchemasInput): MappingValidation {
    const live = LiveSchemas.parse(liveInput);
    const problems: SchemaProblem[] = [];
    const resolved = new Map<string, ResolvedRecordMapping>();

    const salesforceFieldsOf = (object: string) => {
        const described = live.salesforce[object];
        return described ? new Map(described.fields.map((field) => [field.name, field])) : undefined;
    };
    const hubspotPropertiesOf = (objectType: string) => {
        const properties = live.hubspot[objectType];
        return properties ? new Map(properties.map((property) => [property.name, property])) : undefined;
    };

    for (const record of mapping.records) {
        if (!record.enabled) continue;
        const report = reporter(problems, record.id);
        const salesforceFields = salesforceFieldsOf(record.salesforceObject);
        const hubspotProperties = hubspotPropertiesOf(record.hubspotObjectType);
        if (!salesforceFields) {
            report.fatal(
                'unknown_salesforce_object',
                record.salesforceObject,
                undefined,
                'the object does not exist or the integration user cannot see it'
            );
        }
        if (!hubspotProperties) {
            report.fatal(
                'unknown_hubspot_object_type',
                record.hubspotObjectType,
                undefined,
                'the object type does not exist in HubSpot'
            );
        }
        if (!salesforceFields || !hubspotProperties) continue;

        const checker = new RecordChecker(record, salesforceFields, hubspotProperties, report);
        const fields = record.fields
            .map((field) => checker.resolveField(field))
            .filter((field): field is ResolvedField => field !== undefined);
        checker.checkIdentityAndStatus();
        checker.checkLifecycle(mapping);
        checker.checkDealStages(live.hubspotPipelines);
        resolved.set(record.id, { mapping: record, fields, salesforceFields, hubspotProperties });
    }

    for (const association of mapping.associations) {
        if (association.enabled)
            checkAssociation(association, mapping, salesforceFieldsOf, reporter(problems, association.id));
    }
    const activities = new Map<string, ResolvedActivity>();
    for (const activity of mapping.activities) {
        if (!activity.enabled) continue;
        const checked = checkActivity(
            activity,
            salesforceFieldsOf,
            hubspotPropertiesOf,
            reporter(problems, activity.id)
        );
        if (checked) activities.set(activity.id, checked);
    }

    return {
        fatal: problems.filter((problem) => problem.severity === 'fatal'),
        warnings: problems.filter((problem) => problem.severity === 'warning'),
        resolved,
        activities
    };
}

class RecordChecker {
    constructor(
        private readonly record: RecordMapping,
        private readonly salesforceFields: Map<string, SalesforceFieldSchema>,
        private readonly hubspotProperties: Map<string, HubSpotPropertySchema>,
        private readonly report: Reporter
    ) {}

    private salesforceField(name: string): SalesforceFieldSchema | undefined {
        const field = this.salesforceFields.get(name);
        if (!field) this.report.fatal('unknown_salesforce_field', this.record.salesforceObject, name, 'no such field');
        return field;
    }

    private hubspotProperty(name: string): HubSpotPropertySchema | undefined {
        const property = this.hubspotProperties.get(name);
        if (!property)
            this.report.fatal('unknown_hubspot_property', this.record.hubspotObjectType, name, 'no such property');
        return property;
    }

    /** A field the engine itself writes (identity, status, lifecycle): it must exist and be writable. */
    private engineWrittenSalesforceField(name: string | undefined): void {
        if (name === undefined) return;
        const field = this.salesforceField(name);
        if (field && isSalesforceReadOnly(field)) {
            this.report.fatal(
                'salesforce_field_read_only',
                this.record.salesforceObject,
                name,
                'the engine writes this field but it is read-only'
            );
        }
    }

    private engineWrittenHubSpotProperty(name: string | undefined): void {
        if (name === undefined) return;
        const property = this.hubspotProperty(name);
        if (property && isHubSpotReadOnly(property)) {
            this.report.fatal(
                'hubspot_property_read_only',
                this.record.hubspotObjectType,
                name,
                'the engine writes this property but it is read-only'
            );
        }
    }

    resolveField(mapped: FieldMapping): ResolvedField | undefined {
        const object = this.record.salesforceObject;
        const salesforce = this.salesforceField(mapped.salesforce);
        const hubspot = this.hubspotProperty(mapped.hubspot);
        if (!salesforce || !hubspot) return undefined;

        if (mapped.owner && salesforce.type !== 'reference') {
            this.report.fatal(
                'owner_field_not_a_reference',
                object,
                mapped.salesforce,
                `an owner field must be a user lookup, not ${salesforce.type}`
            );
            return undefined;
        }
        const conversion = chooseConversion(salesforce, hubspot, mapped.owner);
        if (!conversion) {
            this.report.fatal(
                'incompatible_types',
                object,
                mapped.salesforce,
                `Salesforce ${salesforce.type} cannot sync with HubSpot ${hubspot.type}/${hubspot.fieldType} property ${hubspot.name}`
            );
            return undefined;
        }

        const writable = this.checkWritability(mapped, salesforce, hubspot);
        if (!writable) return undefined;
        if (conversion === 'datetime_to_date' && writable.hubspot) {
            this.report.warning(
                'datetime_loses_time',
                object,
                mapped.salesforce,
                `HubSpot date property ${hubspot.name} keeps the day only; the time is lost`
            );
        }
        if (conversion === 'picklist' || conversion === 'multipicklist') {
            this.checkPicklist(mapped, salesforce, hubspot, writable);
        }
        return {
            salesforce,
            hubspot,
            rule: mapped.rule,
            conversion,
            ...(mapped.valueMap === undefined ? {} : { valueMap: mapped.valueMap }),
            owner: mapped.owner,
            writable
        };
    }

    private checkWritability(
        mapped: FieldMapping,
        salesforce: SalesforceFieldSchema,
        hubspot: HubSpotPropertySchema
    ): ResolvedField['writable'] | undefined {
        const object = this.record.salesforceObject;
        const salesforceReadOnly = isSalesforceReadOnly(salesforce);
        const hubspotReadOnly = isHubSpotReadOnly(hubspot);
        const wantsSalesforce = ruleWritesSalesforce(mapped.rule);
        const wantsHubSpot = ruleWritesHubSpot(mapped.rule);

        if (mapped.rule === 'two_way' && salesforceReadOnly && hubspotReadOnly) {
            this.report.fatal(
                'salesforce_field_read_only',
                object,
                mapped.salesforce,
                `both ${mapped.salesforce} and ${hubspot.name} are read-only`
            );
            return undefined;
        }
        if (mapped.rule === 'two_way' && (salesforceReadOnly || hubspotReadOnly)) {
            // A computed value (formula, HubSpot score) has one owner; two_way then means "copy it from there".
            const owner = salesforceReadOnly ? 'Salesforce → HubSpot' : 'HubSpot → Salesforce';
            this.report.warning(
                'two_way_one_direction',
                object,
                mapped.salesforce,
                `one side is read-only, so the field syncs ${owner} only`
            );
            return { salesforce: !salesforceReadOnly, hubspot: !hubspotReadOnly };
        }
        let fatal = false;
        if (wantsSalesforce && salesforceReadOnly) {
            const reason = salesforce.calculated ? 'a formula field' : 'read-only';
            this.report.fatal(
                'salesforce_field_read_only',
                object,
                mapped.salesforce,
                `rule ${mapped.rule} writes it but it is ${reason}`
            );
            fatal = true;
        }
        if (wantsHubSpot && hubspotReadOnly) {
            this.report.fatal(
                'hubspot_property_read_only',
                this.record.hubspotObjectType,
                hubspot.name,
                `rule ${mapped.rule} writes it but it is read-only`
            );
            fatal = true;
        }
        if (fatal) return undefined;
        if (wantsSalesforce && !salesforce.createable && salesforce.updateable) {
            this.report.warning(
                'salesforce_field_create_only',
                object,
                mapped.salesforce,
                'updates only; it is not set when HubSpot creates the record'
            );
        }
        return { salesforce: wantsSalesforce, hubspot: wantsHubSpot };
    }

    private checkPicklist(
        mapped: FieldMapping,
        salesforce: SalesforceFieldSchema,
        hubspot: HubSpotPropertySchema,
        writable: ResolvedField['writable']
    ): void {
        const object = this.record.salesforceObject;
        const entries = salesforce.picklistValues ?? [];
        const isSalesforcePicklist = salesforce.type === 'picklist' || salesforce.type === 'multipicklist';
        const isHubSpotEnumeration = hubspot.type === 'enumeration' && !hubspot.externalOptions;
        const active = new Set(entries.filter((entry) => entry.active).map((entry) => entry.value));
        const inactive = new Set(entries.filter((entry) => !entry.active).map((entry) => entry.value));
        const hubspotOptions = new Set(hubspot.options.map((option) => option.value));
        const valueMap = mapped.valueMap ?? {};
        const toHubSpot = (value: string) => valueMap[value] ?? value;
        const reverse = new Map(Object.entries(valueMap).map(([from, to]) => [to, from]));
        const toSalesforce = (value: string) => reverse.get(value) ?? value;

        if (isSalesforcePicklist) {
            const unknownKeys = Object.keys(valueMap).filter((value) => !active.has(value) && !inactive.has(value));
            if (unknownKeys.length > 0) {
                this.report.warning(
                    'value_map_unknown_salesforce_value',
                    object,
                    mapped.salesforce,
                    'the value map names values the picklist does not have',
                    unknownKeys
                );
            }
        }
        if (writable.hubspot && isSalesforcePicklist && isHubSpotEnumeration) {
            const missing = [...active].filter((value) => !hubspotOptions.has(toHubSpot(value)));
            if (missing.length > 0) {
                this.report.warning(
                    'picklist_values_missing_in_hubspot',
                    object,
                    mapped.salesforce,
                    `records with these values cannot sync to ${hubspot.name}`,
                    missing
                );
            }
        }
        if (writable.salesforce && isSalesforcePicklist && isHubSpotEnumeration) {
            const candidates = [...hubspotOptions].map(toSalesforce);
            const missing = candidates.filter((value) => !active.has(value) && !inactive.has(value));
            if (missing.length > 0) {
                this.report.warning(
                    'picklist_values_missing_in_salesforce',
                    object,
                    mapped.salesforce,
                    `HubSpot options of ${hubspot.name} that ${mapped.salesforce} does not have`,
                    missing
                );
            }
        }
        if (isSalesforcePicklist) {
            const reachable = new Set([...Object.keys(valueMap), ...[...hubspotOptions].map(toSalesforce)]);
            const stale = [...inactive].filter((value) => reachable.has(value));
            if (stale.length > 0) {
                this.report.warning(
                    'picklist_values_inactive_in_salesforce',
                    object,
                    mapped.salesforce,
                    'inactive in Salesforce but still mapped or offered in HubSpot; writing them fails (delete or map them)',
                    stale
                );
            }
        }
    }

    checkIdentityAndStatus(): void {
        const { identity, syncStatus, scope } = this.record;
        if (identity.match !== 'none') {
            if (identity.salesforceMatchField) this.salesforceField(identity.salesforceMatchField);
            if (identity.hubspotMatchProperty) this.hubspotProperty(identity.hubspotMatchProperty);
        }
        this.engineWrittenSalesforceField(identity.hubspotIdField);
        this.engineWrittenHubSpotProperty(identity.salesforceIdProperty);
        if (syncStatus) {
            this.engineWrittenSalesforceField(syncStatus.lastSyncedField);
            this.engineWrittenSalesforceField(syncStatus.errorField);
            this.engineWrittenSalesforceField(syncStatus.recordUrlField);
            this.engineWrittenSalesforceField(syncStatus.statusField);
            const statusField = syncStatus.statusField && this.salesforceFields.get(syncStatus.statusField);
            if (statusField && statusField.type === 'picklist') {
                const values = new Set(
                    (statusField.picklistValues ?? []).filter((entry) => entry.active).map((entry) => entry.value)
                );
                const missing = syncStatusValues.filter((value) => !values.has(value));
                if (missing.length > 0) {
                    this.report.warning(
                        'sync_status_values_missing',
                        this.record.salesforceObject,
                        statusField.name,
                        'the status picklist lacks values the engine writes',
                        missing
                    );
                }
            }
        }
        if (scope.salesforce) {
            // Relationship paths (Account.Name) live on other objects; their own describe checks them.
            for (const name of filterFields(scope.salesforce).filter((name) => !name.includes('.')))
                this.salesforceField(name);
        }
        if (scope.hubspot && 'filterGroups' in scope.hubspot) {
            for (const group of scope.hubspot.filterGroups)
                for (const filter of group.filters) this.hubspotProperty(filter.property);
        }
    }

    checkLifecycle(mapping: MappingFile): void {
        const lifecycle = this.record.lifecycle;
        if (!lifecycle) return;
        this.engineWrittenHubSpotProperty(mapping.lifecycle.property);
        this.engineWrittenSalesforceField(mapping.lifecycle.salesforceField);
        if (lifecycle.from === 'lead_status') this.salesforceField(lifecycle.statusField);
        const property = this.hubspotProperties.get(mapping.lifecycle.property);
        if (property && property.type === 'enumeration') {
            const options = new Set(property.options.map((option) => option.value));
            const missing = mapping.lifecycle.stageOrder.filter((stage) => !options.has(stage));
            if (missing.length > 0) {
                this.report.warning(
                    'lifecycle_stages_not_options',
                    this.record.hubspotObjectType,
                    property.name,
                    'stageOrder names stages HubSpot does not offer',
                    missing
                );
            }
        }
    }

    checkDealStages(pipelines: LiveSchemas['hubspotPipelines']): void {
        const stages = this.record.dealStages;
        if (!stages) return;
        const object = this.record.salesforceObject;
        const stageField = this.salesforceField(stages.salesforceStageField);
        if (stages.recordTypeField) this.salesforceField(stages.recordTypeField);
        if (stages.rule !== 'dont_sync') {
            this.engineWrittenHubSpotProperty(stages.pipelineProperty);
            this.engineWrittenHubSpotProperty(stages.stageProperty);
        }
        if (ruleWritesSalesforce(stages.rule)) this.engineWrittenSalesforceField(stages.salesforceStageField);

        if (stageField?.picklistValues) {
            const active = stageField.picklistValues.filter((entry) => entry.active).map((entry) => entry.value);
            for (const pipeline of stages.pipelines) {
                const unmapped = active.filter((value) => pipeline.stages[value] === undefined);
                if (unmapped.length > 0) {
                    this.report.warning(
                        'deal_stages_unmapped',
                        object,
                        stages.salesforceStageField,
                        `pipeline ${pipeline.pipeline} has no deal stage for these stages`,
                        unmapped
                    );
                }
            }
        }
        if (!pipelines) return;
        const byId = new Map(
            pipelines.map((pipeline) => [pipeline.id, new Set(pipeline.stages.map((stage) => stage.id))])
        );
        for (const pipeline of stages.pipelines) {
            const stageIds = byId.get(pipeline.pipeline);
            if (!stageIds) {
                this.report.fatal(
                    'unknown_hubspot_pipeline',
                    this.record.hubspotObjectType,
                    stages.pipelineProperty,
                    `pipeline ${pipeline.pipeline} does not exist`
                );
                continue;
            }
            const unknown = [...new Set(Object.values(pipeline.stages))].filter((stage) => !stageIds.has(stage));
            if (unknown.length > 0) {
                this.report.fatal(
                    'unknown_hubspot_deal_stage',
                    this.record.hubspotObjectType,
                    stages.stageProperty,
                    `pipeline ${pipeline.pipeline} has no stages ${unknown.join(', ')}`
                );
            }
        }
    }
}
