import { parse, parseAllDocuments, visit } from 'yaml';
import { FoundationError } from '../errors.js';

import type { TemplateFile } from '../ports/generator.js';

export type { TemplateFile } from '../ports/generator.js';

export interface Answers {
  readonly name: string;
  readonly description: string;
  /** The service kit's parts (`--with`), in the kit's order; absent or empty: none. */
  readonly parts?: readonly string[];
}

/** A DNS-1035 label's characters (length is checked apart: 1 to 63). */
export const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

const YAML_WORDS = new Set(['true', 'false', 'yes', 'no', 'on', 'off', 'y', 'n', 'null']);

/**
 * A service name must be a DNS-1035 label (a DNS-1123 label that starts with a letter): it becomes a
 * Kubernetes Deployment and Service name (Services require the letter), a Kafka client id, an image name.
 */
export function validateServiceName(name: string): string {
  const problems: string[] = [];
  if (name.length === 0 || name.length > 63) problems.push('must be 1 to 63 characters long');
  if (!DNS_LABEL.test(name)) {
    problems.push(
      'may contain only lowercase letters, digits and "-", and must start with a letter and end with a letter or digit',
    );
  }
  // YAML 1.1 reads these unquoted as booleans or null: a manifest's `name: true` would not be a string.
  if (YAML_WORDS.has(name)) problems.push('is a word YAML reads as a boolean or null');
  if (problems.length > 0) {
    const cleaned = name
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '');
    const suggestion = (/^[0-9]/.test(cleaned) || YAML_WORDS.has(cleaned) ? `svc-${cleaned}` : cleaned)
      .slice(0, 63)
      .replace(/-+$/, '');
    throw new FoundationError(
      'E_USAGE',
      `"${name}" is not a valid service name: it ${problems.join(' and ')} (a DNS-1035 label, as Kubernetes Services need)`,
      suggestion && DNS_LABEL.test(suggestion)
        ? `use a name like: ${suggestion}`
        : 'use a name like: orders-api',
    );
  }
  return name;
}

/**
 * Descriptions land in JSON, YAML and TypeScript strings: one line of 1-200 characters, no quotes or
 * backslashes. Each refusal says which rule it broke, and its fix the way out of that one.
 */
export function validateDescription(description: string): string {
  const refuse = (what: string, fix: string): never => {
    throw new FoundationError('E_USAGE', `the description ${what}`, fix);
  };
  if (description.trim().length === 0)
    refuse('is empty', 'say what the service does, e.g. --description "Places and tracks orders"');
  const quote = /["'`\\]/.exec(description)?.[0];
  if (quote !== undefined)
    refuse(
      `contains ${quote} (it lands in JSON, YAML and TypeScript strings)`,
      'leave out quotes and backslashes, e.g. --description "Places and tracks orders"',
    );
  if (/[\n\r]/.test(description)) refuse('spans several lines', 'write it on one line');
  if (description.length > 200)
    refuse(`is ${description.length} characters long (at most 200)`, 'shorten it to one sentence');
  return description;
}

const PLACEHOLDERS = /__SERVICE_(NAME|DESCRIPTION)__/;

/** Would a YAML reader take this plain text for something other than a string (1.1 or 1.2 rules)? */
function readsAsOtherType(text: string): boolean {
  try {
    return typeof parse(text, { version: '1.1' }) !== 'string' || typeof parse(text) !== 'string';
  } catch {
    return true;
  }
}

/** A filled value as the scalar style it replaces would write it (plain only when it stays a plain string). */
function scalarText(style: string | undefined, filled: string): string {
  if (style === 'QUOTE_SINGLE') return `'${filled.replaceAll("'", "''")}'`;
  if (style === 'QUOTE_DOUBLE') return JSON.stringify(filled);
  const plainSafe = /^[^\s#'"&*!|>%@`{}[\],?:-][^#\n]*$/.test(filled) && !/: |\s$/.test(filled);
  return plainSafe && !readsAsOtherType(filled) ? filled : JSON.stringify(filled);
}

/**
 * Fill the placeholders of a YAML file through the YAML library, not by text: the library finds the
 * scalars that hold a placeholder, and only their source text is replaced — each filled value a string by
 * construction, quoted when a YAML 1.1 reader (kubectl, kustomize) or a 1.2 reader would take it for a
 * boolean, null or number (`yes`, `on`, `null`, `0755`, `0o17`, `1e3`). Everything else stays byte for byte
 * (re-printing the document would turn a YAML 1.1 `.` into `.nan`, `0644` into another notation).
 */
function fillYaml(text: string, fill: (text: string) => string, path: string): string {
  const docs = parseAllDocuments(text, { version: '1.1' });
  if (!Array.isArray(docs)) throw new Error(`template file ${path} is not YAML`);
  const edits: { from: number; to: number; text: string }[] = [];
  for (const doc of docs) {
    if (doc.errors.length > 0)
      throw new Error(`template file ${path} is not YAML: ${doc.errors[0]?.message}`);
    visit(doc, {
      Scalar(_, node) {
        if (typeof node.value !== 'string' || !PLACEHOLDERS.test(node.value) || !node.range) return;
        const [from, to] = node.range;
        const block = node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED';
        edits.push({
          from,
          to,
          text: block ? fill(text.slice(from, to)) : scalarText(node.type, fill(node.value)),
        });
      },
    });
  }
  let out = text;
  for (const e of edits.sort((a, b) => b.from - a.from))
    out = out.slice(0, e.from) + e.text + out.slice(e.to);
  return out;
}

/** Fill the placeholders in every file's path and content (YAML files through the YAML library). Pure. */
export function render(files: readonly TemplateFile[], answers: Answers): TemplateFile[] {
  const fill = (text: string): string =>
    text
      .replaceAll('__SERVICE_NAME__', answers.name)
      .replaceAll('__SERVICE_DESCRIPTION__', answers.description);
  return files.map((f) => ({
    path: fill(f.path),
    content: /\.ya?ml$/.test(f.path) ? fillYaml(f.content, fill, f.path) : fill(f.content),
  }));
}

/** Recorded in every generated service, so a later template version can be applied to it. */
export interface TemplateRecord {
  readonly template: 'foundation/service-template';
  readonly version: string;
  readonly answers: Answers;
  readonly telemetryFrom: 'lib/telemetry';
}

export { RECORD_FILE } from './record-file.js';
