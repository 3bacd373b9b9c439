import { LineCounter, parseDocument, visit, type Document } from 'yaml';
import { asRecord, type PlainRecord } from './model/plain-data.js';

type Parsed = { ok: true; value: unknown } | { ok: false; problems: string[] };

/** `line 3, column 11` of an offset, or `line ?` without one. */
const at = (pos: { line: number; col: number } | undefined): string =>
  `line ${pos === undefined ? '?' : `${String(pos.line)}, column ${String(pos.col)}`}`;

/**
 * Why the parsed document cannot become a value: an alias whose anchor is not set before it (named with
 * its line), or aliases that expand past the library's guard against resource exhaustion ("billion laughs").
 */
function conversionProblem(doc: Document, lines: LineCounter, error: unknown): string {
  let unresolved: string | undefined;
  visit(doc, {
    Alias(_key, node) {
      if (node.resolve(doc) !== undefined) return undefined;
      unresolved = `${at(node.range ? lines.linePos(node.range[0]) : undefined)}: the alias *${node.source} names no anchor set before it (&${node.source})`;
      return visit.BREAK;
    },
  });
  if (unresolved !== undefined) return unresolved;
  const message = error instanceof Error ? error.message : String(error);
  return /alias count/i.test(message)
    ? 'line ?: its aliases expand too many times (refused as a resource-exhaustion attack): write the values out'
    : `line ?: ${message}`;
}

/**
 * Parse YAML text, or say where it is broken: one `line N: message` per syntax error, or the alias that
 * cannot be resolved. Pure. Callers wrap the problems in their own coded error, naming the file.
 */
export function parseYaml(text: string, options: { version?: '1.1' | '1.2' } = {}): Parsed {
  const lines = new LineCounter();
  const doc = parseDocument(text, { ...options, lineCounter: lines });
  if (doc.errors.length === 0) {
    try {
      return { ok: true, value: doc.toJS() as unknown };
    } catch (error) {
      return { ok: false, problems: [conversionProblem(doc, lines, error)] };
    }
  }
  return {
    ok: false,
    problems: doc.errors.map((e) => {
      // The library's first line ends "… at line 3, column 1:" before its code frame: said once, in front.
      const what = (e.message.split('\n')[0] ?? '').replace(/\s*at line \d+, column \d+:?\s*$/, '');
      return `${at(e.linePos?.[0])}: ${what}`;
    }),
  };
}

/** A YAML (or JSON) file whose top level is a mapping, as its fields; undefined when it is not one or does not parse. */
export function yamlRecord(text: string): PlainRecord | undefined {
  const parsed = parseYaml(text);
  return parsed.ok ? asRecord(parsed.value) : undefined;
}
