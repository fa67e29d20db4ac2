import { LightningElement, api } from 'lwc';
import { reduceErrors } from 'c/ldsUtils';
import { labels } from 'c/hubspotIntelligenceLabels';

/**
 * The one way the HubSpot components show a failure: a readable sentence, and the technical
 * messages (from `reduceErrors`) behind a "Show details" checkbox.
 */
export default class ErrorPanel extends LightningElement {
    /** The sentence a sales rep reads. */
    @api friendlyMessage;
    /** One error or several, in any shape `reduceErrors` understands; optional. */
    @api errors;
    /** `panel` (default, a whole-component failure) or `inline` (one section or action failed). */
    @api variant = 'panel';

    labels = labels;
    showDetails = false;

    get errorMessages() {
        return this.errors ? reduceErrors(this.errors) : [];
    }

    get hasDetails() {
        return this.errorMessages.length > 0;
    }

    get isInline() {
        return this.variant === 'inline';
    }

    get containerClass() {
        return this.isInline
            ? 'slds-media slds-media_small slds-p-vertical_x-small'
            : 'slds-media slds-p-around_medium';
    }

    get iconName() {
        return this.isInline ? 'utility:warning' : 'utility:error';
    }

    get iconVariant() {
        return this.isInline ? 'warning' : 'error';
    }

    handleDetailsToggle(event) {
        this.showDetails = event.target.checked;
    }
}
