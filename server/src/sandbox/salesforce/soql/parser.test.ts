import { parseSoql } from './parser';
import { tokenize } from './lexer';
import { SoqlSyntaxError, formatQueryError } from './errors';

describe('SOQL lexer', () => {
    test('tokenizes strings with escapes, dates, datetimes, numbers and operators', () => {
        const tokens = tokenize(
            "Name = 'O\\'Brien\\\\' AND d >= 2024-01-31 AND t < 2024-01-31T12:34:56.000+0000 AND n <> -1.5"
        );
        expect(tokens.map((t) => [t.kind, t.text])).toEqual([
            ['identifier', 'Name'],
            ['operator', '='],
            ['string', "O'Brien\\"],
            ['identifier', 'AND'],
            ['identifier', 'd'],
            ['operator', '>='],
            ['date', '2024-01-31'],
            ['identifier', 'AND'],
            ['identifier', 't'],
            ['operator', '<'],
            ['datetime', '2024-01-31T12:34:56.000+0000'],
            ['identifier', 'AND'],
            ['identifier', 'n'],
            ['operator', '!='],
            ['number', '-1.5'],
            ['end', '']
        ]);
    });

    test('keeps LIKE escapes for the matcher and rejects unknown escapes and characters', () => {
        expect(tokenize("'50\\%'")[0].text).toBe('50\\%');
        expect(() => tokenize("'bad \\q'")).toThrow(SoqlSyntaxError);
        expect(() => tokenize('SELECT Id FROM Lead WHERE a = #')).toThrow("unexpected token: '#'");
        expect(() => tokenize("SELECT 'open")).toThrow('unterminated string literal');
    });
});

describe('SOQL parser', () => {
    test('parses a full query', () => {
        const query = parseSoql(
            "SELECT Id, Account.Name, Owner.Email FROM Contact WHERE (Email LIKE '%@x.com' OR Email = null) AND NOT LastName IN ('a', 'b') ORDER BY LastName DESC NULLS FIRST, Id LIMIT 10 OFFSET 5"
        );
        expect(query.select.map((s) => (s.kind === 'field' ? s.path.parts.join('.') : 'COUNT'))).toEqual([
            'Id',
            'Account.Name',
            'Owner.Email'
        ]);
        expect(query.from.name).toBe('Contact');
        expect(query.where).toMatchObject({
            kind: 'and',
            left: { kind: 'or', left: { operator: 'LIKE' }, right: { operator: '=', value: { kind: 'null' } } },
            right: { kind: 'not', operand: { operator: 'IN', value: [{ value: 'a' }, { value: 'b' }] } }
        });
        expect(query.orderBy).toEqual([
            expect.objectContaining({ descending: true, nullsLast: false }),
            expect.objectContaining({ descending: false, nullsLast: false })
        ]);
        expect(query).toMatchObject({ limit: 10, offset: 5 });
    });

    test('parses child subqueries in the select list but not nested deeper', () => {
        const query = parseSoql(
            'SELECT Id, (SELECT Id, LastName FROM Contacts WHERE Email != null ORDER BY LastName LIMIT 3) FROM Account'
        );
        expect(query.select[1]).toMatchObject({
            kind: 'subquery',
            query: { from: { name: 'Contacts' }, orderBy: [expect.anything()], limit: 3 }
        });
        expect(() => parseSoql('SELECT Id, (SELECT Id, (SELECT Id FROM Tasks) FROM Contacts) FROM Account')).toThrow(
            'unexpected token: ('
        );
    });

    test('AND binds tighter than OR; keywords are case-insensitive', () => {
        const query = parseSoql('select id from lead where a = 1 or b = 2 and c = 3');
        expect(query.where).toMatchObject({ kind: 'or', right: { kind: 'and' } });
    });

    test('NOT IN, INCLUDES, EXCLUDES, booleans, relative dates and COUNT()', () => {
        const query = parseSoql(
            "SELECT COUNT() FROM Lead WHERE Status NOT IN ('x') AND Tags__c INCLUDES ('a;b', 'c') AND Tags__c EXCLUDES ('d') AND IsConverted = false AND CreatedDate = LAST_N_DAYS:7 AND LastModifiedDate < TODAY"
        );
        expect(query.select).toEqual([expect.objectContaining({ kind: 'count' })]);
        const operators: string[] = [];
        const walk = (c: unknown): void => {
            const node = c as { kind: string; left?: unknown; right?: unknown; operator?: string };
            if (node.kind === 'and') {
                walk(node.left);
                walk(node.right);
            } else operators.push(node.operator!);
        };
        walk(query.where);
        expect(operators).toEqual(['NOT IN', 'INCLUDES', 'EXCLUDES', '=', '=', '<']);
    });

    test.each([
        ['SELECT FROM Lead', 7, 'unexpected token: FROM'],
        ['SELECT Id FRM Lead', 10, 'unexpected token: FRM'],
        ['SELECT Id FROM Lead WHERE', 25, 'unexpected token: <EOF>'],
        ['SELECT Id FROM Lead WHERE Name = ', 33, 'unexpected token: <EOF>'],
        ['SELECT Id FROM Lead LIMIT -1', 26, 'unexpected token: -1'],
        ['SELECT Id FROM Lead WHERE (a = 1', 32, 'unexpected token: <EOF>'],
        ['SELECT Id FROM Lead ORDER BY Name NULLS MIDDLE', 40, 'unexpected token: MIDDLE'],
        ['SELECT Id FROM Lead extra', 20, 'unexpected token: extra']
    ])('rejects %p at offset %p', (text, position, message) => {
        let error: unknown;
        try {
            parseSoql(text);
        } catch (caught) {
            error = caught;
        }
        expect(error).toBeInstanceOf(SoqlSyntaxError);
        expect((error as SoqlSyntaxError).position).toBe(position);
        expect((error as SoqlSyntaxError).message).toBe(message);
    });

    test('formats errors the way Salesforce does', () => {
        expect(formatQueryError('SELECT Foo FROM Account', 7, "No such column 'Foo'")).toBe(
            "\nSELECT Foo FROM Account\n       ^\nERROR at Row:1:Column:8\nNo such column 'Foo'"
        );
        expect(formatQueryError('SELECT Id\nFROM X', 15, 'bad')).toBe('\nFROM X\n     ^\nERROR at Row:2:Column:6\nbad');
    });
});
