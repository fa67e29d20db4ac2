import { recordIntelligenceExamples, timelineResponseExamples } from './examples';
import { RecordIntelligence, TimelineQuery, TimelineResponse } from './timeline';

describe('timeline contract', () => {
    it.each(Object.entries(timelineResponseExamples))('example %s is a valid TimelineResponse', (_name, example) => {
        expect(TimelineResponse.safeParse(example).error).toBeUndefined();
    });

    it.each(Object.entries(recordIntelligenceExamples))(
        'example %s is a valid RecordIntelligence',
        (_name, example) => {
            expect(RecordIntelligence.safeParse(example).error).toBeUndefined();
        }
    );

    it('rejects a response with an unknown property so the contract cannot drift silently', () => {
        const result = TimelineResponse.safeParse({ ...timelineResponseExamples.timelineFull, extra: true });
        expect(result.success).toBe(false);
    });

    it('parses the types filter and rejects unknown types with the list of valid ones', () => {
        expect(TimelineQuery.parse({ types: 'CALL,NOTE' })).toEqual({ types: ['CALL', 'NOTE'], pageSize: 25 });
        const bad = TimelineQuery.safeParse({ types: 'CALL,HACK' });
        expect(bad.success).toBe(false);
        expect(bad.error?.issues[0]?.message).toContain('MARKETING_EMAIL_SENT');
    });

    it('bounds the page size', () => {
        expect(TimelineQuery.safeParse({ pageSize: '0' }).success).toBe(false);
        expect(TimelineQuery.safeParse({ pageSize: '101' }).success).toBe(false);
        expect(TimelineQuery.parse({ pageSize: '50' }).pageSize).toBe(50);
    });
});
