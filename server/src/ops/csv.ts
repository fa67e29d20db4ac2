/**
 * CSV for spreadsheets (RFC 4180: CRLF rows, fields quoted when they contain a comma, quote or line
 * break). Error messages come from the CRMs and may carry text a user typed, so a text cell that a
 * spreadsheet would run as a formula (leading `=`, `+`, `-`, `@`, tab or carriage return) gets a
 * leading apostrophe, the OWASP advice against CSV injection.
 */
export type CsvCell = string | number | boolean | null | undefined;

const formulaStart = /^[=+\-@\t\r]/;

export function csvCell(value: CsvCell): string {
    if (value === null || value === undefined) return '';
    let text = String(value);
    if (typeof value === 'string' && formulaStart.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
    return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
