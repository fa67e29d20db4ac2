/** A syntax error at an offset of the query text; rendered as Salesforce's MALFORMED_QUERY. */
export class SoqlSyntaxError extends Error {
    constructor(
        readonly position: number,
        message: string
    ) {
        super(message);
    }
}

/**
 * Salesforce's query error message: the query, a caret under the column, `ERROR at Row:R:Column:C`,
 * then the reason. Rows and columns are 1-based.
 */
export function formatQueryError(query: string, position: number, reason: string): string {
    const before = query.slice(0, position);
    const row = before.split('\n').length;
    const lineStart = before.lastIndexOf('\n') + 1;
    const column = position - lineStart + 1;
    const line = query.split('\n')[row - 1] ?? '';
    return `\n${line}\n${' '.repeat(column - 1)}^\nERROR at Row:${row}:Column:${column}\n${reason}`;
}
