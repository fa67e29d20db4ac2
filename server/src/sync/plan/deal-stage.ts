/**
 * Opportunity stage ↔ deal pipeline + stage. The record type picks the pipeline; the pipeline's stage
 * map translates the stage. Both HubSpot properties move together, so the pair is planned as one
 * composite value (`pipeline/stage`) under the same four rules and three-way comparison as any field.
 */
import { ruleWritesHubSpot, ruleWritesSalesforce, type DealStages, type Pipeline } from '../mapping/schema';
import type { SalesforceFieldSchema } from '../schema/live-schema';
import { validateForSalesforce } from '../values/validate-value';
import { valueHash, type FieldSnapshot, type RecordPairState, type RecordPlan } from './plan-record';
import { applyRule } from './rules';

export function pipelineForRecordType(stages: DealStages, recordType: string | null): Pipeline | undefined {
    return (
        stages.pipelines.find((pipeline) => recordType !== null && pipeline.recordType === recordType) ??
        stages.pipelines.find((pipeline) => pipeline.recordType === undefined)
    );
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** Adds the stage decision to `plan`. `stageField` is the described stage field, for pre-write checks. */
export function planDealStage(
    stages: DealStages,
    stageField: SalesforceFieldSchema,
    state: RecordPairState,
    plan: RecordPlan
): void {
    if (stages.rule === 'dont_sync') return;
    const fieldName = stages.salesforceStageField;
    const propertyName = stages.stageProperty;
    const recordType = stages.recordTypeField ? text(state.salesforce.values[stages.recordTypeField]) : null;
    const salesforceStage = text(state.salesforce.values[fieldName]);
    const hubspotPipeline = text(state.hubspot.values[stages.pipelineProperty]);
    const hubspotStage = text(state.hubspot.values[propertyName]);
    const hubspotComposite = hubspotPipeline && hubspotStage ? `${hubspotPipeline}/${hubspotStage}` : null;
    const error = (direction: 'to_salesforce' | 'to_hubspot', category: 'mapping' | 'picklist', message: string) => {
        plan.errors.push({ field: fieldName, property: propertyName, direction, category, message });
    };

    const pipeline = pipelineForRecordType(stages, recordType);
    if (!pipeline) {
        error('to_hubspot', 'mapping', `no pipeline is configured for record type ${recordType ?? '(none)'}`);
        return;
    }
    const mappedStage = salesforceStage === null ? undefined : pipeline.stages[salesforceStage];
    const desiredComposite = mappedStage === undefined ? undefined : `${pipeline.pipeline}/${mappedStage}`;
    const snapshot = state.snapshots[fieldName];
    const salesforceHash = valueHash(salesforceStage);
    const hubspotHash = valueHash(hubspotComposite);
    const snapshotOf = (salesforce: string | null, hubspot: string | null): FieldSnapshot => ({
        salesforceValue: salesforce,
        hubspotValue: hubspot,
        salesforceHash: valueHash(salesforce),
        hubspotHash: valueHash(hubspot)
    });

    const outcome = applyRule({
        rule: stages.rule,
        writable: { salesforce: ruleWritesSalesforce(stages.rule), hubspot: ruleWritesHubSpot(stages.rule) },
        salesforceBlank: salesforceStage === null,
        hubspotBlank: hubspotComposite === null,
        salesforceChanged: snapshot ? snapshot.salesforceHash !== salesforceHash : undefined,
        hubspotChanged: snapshot ? snapshot.hubspotHash !== hubspotHash : undefined,
        inSync: desiredComposite === hubspotComposite,
        salesforceChangedAt: state.salesforce.modifiedAt,
        hubspotChangedAt: state.hubspot.propertyChangedAt?.[propertyName] ?? state.hubspot.modifiedAt,
        snapshotSalesforceBlank: snapshot ? snapshot.salesforceValue === null : undefined
    });

    if (outcome.action === 'none') {
        if (
            desiredComposite === hubspotComposite &&
            (!snapshot || snapshot.salesforceHash !== salesforceHash || snapshot.hubspotHash !== hubspotHash)
        ) {
            plan.snapshots[fieldName] = snapshotOf(salesforceStage, hubspotComposite);
        }
        return;
    }
    if (outcome.conflict) {
        plan.conflicts.push({
            field: fieldName,
            property: propertyName,
            salesforceValue: salesforceStage,
            hubspotValue: hubspotComposite,
            salesforceChangedAt: state.salesforce.modifiedAt,
            hubspotChangedAt: state.hubspot.propertyChangedAt?.[propertyName] ?? state.hubspot.modifiedAt,
            winner: outcome.conflict.winner
        });
    }

    if (outcome.action === 'to_hubspot') {
        if (salesforceStage === null) return; // Salesforce requires a stage; a blank one is not data to copy.
        if (mappedStage === undefined) {
            error(
                'to_hubspot',
                'picklist',
                `stage "${salesforceStage}" has no deal stage in pipeline ${pipeline.pipeline}`
            );
            return;
        }
        plan.toHubSpot[stages.pipelineProperty] = pipeline.pipeline;
        plan.toHubSpot[propertyName] = mappedStage;
        plan.audit.push({
            field: fieldName,
            property: propertyName,
            direction: 'to_hubspot',
            rule: stages.rule,
            reason: outcome.reason,
            before: hubspotComposite,
            after: `${pipeline.pipeline}/${mappedStage}`
        });
        plan.snapshots[fieldName] = snapshotOf(salesforceStage, `${pipeline.pipeline}/${mappedStage}`);
        return;
    }

    if (hubspotPipeline !== pipeline.pipeline) {
        error(
            'to_salesforce',
            'mapping',
            `the deal is in pipeline ${hubspotPipeline ?? '(none)'}, but its record type ${recordType ?? '(none)'} maps to ${pipeline.pipeline}`
        );
        return;
    }
    const stageBack = Object.entries(pipeline.stages).find(([, hubspot]) => hubspot === hubspotStage)?.[0];
    if (stageBack === undefined) {
        error(
            'to_salesforce',
            'picklist',
            `deal stage ${hubspotStage ?? '(none)'} has no Salesforce stage in pipeline ${pipeline.pipeline}`
        );
        return;
    }
    const problem = validateForSalesforce(stageBack, stageField);
    if (problem) {
        error('to_salesforce', problem.category === 'picklist' ? 'picklist' : 'mapping', problem.message);
        return;
    }
    plan.toSalesforce[fieldName] = stageBack;
    plan.audit.push({
        field: fieldName,
        property: propertyName,
        direction: 'to_salesforce',
        rule: stages.rule,
        reason: outcome.reason,
        before: salesforceStage,
        after: stageBack
    });
    plan.snapshots[fieldName] = snapshotOf(stageBack, hubspotComposite);
}
