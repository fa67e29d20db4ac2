import { MappingFile } from '../mapping/schema';
import { sfPicklist } from '../schema/standard-schemas.fixture';
import { planDealStage, pipelineForRecordType } from './deal-stage';
import { emptyPlan, valueHash, type RecordPairState } from './plan-record';

const mapping = MappingFile.parse({
    version: 1,
    records: [
        {
            id: 'contacts',
            salesforceObject: 'Contact',
            hubspotObjectType: 'contacts',
            fields: [{ salesforce: 'Email', hubspot: 'email', rule: 'two_way' }]
        },
        {
            id: 'deals',
            salesforceObject: 'Opportunity',
            hubspotObjectType: 'deals',
            dealStages: {
                recordTypeField: 'RecordTypeId',
                rule: 'two_way',
                pipelines: [
                    { pipeline: 'default', stages: { Prospecting: 'appointmentscheduled', 'Closed Won': 'closedwon' } },
                    {
                        recordType: '012Renewal',
                        pipeline: 'renewals',
                        stages: { Prospecting: 'renewal_open', 'Closed Won': 'renewed' }
                    }
                ]
            },
            fields: [{ salesforce: 'Name', hubspot: 'dealname', rule: 'two_way' }]
        }
    ]
});
const stages = mapping.records[1].dealStages!;
const stageField = sfPicklist('StageName', ['Prospecting', 'Closed Won', 'Closed Lost'], { restrictedPicklist: true });

function state(
    salesforce: { stage: string | null; recordType?: string },
    hubspot: { pipeline: string | null; stage: string | null },
    last?: [string | null, string | null]
): RecordPairState {
    return {
        salesforce: {
            id: '006A',
            values: { StageName: salesforce.stage, RecordTypeId: salesforce.recordType ?? null },
            modifiedAt: '2024-05-01T00:00:00.000Z'
        },
        hubspot: {
            id: '9',
            values: { pipeline: hubspot.pipeline, dealstage: hubspot.stage },
            modifiedAt: '2024-05-02T00:00:00.000Z',
            propertyChangedAt: { dealstage: '2024-05-02T00:00:00.000Z' }
        },
        snapshots: last
            ? {
                  StageName: {
                      salesforceValue: last[0],
                      hubspotValue: last[1],
                      salesforceHash: valueHash(last[0]),
                      hubspotHash: valueHash(last[1])
                  }
              }
            : {}
    };
}

function run(input: RecordPairState) {
    const plan = emptyPlan();
    planDealStage(stages, stageField, input, plan);
    return plan;
}

describe('deal stages', () => {
    it('picks the pipeline by record type, falling back to the one without a record type', () => {
        expect(pipelineForRecordType(stages, '012Renewal')?.pipeline).toBe('renewals');
        expect(pipelineForRecordType(stages, '012Other')?.pipeline).toBe('default');
        expect(pipelineForRecordType(stages, null)?.pipeline).toBe('default');
    });

    it('writes pipeline and stage together for a new deal', () => {
        const plan = run(state({ stage: 'Prospecting', recordType: '012Renewal' }, { pipeline: null, stage: null }));
        expect(plan.toHubSpot).toEqual({ pipeline: 'renewals', dealstage: 'renewal_open' });
        expect(plan.snapshots.StageName?.hubspotValue).toBe('renewals/renewal_open');
    });

    it('copies a HubSpot stage change back through the reverse map', () => {
        const plan = run(
            state({ stage: 'Prospecting' }, { pipeline: 'default', stage: 'closedwon' }, [
                'Prospecting',
                'default/appointmentscheduled'
            ])
        );
        expect(plan.toSalesforce).toEqual({ StageName: 'Closed Won' });
        expect(plan.audit[0]).toMatchObject({ direction: 'to_salesforce', reason: 'hubspot_changed' });
    });

    it('does nothing when the stages agree, and notices its own write', () => {
        const plan = run(
            state({ stage: 'Closed Won' }, { pipeline: 'default', stage: 'closedwon' }, [
                'Closed Won',
                'default/closedwon'
            ])
        );
        expect(plan).toEqual(emptyPlan());
    });

    it('reports a Salesforce stage without a deal stage as a picklist error', () => {
        const plan = run(
            state({ stage: 'Closed Lost' }, { pipeline: 'default', stage: 'closedwon' }, [
                'Closed Won',
                'default/closedwon'
            ])
        );
        expect(plan.errors).toEqual([
            {
                field: 'StageName',
                property: 'dealstage',
                direction: 'to_hubspot',
                category: 'picklist',
                message: 'stage "Closed Lost" has no deal stage in pipeline default'
            }
        ]);
        expect(plan.toHubSpot).toEqual({});
    });

    it('refuses to move a deal across pipelines into a Salesforce record type', () => {
        const plan = run(
            state({ stage: 'Prospecting' }, { pipeline: 'renewals', stage: 'renewed' }, [
                'Prospecting',
                'default/appointmentscheduled'
            ])
        );
        expect(plan.errors[0]).toMatchObject({ category: 'mapping', direction: 'to_salesforce' });
        expect(plan.toSalesforce).toEqual({});
    });
});
