// Request schemas, strictly: a body field the route's schema does not declare is a 400 (not silently kept),
// body types are never coerced while path and query strings are, and a validation failure says which
// field and why, in words a client can act on. Pure functions, tested with plain data; src/app.ts wires
// them into Fastify.
import { AjvCompiler, type Options as AjvOptions } from '@fastify/ajv-compiler';
import type { FastifyInstance, FastifySchemaValidationError, FastifyServerOptions } from 'fastify';

type ValidatorFactory = NonNullable<
  NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']
>['buildValidator'];

type Schema = Record<string, unknown>;

/** Only plain JSON objects are rewritten: a schema object of another library (a zod type) is left whole. */
const isPlain = (value: unknown): value is Schema => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

/**
 * Keywords by which a schema already says what happens to fields it does not list, or declares fields
 * elsewhere (a branch, a condition, a reference): such an object is left as written.
 */
const SAYS_OTHERWISE = [
  'additionalProperties',
  'patternProperties',
  'unevaluatedProperties',
  'allOf',
  'anyOf',
  'oneOf',
  'if',
  'then',
  'else',
  'dependentSchemas',
  'dependencies',
  '$ref',
];

const mapValues = (record: unknown): unknown =>
  isPlain(record)
    ? Object.fromEntries(Object.entries(record).map(([k, sub]) => [k, closeObjects(sub)]))
    : record;

/**
 * A copy of `schema` where every object that lists `properties` and says nothing else about other fields
 * (see SAYS_OTHERWISE) gets `additionalProperties: false`, at any depth: nested properties, array items,
 * map values, definitions. A free-form `{ type: 'object' }` stays open; so do allOf/anyOf/oneOf branches
 * (a branch often lists only the fields it adds) and whatever a `$ref` points at (close that schema where
 * it is defined).
 */
export function closeObjects(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closeObjects);
  if (!isPlain(schema)) return schema;
  const copy: Schema = { ...schema };
  for (const keyword of ['properties', 'patternProperties', '$defs', 'definitions'])
    if (keyword in copy) copy[keyword] = mapValues(copy[keyword]);
  for (const keyword of ['items', 'prefixItems', 'additionalProperties'])
    if (keyword in copy) copy[keyword] = closeObjects(copy[keyword]);
  if (isPlain(copy.properties) && !SAYS_OTHERWISE.some((k) => k in schema)) copy.additionalProperties = false;
  return copy;
}

/** A route's body schema closed; Fastify's per-content-type form (`{ content: { type: { schema } } }`) too. */
export function closeBody(body: unknown): unknown {
  if (isPlain(body) && isPlain(body.content) && !('type' in body) && !('properties' in body)) {
    const content = Object.entries(body.content).map(([type, entry]) => [
      type,
      isPlain(entry) ? { ...entry, schema: closeObjects(entry.schema) } : entry,
    ]);
    return { ...body, content: Object.fromEntries(content) };
  }
  return closeObjects(body);
}

/** `body.items[2].name`, `body["a.b"]` from `body` and the JSON pointer `/items/2/name`, `/a.b`. */
function fieldPath(dataVar: string, pointer: string): string {
  const parts = pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  const step = (p: string): string =>
    /^\d+$/.test(p) ? `[${p}]` : /^[A-Za-z_$][\w$-]*$/.test(p) ? `.${p}` : `[${JSON.stringify(p)}]`;
  return parts.reduce((path, p) => path + step(p), dataVar);
}

/** One ajv error as a sentence: which field, what is wrong with it. */
export function describeError(error: FastifySchemaValidationError, dataVar: string): string {
  const at = fieldPath(dataVar, error.instancePath);
  const { params } = error;
  if (error.keyword === 'additionalProperties')
    return `${at}: unknown field ${JSON.stringify(String(params.additionalProperty))}`;
  if (error.keyword === 'required')
    return `${at}: missing field ${JSON.stringify(String(params.missingProperty))}`;
  if (error.keyword === 'enum' && Array.isArray(params.allowedValues))
    return `${at}: must be one of ${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  return `${at}: ${error.message ?? error.keyword}`;
}

/** At most this many problems are spelt out in the message (all are in `details`). */
const SHOWN = 5;

/**
 * The message of a validation error: its problems (the first five), `; `-separated. Each is described
 * only until five are found: describing thousands cost more than finding them.
 */
export function validationMessage(errors: readonly FastifySchemaValidationError[], dataVar: string): string {
  const lines = new Set<string>();
  let described = 0;
  for (const error of errors) {
    if (lines.size === SHOWN) break;
    lines.add(describeError(error, dataVar));
    described += 1;
  }
  const rest = errors.length - described;
  return [...lines].join('; ') + (rest > 0 ? `; and ${rest} more` : '');
}

/** What Fastify hands the validator factory: its `ajv` option (customOptions, plugins). */
interface AjvSettings {
  readonly customOptions?: AjvOptions;
}

/**
 * Fastify's validator compiler (its own @fastify/ajv-compiler), twice: bodies never coerced (`"5"` is not
 * a number), path parameters, query strings and headers coerced as Fastify does by default (`/items/42`
 * matches `id: { type: 'integer' }`, `?tag=a` an array of strings).
 */
export function validatorFactory(): ValidatorFactory {
  const pool = AjvCompiler();
  const build = (externalSchemas: Record<string, never>, options: AjvSettings = {}) => {
    const settings = (coerceTypes: false | 'array') =>
      ({ ...options, customOptions: { ...options.customOptions, coerceTypes } }) as Parameters<
        typeof pool
      >[1];
    const body = pool(externalSchemas, settings(false));
    const rest = pool(externalSchemas, settings('array'));
    // Fastify calls the compiler with the route's definition (schema, method, url, httpPart).
    return (route: { httpPart?: string }) =>
      (route.httpPart === 'body' ? body : rest)(route as unknown as Parameters<typeof body>[0]);
  };
  return build as unknown as ValidatorFactory;
}

/** Close every route's body schema (see closeObjects) and word validation errors field by field. */
export function strictSchemas(app: FastifyInstance): void {
  app.setSchemaErrorFormatter((errors, dataVar) => new Error(validationMessage(errors, dataVar)));
  app.addHook('onRoute', (route) => {
    const schema = route.schema;
    if (schema?.body !== undefined) route.schema = { ...schema, body: closeBody(schema.body) };
  });
}
