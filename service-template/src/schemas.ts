// Request schemas, strictly: a body field the route's schema does not declare is a 400 (not silently kept),
// and a validation failure says which field and why, in words a client can act on. Pure functions, tested
// with plain data; src/app.ts wires them into Fastify.
import type { FastifyInstance, FastifySchemaValidationError } from 'fastify';

type Schema = Record<string, unknown>;

const isSchema = (value: unknown): value is Schema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Keywords that already say what happens to undeclared fields: the schema's own choice is kept. */
const OPEN_OR_CLOSED = ['additionalProperties', 'patternProperties', 'unevaluatedProperties'];

/**
 * A copy of `schema` where every object that lists `properties` and says nothing about other fields gets
 * `additionalProperties: false`, in nested properties and array items too. An object without `properties`
 * (a free-form `{ type: 'object' }`) stays open, and so does one that says `additionalProperties: true`.
 * allOf/anyOf/oneOf branches are left as written: a branch often declares only the fields it adds to its
 * parent's, and closing it would refuse the others (write `unevaluatedProperties: false` there instead).
 */
export function closeObjects(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closeObjects);
  if (!isSchema(schema)) return schema;
  const copy: Schema = { ...schema };
  if (isSchema(copy.properties)) {
    copy.properties = Object.fromEntries(
      Object.entries(copy.properties).map(([name, sub]) => [name, closeObjects(sub)]),
    );
    if (!OPEN_OR_CLOSED.some((keyword) => keyword in copy)) copy.additionalProperties = false;
  }
  for (const keyword of ['items', 'prefixItems'])
    if (keyword in copy) copy[keyword] = closeObjects(copy[keyword]);
  return copy;
}

/** `body.items[2].name` from `body` and the JSON pointer `/items/2/name`. */
function fieldPath(dataVar: string, pointer: string): string {
  const parts = pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  return parts.reduce((path, p) => (/^\d+$/.test(p) ? `${path}[${p}]` : `${path}.${p}`), dataVar);
}

/** One ajv error as a sentence: which field, what is wrong with it. */
export function describeError(error: FastifySchemaValidationError, dataVar: string): string {
  const at = fieldPath(dataVar, error.instancePath);
  const { params } = error;
  if (error.keyword === 'additionalProperties')
    return `${at}: unknown field "${String(params.additionalProperty)}"`;
  if (error.keyword === 'required') return `${at}: missing field "${String(params.missingProperty)}"`;
  if (error.keyword === 'enum' && Array.isArray(params.allowedValues))
    return `${at}: must be one of ${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  return `${at}: ${error.message ?? error.keyword}`;
}

/** At most this many problems are spelt out in the message (all are in `details`). */
const SHOWN = 5;

/** The message of a validation error: every problem (the first five), `; `-separated. */
export function validationMessage(errors: readonly FastifySchemaValidationError[], dataVar: string): string {
  const lines = [...new Set(errors.map((e) => describeError(e, dataVar)))];
  const more = lines.length > SHOWN ? `; and ${lines.length - SHOWN} more` : '';
  return lines.slice(0, SHOWN).join('; ') + more;
}

/** Close every route's body schema (see closeObjects) and word validation errors field by field. */
export function strictSchemas(app: FastifyInstance): void {
  app.setSchemaErrorFormatter((errors, dataVar) => new Error(validationMessage(errors, dataVar)));
  app.addHook('onRoute', (route) => {
    const schema = route.schema;
    if (schema?.body !== undefined) route.schema = { ...schema, body: closeObjects(schema.body) };
  });
}
