export interface Column {
  readonly header: string;
  /** Numbers are right-aligned like free and slabtop print them; names are left-aligned. */
  readonly align: 'left' | 'right';
}

/**
 * Plain fixed-width table: widths come from the widest cell, columns are separated by two
 * spaces, trailing blanks are trimmed so the output pastes cleanly into tickets.
 */
export function renderTable(
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
  style: (header: string) => string = (h) => h,
): string[] {
  const widths = columns.map((c, i) =>
    rows.reduce((w, row) => Math.max(w, (row[i] ?? '').length), c.header.length),
  );
  const line = (cells: readonly string[]): string =>
    columns
      .map((c, i) => {
        const cell = cells[i] ?? '';
        const w = widths[i] ?? 0;
        return c.align === 'right' ? cell.padStart(w) : cell.padEnd(w);
      })
      .join('  ')
      .trimEnd();
  return [style(line(columns.map((c) => c.header))), ...rows.map(line)];
}
