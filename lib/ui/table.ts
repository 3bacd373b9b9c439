import type { Style, Styler } from './style.js';
import { PLAIN } from './style.js';

export interface TableOptions {
  /** Spaces before each row. */
  readonly indent?: number;
  /** Columns aligned right (numbers, durations). */
  readonly right?: readonly number[];
  /** The style of a cell, by column and row (applied after padding, so colours never shift a column). */
  readonly style?: (column: number, cell: string, rowIndex: number) => Style | null;
  readonly styler?: Styler;
}

/**
 * Rows of cells as aligned lines: each column as wide as its widest cell (however long a row is), two
 * spaces between columns, the last column not padded. Pure.
 */
export function formatTable(rows: readonly (readonly string[])[], o: TableOptions = {}): string[] {
  const styler = o.styler ?? PLAIN;
  const columns = Math.max(0, ...rows.map((r) => r.length));
  const width = Array.from({ length: columns }, (_, c) =>
    Math.max(0, ...rows.map((r) => (r[c] ?? '').length)),
  );
  const pad = ' '.repeat(o.indent ?? 0);
  return rows.map((row, index) => {
    const cells = row.map((cell, c) => {
      const last = c === row.length - 1;
      const padded = o.right?.includes(c)
        ? cell.padStart(width[c] ?? 0)
        : last
          ? cell
          : cell.padEnd(width[c] ?? 0);
      const style = o.style?.(c, cell, index) ?? null;
      return style === null ? padded : styler(style, padded);
    });
    return `${pad}${cells.join('  ')}`.trimEnd();
  });
}
