import type { ComparisonOperator, Condition, FieldPath, Literal, OrderItem, SelectItem, SelectQuery } from './ast';
import { SoqlSyntaxError } from './errors';
import { tokenize, type Token } from './lexer';

const RELATIVE_DATES = new Set([
    'TODAY',
    'YESTERDAY',
    'TOMORROW',
    'THIS_WEEK',
    'LAST_WEEK',
    'THIS_MONTH',
    'LAST_MONTH'
]);
const RELATIVE_DATES_WITH_N = new Set(['LAST_N_DAYS', 'NEXT_N_DAYS', 'N_DAYS_AGO']);
const RESERVED = new Set([
    'SELECT',
    'FROM',
    'WHERE',
    'AND',
    'OR',
    'NOT',
    'IN',
    'LIKE',
    'INCLUDES',
    'EXCLUDES',
    'ORDER',
    'BY',
    'ASC',
    'DESC',
    'NULLS',
    'FIRST',
    'LAST',
    'LIMIT',
    'OFFSET',
    'NULL',
    'TRUE',
    'FALSE'
]);

/** Recursive-descent parser for the SOQL subset (grammar in the method names). */
class Parser {
    private index = 0;

    constructor(private readonly tokens: Token[]) {}

    private get current(): Token {
        return this.tokens[this.index];
    }

    private isKeyword(word: string, offset = 0): boolean {
        const token = this.tokens[this.index + offset];
        return token.kind === 'identifier' && token.text.toUpperCase() === word;
    }

    private acceptKeyword(word: string): boolean {
        if (!this.isKeyword(word)) return false;
        this.index++;
        return true;
    }

    private expectKeyword(word: string): Token {
        if (!this.isKeyword(word)) throw this.unexpected();
        return this.tokens[this.index++];
    }

    private acceptPunctuation(text: string): boolean {
        if (this.current.kind !== 'punctuation' || this.current.text !== text) return false;
        this.index++;
        return true;
    }

    private expectPunctuation(text: string): void {
        if (!this.acceptPunctuation(text)) throw this.unexpected();
    }

    private unexpected(): SoqlSyntaxError {
        const token = this.current;
        return new SoqlSyntaxError(
            token.position,
            token.kind === 'end' ? 'unexpected token: <EOF>' : `unexpected token: ${quoteToken(token)}`
        );
    }

    parseQuery(): SelectQuery {
        const query = this.queryBody(false);
        if (this.current.kind !== 'end') throw this.unexpected();
        return query;
    }

    /** query := SELECT list FROM name [WHERE] [ORDER BY] [LIMIT] [OFFSET]; nested inside a select list once. */
    private queryBody(nested: boolean): SelectQuery {
        this.expectKeyword('SELECT');
        const select = this.selectList(nested);
        this.expectKeyword('FROM');
        const fromToken = this.current;
        if (fromToken.kind !== 'identifier' || fromToken.text.includes('.')) throw this.unexpected();
        this.index++;
        const query: SelectQuery = {
            select,
            from: { name: fromToken.text, position: fromToken.position },
            orderBy: []
        };
        if (this.acceptKeyword('WHERE')) query.where = this.orCondition();
        if (this.acceptKeyword('ORDER')) {
            this.expectKeyword('BY');
            query.orderBy = this.orderList();
        }
        if (this.acceptKeyword('LIMIT')) query.limit = this.nonNegativeInteger();
        if (this.acceptKeyword('OFFSET')) query.offset = this.nonNegativeInteger();
        return query;
    }

    private selectList(nested: boolean): SelectItem[] {
        const items: SelectItem[] = [];
        do {
            const token = this.current;
            if (!nested && token.kind === 'punctuation' && token.text === '(') {
                this.index++;
                const query = this.queryBody(true);
                this.expectPunctuation(')');
                items.push({ kind: 'subquery', query, position: token.position });
            } else if (this.isKeyword('COUNT') && this.tokens[this.index + 1].text === '(') {
                this.index += 2;
                const field = this.current.kind === 'identifier' ? this.fieldPath() : undefined;
                this.expectPunctuation(')');
                const alias =
                    this.current.kind === 'identifier' && !RESERVED.has(this.current.text.toUpperCase())
                        ? this.tokens[this.index++].text
                        : undefined;
                items.push({ kind: 'count', field, position: token.position, alias });
            } else if (token.kind === 'identifier' && !RESERVED.has(token.text.toUpperCase())) {
                items.push({ kind: 'field', path: this.fieldPath() });
            } else {
                throw this.unexpected();
            }
        } while (this.acceptPunctuation(','));
        return items;
    }

    private fieldPath(): FieldPath {
        const token = this.current;
        if (token.kind !== 'identifier' || token.text.endsWith('.') || token.text.includes('..')) {
            throw this.unexpected();
        }
        this.index++;
        return { parts: token.text.split('.'), position: token.position };
    }

    /** or := and (OR and)* */
    private orCondition(): Condition {
        let left = this.andCondition();
        while (this.acceptKeyword('OR')) left = { kind: 'or', left, right: this.andCondition() };
        return left;
    }

    /** and := unary (AND unary)* */
    private andCondition(): Condition {
        let left = this.unaryCondition();
        while (this.acceptKeyword('AND')) left = { kind: 'and', left, right: this.unaryCondition() };
        return left;
    }

    /** unary := NOT unary | '(' or ')' | comparison */
    private unaryCondition(): Condition {
        if (this.acceptKeyword('NOT')) return { kind: 'not', operand: this.unaryCondition() };
        if (this.acceptPunctuation('(')) {
            const inner = this.orCondition();
            this.expectPunctuation(')');
            return inner;
        }
        return this.comparison();
    }

    private comparison(): Condition {
        const path = this.fieldPath();
        const operator = this.operator();
        const valuePosition = this.current.position;
        if (operator === 'IN' || operator === 'NOT IN' || operator === 'INCLUDES' || operator === 'EXCLUDES') {
            this.expectPunctuation('(');
            const values: Literal[] = [];
            do values.push(this.literal());
            while (this.acceptPunctuation(','));
            this.expectPunctuation(')');
            return { kind: 'compare', path, operator, value: values, valuePosition };
        }
        return { kind: 'compare', path, operator, value: this.literal(), valuePosition };
    }

    private operator(): ComparisonOperator {
        const token = this.current;
        if (token.kind === 'operator') {
            this.index++;
            return token.text as ComparisonOperator;
        }
        for (const word of ['LIKE', 'IN', 'INCLUDES', 'EXCLUDES'] as const) {
            if (this.acceptKeyword(word)) return word;
        }
        if (this.isKeyword('NOT') && this.isKeyword('IN', 1)) {
            this.index += 2;
            return 'NOT IN';
        }
        throw this.unexpected();
    }

    private literal(): Literal {
        const token = this.current;
        switch (token.kind) {
            case 'string':
                this.index++;
                return { kind: 'string', value: token.text };
            case 'number':
                this.index++;
                return { kind: 'number', value: Number(token.text) };
            case 'date':
                this.index++;
                if (Number.isNaN(Date.parse(`${token.text}T00:00:00Z`))) {
                    throw new SoqlSyntaxError(token.position, `line 1:${token.position} no viable alternative`);
                }
                return { kind: 'date', value: token.text };
            case 'datetime': {
                this.index++;
                const value = Date.parse(token.text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
                if (Number.isNaN(value)) throw new SoqlSyntaxError(token.position, `invalid datetime ${token.text}`);
                return { kind: 'datetime', value };
            }
            case 'identifier': {
                const word = token.text.toUpperCase();
                if (word === 'NULL') return this.advanceWith({ kind: 'null' });
                if (word === 'TRUE' || word === 'FALSE')
                    return this.advanceWith({ kind: 'boolean', value: word === 'TRUE' });
                if (RELATIVE_DATES.has(word)) return this.advanceWith({ kind: 'relativeDate', name: word });
                if (RELATIVE_DATES_WITH_N.has(word)) {
                    this.index++;
                    this.expectPunctuation(':');
                    const n = this.nonNegativeInteger();
                    return { kind: 'relativeDate', name: word, n };
                }
                throw this.unexpected();
            }
            default:
                throw this.unexpected();
        }
    }

    private advanceWith(literal: Literal): Literal {
        this.index++;
        return literal;
    }

    private orderList(): OrderItem[] {
        const items: OrderItem[] = [];
        do {
            const path = this.fieldPath();
            const descending = this.acceptKeyword('DESC') ? true : (this.acceptKeyword('ASC'), false);
            let nullsLast = descending;
            if (this.acceptKeyword('NULLS')) {
                if (this.acceptKeyword('LAST')) nullsLast = true;
                else if (this.acceptKeyword('FIRST')) nullsLast = false;
                else throw this.unexpected();
            }
            items.push({ path, descending, nullsLast });
        } while (this.acceptPunctuation(','));
        return items;
    }

    private nonNegativeInteger(): number {
        const token = this.current;
        if (token.kind !== 'number' || !/^\d+$/.test(token.text)) throw this.unexpected();
        this.index++;
        return Number(token.text);
    }
}

function quoteToken(token: Token): string {
    return token.kind === 'string' ? `'${token.text}'` : token.text;
}

export function parseSoql(text: string): SelectQuery {
    return new Parser(tokenize(text)).parseQuery();
}
