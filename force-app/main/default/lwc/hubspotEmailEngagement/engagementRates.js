/**
 * Rates of a marketing email engagement summary, as fractions (0.75 = 75 %), null when undefined
 * because nothing was delivered or sent. Opens and clicks are measured against delivered emails,
 * bounces against sent ones, as HubSpot reports them.
 * @param {{ sent: number, delivered: number, opened: number, clicked: number, bounced: number }} engagement
 * @returns {{ openRate: number|null, clickRate: number|null, bounceRate: number|null }}
 */
export function engagementRates(engagement) {
    return {
        openRate: ratio(engagement.opened, engagement.delivered),
        clickRate: ratio(engagement.clicked, engagement.delivered),
        bounceRate: ratio(engagement.bounced, engagement.sent)
    };
}

function ratio(part, whole) {
    return whole > 0 ? part / whole : null;
}
