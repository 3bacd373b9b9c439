import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { AppError } from '../src/errors.js';
import { ConfigError, secretsIn } from '../src/config.js';
import type { ServiceDefinition } from '../src/app.js';
import { testApp, testConfig } from './helpers.js';

/** A service with one validated POST route and one that fails, to exercise the template's plumbing. */
const probeService: ServiceDefinition = {
  topics: [],
  handle: async () => undefined,
  routes(app) {
    app.post(
      '/things',
      {
        schema: {
          body: {
            // No additionalProperties: the template closes declared objects itself (src/schemas.ts).
            type: 'object',
            required: ['name'],
            properties: { name: { type: 'string', minLength: 1, maxLength: 50 } },
          },
        },
      },
      async (request, reply) => reply.status(201).send({ created: (request.body as { name: string }).name }),
    );
    app.get('/things/:id', async (request) => {
      const { id } = request.params as { id: string };
      if (id === 'secret') throw new AppError('UNAUTHORIZED', 'not yours');
      if (id === 'boom') throw new Error('database password=hunter2 leaked in a message');
      throw new AppError('NOT_FOUND', `no thing ${id}`);
    });
  },
};

describe('probes', () => {
  it('/livez and /health answer without checking dependencies', async () => {
    const { app } = await testApp(probeService, [{ name: 'kafka', check: async () => false }]);
    for (const url of ['/livez', '/health']) {
      const res = await app.inject({ url });
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), { status: 'ok' });
    }
  });

  it('/readyz and /ready check every dependency, and fail while shutting down', async () => {
    let kafkaUp = true;
    const { app, state } = await testApp(probeService, [{ name: 'kafka', check: async () => kafkaUp }]);
    assert.equal((await app.inject({ url: '/readyz' })).statusCode, 200);
    kafkaUp = false;
    const down = await app.inject({ url: '/ready' });
    assert.equal(down.statusCode, 503);
    assert.deepEqual(down.json(), { status: 'not ready', checks: { kafka: 'failing' } });
    kafkaUp = true;
    state.ready = false;
    assert.deepEqual((await app.inject({ url: '/readyz' })).json(), {
      status: 'shutting down',
      checks: { kafka: 'ok' },
    });
  });

  it(
    'a hanging check fails readiness within a second instead of hanging the probe',
    { timeout: 10_000 },
    async () => {
      const { app } = await testApp(probeService, [
        { name: 'slow', check: () => new Promise(() => undefined) },
      ]);
      // The check's own timeout answers, not the probe's (the test's timeout fails a hang).
      const response = await app.inject({ url: '/readyz' });
      assert.equal(response.statusCode, 503);
      assert.match(JSON.stringify(response.json()), /no answer within 1 s/);
    },
  );
});

describe('errors and bad input', () => {
  const post = (payload: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    testApp(probeService).then(({ app }) => app.inject({ method: 'POST', url: '/things', payload, headers }));

  const table: [string, () => ReturnType<typeof post>, number, string][] = [
    ['valid', () => post('{"name":"a"}'), 201, ''],
    ['malformed JSON', () => post('{"name":'), 400, 'VALIDATION'],
    ['missing field', () => post('{}'), 400, 'VALIDATION'],
    ['unknown field', () => post('{"name":"a","extra":1}'), 400, 'VALIDATION'],
    ['oversize body', () => post(JSON.stringify({ name: 'x'.repeat(4_000) })), 413, 'PAYLOAD_TOO_LARGE'],
    [
      'wrong content type',
      () => post('name=a', { 'content-type': 'application/x-www-form-urlencoded' }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
  ];
  it('says what is wrong with the body, field by field', async () => {
    const message = async (res: Awaited<ReturnType<typeof post>>) =>
      (res.json() as { error: { message: string } }).error.message;
    assert.equal(await message(await post('{"name":"a","extra":1}')), 'body: unknown field "extra"');
    assert.equal(
      await message(await post('{"name":""}')),
      'body.name: must NOT have fewer than 1 characters',
    );
    // Validation stops at the first problem (Ajv's advice for untrusted input).
    assert.equal(await message(await post('{"extra":1}')), 'body: missing field "name"');
    assert.equal(
      await message(await post(JSON.stringify({ name: 'x'.repeat(4_000) }))),
      'the body is larger than the 2048 bytes this service accepts',
    );
    assert.equal(
      await message(await post('name=a', { 'content-type': 'application/x-www-form-urlencoded' })),
      'content-type "application/x-www-form-urlencoded" is not accepted here: send application/json',
    );
  });

  for (const [name, send, status, code] of table) {
    it(`${name} → ${status}`, async () => {
      const res = await send();
      assert.equal(res.statusCode, status, res.body);
      if (code) assert.equal((res.json() as { error: { code: string } }).error.code, code);
    });
  }

  it('maps typed errors and hides internal ones', async () => {
    const { app, logs } = await testApp(probeService);
    const notFound = await app.inject({ url: '/things/42' });
    assert.equal(notFound.statusCode, 404);
    assert.equal(
      (notFound.json() as { error: { code: string; message: string } }).error.message,
      'no thing 42',
    );
    assert.equal((await app.inject({ url: '/things/secret' })).statusCode, 401);
    const boom = await app.inject({ url: '/things/boom' });
    assert.equal(boom.statusCode, 500);
    assert.deepEqual((boom.json() as { error: { code: string; message: string } }).error.code, 'INTERNAL');
    assert.doesNotMatch(boom.body, /hunter2/, 'the internal message does not reach the client');
    assert.ok(
      logs.some((l) => l.msg === 'request failed'),
      'but it is logged',
    );
    const unknown = await app.inject({ url: '/nowhere' });
    assert.equal(unknown.statusCode, 404);
    assert.equal(typeof (unknown.json() as { error: { requestId: string } }).error.requestId, 'string');
  });

  it('keeps a caller’s X-Request-ID that looks like one; anything else gets an id of its own', async () => {
    const { app, logs } = await testApp(probeService);
    const idOf = async (header: string | undefined): Promise<string> => {
      const res = await app.inject({
        url: '/nowhere',
        headers: header === undefined ? {} : { 'x-request-id': header },
      });
      return (res.json() as { error: { requestId: string } }).error.requestId;
    };
    const uuid = '3f2b8c1e-9a4d-4e7b-8c2a-1d5e6f7a8b9c';
    assert.equal(await idOf(uuid), uuid);
    const made = [await idOf(undefined), await idOf('<script>'), await idOf('a'.repeat(129))];
    for (const id of made) assert.match(id, /^req-[0-9a-z]+$/);
    assert.equal(new Set(made).size, 3, 'each its own');
    assert.ok(!JSON.stringify(logs).includes('<script>'), 'what was refused is not logged either');
  });

  it('keeps serving after bad input', async () => {
    const { app } = await testApp(probeService);
    await app.inject({
      method: 'POST',
      url: '/things',
      payload: '{{{',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal((await app.inject({ url: '/livez' })).statusCode, 200);
  });
});

describe('metrics and request logs', () => {
  it('counts requests by route template, not raw URL, and leaves probes out', async () => {
    const { app, logs } = await testApp(probeService);
    await app.inject({ url: '/things/1' });
    await app.inject({ url: '/things/2' });
    await app.inject({ url: '/livez' });
    const text = (await app.inject({ url: '/metrics' })).body;
    assert.match(text, /http_requests_total\{method="GET",route="\/things\/:id",status_code="404"\} 2/);
    assert.doesNotMatch(text, /route="\/things\/1"/);
    assert.doesNotMatch(text, /route="\/livez"/);
    assert.match(text, /http_request_duration_seconds_bucket/);
    const line = logs.find((l) => l.msg === 'request completed');
    assert.deepEqual([line?.route, line?.status_code], ['/things/:id', 404]);
  });
});

describe('configuration', () => {
  it('words each problem for the person setting it: no NaN, no undefined, one reason per variable', () => {
    const message = (env: NodeJS.ProcessEnv): string => {
      try {
        testConfig(env);
      } catch (error) {
        if (error instanceof ConfigError) return error.message;
        throw error;
      }
      return '';
    };
    assert.equal(message({ PORT: 'abc' }), 'invalid configuration:\n  - PORT: expected a number');
    assert.equal(message({ PORT: '1.5' }), 'invalid configuration:\n  - PORT: expected a whole number');
    assert.equal(
      message({ KAFKA_BROKERS: 'localhost' }),
      'invalid configuration:\n  - KAFKA_BROKERS: expected host:port[,host:port…]',
    );
    assert.equal(
      message({ KAFKA_BROKERS: 'localhost:99999' }),
      'invalid configuration:\n  - KAFKA_BROKERS: a port is outside 1-65535',
    );
  });

  it('has working defaults', () => {
    const config = testConfig();
    assert.equal(config.PORT, 3000);
    assert.equal(config.KAFKA_BROKERS, undefined);
  });

  it('knows the passwords in its URL settings, to mask them in logs', () => {
    const config = testConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel:p%40ss-word@collector:4318' });
    const secrets = secretsIn(config);
    for (const s of ['p%40ss-word', 'p@ss-word', config.OTEL_EXPORTER_OTLP_ENDPOINT ?? ''])
      assert.ok(secrets.includes(s), s);
    assert.deepEqual(
      secretsIn(testConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).filter((s) =>
        s.includes('collector'),
      ),
      [],
    );
  });

  it('knows credential parameters of URL settings and the values of settings named like secrets', () => {
    const endpoint = 'http://collector:4318/?api_key=k3y-v4lue&tenant=acme';
    const apiKey = `pk-${randomBytes(8).toString('hex')}`; // made up here: no key-like literal in git
    const secrets = secretsIn({
      ...testConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint }),
      PAYMENTS_API_KEY: apiKey,
      PARTITION_KEY: 'customer-id',
    });
    for (const s of ['k3y-v4lue', endpoint, apiKey]) assert.ok(secrets.includes(s), s);
    assert.ok(!secrets.includes('acme') && !secrets.includes('customer-id'), secrets.join(' '));
    assert.deepEqual(
      secrets,
      [...secrets].sort((a, b) => b.length - a.length),
      'longest first: a URL is masked whole before its parts',
    );
  });

  it('names every invalid variable, without echoing values', () => {
    assert.throws(
      () => testConfig({ PORT: 'eighty', KAFKA_BROKERS: 'no-port', OTEL_EXPORTER_OTLP_ENDPOINT: 'ftp://x' }),
      (e: unknown) =>
        e instanceof ConfigError &&
        /PORT/.test(e.message) &&
        /KAFKA_BROKERS/.test(e.message) &&
        /OTEL_EXPORTER_OTLP_ENDPOINT: expected an http:\/\/ or https:\/\/ URL/.test(e.message) &&
        !e.message.includes('eighty'),
    );
  });
});
