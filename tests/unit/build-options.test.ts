// Service image builds: what the configuration adds to `docker build` and to Compose's build (pure), and
// what the Docker adapter runs for it (BuildKit, secrets by path, never their contents).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createDocker } from '../../lib/adapters/containers.js';
import { parseConfig, type RawValue } from '../../lib/config/schema.js';
import { composeBuildEnv, imageBuildOptions } from '../../lib/deploy/build-options.js';
import { FoundationError } from '../../lib/errors.js';
import type { Shell, ShellOptions, ShellResult } from '../../lib/ports/shell.js';
import { CONFIG } from '../helpers/fixtures.js';

const raw = (values: Record<string, string>): Map<string, RawValue> =>
  new Map(Object.entries(values).map(([k, v]) => [k, { value: v, source: '.env line 1' }]));

function recordingShell(result: ShellResult): Shell & { calls: { line: string; options?: ShellOptions }[] } {
  const calls: { line: string; options?: ShellOptions }[] = [];
  return {
    calls,
    run: (command, args) => Promise.resolve({ ...result, stdout: `${command} ${args.join(' ')}` }),
    exec(command, args, options) {
      calls.push({ line: [command, ...args].join(' '), ...(options ? { options } : {}) });
      if (result.exitCode === 0) return Promise.resolve(result);
      return Promise.reject(new FoundationError('E_COMMAND_FAILED', `${command} failed`, options?.fix ?? ''));
    },
    which: () => Promise.resolve('/usr/bin/docker'),
  };
}

describe('service image builds', () => {
  it('nothing configured: the Dockerfile’s pinned base and no secrets', () => {
    assert.deepEqual(imageBuildOptions(CONFIG, '/ws'), {});
    assert.deepEqual(composeBuildEnv(CONFIG, '/ws'), {});
  });

  it('another base as NODE_IMAGE, the .npmrc and the CA as secrets by path from the workspace', () => {
    const config = {
      ...CONFIG,
      serviceBaseImage: 'registry.example.com/library/node:24-bookworm-slim',
      serviceBuildNpmrc: 'secrets/.npmrc',
      serviceBuildCa: '/etc/corp/ca.pem',
    };
    assert.deepEqual(imageBuildOptions(config, '/ws'), {
      buildArgs: { NODE_IMAGE: 'registry.example.com/library/node:24-bookworm-slim' },
      secrets: { npmrc: '/ws/secrets/.npmrc', ca: '/etc/corp/ca.pem' },
    });
    assert.deepEqual(composeBuildEnv(config, '/ws'), {
      NODE_IMAGE: 'registry.example.com/library/node:24-bookworm-slim',
      SERVICE_BUILD_NPMRC: '/ws/secrets/.npmrc',
      SERVICE_BUILD_CA: '/etc/corp/ca.pem',
    });
  });

  it('the settings are validated: an image reference with a digest passes, one with a space does not', () => {
    const ok = parseConfig(
      raw({
        SERVICE_BASE_IMAGE: `node:24.20.0-bookworm-slim@sha256:${'a'.repeat(64)}`,
        SERVICE_BUILD_CA: 'ca.pem',
      }),
    ).config;
    assert.equal(ok.serviceBaseImage, `node:24.20.0-bookworm-slim@sha256:${'a'.repeat(64)}`);
    assert.equal(ok.serviceBuildCa, 'ca.pem');
    assert.throws(
      () => parseConfig(raw({ SERVICE_BASE_IMAGE: 'node:24 bookworm' })),
      (e: unknown) =>
        e instanceof FoundationError &&
        e.code === 'E_CONFIG_INVALID' &&
        /SERVICE_BASE_IMAGE \(from \.env line 1\): expected an image reference/.test(e.message) &&
        !e.message.includes('node:24 bookworm'),
    );
  });

  it('the adapter builds with BuildKit, passing the arguments and the secrets by path', async () => {
    const sh = recordingShell({ exitCode: 0, stdout: '', stderr: '' });
    await createDocker(sh).build('svc:1', '/ws/svc', {
      buildArgs: { NODE_IMAGE: 'mirror/node:24' },
      secrets: { npmrc: '/ws/.npmrc', ca: '/ws/ca.pem' },
    });
    assert.deepEqual(
      sh.calls.map((c) => c.line),
      [
        'docker build -t svc:1 --build-arg NODE_IMAGE=mirror/node:24 --secret id=npmrc,src=/ws/.npmrc --secret id=ca,src=/ws/ca.pem /ws/svc',
      ],
    );
    assert.deepEqual(sh.calls[0]?.options?.env, { DOCKER_BUILDKIT: '1' });
    const failing = recordingShell({ exitCode: 1, stdout: '', stderr: 'buildx component is missing' });
    await assert.rejects(createDocker(failing).build('svc:1', '/ws/svc'), (e: unknown) => {
      assert.ok(e instanceof FoundationError);
      assert.match(
        e.fix ?? '',
        /DOCKER_BUILDKIT=1 docker build -t svc:1 \/ws\/svc \(BuildKit: Docker 23\+ with its buildx plugin/,
      );
      return true;
    });
  });
});
