import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifySchemaValidationError } from 'fastify';
import type { ServiceDefinition } from '../src/app.js';
import { closeBody, closeObjects, validationMessage } from '../src/schemas.js';
import { toAppError } from '../src/errors.js';
import { testApp } from './helpers.js';

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

  it('leaves an object open when it says otherwise or declares fields elsewhere', () => {
    const a = { a: { type: 'string' } };
    const said = [
      { type: 'object', additionalProperties: true, properties: a },
      { type: 'object', patternProperties: { '^x-': {} }, properties: a },
      { type: 'object', properties: a, oneOf: [{ properties: { kind: { const: 'a' } } }] },
      { type: 'object', properties: a, anyOf: [{ required: ['a'] }] },
      { type: 'object', properties: a, allOf: [{ $ref: 'item#' }] },
      { type: 'object', properties: a, if: { required: ['a'] }, then: { properties: { b: {} } } },
      { type: 'object', properties: a, $ref: 'item#' },
      { type: 'object' },
      { $ref: 'item#' },
    ];
    for (const schema of said) assert.deepEqual(closeObjects(schema), schema);
  });

  it('closes objects inside maps, pattern properties and definitions', () => {
    const inner = { type: 'object', properties: { v: { type: 'number' } } };
    const closed = { ...inner, additionalProperties: false };
    assert.deepEqual(closeObjects({ type: 'object', additionalProperties: inner }), {
      type: 'object',
      additionalProperties: closed,
    });
    assert.deepEqual(closeObjects({ patternProperties: { '^x': inner }, $defs: { i: inner } }), {
      patternProperties: { '^x': closed },
      $defs: { i: closed },
    });
  });

  it('rewrites plain JSON only: another library’s schema object keeps its prototype', () => {
    class Foreign {
      readonly properties = { a: {} };
      check(): boolean {
        return true;
      }
    }
    const foreign = new Foreign();
    assert.equal(closeObjects(foreign), foreign);
    assert.equal(closeBody(foreign), foreign);
  });

  it('closes each content type’s schema of a per-content-type body', () => {
    const body = { content: { 'application/json': { schema: { type: 'object', properties: { a: {} } } } } };
    assert.deepEqual(closeBody(body), {
      content: {
        'application/json': {
          schema: { type: 'object', properties: { a: {} }, additionalProperties: false },
        },
      },
    });
  });
});

describe('strict schemas in a running app', () => {
  const item = { type: 'object', required: ['kind'], properties: { kind: { enum: ['a', 'b'] } } };
  const union = {
    type: 'object',
    required: ['kind'],
    properties: { kind: { type: 'string' } },
    oneOf: [
      { properties: { kind: { const: 'a' }, a: { type: 'string' } }, required: ['a'] },
      { properties: { kind: { const: 'b' }, b: { type: 'number' } }, required: ['b'] },
    ],
  };
  const typed = {
    params: { type: 'object', properties: { id: { type: 'integer' } } },
    querystring: { type: 'object', properties: { limit: { type: 'integer' } } },
  };
  const service: ServiceDefinition = {
    topics: [],
    handle: async () => undefined,
    async routes(app) {
      await app.register(
        (scoped, _options, done) => {
          const plain = { type: 'object', properties: { n: { type: 'integer' } } };
          scoped.post('/plain', { schema: { body: plain } }, () => ({}));
          scoped.post('/union', { schema: { body: union } }, () => ({}));
          scoped.get('/items/:id', { schema: typed }, (request) => ({
            params: request.params,
            query: request.query,
          }));
          scoped.post('/small', { bodyLimit: 100, schema: { body: item } }, () => ({}));
          done();
        },
        { prefix: '/v1' },
      );
    },
  };
  const send = async (method: 'GET' | 'POST', url: string, payload?: object) => {
    const { app } = await testApp(service);
    const res = await app.inject({ method, url, ...(payload === undefined ? {} : { payload }) });
    const body = res.json() as { error?: { message: string } };
    return { status: res.statusCode, message: body.error?.message, body };
  };

  it('refuses an undeclared field in a route registered by a plugin under a prefix', async () => {
    const extra = await send('POST', '/v1/plain', { n: 1, extra: true });
    assert.deepEqual([extra.status, extra.message], [400, 'body: unknown field "extra"']);
    assert.equal((await send('POST', '/v1/plain', { n: 1 })).status, 200);
  });

  it('accepts the fields a branch declares (a discriminated union stays usable)', async () => {
    assert.equal((await send('POST', '/v1/union', { kind: 'a', a: 'x' })).status, 200);
    assert.equal((await send('POST', '/v1/union', { kind: 'b', b: 2 })).status, 200);
    assert.equal((await send('POST', '/v1/union', { kind: 'b', b: 'two' })).status, 400);
  });

  it('coerces path and query strings, never body values', async () => {
    const ok = await send('GET', '/v1/items/42?limit=5');
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.body, { params: { id: 42 }, query: { limit: 5 } });
    assert.equal((await send('GET', '/v1/items/abc')).message, 'params.id: must be integer');
    assert.equal((await send('POST', '/v1/plain', { n: '5' })).message, 'body.n: must be integer');
  });

  it('a body with 150 unknown fields: one problem said, a small answer', async () => {
    const res = await send('POST', '/v1/plain', {
      n: 1,
      ...Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`x${i}`, 0])),
    });
    assert.equal(res.status, 400);
    assert.equal(res.message, 'body: unknown field "x0"');
    assert.ok(JSON.stringify(res.body).length < 2_000);
  });

  it('sends at most 20 of a compiler’s problems in details (the message counts them all)', () => {
    const validation = Array.from({ length: 30 }, (_, i) => ({
      keyword: 'required',
      instancePath: '',
      schemaPath: '#/required',
      params: { missingProperty: `f${i}` },
    }));
    const error = Object.assign(new Error(validationMessage(validation, 'body')), { validation });
    const appError = toAppError(error);
    assert.equal(appError.code, 'VALIDATION');
    assert.equal((appError.details as unknown[]).length, 20);
    assert.match(appError.message, /"f4"; and 25 more$/);
  });

  it('a route’s own body limit is the one the 413 states', async () => {
    const res = await send('POST', '/v1/small', { kind: 'a', pad: 'x'.repeat(200) });
    assert.equal(res.status, 413);
    assert.equal(res.message, 'the body is larger than the 100 bytes this service accepts');
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

  it('writes field names a path cannot show plainly as quoted keys', () => {
    assert.equal(
      validationMessage([error('type', '/a.b/0/', { type: 'string' }, 'must be string')], 'body'),
      'body["a.b"][0][""]: must be string',
    );
    assert.equal(
      validationMessage([error('additionalProperties', '', { additionalProperty: 'say "hi"' })], 'body'),
      'body: unknown field "say \\"hi\\""',
    );
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
        'body["a/b"]: must be integer',
    );
  });

  it('spells out the first five problems and counts the rest', () => {
    const many = Array.from({ length: 8 }, (_, i) => error('required', '', { missingProperty: `f${i}` }));
    const message = validationMessage(many, 'querystring');
    assert.match(message, /^querystring: missing field "f0"; .*"f4"; and 3 more$/);
  });
});
