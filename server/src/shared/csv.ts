/** RFC 4180 CSV as Bulk API 2.0 reads and writes it (comma-separated, double-quote escaping). */

export const COLUMN_DELIMITERS: Record<string, string> = {
    COMMA: ',',
    TAB: '\t',
    PIPE: '|',
    SEMICOLON: ';',
    CARET: '^',
    BACKQUOTE: '`'
};

export class CsvError extends Error {}

export function parseCsv(text: string, delimiter = ','): string[][] {
    const rows: string[][] = [];
    let row: string[] = [];
    let cell = '';
    let quoted = false;
    let i = 0;
    const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    while (i < body.length) {
        const ch = body[i];
        if (quoted) {
            if (ch === '"') {
                if (body[i + 1] === '"') {
                    cell += '"';
                    i += 2;
                    continue;
                }
                quoted = false;
                i++;
                continue;
            }
            cell += ch;
            i++;
            continue;
        }
        if (ch === '"' && cell === '') {
            quoted = true;
            i++;
        } else if (ch === delimiter) {
            row.push(cell);
            cell = '';
            i++;
        } else if (ch === '\n' || ch === '\r') {
            row.push(cell);
            rows.push(row);
            row = [];
            cell = '';
            i += ch === '\r' && body[i + 1] === '\n' ? 2 : 1;
        } else {
            cell += ch;
            i++;
        }
    }
    if (quoted) throw new CsvError('unterminated quoted field');
    if (cell !== '' || row.length > 0) {
        row.push(cell);
        rows.push(row);
    }
    return rows;
}

function escapeCell(value: string, delimiter: string): string {
    return /["\r\n]/.test(value) || value.includes(delimiter) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function formatCsv(rows: string[][], delimiter = ',', lineEnding = '\n'): string {
    return (
        rows.map((row) => row.map((cell) => escapeCell(cell, delimiter)).join(delimiter)).join(lineEnding) + lineEnding
    );
}
