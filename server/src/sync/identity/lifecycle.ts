/**
 * Lifecycle stage derivation: Leads from their Lead Status (a configured map), Contacts from their
 * opportunities (open → one stage, won → another, neither → a third when configured), moving forward only
 * unless configured otherwise.
 * HubSpot's stage is also mirrored into the package's lifecycle field on the Salesforce record.
 */
import type { MappingFile, RecordLifecycle } from '../mapping/schema';

export type LifecycleSettings = MappingFile['lifecycle'];

export interface OpportunitySummary {
    isClosed: boolean;
    isWon: boolean;
}

/** The stage the Salesforce data implies, or undefined when it implies none. */
export function deriveLifecycleStage(
    lifecycle: RecordLifecycle,
    salesforceValues: Record<string, unknown>,
    opportunities: OpportunitySummary[] = []
): string | undefined {
    if (lifecycle.from === 'lead_status') {
        const status = salesforceValues[lifecycle.statusField];
        return typeof status === 'string' ? lifecycle.map[status] : undefined;
    }
    if (opportunities.some((opportunity) => opportunity.isWon)) return lifecycle.closedWon;
    if (opportunities.some((opportunity) => !opportunity.isClosed)) return lifecycle.open;
    return lifecycle.otherwise;
}

/**
 * The stage to write given the current one, or undefined to leave it. Forward-only keeps a stage that
 * is already further along (and any stage not in stageOrder, which a person set on purpose).
 */
export function nextLifecycleStage(
    current: string | null | undefined,
    target: string | undefined,
    settings: Pick<LifecycleSettings, 'stageOrder' | 'forwardOnly'>
): string | undefined {
    if (target === undefined || target === current) return undefined;
    if (!current || !settings.forwardOnly) return target;
    const currentIndex = settings.stageOrder.indexOf(current);
    const targetIndex = settings.stageOrder.indexOf(target);
    if (currentIndex === -1) return undefined;
    return targetIndex > currentIndex ? target : undefined;
}

export interface LifecyclePlan {
    /** New HubSpot stage, when it moves. */
    hubspotStage?: string;
    /** True when the move goes backwards: HubSpot then needs the property cleared first. */
    movesBackwards: boolean;
    /** New value of the package's lifecycle field, when it differs from the resulting HubSpot stage. */
    salesforceMirror?: string | null;
}

export function planLifecycle(
    settings: LifecycleSettings,
    lifecycle: RecordLifecycle,
    salesforceValues: Record<string, unknown>,
    hubspotStage: string | null,
    opportunities: OpportunitySummary[] = []
): LifecyclePlan {
    const target = deriveLifecycleStage(lifecycle, salesforceValues, opportunities);
    const next = nextLifecycleStage(hubspotStage, target, settings);
    const resulting = next ?? hubspotStage;
    const plan: LifecyclePlan = { movesBackwards: false };
    if (next !== undefined) {
        plan.hubspotStage = next;
        const from = hubspotStage ? settings.stageOrder.indexOf(hubspotStage) : -1;
        plan.movesBackwards = from > settings.stageOrder.indexOf(next);
    }
    if (settings.salesforceField) {
        const mirrored = salesforceValues[settings.salesforceField] ?? null;
        if (mirrored !== (resulting ?? null)) plan.salesforceMirror = resulting ?? null;
    }
    return plan;
}
