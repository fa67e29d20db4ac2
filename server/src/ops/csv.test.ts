import { csvCell, toCsv } from './csv';

describe('CSV cells', () => {
    it.each([
        ['plain', 'plain'],
        ['a,b', '"a,b"'],
        ['say "hi"', '"say ""hi"""'],
        ['two\nlines', '"two\nlines"'],
        ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
        ['+1 555', "'+1 555"],
        ['-2 employees', "'-2 employees"],
        ['@SUM(A1)', "'@SUM(A1)"],
        ['\tcmd', "'\tcmd"],
        ['\rcmd', `"'\rcmd"`],
        ['a=b', 'a=b']
    ])('writes %j as %j', (input, expected) => {
        expect(csvCell(input)).toBe(expected);
    });

    it('writes numbers, booleans and blanks as they are: only text can be a formula', () => {
        expect([csvCell(-5), csvCell(3.5), csvCell(true), csvCell(null), csvCell(undefined)]).toEqual([
            '-5',
            '3.5',
            'true',
            '',
            ''
        ]);
    });

    it('joins rows with CRLF and ends with one', () => {
        expect(toCsv(['a', 'b'], [[1, 'x,y']])).toBe('a,b\r\n1,"x,y"\r\n');
    });
});
