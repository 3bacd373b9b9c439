import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createGrpcServerMetrics } from '../../../src/kit/grpc/metrics.js';
import { createRegistry } from '../../../src/telemetry/index.js';

describe('grpc part: server metrics', () => {
  it("a method's observer counts each code under its name, one outside 0-16 under its number", async () => {
    const registry = createRegistry({ defaultMetrics: false });
    const metrics = createGrpcServerMetrics(registry);
    const get = metrics.forMethod('unary', 'items.v1.ItemService', 'Get');
    get(0, 0.002);
    get(0, 0.2);
    get(5, 0.001);
    get(99, 0.001);
    metrics.forMethod('server_stream', 'items.v1.ItemService', 'List')(16, 0.003);
    const text = await registry.metrics();
    const labels = (type: string, method: string, code: string): string =>
      `grpc_type="${type}",grpc_service="items.v1.ItemService",grpc_method="${method}",grpc_code="${code}"`;
    assert.match(text, new RegExp(`grpc_server_handled_total\\{${labels('unary', 'Get', 'OK')}\\} 2\\n`));
    assert.match(
      text,
      new RegExp(`grpc_server_handled_total\\{${labels('unary', 'Get', 'NOT_FOUND')}\\} 1\\n`),
    );
    assert.match(text, new RegExp(`grpc_server_handled_total\\{${labels('unary', 'Get', '99')}\\} 1\\n`));
    assert.match(
      text,
      new RegExp(`grpc_server_handled_total\\{${labels('server_stream', 'List', 'UNAUTHENTICATED')}\\} 1\\n`),
    );
    assert.match(
      text,
      new RegExp(`grpc_server_handling_seconds_bucket\\{le="0.005",${labels('unary', 'Get', 'OK')}\\} 1\\n`),
    );
  });
});
