import { FoundationError } from '../errors.js';

export interface TemplateFile {
  readonly path: string;
  readonly content: string;
}

export interface Answers {
  readonly name: string;
  readonly description: string;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A service name must be a DNS-1123 label: it becomes a Kubernetes name, a Kafka client id, an image name. */
export function validateServiceName(name: string): string {
  const problems: string[] = [];
  if (name.length === 0 || name.length > 63) problems.push('must be 1 to 63 characters long');
  if (!DNS_LABEL.test(name)) {
    problems.push(
      'may contain only lowercase letters, digits and "-", and must start and end with a letter or digit',
    );
  }
  if (problems.length > 0) {
    const suggestion = name
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 63);
    throw new FoundationError(
      'E_USAGE',
      `"${name}" is not a valid service name: it ${problems.join(' and ')} (a DNS-1123 label)`,
      suggestion && DNS_LABEL.test(suggestion)
        ? `use a name like: ${suggestion}`
        : 'use a name like: orders-api',
    );
  }
  return name;
}

/** Descriptions land in JSON, YAML and TypeScript strings: one line, no quotes or backslashes. */
export function validateDescription(description: string): string {
  if (/["'`\\\n\r]/.test(description) || description.length > 200) {
    throw new FoundationError(
      'E_USAGE',
      'the description must be one line of at most 200 characters without quotes or backslashes',
      'shorten it, e.g. --description "Places and tracks orders"',
    );
  }
  return description;
}

/** Fill the placeholders in every file's path and content. Pure. */
export function render(files: readonly TemplateFile[], answers: Answers): TemplateFile[] {
  const fill = (text: string): string =>
    text
      .replaceAll('__SERVICE_NAME__', answers.name)
      .replaceAll('__SERVICE_DESCRIPTION__', answers.description);
  return files.map((f) => ({ path: fill(f.path), content: fill(f.content) }));
}

/** Recorded in every generated service, so a later template version can be applied to it. */
export interface TemplateRecord {
  readonly template: 'foundation/service-template';
  readonly version: string;
  readonly answers: Answers;
  readonly telemetryFrom: 'lib/telemetry';
}

export const RECORD_FILE = '.foundation-template.json';
