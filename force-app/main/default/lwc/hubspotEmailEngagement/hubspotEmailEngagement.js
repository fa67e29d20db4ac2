import { LightningElement, api } from 'lwc';
import { labels } from 'c/hubspotIntelligenceLabels';
import { engagementRates } from './engagementRates';

/** Marketing email counts (sent, delivered, opened, clicked, bounced) with open, click and bounce rates. */
export default class HubspotEmailEngagement extends LightningElement {
    /** The contract's `EmailEngagement`. */
    @api engagement;

    labels = labels;

    get hasEmails() {
        return !!this.engagement && this.engagement.sent > 0;
    }

    get hasLastActivity() {
        return !!(this.engagement.lastOpenedAt || this.engagement.lastClickedAt);
    }

    get counts() {
        const { sent, delivered, opened, clicked, bounced } = this.engagement;
        return [
            { key: 'sent', label: labels.emailSent, value: sent },
            { key: 'delivered', label: labels.emailDelivered, value: delivered },
            { key: 'opened', label: labels.emailOpened, value: opened },
            { key: 'clicked', label: labels.emailClicked, value: clicked },
            { key: 'bounced', label: labels.emailBounced, value: bounced }
        ];
    }

    get rates() {
        const { openRate, clickRate, bounceRate } = engagementRates(this.engagement);
        return [
            { key: 'openRate', label: labels.emailOpenRate, value: openRate },
            { key: 'clickRate', label: labels.emailClickRate, value: clickRate },
            { key: 'bounceRate', label: labels.emailBounceRate, value: bounceRate }
        ].filter((rate) => rate.value !== null);
    }
}
