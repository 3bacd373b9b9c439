// What an error of @platformatic/kafka 2.12.1 says, read without its classes (a tree of `errors` and
// `cause`, each node maybe a ProtocolError carrying the Kafka error name in `apiId`), so it is pure.

interface ErrorNode {
  readonly message?: unknown;
  readonly code?: unknown;
  readonly apiId?: unknown;
  readonly serverErrorMessage?: unknown;
  readonly errors?: unknown;
  readonly cause?: unknown;
}

const node = (e: unknown): ErrorNode | null => (typeof e === 'object' && e !== null ? e : null);

function children(e: ErrorNode): unknown[] {
  const errors: unknown[] = Array.isArray(e.errors) ? e.errors : [];
  return [...errors, ...(e.cause === undefined ? [] : [e.cause])];
}

/**
 * The Kafka error names in an error and everything it wraps (UNKNOWN_TOPIC_OR_PARTITION, …). The client
 * turns an unknown topic in a metadata answer into a UserError "Unknown topic <name>."; that counts as
 * UNKNOWN_TOPIC_OR_PARTITION too.
 */
export function kafkaErrorNames(error: unknown, depth = 0): Set<string> {
  const names = new Set<string>();
  const e = node(error);
  if (e === null || depth > 8) return names;
  if (typeof e.apiId === 'string') names.add(e.apiId);
  if (e.code === 'PLT_KFK_USER' && typeof e.message === 'string' && e.message.startsWith('Unknown topic '))
    names.add('UNKNOWN_TOPIC_OR_PARTITION');
  for (const c of children(e)) for (const n of kafkaErrorNames(c, depth + 1)) names.add(n);
  return names;
}

/** The answers of a broker that does not (yet) lead a partition it is asked about. */
const NOT_SERVED = ['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE', 'NOT_LEADER_OR_FOLLOWER'];

/** A topic or partition not hosted by its leader yet: worth asking again in a moment. */
export const notServed = (error: unknown): boolean => {
  const names = kafkaErrorNames(error);
  return NOT_SERVED.some((n) => names.has(n));
};

/**
 * One line saying what went wrong, down to the cause: "Listing topics failed. ← Connection to
 * 127.0.0.1:1 failed. ← connect ECONNREFUSED 127.0.0.1:1", a broker's answer as "NAME: what it means".
 */
export function kafkaMessage(error: unknown): string {
  const parts: string[] = [];
  const visit = (x: unknown, depth: number): void => {
    const e = node(x);
    if (e === null) {
      if (typeof x === 'string' || typeof x === 'number') parts.push(String(x));
      return;
    }
    if (depth > 8) return;
    if (x instanceof ReadableKafkaError) {
      // Its message is this chain already (its cause is the same errors again): taken as it is.
      for (const piece of x.message.split(' ← ')) if (!parts.includes(piece)) parts.push(piece);
      return;
    }
    const text = typeof e.message === 'string' ? e.message : '';
    const server = typeof e.serverErrorMessage === 'string' ? ` (${e.serverErrorMessage})` : '';
    const line = typeof e.apiId === 'string' ? `${e.apiId}: ${text}${server}` : text;
    // The retry wrappers ("metadata failed 4 times.") add nothing: each try's error follows.
    if (line !== '' && !parts.includes(line) && !/ failed \d+ times\.$/.test(line)) parts.push(line);
    for (const c of children(e)) visit(c, depth + 1);
  };
  visit(error, 0);
  return parts.length === 0 ? 'unknown error' : parts.join(' ← ');
}

/** readable()'s errors: the message is the chain, the cause the original. */
class ReadableKafkaError extends Error {}

/** The same error with a message that says it all (the original stays its cause, for classifying). */
export function readable(error: unknown): Error {
  return new ReadableKafkaError(kafkaMessage(error), { cause: error });
}

/** The broker's answers that mean "what you asked for is invalid", not "try again". */
const INVALID = [
  'INVALID_CONFIG',
  'INVALID_REPLICATION_FACTOR',
  'INVALID_PARTITIONS',
  'INVALID_TOPIC_EXCEPTION',
  'INVALID_REQUEST',
  'POLICY_VIOLATION',
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_GROUP_ID',
  'TOPIC_DELETION_DISABLED',
];

/** The broker's answers that mean "not for you": the credentials lack a permission (ACLs). */
const FORBIDDEN = [
  'TOPIC_AUTHORIZATION_FAILED',
  'GROUP_AUTHORIZATION_FAILED',
  'CLUSTER_AUTHORIZATION_FAILED',
];

/** Whether the broker refused the request as invalid or as not allowed (asking again will not help), or null. */
export function refusal(
  error: unknown,
): { readonly name: string; readonly kind: 'invalid' | 'forbidden' } | null {
  const names = kafkaErrorNames(error);
  const invalid = INVALID.find((n) => names.has(n));
  if (invalid !== undefined) return { name: invalid, kind: 'invalid' };
  const forbidden = FORBIDDEN.find((n) => names.has(n));
  return forbidden === undefined ? null : { name: forbidden, kind: 'forbidden' };
}
