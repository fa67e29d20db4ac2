import { buildId, checksumSuffix, IdAllocator, sequenceOf, toId18 } from './ids';

describe('Salesforce IDs', () => {
    test('the case-insensitivity suffix matches a documented 15/18-character pair', () => {
        expect(checksumSuffix('001D000000IqhSL')).toBe('IAZ');
        expect(toId18('001D000000IqhSL')).toBe('001D000000IqhSLIAZ');
        expect(toId18('001D000000IqhSLiaz')).toBe('001D000000IqhSLIAZ');
    });

    test('rejects malformed IDs and wrong suffixes', () => {
        expect(toId18('001D000000IqhS')).toBeUndefined();
        expect(toId18('001D000000IqhSLAAA')).toBeUndefined();
        expect(toId18('001D000000IqhS-IAZ')).toBeUndefined();
    });

    test('generated IDs carry the key prefix, are valid, sort by creation and round-trip their sequence', () => {
        const ids = new IdAllocator();
        const first = ids.next('00Q');
        const second = ids.next('003');
        expect(first).toMatch(/^00Q5g[0-9A-Za-z]{13}$/);
        expect(toId18(first)).toBe(first);
        expect(first.slice(5, 15) < second.slice(5, 15)).toBe(true);
        expect(sequenceOf(buildId('001', 123_456_789))).toBe(123_456_789);
    });
});
