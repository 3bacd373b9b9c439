// The service kit end to end (issue 18): a service generated with every part passes `npm ci && npm test`
// on its own, its kit tests running against the real PostgreSQL 17 and Redis 7 of the test servers with
// nothing skipped; every choice of parts compiles; a service with one part installs from its pruned lock.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { KIT_PARTS } from '../../lib/generator/kit-parts.js';
import { installKitService, typecheckEach } from './kit-service.js';
import { useServer } from './servers.js';

const postgres = await useServer('postgres');
const redis = await useServer('redis');

/** node --test's summary lines (ℹ pass 12 …) as numbers. */
function summary(output: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const m of output.matchAll(/^ℹ (tests|pass|fail|skipped|todo|cancelled) (\d+)$/gm))
    counts[m[1] ?? ''] = Number(m[2]);
  return counts;
}

describe('the service kit', { skip: postgres.skip || redis.skip }, () => {
  let full = '';

  it('a service with every part: npm ci && npm test pass on real PostgreSQL and Redis, none skipped', () => {
    full = installKitService(KIT_PARTS); // npm test builds it first (pretest), as for a user
    const run = spawnSync('npm', ['test', '--silent'], {
      cwd: full,
      encoding: 'utf8',
      timeout: 15 * 60_000,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        npm_config_cache: process.env.npm_config_cache ?? '',
        CI: 'true',
        TEST_DATABASE_URL: postgres.env.DATABASE_URL ?? '',
        TEST_REDIS_URL: redis.env.REDIS_URL ?? '',
      },
    });
    const counts = summary(run.stdout);
    assert.equal(run.status, 0, `npm test failed:\n${run.stdout.slice(-4_000)}\n${run.stderr.slice(-2_000)}`);
    assert.equal(counts.fail, 0);
    assert.equal(counts.skipped, 0, 'CI=true: nothing may skip');
    // node counts a skipped suite nowhere: the only ones allowed are the Kafka contract's and its
    // broker-away run's (the EventBus is no kit part), which template-bus-contract.test.ts runs on a real
    // broker it stops and starts.
    const skippedSuites = [...run.stdout.matchAll(/^\s*﹣ (.+?) \(.*# (.*)$/gm)].map(
      (m) => `${m[1]}: ${m[2]}`,
    );
    assert.deepEqual(
      skippedSuites.filter(
        (s) =>
          !/^EventBus over \w+: KAFKA_CONTRACT_BROKERS is not set/.test(s) &&
          !/^EventBus with the broker away: KAFKA_RESTART_BROKERS, KAFKA_RESTART_STOP and KAFKA_RESTART_START are not all set/.test(
            s,
          ),
      ),
      [],
    );
    assert.ok((counts.pass ?? 0) > 100, `only ${counts.pass} tests ran`);
    // Each part's compiled tests are in the glob npm test runs, so they ran (and none skipped).
    for (const part of KIT_PARTS)
      assert.ok(
        readdirSync(join(full, 'dist', 'test', 'kit', part)).some((f) => f.endsWith('.test.js')),
        `${part} has tests`,
      );
  });

  it('every part alone, gRPC with auth, and none at all compile', () => {
    assert.ok(full, 'needs the full service built first');
    typecheckEach([[], ...KIT_PARTS.map((p) => [p]), ['grpc', 'auth']], full);
  });

  it('a service with one part installs from its own lock and carries no other part', () => {
    const dir = installKitService(['redis']);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    assert.ok('redis' in pkg.dependencies);
    for (const other of ['pg', 'undici', 'jose', '@grpc/grpc-js'])
      assert.ok(!(other in pkg.dependencies), other);
    const installed = spawnSync('npm', ['ls', '--omit=dev', '--depth=0', '--json'], {
      cwd: dir,
      encoding: 'utf8',
    });
    assert.equal(installed.status, 0, installed.stderr);
  });
});
