import { LightningElement, api } from 'lwc';
import { labels } from 'c/hubspotIntelligenceLabels';

const STEP_STATES = {
    completed: { itemClass: 'slds-progress__item slds-is-completed', assistiveText: labels.stageCompleted },
    current: { itemClass: 'slds-progress__item slds-is-active', assistiveText: labels.stageCurrent },
    upcoming: { itemClass: 'slds-progress__item', assistiveText: labels.stageUpcoming }
};

/**
 * HubSpot lifecycle stages as an SLDS vertical progress indicator: stages in pipeline order, the date
 * each was reached, the current stage highlighted. Vertical because a record page sidebar is narrow.
 */
export default class HubspotLifecyclePath extends LightningElement {
    /** The contract's `Lifecycle`: `{ currentStageId, stages: [{ stageId, label, reachedAt, isCurrent }] }`. */
    @api lifecycle;

    labels = labels;

    get hasStages() {
        return !!this.lifecycle && this.lifecycle.stages.length > 0;
    }

    get steps() {
        return this.lifecycle.stages.map((stage) => {
            const state = stepState(stage, this.lifecycle.currentStageId);
            return {
                ...stage,
                ...STEP_STATES[state],
                isCompleted: state === 'completed',
                isCurrent: state === 'current'
            };
        });
    }
}

function stepState(stage, currentStageId) {
    if (stage.isCurrent || stage.stageId === currentStageId) {
        return 'current';
    }
    return stage.reachedAt ? 'completed' : 'upcoming';
}
