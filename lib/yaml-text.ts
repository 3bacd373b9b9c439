import { parseDocument } from 'yaml';

/**
 * Parse YAML text, or say where it is broken: one `line N: message` per syntax error. Pure. Callers wrap
 * the problems in their own coded error, naming the file.
 */
export function parseYaml(
  text: string,
  options: { version?: '1.1' | '1.2' } = {},
): { ok: true; value: unknown } | { ok: false; problems: string[] } {
  const doc = parseDocument(text, options);
  if (doc.errors.length === 0) return { ok: true, value: doc.toJS() as unknown };
  return {
    ok: false,
    problems: doc.errors.map((e) => {
      const at = e.linePos?.[0];
      // The library's first line ends "… at line 3, column 1:" before its code frame: said once, in front.
      const what = (e.message.split('\n')[0] ?? '').replace(/\s*at line \d+, column \d+:?\s*$/, '');
      return `line ${at === undefined ? '?' : `${String(at.line)}, column ${String(at.col)}`}: ${what}`;
    }),
  };
}
