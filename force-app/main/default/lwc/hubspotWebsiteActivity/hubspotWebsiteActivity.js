import { LightningElement, api } from 'lwc';
import { formatLabel, labels } from 'c/hubspotIntelligenceLabels';

/** Website behaviour tracked by HubSpot: page views, sessions, first and last visit, most viewed pages. */
export default class HubspotWebsiteActivity extends LightningElement {
    /** The contract's `WebsiteActivity`. */
    @api website;

    labels = labels;

    get hasVisits() {
        return !!this.website && (this.website.pageViews > 0 || this.website.sessions > 0);
    }

    get hasTopPages() {
        return this.website.topPages.length > 0;
    }

    get topPages() {
        return this.website.topPages.map((page) => ({
            ...page,
            displayTitle: page.title || page.url,
            viewsText: formatLabel(labels.websiteViews, page.views)
        }));
    }
}
