// What a log line's fields go through before pino writes them: secret-named fields censored at any depth,
// and a timestamp formatted once per millisecond. Both run on every line, so both avoid work (and copies)
// when there is nothing to do.

export const CENSORED = '[redacted]';

/**
 * Field names whose values are never logged, compared in lower case wherever they appear in a line's
 * object (top level, `headers`, `user`, …): credentials, tokens, auth and cookie headers.
 */
export const SECRET_FIELD_NAMES: ReadonlySet<string> = new Set([
  'password',
  'passwd',
  'secret',
  'token',
  'apikey',
  'api_key',
  'api-key',
  'x-api-key',
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'access_token',
  'accesstoken',
  'refresh_token',
  'refreshtoken',
  'id_token',
  'client_secret',
  'clientsecret',
  'private_key',
  'privatekey',
]);

/** Objects nested deeper than this are written as they are (a log line is not a document dump). */
const MAX_DEPTH = 6;

const isSecretName = (key: string): boolean =>
  SECRET_FIELD_NAMES.has(key) || SECRET_FIELD_NAMES.has(key.toLowerCase());

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * `value` with every secret-named field censored, in plain objects and arrays up to MAX_DEPTH. Returns
 * the same object when nothing is censored, and otherwise copies only the objects on the way to a
 * censored field: the caller's objects are never changed. Class instances (errors, requests) are left to
 * their serializers.
 */
export function censorSecrets<T>(value: T, depth = 0): T {
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item: unknown, i) => {
      const censored = censorSecrets(item, depth + 1);
      if (censored !== item) (copy ??= [...(value as unknown[])])[i] = censored;
    });
    return (copy ?? value) as T;
  }
  if (!isPlainObject(value)) return value;
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(value)) {
    const field = value[key];
    const censored =
      field !== undefined && field !== null && isSecretName(key) ? CENSORED : censorSecrets(field, depth + 1);
    if (censored !== field) (copy ??= { ...value })[key] = censored;
  }
  return (copy ?? value) as T;
}

/**
 * pino's `timestamp` option writing ISO 8601 (`,"time":"2026-11-26T09:24:25.834Z"`), formatting the date
 * once per millisecond however many lines share it.
 */
export function isoTimestamp(now: () => number = Date.now): () => string {
  let last = Number.NaN;
  let text = '';
  return () => {
    const ms = now();
    if (ms !== last) {
      last = ms;
      text = `,"time":"${new Date(ms).toISOString()}"`;
    }
    return text;
  };
}
