import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger, scrub, settingSecrets, urlSecrets } from '../../lib/telemetry/index.js';
import { logSink as sink } from '../helpers/log-sink.js';

describe('lib/telemetry secret values (shared by Foundation and every generated service)', () => {
  it('a URL with credentials: itself and each credential, longest first; none without', () => {
    const url = 'postgres://app:p%40ss@db:5432/app?sslmode=require&password=qu3ry-pw';
    assert.deepEqual(urlSecrets(url), [url, 'app:p%40ss', 'qu3ry-pw', 'p%40ss', 'p@ss']);
    assert.deepEqual(urlSecrets('redis://cache:6379/0'), []);
    assert.deepEqual(urlSecrets('http://collector:4318/?tenant=acme'), []);
    assert.deepEqual(urlSecrets('not a url'), []);
    // Not valid percent-encoding (a password with a bare %): kept as written, never a URIError at start-up.
    assert.deepEqual(urlSecrets('redis://default:100%zz@cache:6379'), [
      'redis://default:100%zz@cache:6379',
      'default:100%zz',
      '100%zz',
    ]);
  });

  it('settings: the whole value of a secret-named one, the URL credentials of any other', () => {
    const secrets = settingSecrets({
      SIGNING_KEY: 'sk-value-1',
      WEBHOOK_URL: 'https://hooks.example/T0/B1',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otel.example/?api_key=ak-value-2',
      PARTITION_KEY: 'customer-id',
      PORT: 3000,
      EMPTY_TOKEN: '',
    });
    assert.deepEqual(secrets, [
      'https://otel.example/?api_key=ak-value-2',
      'https://hooks.example/T0/B1',
      'sk-value-1',
      'ak-value-2',
    ]);
  });

  it('scrub replaces the longest secret first, so no part of it is left', () => {
    assert.equal(
      scrub('url http://u:pw-123456@h/ then pw-123456', ['pw-123456', 'http://u:pw-123456@h/']),
      'url *** then ***',
    );
    assert.equal(scrub('nothing here', ['', 'absent']), 'nothing here');
  });

  it("a logger given a setting's secrets masks a query token however it is quoted", () => {
    const { lines, stream } = sink();
    const url = 'https://otel.example/v1/traces?access_token=tok%2Bvalue-42';
    const log = createLogger({
      name: 'svc',
      secrets: settingSecrets({ ENDPOINT: url }),
      destination: stream,
    });
    log.warn({ endpoint: url }, 'export to %s failed (token tok+value-42)', url);
    const written = JSON.stringify(lines);
    assert.ok(!written.includes('value-42'), written);
    assert.equal(lines[0]?.msg, 'export to *** failed (token ***)');
  });
});
