import { SoqlSyntaxError } from './errors';

export type TokenKind = 'identifier' | 'string' | 'number' | 'date' | 'datetime' | 'operator' | 'punctuation' | 'end';

export interface Token {
    kind: TokenKind;
    /** Raw text (for strings: the unescaped value). */
    text: string;
    position: number;
}

const DATE = /^\d{4}-\d{2}-\d{2}/y;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})/y;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)/y;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_.]*/y;
const ESCAPES: Record<string, string> = {
    n: '\n',
    r: '\r',
    t: '\t',
    b: '\b',
    f: '\f',
    '"': '"',
    "'": "'",
    '\\': '\\',
    _: '\\_',
    '%': '\\%'
};

function matchAt(pattern: RegExp, text: string, position: number): string | undefined {
    const sticky = new RegExp(pattern.source.slice(1), 'y');
    sticky.lastIndex = position;
    return sticky.exec(text)?.[0];
}

/** Splits SOQL into tokens; string escapes follow SOQL (`\'`, `\\`, `\n`, and `\_`/`\%` kept for LIKE). */
export function tokenize(text: string): Token[] {
    const tokens: Token[] = [];
    let i = 0;
    while (i < text.length) {
        const ch = text[i];
        if (/\s/.test(ch)) {
            i++;
            continue;
        }
        if (ch === "'") {
            let value = '';
            let j = i + 1;
            for (;;) {
                if (j >= text.length) throw new SoqlSyntaxError(i, `unterminated string literal`);
                const c = text[j];
                if (c === '\\') {
                    const escaped = ESCAPES[text[j + 1]];
                    if (escaped === undefined) throw new SoqlSyntaxError(j, `Invalid string literal: invalid escape`);
                    value += escaped;
                    j += 2;
                } else if (c === "'") {
                    j++;
                    break;
                } else {
                    value += c;
                    j++;
                }
            }
            tokens.push({ kind: 'string', text: value, position: i });
            i = j;
            continue;
        }
        const datetime = matchAt(DATETIME, text, i);
        if (datetime) {
            tokens.push({ kind: 'datetime', text: datetime, position: i });
            i += datetime.length;
            continue;
        }
        const date = matchAt(DATE, text, i);
        if (date) {
            tokens.push({ kind: 'date', text: date, position: i });
            i += date.length;
            continue;
        }
        const number = /[0-9.]/.test(ch) ? matchAt(NUMBER, text, i) : undefined;
        if (number) {
            tokens.push({ kind: 'number', text: number, position: i });
            i += number.length;
            continue;
        }
        const identifier = matchAt(IDENTIFIER, text, i);
        if (identifier) {
            tokens.push({ kind: 'identifier', text: identifier, position: i });
            i += identifier.length;
            continue;
        }
        const two = text.slice(i, i + 2);
        if (two === '!=' || two === '<>' || two === '<=' || two === '>=') {
            tokens.push({ kind: 'operator', text: two === '<>' ? '!=' : two, position: i });
            i += 2;
            continue;
        }
        if (ch === '=' || ch === '<' || ch === '>') {
            tokens.push({ kind: 'operator', text: ch, position: i });
            i++;
            continue;
        }
        if (ch === '(' || ch === ')' || ch === ',' || ch === ':') {
            tokens.push({ kind: 'punctuation', text: ch, position: i });
            i++;
            continue;
        }
        if (ch === '-' || ch === '+') {
            const signed = matchAt(NUMBER, text, i);
            if (signed) {
                tokens.push({ kind: 'number', text: signed, position: i });
                i += signed.length;
                continue;
            }
        }
        throw new SoqlSyntaxError(i, `unexpected token: '${ch}'`);
    }
    tokens.push({ kind: 'end', text: '', position: text.length });
    return tokens;
}
