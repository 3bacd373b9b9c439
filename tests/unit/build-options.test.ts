// Service image builds: what the configuration adds to `docker build` and to Compose's build (pure), and
// what the Docker adapter runs for it (BuildKit, secrets by path, never their contents).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createDocker } from '../../lib/adapters/containers.js';
import { parseConfig, type RawValue } from '../../lib/config/schema.js';
import { composeBuildEnv, imageBuildOptions, legacyBuildOptions } from '../../lib/deploy/build-options.js';
import { FoundationError } from '../../lib/errors.js';
import type { Shell, ShellOptions, ShellResult } from '../../lib/ports/shell.js';
import { CONFIG } from '../helpers/fixtures.js';

const raw = (values: Record<string, string>): Map<string, RawValue> =>
  new Map(Object.entries(values).map(([k, v]) => [k, { value: v, source: '.env line 1' }]));

function recordingShell(
  result: ShellResult,
): Shell & { calls: { line: string; options?: ShellOptions & { fix?: string } }[] } {
  const calls: { line: string; options?: ShellOptions & { fix?: string } }[] = [];
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

  it('SERVICE_BUILDER: buildkit by default, legacy when asked, anything else refused with the choices', () => {
    assert.equal(parseConfig(raw({})).config.serviceBuilder, 'buildkit');
    assert.equal(parseConfig(raw({ SERVICE_BUILDER: 'legacy' })).config.serviceBuilder, 'legacy');
    assert.throws(
      () => parseConfig(raw({ SERVICE_BUILDER: 'kaniko' })),
      (e: unknown) =>
        e instanceof FoundationError &&
        e.code === 'E_CONFIG_INVALID' &&
        /SERVICE_BUILDER \(from \.env line 1\): expected buildkit .* or legacy/.test(e.message),
    );
  });

  it('legacy: the Dockerfile without its mounts and the CA as a build argument; an .npmrc refused', () => {
    const dockerfile = 'FROM x AS build\nRUN --mount=type=secret,id=ca,target=/run/secrets/ca npm ci\n';
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    const config = { ...CONFIG, serviceBuilder: 'legacy' as const, serviceBaseImage: 'mirror/node:24' };
    const options = legacyBuildOptions(config, dockerfile, pem);
    assert.deepEqual(options.buildArgs, { NODE_IMAGE: 'mirror/node:24' });
    assert.deepEqual(options.legacy?.envArgs, { FOUNDATION_BUILD_CA: pem });
    assert.match(options.legacy?.dockerfile ?? '', /^ARG FOUNDATION_BUILD_CA\nRUN \{ mkdir -p/m);
    assert.equal(options.secrets, undefined, 'the legacy builder is given no secret');
    assert.deepEqual(legacyBuildOptions(CONFIG, dockerfile, null).legacy?.envArgs, {});
    assert.throws(
      () => legacyBuildOptions({ ...config, serviceBuildNpmrc: '.npmrc' }, dockerfile, pem),
      (e: unknown) =>
        e instanceof FoundationError &&
        e.code === 'E_CONFIG_INVALID' &&
        /SERVICE_BUILD_NPMRC is set, but the legacy builder/.test(e.message) &&
        /SERVICE_BUILDER=buildkit/.test(e.fix ?? ''),
    );
  });

  it('the adapter runs the legacy builder on the text, the CA only in its environment, never on the command line', async () => {
    const sh = recordingShell({ exitCode: 0, stdout: '', stderr: '' });
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    await createDocker(sh).build('svc:1', '/ws/svc', {
      buildArgs: { NODE_IMAGE: 'mirror/node:24' },
      legacy: { dockerfile: 'FROM x\n', envArgs: { FOUNDATION_BUILD_CA: pem } },
    });
    assert.deepEqual(
      sh.calls.map((c) => c.line),
      [
        'docker build -t svc:1 --build-arg NODE_IMAGE=mirror/node:24 --build-arg FOUNDATION_BUILD_CA -f - /ws/svc',
      ],
    );
    assert.deepEqual(sh.calls[0]?.options?.env, { FOUNDATION_BUILD_CA: pem, DOCKER_BUILDKIT: '0' });
    assert.equal(sh.calls[0]?.options?.input, 'FROM x\n');
    assert.doesNotMatch(sh.calls[0]?.options?.fix ?? '', /BEGIN CERTIFICATE/);
  });
});
