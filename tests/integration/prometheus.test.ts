import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { useServer } from './servers.js';

const prometheus = await useServer('prometheus');
const skip =
  prometheus.skip ||
  (prometheus.env.PROMETHEUS_DIR ? false : 'PROMETHEUS_DIR (file-based scrape targets) is not set');

interface QueryResult {
  status: string;
  data: { result: { metric: Record<string, string>; value: [number, string] }[] };
}

describe('Prometheus test server', { skip }, () => {
  it(
    'scrapes an endpoint the test starts, and returns the series from /api/v1/query',
    { timeout: 30_000 },
    async () => {
      const run = randomUUID();
      const server = createServer((req, res) => {
        res.writeHead(req.url === '/metrics' ? 200 : 404, { 'content-type': 'text/plain; version=0.0.4' });
        res.end(`# TYPE foundation_proof_total counter\nfoundation_proof_total{run="${run}"} 42\n`);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      const target = join(prometheus.env.PROMETHEUS_DIR ?? '', 'targets', `${run}.json`);
      writeFileSync(target, JSON.stringify([{ targets: [`127.0.0.1:${port}`], labels: { proof: run } }]));
      try {
        const query = encodeURIComponent(`foundation_proof_total{run="${run}"}`);
        let body: QueryResult | null = null;
        for (let i = 0; i < 100 && !body?.data.result.length; i++) {
          await sleep(200);
          const res = await fetch(`${prometheus.env.PROMETHEUS_URL ?? ''}/api/v1/query?query=${query}`);
          body = (await res.json()) as QueryResult;
        }
        const series = body?.data.result[0];
        assert.deepEqual(
          {
            status: body?.status,
            value: series?.value[1],
            proof: series?.metric.proof,
            job: series?.metric.job,
          },
          { status: 'success', value: '42', proof: run, job: 'tests' },
          'the series carries the value and the labels of the target file',
        );
      } finally {
        rmSync(target, { force: true });
        server.close();
      }
    },
  );
});
