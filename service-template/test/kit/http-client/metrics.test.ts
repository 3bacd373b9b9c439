import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createHttpClientMetrics } from '../../../src/kit/http-client/metrics.js';
import { createRegistry } from '../../../src/telemetry/index.js';

async function counts(metrics: ReturnType<typeof createHttpClientMetrics>): Promise<Record<string, number>> {
  const { values } = await metrics.duration.get();
  const out: Record<string, number> = {};
  for (const v of values) {
    if (v.metricName !== 'http_client_request_duration_seconds_count') continue;
    const labels = v.labels as Record<string, string | number | undefined>;
    out[`${String(labels.method)} ${String(labels.server_address)} ${String(labels.status_class)}`] = v.value;
  }
  return out;
}

describe('http-client duration histogram', () => {
  it('counts each attempt under its method, server address and status class (error: no response)', async () => {
    const metrics = createHttpClientMetrics(createRegistry({ defaultMetrics: false }));
    for (const status of [200, 204, 503, undefined, 404, 200, 101, 799])
      metrics.observe('GET', 'orders', status, 0.01);
    metrics.observe('POST', 'orders', 201, 0.01);
    metrics.observe('GET', 'billing', 200, 0.01);
    assert.deepEqual(await counts(metrics), {
      'GET orders 2xx': 3,
      'GET orders 5xx': 1,
      'GET orders error': 1,
      'GET orders 4xx': 1,
      'GET orders 1xx': 1,
      'GET orders 7xx': 1,
      'POST orders 2xx': 1,
      'GET billing 2xx': 1,
    });
  });

  it('past 1,000 series every observation still counts (only the lookup cache is bounded)', async () => {
    const metrics = createHttpClientMetrics(createRegistry({ defaultMetrics: false }));
    for (let i = 0; i < 1_200; i += 1) metrics.observe('GET', `host-${i}`, 200, 0.01);
    metrics.observe('GET', 'host-1199', 200, 0.01);
    const all = await counts(metrics);
    assert.equal(Object.keys(all).length, 1_200);
    assert.equal(all['GET host-1199 2xx'], 2);
  });
});
