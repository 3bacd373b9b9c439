// The Compose adapter against the real Docker Compose v2 plugin and Docker engine: a project of two
// services (one waits for the other to be healthy) comes up with `up -d --wait`, `ps` reads back each
// service's state and health, and `down -v` removes it; the ports a project publishes, as Compose
// resolves them. Images are the locally made base (none is pulled).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createCompose } from '../../lib/adapters/compose.js';
import { createShell } from '../../lib/adapters/shell.js';
import type { ComposeProject } from '../../lib/ports/containers.js';
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

  it('published: the ports as Compose resolves them (variables, include, profiles, ranges)', async () => {
    writeFileSync(
      join(dir, 'ports.yaml'),
      [
        'include: [ports-included.yaml]',
        'services:',
        '  web:',
        `    image: ${BASE_IMAGE}`,
        '    ports:',
        '      - "${WEB_PORT:-8080}:80"',
        '      - "127.0.0.1:${ADMIN_PORT:?set it}:81"',
        '      - "9000-9001:9000-9001"',
        '      - "7000-7003:83"', // Docker takes any free one: not a port to check
        '      - "5353:53/udp"',
        '      - "127.0.0.1::82"',
        '  extra:',
        `    image: ${BASE_IMAGE}`,
        '    profiles: [extra]',
        '    ports: ["7777:7"]',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'ports-included.yaml'),
      `services:\n  inc:\n    image: ${BASE_IMAGE}\n    ports: [{ target: 90, published: "\${INC_PORT:-9090}", host_ip: "::1" }]\n`,
    );
    writeFileSync(join(dir, 'ports.env'), 'ADMIN_PORT=8181\nWEB_PORT=8000\n');
    const ports = { file: join(dir, 'ports.yaml'), envFiles: [join(dir, 'ports.env')] };
    const listed = async (p: ComposeProject) =>
      (await compose.published(p)).map((x) => `${x.service} ${x.host}:${x.port}`).sort();
    // The project's own variables win over its env file, as everywhere Foundation runs Compose.
    assert.deepEqual(await listed({ ...ports, env: { WEB_PORT: '8888' } }), [
      'inc ::1:9090',
      'web 0.0.0.0:8888',
      'web 0.0.0.0:9000',
      'web 0.0.0.0:9001',
      'web 127.0.0.1:8181',
    ]);
    assert.ok((await listed({ ...ports, profiles: ['extra'] })).includes('extra 0.0.0.0:7777'));
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
