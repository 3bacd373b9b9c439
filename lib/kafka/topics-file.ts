import * as v from 'valibot';
import { FoundationError } from '../errors.js';
import { fileIssue, mapping } from '../file-schema.js';
import { parseYaml } from '../yaml-text.js';

import type { DesiredTopic } from '../ports/kafka.js';

export type { DesiredTopic } from '../ports/kafka.js';

/**
 * A config value as the broker stores it: numbers whole and exact (a YAML number past 2^53 has lost digits
 * already: quote it), lists without spaces after their commas ("compact, delete" is kept as
 * "compact,delete", else it would read as drift on every run).
 */
const configValue = v.pipe(
  v.union([
    v.string(),
    v.pipe(
      v.number(),
      v.check(
        (n) => !Number.isInteger(n) || Number.isSafeInteger(n),
        'a number past 2^53 loses digits in YAML: write it in quotes',
      ),
    ),
    v.boolean(),
  ]),
  v.transform((value) =>
    String(value)
      .split(/\s*,\s*/)
      .join(','),
  ),
);
const configMap = mapping(
  v.record(
    v.pipe(v.string(), v.regex(/^[a-z][a-z0-9.]*$/, 'a Kafka config name like retention.ms')),
    configValue,
  ),
);
const count = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10_000));
const replication = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(16));

/** Why Kafka would refuse `name` for a topic, or null when it would take it. Pure. */
export function topicNameProblem(name: string): string | null {
  if (!/^[A-Za-z0-9._-]{1,249}$/.test(name)) return 'letters, digits, ".", "_" and "-", at most 249';
  if (name === '.' || name === '..') return 'Kafka refuses "." and ".." as topic names';
  return null;
}

const topicSchema = mapping(
  v.strictObject({
    name: v.pipe(
      v.string(),
      v.check(
        (name) => topicNameProblem(name) === null,
        (issue) => topicNameProblem(issue.input) ?? '',
      ),
    ),
    partitions: v.optional(count),
    replicationFactor: v.optional(replication),
    config: v.optional(configMap),
  }),
);

const fileSchema = mapping(
  v.strictObject({
    defaults: v.optional(
      mapping(
        v.strictObject({
          partitions: v.optional(count),
          replicationFactor: v.optional(replication),
          config: v.optional(configMap),
        }),
      ),
    ),
    topics: v.pipe(v.array(topicSchema), v.minLength(1)),
  }),
);

/** Numeric configs that must hold a whole number (-1 = unlimited, where Kafka allows it). */
const NUMERIC = [
  'retention.ms',
  'retention.bytes',
  'segment.bytes',
  'segment.ms',
  'min.insync.replicas',
  'max.message.bytes',
];

function malformed(file: string, problems: string[]): FoundationError {
  return new FoundationError(
    'E_TOPICS_FILE_MALFORMED',
    `${file} is malformed:\n  - ${problems.join('\n  - ')}`,
    `fix ${file}; each topic needs a name, and may set partitions, replicationFactor and config`,
  );
}

/**
 * Parse and validate a topics file. Pure. Every problem names the file, the topic (by name, or by its
 * position when the name itself is wrong) and the field.
 */
export function parseTopicsFile(text: string, file: string): DesiredTopic[] {
  const yaml = parseYaml(text);
  if (!yaml.ok) throw malformed(file, yaml.problems);
  const raw = yaml.value;
  const parsed = v.safeParse(fileSchema, raw);
  if (!parsed.success) {
    const topics = (raw as { topics?: { name?: unknown }[] } | null)?.topics;
    const problems = parsed.issues.map(fileIssue).map((issue) => {
      const [first, index, ...rest] = issue.path;
      if (first === 'topics' && typeof index === 'number') {
        const name = topics?.[index]?.name;
        const who = typeof name === 'string' ? `topic ${name}` : `topics[${index}]`;
        return `${who}: ${rest.join('.') || '(the entry)'}: ${issue.message}`;
      }
      return `${issue.path.join('.') || '(the file)'}: ${issue.message}`;
    });
    // The rest is said too, from what can be read of the entries: not one kind of mistake per attempt.
    throw malformed(file, [...problems, ...namesAndNumbers(readable(raw))]);
  }
  const { defaults = {}, topics } = parsed.output;
  const out = topics.map((t) => ({
    name: t.name,
    partitions: t.partitions ?? defaults.partitions ?? 1,
    replicationFactor: t.replicationFactor ?? defaults.replicationFactor ?? 1,
    config: { ...defaults.config, ...t.config },
  }));
  const problems = namesAndNumbers(out);
  if (problems.length > 0) throw malformed(file, problems);
  return out;
}

interface Readable {
  readonly name: string;
  readonly config: Readonly<Record<string, unknown>>;
}

/** Of a file that failed its schema, the topics whose name is a string, with their config as written. */
function readable(raw: unknown): Readable[] {
  const file = (raw ?? {}) as { topics?: unknown; defaults?: { config?: unknown } };
  const object = (x: unknown): Record<string, unknown> =>
    typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Record<string, unknown>) : {};
  const defaults = object(object(file.defaults).config);
  return (Array.isArray(file.topics) ? file.topics : []).flatMap((entry: unknown) => {
    const { name, config } = object(entry);
    return typeof name === 'string' ? [{ name, config: { ...defaults, ...object(config) } }] : [];
  });
}

/**
 * Names declared twice or colliding (Kafka refuses a topic whose name differs from another's only by "."
 * against "_": their metrics collide), and numeric configs that are not whole numbers. Pure.
 */
function namesAndNumbers(topics: readonly Readable[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const metricNames = new Map<string, string>();
  for (const t of topics) {
    if (seen.has(t.name)) problems.push(`topic ${t.name}: name: declared twice`);
    seen.add(t.name);
    const metric = t.name.replaceAll('.', '_');
    const twin = metricNames.get(metric);
    if (twin !== undefined && twin !== t.name)
      problems.push(`topic ${t.name}: name: collides with ${twin} (Kafka treats "." and "_" alike there)`);
    metricNames.set(metric, t.name);
    for (const key of NUMERIC) {
      const value = t.config[key];
      const whole = typeof value === 'number' ? Number.isInteger(value) : /^-?\d+$/.test(String(value));
      if (value !== undefined && !whole)
        problems.push(
          `topic ${t.name}: config.${key}: expected a whole number, got ${JSON.stringify(value)}`,
        );
    }
  }
  return [...new Set(problems)]; // a name declared twice says its config's problem once
}
