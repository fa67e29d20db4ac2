import { engagementRates } from '../engagementRates';

describe('engagementRates', () => {
    it('measures opens and clicks against delivered emails and bounces against sent ones', () => {
        expect(engagementRates({ sent: 10, delivered: 8, opened: 6, clicked: 2, bounced: 2 })).toEqual({
            openRate: 0.75,
            clickRate: 0.25,
            bounceRate: 0.2
        });
    });

    it('has no rate rather than a division by zero when nothing was delivered or sent', () => {
        expect(engagementRates({ sent: 3, delivered: 0, opened: 0, clicked: 0, bounced: 3 })).toEqual({
            openRate: null,
            clickRate: null,
            bounceRate: 1
        });
        expect(engagementRates({ sent: 0, delivered: 0, opened: 0, clicked: 0, bounced: 0 }).bounceRate).toBeNull();
    });
});
