/** Plain-text table for terminals: the first row is the header; the first column is left-aligned, numbers right. */
export function textTable(rows: string[][]): string {
    const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
    const isNumeric = (column: number) => rows.slice(1).every((row) => /^[\d.,—-]*$/.test(row[column] ?? ''));
    const format = (row: string[]) =>
        row
            .map((cell, column) =>
                column > 0 && isNumeric(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)
            )
            .join('  ')
            .trimEnd();
    const [header, ...body] = rows;
    return [format(header!), widths.map((width) => '─'.repeat(width)).join('  '), ...body.map(format)].join('\n');
}
