/**
 * The full plan for one linked pair under one record mapping: the mapped fields, the deal stage (when
 * the mapping has one) and the lifecycle stage (when it derives one), in one `RecordPlan`.
 */
import type { MappingFile } from '../mapping/schema';
import type { ResolvedRecordMapping } from '../schema/validate-mapping';
import { planLifecycle, type OpportunitySummary } from '../identity/lifecycle';
import { planDealStage } from './deal-stage';
import type { HubSpotValue, SalesforceValue } from '../values/conversion';
import { planRecord, type PlanContext, type RecordPairState, type RecordPlan } from './plan-record';

export interface PairContext extends PlanContext {
    /** The Contact's opportunities, for lifecycle derivation from opportunities. */
    opportunities?: OpportunitySummary[];
}

export function planLinkedPair(
    mapping: MappingFile,
    resolved: ResolvedRecordMapping,
    state: RecordPairState,
    context: PairContext = {}
): RecordPlan {
    const plan = planRecord(resolved.fields, state, context);
    const stages = resolved.mapping.dealStages;
    const stageField = stages && resolved.salesforceFields.get(stages.salesforceStageField);
    if (stages && stageField) planDealStage(stages, stageField, state, plan);

    planLifecycleStage(mapping, resolved, state.salesforce.values, state.hubspot.values, plan, context.opportunities);
    return plan;
}

/**
 * The lifecycle stage the mapping derives (from Lead status or from opportunities), moved forward in HubSpot and
 * mirrored into the package's Salesforce field, added to `plan`.
 */
export function planLifecycleStage(
    mapping: MappingFile,
    resolved: ResolvedRecordMapping,
    salesforceValues: Record<string, SalesforceValue | undefined>,
    hubspotValues: Record<string, HubSpotValue | undefined>,
    plan: RecordPlan,
    opportunities?: OpportunitySummary[]
): void {
    const lifecycle = resolved.mapping.lifecycle;
    if (!lifecycle) return;
    const settings = mapping.lifecycle;
    const current = hubspotValues[settings.property] || null;
    const decision = planLifecycle(settings, lifecycle, salesforceValues, current, opportunities);
    const field = lifecycle.from === 'lead_status' ? lifecycle.statusField : '(opportunities)';
    if (decision.hubspotStage !== undefined) {
        // HubSpot refuses to move a stage backwards in one write; clearing first is the documented way.
        plan.toHubSpot[settings.property] = decision.hubspotStage;
        if (decision.movesBackwards) plan.clearBeforeWrite = [...(plan.clearBeforeWrite ?? []), settings.property];
        plan.audit.push({
            field,
            property: settings.property,
            direction: 'to_hubspot',
            rule: 'always_salesforce',
            reason: 'lifecycle_derived',
            before: current,
            after: decision.hubspotStage
        });
    }
    if (decision.salesforceMirror !== undefined && settings.salesforceField) {
        plan.toSalesforce[settings.salesforceField] = decision.salesforceMirror;
        plan.audit.push({
            field: settings.salesforceField,
            property: settings.property,
            direction: 'to_salesforce',
            rule: 'always_salesforce',
            reason: 'lifecycle_mirrored',
            before: salesforceValues[settings.salesforceField] ?? null,
            after: decision.salesforceMirror
        });
    }
}
