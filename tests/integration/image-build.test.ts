// The generated service's image on a real Docker engine (issue 21): BuildKit builds the demo's Dockerfile
// on a base that trusts only Node's own roots — as on a laptop behind a TLS-intercepting proxy, which this
// machine's network is — because the CA bundle arrives as the `ca` secret; an `.npmrc` arrives as the
// `npmrc` secret and is read (npm logs its HTTP fetches) yet is in no layer and no history. The container
// becomes healthy as the node user without a broker, and stops with exit 0 on SIGTERM. The legacy builder
// refuses the file as is at its secret mounts, naming BuildKit; through Foundation (SERVICE_BUILDER=legacy)
// it builds the file without them, the extra CA coming as a build argument, and that image runs the same.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createDocker } from '../../lib/adapters/containers.js';
import { createShell } from '../../lib/adapters/shell.js';
import { legacyBuildOptions } from '../../lib/deploy/build-options.js';
import { ROOT } from '../helpers/cli.js';
import { CONFIG, silentLog } from '../helpers/fixtures.js';
import { useDocker } from '../helpers/cluster.js';
import { PUBLIC_ROOTS_IMAGE, ensurePublicRootsImage } from '../helpers/images.js';

const docker = await useDocker();
const DEMO_DIR = join(ROOT, 'examples', 'demo-service');
const CA = '/etc/ssl/certs/ca-certificates.crt';
const id = randomUUID().slice(0, 8);
const image = `foundation-test/image-build:${id}`;
const container = `fdn-image-build-${id}`;
const legacyImage = `${image}-legacy`;

function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync('docker', args, {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 512 * 1024 * 1024,
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

async function until<T>(what: string, ms: number, probe: () => T | null): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(250);
  }
}

describe('the service image on a real Docker engine', { skip: docker.skip, timeout: 15 * 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'image-build-'));
  after(() => {
    run(['rm', '-f', container, `${container}-legacy`]);
    run(['image', 'rm', '-f', image, legacyImage]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('BuildKit: the ca and npmrc secrets let npm ci through the proxy; the token is nowhere in the image', () => {
    ensurePublicRootsImage();
    const probe = run([
      'run',
      '--rm',
      PUBLIC_ROOTS_IMAGE,
      'node',
      '-e',
      "fetch('https://registry.npmjs.org/').then(() => console.log('trusted'), (e) => console.log(e.cause?.code ?? e.message))",
    ]);
    process.stdout.write(`# from a base without the CA bundle, the registry answers: ${probe.out.trim()}\n`);
    const token = `fdn-test-token-${randomUUID()}`;
    const npmrc = join(dir, 'npmrc');
    // A token for a host npm never asks, so nothing is sent anywhere; loglevel=http shows the file was read.
    writeFileSync(npmrc, `loglevel=http\n//npm.registry.invalid/:_authToken=${token}\n`);
    const build = run(
      [
        'build',
        '--progress=plain',
        // No cache: npm ci must run, with the secrets, in this build (a cached layer would prove nothing).
        '--no-cache',
        '--build-arg',
        `NODE_IMAGE=${PUBLIC_ROOTS_IMAGE}`,
        '--secret',
        `id=ca,src=${CA}`,
        '--secret',
        `id=npmrc,src=${npmrc}`,
        '-t',
        image,
        DEMO_DIR,
      ],
      { DOCKER_BUILDKIT: '1' },
    );
    assert.equal(build.code, 0, build.out.slice(-4000));
    assert.match(build.out, /npm http fetch GET 200 https:\/\/\S+/, 'npm read the .npmrc secret');
    assert.doesNotMatch(build.out, /Ignoring extra certs|SELF_SIGNED_CERT|npm (WARN|warn)/);
    const history = run(['history', '--no-trunc', image]);
    assert.equal(history.code, 0);
    assert.doesNotMatch(history.out, new RegExp(`${token}|_authToken`));
    const saved = spawnSync('docker', ['save', image], { maxBuffer: 1024 * 1024 * 1024 });
    assert.equal(saved.status, 0);
    assert.ok(saved.stdout.length > 50_000_000, 'the whole image was read');
    assert.equal(saved.stdout.includes(token), false, 'the token is in no layer');
  });

  it('runs as node, becomes healthy with no broker, and stops with exit 0 on SIGTERM', async () => {
    await healthyThenStopped(image, container);
  });

  it('the legacy builder: the file as is stops at its secret mounts; SERVICE_BUILDER=legacy builds it with the extra CA', async () => {
    const asIs = run(
      ['build', '--build-arg', `NODE_IMAGE=${PUBLIC_ROOTS_IMAGE}`, '-t', legacyImage, DEMO_DIR],
      {
        DOCKER_BUILDKIT: '0',
      },
    );
    assert.notEqual(asIs.code, 0);
    assert.match(asIs.out, /the --mount option requires BuildKit/);
    ensurePublicRootsImage();
    // Only the CAs this machine adds to Node's own roots (a TLS-intercepting proxy's), as a user gives them.
    // The first line differs at each run, so the RUN that writes them cannot come from the build cache.
    const node = new Set(rootCertificates.map((c) => c.replace(/\s+/g, '')));
    const extra = (
      readFileSync(CA, 'utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []
    ).filter((c) => !node.has(c.replace(/\s+/g, '')));
    process.stdout.write(`# the machine adds ${extra.length} CA certificate(s) to Node's roots\n`);
    const pem = `test run ${id}\n${extra.join('\n')}\n`;
    const config = { ...CONFIG, serviceBuilder: 'legacy' as const, serviceBaseImage: PUBLIC_ROOTS_IMAGE };
    const options = legacyBuildOptions(config, readFileSync(join(DEMO_DIR, 'Dockerfile'), 'utf8'), pem);
    const sh = createShell({ cwd: dir, signal: AbortSignal.timeout(10 * 60_000), log: silentLog });
    await createDocker(sh).build(legacyImage, DEMO_DIR, options);
    const history = run(['history', '--no-trunc', legacyImage]);
    assert.equal(history.code, 0);
    assert.doesNotMatch(
      history.out,
      /FOUNDATION_BUILD_CA|BEGIN CERTIFICATE/,
      'the CA stayed in the build stage',
    );
    await healthyThenStopped(legacyImage, `${container}-legacy`);
  });
});

/** The container runs as node, becomes healthy with no broker, and stops with exit 0 on SIGTERM. */
async function healthyThenStopped(tag: string, name: string): Promise<void> {
  const started = run([
    'run',
    '-d',
    '--name',
    name,
    '-p',
    '127.0.0.1::3000',
    '-e',
    'KAFKA_BROKERS=127.0.0.1:9',
    '-e',
    'SHUTDOWN_DELAY_MS=0',
    tag,
  ]);
  assert.equal(started.code, 0, started.out);
  const inspect = (format: string) => run(['inspect', '-f', format, name]).out.trim();
  assert.equal(inspect('{{.Config.User}}'), 'node');
  const health = await until('healthy', 90_000, () => {
    const h = inspect('{{.State.Health.Status}}|{{.State.Status}}');
    return h.startsWith('healthy') || h.endsWith('exited') ? h : null;
  });
  assert.equal(health, 'healthy|running', run(['logs', name]).out.slice(-3000));
  const stopped = run(['stop', '-t', '20', name]);
  assert.equal(stopped.code, 0, stopped.out);
  assert.equal(
    inspect('{{.State.ExitCode}}|{{.State.OOMKilled}}'),
    '0|false',
    run(['logs', name]).out.slice(-3000),
  );
}
