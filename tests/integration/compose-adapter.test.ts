// The Compose adapter against the real Docker Compose v2 plugin and Docker engine: a project of two
// services (one waits for the other to be healthy) comes up with `up -d --wait`, `ps` reads back each
// service's state and health, and `down -v` removes it. Images are the locally made base (none is pulled).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createCompose } from '../../lib/adapters/compose.js';
import { createShell } from '../../lib/adapters/shell.js';
import { useDocker } from '../helpers/cluster.js';
import { silentLog } from '../helpers/fixtures.js';
import { BASE_IMAGE, ensureBaseImage } from '../helpers/images.js';

const docker = await useDocker();

describe('the Compose adapter on a real engine', { skip: docker.skip, timeout: 180_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'compose-'));
  const file = join(dir, 'compose.yaml');
  const compose = createCompose(
    createShell({ cwd: dir, signal: new AbortController().signal, log: silentLog }),
  );
  const project = { file };
  after(async () => {
    await compose.down(project, { volumes: true });
  });

  it('up waits for health, ps reports each service, down removes the project', async () => {
    ensureBaseImage();
    writeFileSync(
      file,
      [
        `name: foundation-test-${randomUUID().slice(0, 8)}`,
        'services:',
        '  first:',
        `    image: ${BASE_IMAGE}`,
        '    command: ["sleep", "600"]',
        '    stop_grace_period: 1s', // sleep as PID 1 ignores SIGTERM: do not wait Compose's 10 s for it
        '    healthcheck: { test: ["CMD", "true"], interval: 1s, retries: 30 }',
        '    volumes: [data:/data]',
        '  second:',
        `    image: ${BASE_IMAGE}`,
        '    command: ["sleep", "600"]',
        '    stop_grace_period: 1s',
        '    depends_on: { first: { condition: service_healthy } }',
        'volumes:',
        '  data: {}',
        '',
      ].join('\n'),
    );
    await compose.up(project);
    const services = (await compose.ps(project))
      .map(({ service, state, health }) => ({ service, state, health }))
      .sort((a, b) => a.service.localeCompare(b.service));
    assert.deepEqual(services, [
      { service: 'first', state: 'running', health: 'healthy' },
      { service: 'second', state: 'running', health: '' },
    ]);
    await compose.down(project, { volumes: true });
    assert.deepEqual(await compose.ps(project), []);
  });

  it('a file Compose cannot read is a coded error with the tool’s first lines', async () => {
    writeFileSync(join(dir, 'broken.yaml'), 'services:\n  x: [not, a, service]\n');
    await assert.rejects(compose.up({ file: join(dir, 'broken.yaml') }), (e: unknown) => {
      assert.equal((e as { code?: string }).code, 'E_COMMAND_FAILED');
      // The command is shown up to 100 characters (the temporary path's length decides where it is cut),
      // then the tool's own first line.
      assert.match(
        (e as Error).message,
        /^docker compose -f \/\S+ up -d .*exited 1: services\.x must be a mapping/,
      );
      return true;
    });
  });
});
