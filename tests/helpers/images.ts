// Base images for image builds in tests. Nothing can be pulled here, so they are made locally:
//   foundation-test/debian:bookworm-minbase   a Debian root filesystem (debootstrap, by the install script)
//   node:24-bookworm-slim                     a LOCAL STAND-IN under the name the Dockerfile expects: that
//                                             base + Node and npm from their npm packages, user node (1000),
//                                             the machine's CA bundle (npm ci inside builds goes through it)
//   foundation-test/node:24-public-roots      the stand-in without that bundle: Node trusts only its own
//                                             roots, as on a laptop behind a TLS-intercepting proxy
// Made once per Docker data root and reused; never pushed. On a Docker engine that already has a real
// node:24-bookworm-slim, that one is used as it is.
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CACHE, DOCKER_BASE_ROOTFS } from '../../scripts/test-servers/paths.js';

export const NODE_IMAGE = 'node:24-bookworm-slim';
export const BASE_IMAGE = 'foundation-test/debian:bookworm-minbase';
export const PUBLIC_ROOTS_IMAGE = 'foundation-test/node:24-public-roots';
const FILES = join(CACHE, 'docker', 'base');
const CA = '/etc/ssl/certs/ca-certificates.crt';

const docker = (args: string[], env: NodeJS.ProcessEnv = {}): string =>
  execFileSync('docker', args, {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

const exists = (image: string): boolean => {
  try {
    docker(['image', 'inspect', '--format', '{{.Id}}', image]);
    return true;
  } catch {
    return false;
  }
};

/** Build `tag` from these Dockerfile lines in a temporary context that `fill` may add files to. */
function buildLocal(
  tag: string,
  lines: readonly string[],
  fill: (ctx: string) => void = () => undefined,
): void {
  const ctx = mkdtempSync(join(tmpdir(), 'foundation-test-image-'));
  try {
    fill(ctx);
    writeFileSync(join(ctx, 'Dockerfile'), [...lines, ''].join('\n'));
    docker(['build', '-q', '-t', tag, ctx], { DOCKER_BUILDKIT: '0' });
  } finally {
    rmSync(ctx, { recursive: true, force: true });
  }
}

/** The Debian base image, imported from the root filesystem the install script made. */
export function ensureBaseImage(): void {
  const rootfs = DOCKER_BASE_ROOTFS;
  if (!existsSync(rootfs)) throw new Error(`${rootfs} is missing: run scripts/test-servers/install docker`);
  if (!exists(BASE_IMAGE)) docker(['import', '-c', 'CMD ["bash"]', rootfs, BASE_IMAGE]);
}

/** Make the base images unless they exist; returns how long it took (0 when they were there). */
export function ensureNodeImage(): number {
  if (exists(NODE_IMAGE)) return 0;
  const started = performance.now();
  const pack = (prefix: string) => readdirSync(FILES).find((f) => f.startsWith(prefix) && f.endsWith('.tgz'));
  const node = pack('node-linux-');
  const npm = pack('npm-');
  if (node === undefined || npm === undefined)
    throw new Error(
      `Node's and npm's packages are missing in ${FILES}: run scripts/test-servers/install docker`,
    );
  ensureBaseImage();
  buildLocal(
    NODE_IMAGE,
    [
      `FROM ${BASE_IMAGE}`,
      'LABEL org.opencontainers.image.description="LOCAL STAND-IN for node:24-bookworm-slim, made by the Foundation tests; never push"',
      'RUN groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node',
      'COPY usr/local/ /usr/local/',
      'RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx',
      'COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt',
      'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt',
      'CMD ["node"]',
    ],
    (ctx) => {
      mkdirSync(join(ctx, 'usr', 'local', 'lib', 'node_modules', 'npm'), { recursive: true });
      execFileSync('tar', [
        '-xzf',
        join(FILES, node),
        '-C',
        join(ctx, 'usr', 'local'),
        '--strip-components=1',
        'package/bin/node',
      ]);
      execFileSync('tar', [
        '-xzf',
        join(FILES, npm),
        '-C',
        join(ctx, 'usr', 'local', 'lib', 'node_modules', 'npm'),
        '--strip-components=1',
      ]);
      copyFileSync(CA, join(ctx, 'ca-certificates.crt'));
    },
  );
  return Math.round(performance.now() - started);
}

/** The Node stand-in without the machine's CA bundle (made from it; reused once made). */
export function ensurePublicRootsImage(): void {
  ensureNodeImage();
  if (exists(PUBLIC_ROOTS_IMAGE)) return;
  buildLocal(PUBLIC_ROOTS_IMAGE, [
    `FROM ${NODE_IMAGE}`,
    'LABEL org.opencontainers.image.description="LOCAL TEST IMAGE: Node without the machine CA bundle; never push"',
    'RUN rm -f /etc/ssl/certs/ca-certificates.crt',
    'ENV NODE_EXTRA_CA_CERTS=',
  ]);
}
