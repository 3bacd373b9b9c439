// The generated service's image build, read from the files the generator writes: a base pinned by tag and
// digest that Renovate can move, BuildKit secrets for a private registry and an extra CA, no frontend to
// fetch, and the README's build commands for each case. The real builds run in
// tests/integration/image-build.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readTemplate } from '../../lib/adapters/template-files.js';
import { generateService } from '../../lib/commands/new-service.js';
import { KIT_PARTS } from '../../lib/generator/kit-parts.js';
import { ROOT } from '../helpers/cli.js';

const template = readTemplate(ROOT);
const file = (files: readonly { path: string; content: string }[], path: string): string => {
  const found = files.find((f) => f.path === path);
  assert.ok(found, `${path} is generated`);
  return found.content;
};

describe('the generated service image', () => {
  for (const parts of [[], [...KIT_PARTS]]) {
    it(`${parts.length === 0 ? 'plain' : 'full kit'}: the base is pinned by tag and digest in one ARG every stage uses`, () => {
      const dockerfile = file(generateService(template, 'orders', 'x', parts), 'Dockerfile');
      const lines = dockerfile.split('\n');
      const arg = /^ARG NODE_IMAGE=node:24\.\d+\.\d+-bookworm-slim@sha256:[0-9a-f]{64}$/m.exec(dockerfile);
      assert.ok(arg, 'ARG NODE_IMAGE=node:24.x.y-bookworm-slim@sha256:<64 hex>');
      const froms = lines.filter((l) => /^FROM\s/i.test(l));
      assert.deepEqual(froms, ['FROM ${NODE_IMAGE} AS build', 'FROM ${NODE_IMAGE}']);
      assert.ok(lines.indexOf(arg[0]) < lines.indexOf(froms[0] ?? ''), 'declared before the first FROM');
      assert.doesNotMatch(dockerfile, /^#\s*syntax\s*=/im, 'no frontend image to fetch');
    });
  }

  it('npm ci gets the npmrc and ca secrets as mounts, and no credential passes as an ARG or ENV', () => {
    const dockerfile = file(generateService(template, 'orders', 'x'), 'Dockerfile');
    const install = /^RUN (--mount=[^\n]*\\\n(?:\s+--mount=[^\n]*\\\n)*)([\s\S]*?npm ci[^\n]*)$/m.exec(
      dockerfile,
    );
    assert.ok(install, 'the npm ci step mounts secrets');
    assert.match(install[1] ?? '', /--mount=type=secret,id=npmrc,target=\/root\/\.npmrc/);
    assert.match(install[1] ?? '', /--mount=type=secret,id=ca,target=\/run\/secrets\/ca/);
    assert.match(install[2] ?? '', /NODE_EXTRA_CA_CERTS=\/run\/secrets\/ca/);
    assert.doesNotMatch(dockerfile, /^(ARG|ENV)\s+\S*(TOKEN|NPMRC|AUTH|PASSWORD)/im);
  });

  it('renovate.json: valid, named after the service, pins digests and keeps the base on Node 24', () => {
    const config = JSON.parse(file(generateService(template, 'orders', 'x'), 'renovate.json')) as {
      description: string;
      extends: string[];
      packageRules: { matchPackageNames?: string[]; allowedVersions?: string }[];
    };
    assert.match(config.description, /^Dependency updates for orders:/);
    assert.ok(config.extends.includes('docker:pinDigests'));
    const node = config.packageRules.find((r) => r.matchPackageNames?.includes('node'));
    assert.equal(node?.allowedVersions, '/^24\\./');
  });

  it('the README shows the build for the public registry, a private registry, a proxy and another base', () => {
    const readme = file(generateService(template, 'orders', 'x'), 'README.md');
    for (const command of [
      'docker build -t orders:0.1.0 .',
      'docker build --secret id=npmrc,src=$HOME/.npmrc -t orders:0.1.0 .',
      'docker build --secret id=ca,src=/etc/ssl/certs/ca-certificates.crt \\',
      'docker build --build-arg NODE_IMAGE=registry.example.com/library/node:24-bookworm-slim -t orders:0.1.0 .',
    ])
      assert.ok(readme.includes(command), command);
    assert.match(readme, /DOCKER_BUILDKIT=1/);
  });
});
