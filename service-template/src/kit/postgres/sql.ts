// The operation a statement performs, for metric labels: its first keyword from a fixed list, so the
// label's values stay few whatever SQL the service sends (never the SQL text itself).
const OPERATIONS = new Set([
  'SELECT',
  'INSERT',
  'UPDATE',
  'DELETE',
  'MERGE',
  'WITH',
  'VALUES',
  'CALL',
  'COPY',
  'CREATE',
  'ALTER',
  'DROP',
  'TRUNCATE',
  'LOCK',
  'BEGIN',
  'COMMIT',
  'ROLLBACK',
  'SAVEPOINT',
  'RELEASE',
  'SET',
  'SHOW',
  'LISTEN',
  'NOTIFY',
  'EXPLAIN',
]);

/** Leading whitespace, `-- line` and `/* block *\/` comments, then the first word. */
const FIRST_WORD = /^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*([A-Za-z]+)/;

/** Services send the same few statements again and again: each is parsed once (up to this many kept). */
const KNOWN_MAX = 1_000;
const known = new Map<string, string>();

/** `SELECT`, `INSERT`, … or `OTHER`. */
export function operationOf(sql: string): string {
  const seen = known.get(sql);
  if (seen !== undefined) return seen;
  const word = FIRST_WORD.exec(sql)?.[1]?.toUpperCase();
  const operation = word !== undefined && OPERATIONS.has(word) ? word : 'OTHER';
  if (known.size < KNOWN_MAX && sql.length <= 4_096) known.set(sql, operation);
  return operation;
}

export type Isolation = 'serializable' | 'repeatable-read' | 'read-committed';

/** The BEGIN statement for an isolation level (and read-only when asked). */
export function beginStatement(isolation: Isolation, readOnly = false): string {
  const level = isolation.replace('-', ' ').toUpperCase();
  return `BEGIN ISOLATION LEVEL ${level}${readOnly ? ' READ ONLY' : ''}`;
}
