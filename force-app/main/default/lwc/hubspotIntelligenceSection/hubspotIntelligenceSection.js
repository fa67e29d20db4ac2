import { LightningElement, api } from 'lwc';
import { labels } from 'c/hubspotIntelligenceLabels';

/**
 * One titled section of the HubSpot Intelligence panel. The relay fetches each section on its own;
 * when that failed (`status.status === 'error'`) the section shows the relay's reason inline instead
 * of its content, so the other sections still render.
 */
export default class HubspotIntelligenceSection extends LightningElement {
    @api heading;
    /** The section's `SectionStatus` from the contract: `{ status, errorCode, errorMessage }`. */
    @api status;
    /** Marks a Beta feature in the heading. */
    @api beta = false;

    labels = labels;

    get hasFailed() {
        return !!this.status && this.status.status === 'error';
    }

    get failureMessage() {
        return (this.status && this.status.errorMessage) || labels.sectionUnavailable;
    }
}
