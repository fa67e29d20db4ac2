/** Deal pipelines in the shape `GET /crm/v3/pipelines/deals` returns them (metadata values are strings). */
export interface PipelineStage {
    id: string;
    label: string;
    displayOrder: number;
    metadata: { isClosed: string; probability: string; [key: string]: string };
    archived: boolean;
    createdAt: string;
    updatedAt: string;
    writePermissions: 'CRM_PERMISSIONS_ENFORCEMENT' | 'INTERNAL_ONLY' | 'READ_ONLY';
}

export interface Pipeline {
    id: string;
    label: string;
    displayOrder: number;
    stages: PipelineStage[];
    archived: boolean;
    createdAt: string;
    updatedAt: string;
}

const CATALOGUE_TIMESTAMP = '2020-01-01T00:00:00.000Z';

const DEFAULT_STAGES: [id: string, label: string, probability: string, closed: boolean][] = [
    ['appointmentscheduled', 'Appointment Scheduled', '0.2', false],
    ['qualifiedtobuy', 'Qualified To Buy', '0.4', false],
    ['presentationscheduled', 'Presentation Scheduled', '0.6', false],
    ['decisionmakerboughtin', 'Decision Maker Bought-In', '0.8', false],
    ['contractsent', 'Contract Sent', '0.9', false],
    ['closedwon', 'Closed Won', '1.0', true],
    ['closedlost', 'Closed Lost', '0.0', true]
];

export function defaultDealPipelines(): Pipeline[] {
    return [
        {
            id: 'default',
            label: 'Sales Pipeline',
            displayOrder: 0,
            archived: false,
            createdAt: CATALOGUE_TIMESTAMP,
            updatedAt: CATALOGUE_TIMESTAMP,
            stages: DEFAULT_STAGES.map(([id, label, probability, closed], displayOrder) => ({
                id,
                label,
                displayOrder,
                metadata: { isClosed: String(closed), probability },
                archived: false,
                createdAt: CATALOGUE_TIMESTAMP,
                updatedAt: CATALOGUE_TIMESTAMP,
                writePermissions: 'CRM_PERMISSIONS_ENFORCEMENT'
            }))
        }
    ];
}

/** Closed-won means closed with probability 1, as HubSpot derives `hs_is_closed_won`. */
export function stageOutcome(stage: PipelineStage): { closed: boolean; won: boolean; probability: string } {
    const closed = stage.metadata.isClosed === 'true';
    return { closed, won: closed && Number(stage.metadata.probability) === 1, probability: stage.metadata.probability };
}
