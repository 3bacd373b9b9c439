// `npm run bench -- kit`: the service kit's wrappers against the bare libraries, on loopback. A service
// with every part is generated and built as a user gets it; each part's own bench (test/kit/<part>/
// bench.js, bounded in count and time) runs in it against real PostgreSQL 17 and Redis 7 started here,
// kit and bare side by side in alternating rounds. The figures come first; every part's full
// line follows, its fields prefixed with the part (postgres.cpuOverheadPct …).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KIT_PARTS } from '../../lib/generator/kit-parts.js';
import { ensureStarted, stopAll } from '../../scripts/test-servers/manager.js';
import { buildKitService } from '../integration/kit-service.js';

const BENCHES = ['postgres', 'redis', 'http-client', 'grpc'] as const;

function runBench(dir: string, part: string, env: Record<string, string>): Record<string, number | string> {
  const run = spawnSync(process.execPath, [join('dist', 'test', 'kit', part, 'bench.js')], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 120_000,
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  const last = run.stdout.trim().split('\n').at(-1) ?? '';
  if (run.status !== 0 || !last.startsWith('{'))
    throw new Error(`the ${part} bench failed (exit ${run.status}):\n${run.stderr.slice(-2_000)}`);
  return JSON.parse(last) as Record<string, number | string>;
}

export async function benchKit(): Promise<Record<string, number | string>> {
  const dir = buildKitService(KIT_PARTS);
  const root = mkdtempSync(join(tmpdir(), 'bench-kit-'));
  try {
    const [pg, redis] = await Promise.all([ensureStarted(root, 'postgres'), ensureStarted(root, 'redis')]);
    const env = { TEST_DATABASE_URL: pg.env.DATABASE_URL ?? '', TEST_REDIS_URL: redis.env.REDIS_URL ?? '' };
    const lines = Object.fromEntries(BENCHES.map((part) => [part, runBench(dir, part, env)]));
    const pick = (part: string, field: string): number | string => lines[part]?.[field] ?? 'missing';
    const all = Object.entries(lines).flatMap(([part, fields]) =>
      Object.entries(fields).map(([k, v]) => [`${part}.${k}`, v] as const),
    );
    return {
      name: 'kit',
      pgQueriesPerSec: pick('postgres', 'pgQueriesPerSec'),
      pgP99Ms: pick('postgres', 'pgP99Ms'),
      cacheHitP99Us: pick('redis', 'cacheHitP99Us'),
      httpClientOverheadUs: pick('http-client', 'httpClientOverheadUs'),
      grpcRps: pick('grpc', 'grpcRps'),
      grpcP99Ms: pick('grpc', 'grpcP99Ms'),
      ...Object.fromEntries(all),
    };
  } finally {
    await stopAll(root);
    rmSync(root, { recursive: true, force: true });
  }
}
