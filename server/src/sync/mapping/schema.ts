/**
 * The mapping file (config/sync-mapping.yaml) as a zod schema: the one description of what syncs.
 *
 * Everything here is generic. A record mapping pairs any Salesforce object (custom ones included) with
 * any HubSpot object type; the standard pairs in the shipped file are just configuration. Cross-entry
 * rules (unique ids, references between entries, one HubSpot→Salesforce create target per HubSpot
 * object type, ...) are checked in `MappingFile`'s superRefine so every problem is reported at once.
 * `npm run mapping:schema` turns this file into config/sync-mapping.schema.json for editors.
 */
import { z } from 'zod';

import { HubSpotScope, SalesforceFilter } from './filter';

export const syncRules = ['two_way', 'always_salesforce', 'prefer_salesforce_unless_blank', 'dont_sync'] as const;
export const SyncRule = z.enum(syncRules).meta({
    description:
        'two_way: a change on either side is copied, the most recent wins when both changed; always_salesforce: only ' +
        'Salesforce writes, HubSpot edits are overwritten; prefer_salesforce_unless_blank: HubSpot may only fill a blank ' +
        'Salesforce field, a Salesforce value (or clearing it) always reaches HubSpot; dont_sync: mapped, never written.'
});
export type SyncRule = z.infer<typeof SyncRule>;

export const deletePolicies = ['ignore', 'propagate', 'tombstone'] as const;
export const DeletePolicy = z.enum(deletePolicies).meta({
    description:
        'What a delete on one side does to the linked record: ignore (keep it, drop the link), propagate (delete or ' +
        'archive it too), tombstone (keep it, mark the link deleted and stop syncing it).'
});
export type DeletePolicy = z.infer<typeof DeletePolicy>;

export const duplicatePolicies = ['most_recently_updated', 'prefer_contact', 'oldest'] as const;
export const DuplicatePolicy = z.enum(duplicatePolicies).meta({
    description:
        'Which Salesforce record syncs when several share one email: most_recently_updated (HubSpot’s behaviour), ' +
        'prefer_contact (a Contact over any Lead, then most recently updated), oldest (first created).'
});
export type DuplicatePolicy = z.infer<typeof DuplicatePolicy>;

export const engagementTypes = ['calls', 'emails', 'meetings', 'tasks', 'notes'] as const;
export const EngagementType = z.enum(engagementTypes);
export type EngagementType = z.infer<typeof EngagementType>;

/** HubSpot's default lifecycle stages, in order; portals may define their own (`lifecycle.stageOrder`). */
export const defaultLifecycleStages = [
    'subscriber',
    'lead',
    'marketingqualifiedlead',
    'salesqualifiedlead',
    'opportunity',
    'customer',
    'evangelist'
] as const;

export const SalesforceObjectName = z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'must be a Salesforce object API name such as Lead or Invoice__c');
export const SalesforceFieldName = z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'must be a Salesforce field API name such as Email or Score__c');
export const HubSpotPropertyName = z
    .string()
    .regex(/^[a-z0-9_]+$/, 'must be a HubSpot property internal name (lowercase, digits, underscores)');
export const HubSpotObjectType = z
    .string()
    .regex(
        /^([a-z_]+|p_[a-z0-9_]+|\d+-\d+)$/,
        'must be a HubSpot object type: contacts, companies, deals, p_<custom name> or an object type ID like 2-1234'
    );
const MappingId = z
    .string()
    .regex(/^[a-z][a-z0-9_]*$/, 'must be a lowercase identifier such as lead_to_contact')
    .meta({ description: 'Stable identifier; used in the state store, reports and references between entries.' });

/** Salesforce value → HubSpot value; the reverse direction uses the same pairs read backwards. */
const ValueMap = z.record(z.string().min(1), z.string()).meta({
    description: 'Salesforce picklist value → HubSpot option value, for values that are spelled differently.'
});
export type ValueMap = z.infer<typeof ValueMap>;

export const FieldMapping = z.strictObject({
    salesforce: SalesforceFieldName,
    hubspot: HubSpotPropertyName,
    rule: SyncRule,
    valueMap: ValueMap.optional(),
    owner: z.boolean().default(false).meta({
        description: 'The field holds a record owner: Salesforce user ID ↔ HubSpot owner ID, matched by email.'
    })
});
export type FieldMapping = z.infer<typeof FieldMapping>;

const Identity = z.strictObject({
    match: z
        .enum(['email', 'domain', 'none'])
        .default('none')
        .meta({
            description:
                'How an unlinked record finds its counterpart after the stored link and the ID properties: email ' +
                '(contacts), the normalised domain of a website (companies), or none (deals and custom objects).'
        }),
    salesforceMatchField: SalesforceFieldName.optional().meta({
        description: 'The Salesforce field the match reads (Email, Website). Required when match is not none.'
    }),
    hubspotMatchProperty: HubSpotPropertyName.optional().meta({
        description: 'The HubSpot property the match reads (email, domain). Required when match is not none.'
    }),
    hubspotIdField: SalesforceFieldName.optional().meta({
        description: 'Salesforce field that stores the linked HubSpot record ID (HubSpot_Id__c).'
    }),
    salesforceIdProperty: HubSpotPropertyName.optional().meta({
        description: 'HubSpot property that stores the linked Salesforce record ID (salesforceleadid, ...).'
    })
});

const SyncStatusFields = z
    .strictObject({
        statusField: SalesforceFieldName.optional(),
        lastSyncedField: SalesforceFieldName.optional(),
        errorField: SalesforceFieldName.optional(),
        recordUrlField: SalesforceFieldName.optional()
    })
    .meta({ description: 'Package fields the engine writes back with the data (status, last synced, error, link).' });

const LeadStatusLifecycle = z.strictObject({
    from: z.literal('lead_status'),
    statusField: SalesforceFieldName.default('Status'),
    map: z.record(z.string().min(1), z.string().min(1)).meta({ description: 'Lead Status → lifecycle stage.' })
});
const OpportunityLifecycle = z.strictObject({
    from: z.literal('opportunities'),
    open: z.string().min(1).meta({ description: 'Stage when the contact has an open opportunity.' }),
    closedWon: z.string().min(1).meta({ description: 'Stage when the contact has a won opportunity.' }),
    otherwise: z
        .string()
        .min(1)
        .optional()
        .meta({
            description:
                'Stage when the contact has neither an open nor a won opportunity; omitted, the stage is left to HubSpot ' +
                '(which gives a new contact its default, mirrored into Salesforce by the run after).'
        })
});
const RecordLifecycle = z.discriminatedUnion('from', [LeadStatusLifecycle, OpportunityLifecycle]);
export type RecordLifecycle = z.infer<typeof RecordLifecycle>;

const Pipeline = z.strictObject({
    recordType: z.string().min(1).optional().meta({
        description:
            'Salesforce record type DeveloperName or ID; omit for the pipeline of records without a listed one.'
    }),
    pipeline: z.string().min(1).meta({ description: 'HubSpot pipeline ID.' }),
    stages: z
        .record(z.string().min(1), z.string().min(1))
        .refine((stages) => Object.keys(stages).length > 0, 'a pipeline needs at least one stage')
        .meta({ description: 'Salesforce StageName → HubSpot deal stage ID.' })
});
export type Pipeline = z.infer<typeof Pipeline>;

const DealStages = z.strictObject({
    salesforceStageField: SalesforceFieldName.default('StageName'),
    recordTypeField: SalesforceFieldName.optional().meta({ description: 'Usually RecordTypeId; omit without types.' }),
    pipelineProperty: HubSpotPropertyName.default('pipeline'),
    stageProperty: HubSpotPropertyName.default('dealstage'),
    rule: SyncRule.default('two_way'),
    pipelines: z.array(Pipeline).min(1)
});
export type DealStages = z.infer<typeof DealStages>;

export const RecordMapping = z.strictObject({
    id: MappingId,
    salesforceObject: SalesforceObjectName,
    hubspotObjectType: HubSpotObjectType,
    enabled: z.boolean().default(true),
    create: z
        .strictObject({
            toHubSpot: z
                .boolean()
                .default(true)
                .meta({ description: 'Create HubSpot records for new Salesforce ones.' }),
            toSalesforce: z
                .boolean()
                .default(false)
                .meta({
                    description:
                        'Create Salesforce records of this object for new HubSpot ones. At most one mapping per HubSpot ' +
                        'object type may set it (contacts become Leads or Contacts, never both).'
                })
        })
        .prefault({}),
    delete: DeletePolicy.default('ignore'),
    scope: z
        .strictObject({
            salesforce: SalesforceFilter.optional().meta({
                description: 'Only Salesforce records matching this filter sync; others are marked Excluded.'
            }),
            hubspot: HubSpotScope.optional()
        })
        .prefault({}),
    identity: Identity.prefault({}),
    syncStatus: SyncStatusFields.optional(),
    lifecycle: RecordLifecycle.optional(),
    dealStages: DealStages.optional(),
    fields: z.array(FieldMapping).min(1)
});
export type RecordMapping = z.infer<typeof RecordMapping>;

const AssociationBase = {
    id: MappingId,
    enabled: z.boolean().default(true),
    hubspotAssociationTypeId: z.number().int().positive().optional().meta({
        description: 'HubSpot association type ID; omit for the default (unlabelled) association.'
    }),
    delete: DeletePolicy.default('propagate')
};

const LookupAssociation = z.strictObject({
    kind: z.literal('lookup'),
    ...AssociationBase,
    from: MappingId.meta({ description: 'Record mapping that holds the lookup (e.g. contact_to_contact).' }),
    field: SalesforceFieldName.meta({ description: 'The lookup field (e.g. AccountId).' }),
    to: MappingId.meta({ description: 'Record mapping of the looked-up object (e.g. account_to_company).' })
});
const JunctionEnd = z.strictObject({ field: SalesforceFieldName, mapping: MappingId });
const JunctionAssociation = z.strictObject({
    kind: z.literal('junction'),
    ...AssociationBase,
    salesforceObject: SalesforceObjectName.meta({ description: 'The junction object (e.g. OpportunityContactRole).' }),
    from: JunctionEnd,
    to: JunctionEnd,
    scope: SalesforceFilter.optional()
});
export const AssociationMapping = z.discriminatedUnion('kind', [LookupAssociation, JunctionAssociation]);
export type AssociationMapping = z.infer<typeof AssociationMapping>;

const ActivityRoute = z.strictObject({
    engagementType: EngagementType,
    when: z
        .strictObject({ field: SalesforceFieldName, in: z.array(z.string()).min(1) })
        .optional()
        .meta({ description: 'The route applies when the field holds one of these values; omit for a catch-all.' }),
    properties: z
        .array(
            z.strictObject({
                salesforce: SalesforceFieldName,
                hubspot: HubSpotPropertyName,
                valueMap: ValueMap.optional()
            })
        )
        .min(1)
});
export type ActivityRoute = z.infer<typeof ActivityRoute>;

export const ActivityMapping = z.strictObject({
    id: MappingId,
    salesforceObject: SalesforceObjectName,
    enabled: z.boolean().default(true),
    direction: z.enum(['salesforce_to_hubspot', 'hubspot_to_salesforce', 'both']).default('salesforce_to_hubspot'),
    engagementIdField: SalesforceFieldName.meta({
        description: 'Salesforce field holding the HubSpot engagement ID; makes both directions idempotent.'
    }),
    timestampField: SalesforceFieldName.meta({ description: 'Becomes hs_timestamp (ActivityDate, StartDateTime).' }),
    whoField: SalesforceFieldName.default('WhoId'),
    whatField: SalesforceFieldName.default('WhatId'),
    scope: SalesforceFilter.optional(),
    routes: z
        .array(ActivityRoute)
        .min(1)
        .meta({
            description:
                'Salesforce→HubSpot: the first route whose condition matches decides the engagement type. ' +
                'HubSpot→Salesforce: the first route of the engagement’s type maps its properties back.'
        }),
    hubspotTypesToSalesforce: z.array(EngagementType).default([]).meta({
        description: 'Engagement types copied to Salesforce when direction allows it.'
    })
});
export type ActivityMapping = z.infer<typeof ActivityMapping>;

export const MappingFile = z
    .strictObject({
        version: z.literal(1),
        identity: z.strictObject({ duplicatePolicy: DuplicatePolicy.default('most_recently_updated') }).prefault({}),
        lifecycle: z
            .strictObject({
                property: HubSpotPropertyName.default('lifecyclestage'),
                salesforceField: SalesforceFieldName.optional().meta({
                    description: 'Package field that mirrors the HubSpot stage (HubSpot_Lifecycle_Stage__c).'
                }),
                stageOrder: z
                    .array(z.string().min(1))
                    .min(2)
                    .default([...defaultLifecycleStages]),
                forwardOnly: z.boolean().default(true).meta({
                    description: 'Never move a contact to an earlier stage than the one it has.'
                })
            })
            .prefault({}),
        leadConversion: z
            .strictObject({
                leadMapping: MappingId,
                contactMapping: MappingId,
                lifecycleStage: z.string().min(1).optional().meta({
                    description: 'Stage the HubSpot contact moves to when its Lead converts.'
                })
            })
            .optional(),
        records: z.array(RecordMapping).min(1),
        associations: z.array(AssociationMapping).default([]),
        activities: z.array(ActivityMapping).default([])
    })
    .superRefine(checkCrossReferences);
export type MappingFile = z.infer<typeof MappingFile>;
export type MappingFileInput = z.input<typeof MappingFile>;

type RefinementContext = z.core.$RefinementCtx<MappingFile>;

function checkCrossReferences(mapping: MappingFile, context: RefinementContext): void {
    const issue = (path: (string | number)[], message: string) => context.addIssue({ code: 'custom', path, message });
    const recordsById = new Map<string, RecordMapping>();
    const allIds = new Map<string, string>();
    const claimId = (id: string, path: (string | number)[]) => {
        const owner = allIds.get(id);
        if (owner) issue(path, `id "${id}" is already used by ${owner}`);
        else allIds.set(id, path.join('.'));
    };

    mapping.records.forEach((record, index) => {
        claimId(record.id, ['records', index, 'id']);
        recordsById.set(record.id, record);
        checkRecordMapping(record, mapping, (path, message) => issue(['records', index, ...path], message));
    });
    mapping.associations.forEach((association, index) => claimId(association.id, ['associations', index, 'id']));
    mapping.activities.forEach((activity, index) => claimId(activity.id, ['activities', index, 'id']));

    if (!mapping.records.some((record) => record.enabled && record.hubspotObjectType === 'contacts')) {
        issue(['records'], 'at least one enabled mapping to HubSpot contacts is required');
    }

    const creatorsByObjectType = new Map<string, string[]>();
    for (const record of mapping.records) {
        if (!record.enabled || !record.create.toSalesforce) continue;
        const creators = creatorsByObjectType.get(record.hubspotObjectType) ?? [];
        creators.push(record.id);
        creatorsByObjectType.set(record.hubspotObjectType, creators);
    }
    for (const [objectType, creators] of creatorsByObjectType) {
        if (creators.length > 1) {
            issue(
                ['records'],
                `HubSpot ${objectType} can be created in Salesforce by one mapping only, but ${creators.join(', ')} all set create.toSalesforce`
            );
        }
    }

    const referenceMapping = (id: string, path: (string | number)[]) => {
        if (!recordsById.has(id)) issue(path, `refers to record mapping "${id}", which does not exist`);
        return recordsById.get(id);
    };
    mapping.associations.forEach((association, index) => {
        if (association.kind === 'lookup') {
            const from = referenceMapping(association.from, ['associations', index, 'from']);
            referenceMapping(association.to, ['associations', index, 'to']);
            if (from && from.fields.some((field) => field.salesforce === association.field && !field.owner)) {
                issue(
                    ['associations', index, 'field'],
                    `${association.field} is also mapped as a field of ${from.id}; a lookup syncs as an association only`
                );
            }
        } else {
            referenceMapping(association.from.mapping, ['associations', index, 'from', 'mapping']);
            referenceMapping(association.to.mapping, ['associations', index, 'to', 'mapping']);
        }
    });

    if (mapping.leadConversion) {
        const lead = referenceMapping(mapping.leadConversion.leadMapping, ['leadConversion', 'leadMapping']);
        const contact = referenceMapping(mapping.leadConversion.contactMapping, ['leadConversion', 'contactMapping']);
        if (lead && contact && lead.hubspotObjectType !== contact.hubspotObjectType) {
            issue(['leadConversion'], 'the lead and contact mappings must sync to the same HubSpot object type');
        }
        const stage = mapping.leadConversion.lifecycleStage;
        if (stage && !mapping.lifecycle.stageOrder.includes(stage)) {
            issue(['leadConversion', 'lifecycleStage'], `"${stage}" is not in lifecycle.stageOrder`);
        }
    }

    const stageOrder = new Set(mapping.lifecycle.stageOrder);
    if (stageOrder.size !== mapping.lifecycle.stageOrder.length) {
        issue(['lifecycle', 'stageOrder'], 'lists a stage twice');
    }

    mapping.activities.forEach((activity, index) => {
        const routed = new Set(activity.routes.map((route) => route.engagementType));
        activity.hubspotTypesToSalesforce.forEach((type, typeIndex) => {
            if (!routed.has(type)) {
                issue(
                    ['activities', index, 'hubspotTypesToSalesforce', typeIndex],
                    `no route maps the properties of ${type}; add one with engagementType: ${type}`
                );
            }
        });
        if (activity.direction !== 'salesforce_to_hubspot' && activity.hubspotTypesToSalesforce.length === 0) {
            issue(
                ['activities', index, 'hubspotTypesToSalesforce'],
                `direction ${activity.direction} needs engagement types`
            );
        }
        activity.routes.slice(0, -1).forEach((route, routeIndex) => {
            if (!route.when) {
                issue(['activities', index, 'routes', routeIndex, 'when'], 'only the last route may be a catch-all');
            }
        });
    });
}

/** True when the rule lets HubSpot values reach Salesforce. */
export function ruleWritesSalesforce(rule: SyncRule): boolean {
    return rule === 'two_way' || rule === 'prefer_salesforce_unless_blank';
}

/** True when the rule lets Salesforce values reach HubSpot. */
export function ruleWritesHubSpot(rule: SyncRule): boolean {
    return rule !== 'dont_sync';
}

function checkRecordMapping(
    record: RecordMapping,
    mapping: MappingFile,
    issue: (path: (string | number)[], message: string) => void
): void {
    const seenSalesforce = new Map<string, number>();
    const seenHubSpot = new Map<string, number>();
    record.fields.forEach((field, index) => {
        const previousSalesforce = seenSalesforce.get(field.salesforce);
        if (previousSalesforce !== undefined) {
            issue(
                ['fields', index, 'salesforce'],
                `${field.salesforce} is already mapped by fields.${previousSalesforce}`
            );
        }
        const previousHubSpot = seenHubSpot.get(field.hubspot);
        if (previousHubSpot !== undefined) {
            issue(['fields', index, 'hubspot'], `${field.hubspot} is already mapped by fields.${previousHubSpot}`);
        }
        seenSalesforce.set(field.salesforce, index);
        seenHubSpot.set(field.hubspot, index);
        if (field.valueMap && ruleWritesSalesforce(field.rule)) {
            const reverse = findReverseCollision(field.valueMap);
            if (reverse) {
                issue(
                    ['fields', index, 'valueMap'],
                    `HubSpot value "${reverse.hubspot}" comes from both "${reverse.first}" and "${reverse.second}", so rule ${field.rule} cannot map it back`
                );
            }
        }
        if (field.owner && field.valueMap) issue(['fields', index, 'valueMap'], 'an owner field takes no value map');
    });

    const needsMatchFields = record.identity.match !== 'none';
    if (needsMatchFields && (!record.identity.salesforceMatchField || !record.identity.hubspotMatchProperty)) {
        issue(['identity'], `match ${record.identity.match} needs salesforceMatchField and hubspotMatchProperty`);
    }

    if (record.lifecycle) {
        const stageOrder = new Set(mapping.lifecycle.stageOrder);
        const stages =
            record.lifecycle.from === 'lead_status'
                ? Object.values(record.lifecycle.map)
                : [record.lifecycle.open, record.lifecycle.closedWon, record.lifecycle.otherwise ?? []].flat();
        for (const stage of stages) {
            if (!stageOrder.has(stage)) issue(['lifecycle'], `"${stage}" is not in lifecycle.stageOrder`);
        }
        if (record.fields.some((field) => field.hubspot === mapping.lifecycle.property)) {
            issue(['lifecycle'], `${mapping.lifecycle.property} is derived here, so it cannot also be a mapped field`);
        }
    }

    if (record.dealStages) {
        const stages = record.dealStages;
        const fallbacks = stages.pipelines.filter((pipeline) => pipeline.recordType === undefined);
        if (fallbacks.length > 1) issue(['dealStages', 'pipelines'], 'only one pipeline may omit recordType');
        if (!stages.recordTypeField && stages.pipelines.some((pipeline) => pipeline.recordType !== undefined)) {
            issue(['dealStages', 'recordTypeField'], 'pipelines name record types, so recordTypeField is required');
        }
        const recordTypes = new Set<string>();
        stages.pipelines.forEach((pipeline, index) => {
            if (pipeline.recordType !== undefined) {
                if (recordTypes.has(pipeline.recordType)) {
                    issue(
                        ['dealStages', 'pipelines', index, 'recordType'],
                        `record type ${pipeline.recordType} is listed twice`
                    );
                }
                recordTypes.add(pipeline.recordType);
            }
            if (ruleWritesSalesforce(stages.rule)) {
                const reverse = findReverseCollision(pipeline.stages);
                if (reverse) {
                    issue(
                        ['dealStages', 'pipelines', index, 'stages'],
                        `deal stage "${reverse.hubspot}" comes from both "${reverse.first}" and "${reverse.second}", so rule ${stages.rule} cannot map it back`
                    );
                }
            }
        });
        const taken = [stages.salesforceStageField, stages.recordTypeField].filter((name) => name !== undefined);
        record.fields.forEach((field, index) => {
            if (
                taken.includes(field.salesforce) ||
                [stages.pipelineProperty, stages.stageProperty].includes(field.hubspot)
            ) {
                issue(['fields', index], `${field.salesforce} → ${field.hubspot} is already handled by dealStages`);
            }
        });
    }
}

function findReverseCollision(
    valueMap: Record<string, string>
): { hubspot: string; first: string; second: string } | undefined {
    const sources = new Map<string, string>();
    for (const [salesforce, hubspot] of Object.entries(valueMap)) {
        const first = sources.get(hubspot);
        if (first !== undefined) return { hubspot, first, second: salesforce };
        sources.set(hubspot, salesforce);
    }
    return undefined;
}
