import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifySchemaValidationError } from 'fastify';
import { closeObjects, validationMessage } from '../src/schemas.js';

describe('closing request schemas', () => {
  it('closes every object that declares its properties, nested ones and array items too', () => {
    const schema = {
      type: 'object',
      properties: {
        name: { type: 'string' },
        address: { type: 'object', properties: { city: { type: 'string' } } },
        lines: { type: 'array', items: { type: 'object', properties: { sku: { type: 'string' } } } },
      },
    };
    assert.deepEqual(closeObjects(schema), {
      type: 'object',
      additionalProperties: false,
      properties: {
        name: { type: 'string' },
        address: { type: 'object', additionalProperties: false, properties: { city: { type: 'string' } } },
        lines: {
          type: 'array',
          items: { type: 'object', additionalProperties: false, properties: { sku: { type: 'string' } } },
        },
      },
    });
    assert.equal('additionalProperties' in schema, false, 'the route’s own schema is not changed');
  });

  it('keeps what a schema says about other fields, and leaves free-form objects and branches open', () => {
    const open = { type: 'object', additionalProperties: true, properties: { a: { type: 'string' } } };
    const patterned = { type: 'object', patternProperties: { '^x-': {} }, properties: { a: {} } };
    const evaluated = { type: 'object', unevaluatedProperties: false, properties: { a: {} } };
    const freeForm = { type: 'object' };
    const branches = {
      type: 'object',
      properties: { kind: { type: 'string' }, a: {}, b: {} },
      oneOf: [{ properties: { kind: { const: 'a' } }, required: ['a'] }],
    };
    for (const schema of [open, patterned, evaluated, freeForm])
      assert.deepEqual(closeObjects(schema), schema);
    assert.deepEqual((closeObjects(branches) as { oneOf: unknown }).oneOf, branches.oneOf);
  });
});

describe('validation messages', () => {
  const error = (
    keyword: string,
    instancePath: string,
    params: Record<string, unknown>,
    message?: string,
  ): FastifySchemaValidationError => ({
    keyword,
    instancePath,
    schemaPath: '#',
    params,
    ...(message === undefined ? {} : { message }),
  });

  it('names the field and what is wrong with it', () => {
    assert.equal(
      validationMessage(
        [
          error('additionalProperties', '/lines/2', { additionalProperty: 'colour' }),
          error('required', '', { missingProperty: 'name' }),
          error('enum', '/kind', { allowedValues: ['a', 'b'] }),
          error('type', '/a~1b', { type: 'integer' }, 'must be integer'),
        ],
        'body',
      ),
      'body.lines[2]: unknown field "colour"; body: missing field "name"; body.kind: must be one of "a", "b"; ' +
        'body.a/b: must be integer',
    );
  });

  it('spells out the first five problems and counts the rest', () => {
    const many = Array.from({ length: 8 }, (_, i) => error('required', '', { missingProperty: `f${i}` }));
    const message = validationMessage(many, 'querystring');
    assert.match(message, /^querystring: missing field "f0"; .*"f4"; and 3 more$/);
  });
});
