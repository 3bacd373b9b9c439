import * as v from 'valibot';

/**
 * `schema` (a strict object or a record) for a YAML mapping. valibot takes an array for an object (an
 * array is one to `typeof`); a file's mapping written as a list is a mistake to report, not an empty one.
 */
export function mapping<const TSchema extends v.GenericSchema>(schema: TSchema) {
  return v.pipe(
    v.unknown(),
    v.check((value) => !Array.isArray(value), 'Invalid input: expected object, received array'),
    schema,
  );
}

/** Where in a parsed file a problem is (object keys and array indexes), and what it is. */
export interface FileIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** A value's kind in words: `null`, `array` or its `typeof`. */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}

/** What a schema expected, in lower case and without the parentheses around a union's options. */
function expectedOf(issue: v.BaseIssue<unknown>): string {
  return (issue.expected ?? 'a value').toLowerCase().replace(/^\((.*)\)$/, '$1');
}

/** What valibot's own messages say, in this project's words (custom messages are kept as they are). */
function messageOf(issue: v.BaseIssue<unknown>): string {
  const { input, requirement } = issue;
  const limit = typeof requirement === 'number' ? requirement : NaN;
  const unit = Array.isArray(input) ? 'items' : 'characters';
  switch (issue.type) {
    case 'integer':
      return `Invalid input: expected a whole number, received ${issue.received}`;
    case 'min_value':
      return `Too small: expected number to be >=${limit}`;
    case 'max_value':
      return `Too big: expected number to be <=${limit}`;
    case 'min_length':
      return `Too small: expected ${kindOf(input)} to have >=${limit} ${unit}`;
    case 'max_length':
      return `Too big: expected ${kindOf(input)} to have <=${limit} ${unit}`;
  }
  if (issue.kind === 'schema')
    return `Invalid input: expected ${expectedOf(issue)}, received ${kindOf(input)}`;
  return issue.message;
}

/**
 * A valibot issue of a file's schema as a path and a message. A key that a strict object does not know is
 * reported on the object ("Unrecognized key"), a key that it needs and lacks on the key ("Required").
 */
export function fileIssue(issue: v.BaseIssue<unknown>): FileIssue {
  const items = issue.path ?? [];
  const path = items.map((item) => (typeof item.key === 'number' ? item.key : String(item.key)));
  const last = items.at(-1);
  if (issue.type === 'strict_object' && last?.origin === 'key') {
    if (issue.expected === 'never')
      return { path: path.slice(0, -1), message: `Unrecognized key: "${String(last.key)}"` };
    return { path, message: 'Required' };
  }
  return { path, message: messageOf(issue) };
}
