// Task 0-14 on a real Docker engine (target compose): the `data` profile's Postgres and Redis, stood in for
// by the local node image (their images cannot be pulled here). A port they publish that another program
// holds stops the task before any container exists; freed, the same run starts both, healthy, and the
// next run changes nothing. The platform's stop (scripts/infra-down, task down) takes them down too.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import data from '../../tasks/14-data.js';
import { madeUpSecret } from '../helpers/fixtures.js';
import { ROOT } from '../helpers/cli.js';
import { clusterWorkspace, outcome, runTasks, useDocker } from '../helpers/cluster.js';
import { standIn, writeProject } from '../helpers/compose-project.js';
import { ensureNodeImage } from '../helpers/images.js';
import { freePort } from '../../scripts/test-servers/free-port.js';

const docker = await useDocker();

const release = (server: Server): Promise<void> =>
  new Promise((resolve) => {
    server.close(() => {
      resolve();
    });
  });

describe('task 0-14 on a real Docker engine', { skip: docker.skip, timeout: 8 * 60_000 }, () => {
  const id = randomUUID().slice(0, 8);
  const dir = mkdtempSync(join(tmpdir(), 'foundation-data-'));
  const ws = clusterWorkspace(
    `GRAFANA_ADMIN_PASSWORD=${madeUpSecret('grafana')}\nPOSTGRES_PASSWORD=${madeUpSecret('postgres')}\nREDIS_PASSWORD=${madeUpSecret('redis')}\n`,
  );
  let file = '';
  const ports = { postgres: 0, redis: 0 };
  const dc = (...args: string[]): string =>
    execFileSync('docker', ['compose', '-f', file, '--profile', 'data', ...args], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  const run = () =>
    runTasks([data], {
      workspace: ws,
      target: 'compose',
      config: { composeFile: join(dir, 'docker-compose.yml') },
    });

  before(async () => {
    ensureNodeImage();
    // Free ports picked now and published by the stand-ins (each serves HTTP on 8080).
    for (const service of ['postgres', 'redis'] as const) ports[service] = await freePort();
    const service = (name: 'postgres' | 'redis'): string =>
      `${standIn(name)}    profiles: [data]\n    ports: ['127.0.0.1:${ports[name]}:8080']\n`;
    // Task 0-7 writes generated/infra.env beside the Compose file; this project needs none of its values.
    mkdirSync(join(dir, 'generated'));
    writeFileSync(join(dir, 'generated', 'infra.env'), '# written by the test: no values needed\n');
    file = writeProject(dir, 'docker-compose.yml', `fdn-data-${id}`, service('postgres') + service('redis'), [
      'postgres-data',
      'redis-data',
    ]);
  });
  after(() => {
    spawnSync('docker', ['compose', '-f', file, '--profile', 'data', 'down', '--volumes', '--timeout', '2'], {
      cwd: dir,
    });
    rmSync(dir, { recursive: true, force: true });
    rmSync(ws, { recursive: true, force: true });
  });

  it('a busy published port stops it before any container; freed, both start healthy; then nothing to do', async () => {
    const busy = createServer().listen(ports.postgres, '127.0.0.1');
    await new Promise((resolve, reject) => busy.once('listening', resolve).once('error', reject));
    try {
      const refused = (await run()).get('0-14');
      assert.equal(refused?.outcome, 'failed', refused?.reason);
      assert.equal(refused?.error?.code, 'E_PORT_IN_USE');
      assert.equal(
        refused?.error?.message,
        `Postgres and Redis (profile data) cannot start: another program listens on 127.0.0.1:${ports.postgres} (postgres)`,
      );
      assert.equal(dc('ps', '--all', '--quiet').trim(), '', 'no container was made');
    } finally {
      await release(busy);
    }

    const first = await run();
    assert.equal(first.get('0-14')?.outcome, 'changed', outcome(first, '0-14'));
    const states = dc('ps', '--format', '{{.Service}} {{.State}} {{.Health}}').trim().split('\n').sort();
    assert.deepEqual(states, ['postgres running healthy', 'redis running healthy']);
    for (const port of Object.values(ports)) {
      const answer = await fetch(`http://127.0.0.1:${port}`);
      assert.equal(answer.status, 200, `the stand-in answers on its published port ${port}`);
    }
    const second = await run();
    assert.equal(second.get('0-14')?.outcome, 'ok', outcome(second, '0-14'));
  });

  it('scripts/infra-down stops them too, though their profile is off for it; --volumes --yes takes their data', () => {
    const volumes = (): string[] =>
      execFileSync(
        'docker',
        ['volume', 'ls', '-q', '--filter', `label=com.docker.compose.project=fdn-data-${id}`],
        {
          encoding: 'utf8',
        },
      )
        .trim()
        .split('\n')
        .filter((v) => v !== '')
        .sort();
    assert.deepEqual(volumes(), [`fdn-data-${id}_postgres-data`, `fdn-data-${id}_redis-data`]);
    for (const [args, volumesLeft] of [
      [[], 2],
      [['--volumes', '--yes'], 0],
    ] as const) {
      const down = spawnSync(
        process.execPath,
        [join(ROOT, 'dist', 'scripts', 'infra', 'down.js'), '--workspace', ws, ...args],
        { encoding: 'utf8', env: { ...process.env, FOUNDATION_COMPOSE_FILE: file } },
      );
      assert.equal(down.status, 0, down.stdout + down.stderr);
      assert.equal(dc('ps', '--all', '--quiet').trim(), '', `no container left (${args.join(' ')})`);
      assert.equal(volumes().length, volumesLeft, args.join(' '));
    }
  });
});
