// The service Dockerfile for the legacy builder (SERVICE_BUILDER=legacy): secret mounts taken off, the CA
// as a build argument, everything else unchanged; what only BuildKit can do is refused with the fix.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { legacyArgOf, legacyDockerfile } from '../../lib/deploy/legacy-dockerfile.js';
import { FoundationError } from '../../lib/errors.js';
import { ROOT } from '../helpers/cli.js';

const TEMPLATE = readFileSync(join(ROOT, 'service-template', 'Dockerfile'), 'utf8');
const changed = (before: string, after: string) => {
  const a = new Set(before.split('\n'));
  const b = new Set(after.split('\n'));
  return { removed: [...a].filter((l) => !b.has(l)), added: [...b].filter((l) => !a.has(l)) };
};

describe('the Dockerfile for the legacy builder', () => {
  it("the template's: no --mount left, the CA written where the secret was mounted, before npm ci", () => {
    const out = legacyDockerfile(TEMPLATE, new Set(['ca']));
    assert.doesNotMatch(out, /--mount/);
    const { removed, added } = changed(TEMPLATE, out);
    assert.deepEqual(
      removed.map((l) => l.trim()),
      [
        'RUN --mount=type=secret,id=npmrc,target=/root/.npmrc \\',
        '--mount=type=secret,id=ca,target=/run/secrets/ca \\',
        'if [ -s /run/secrets/ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/ca; fi; \\',
        'npm ci --no-audit --no-fund',
      ],
    );
    assert.deepEqual(added, [
      'ARG FOUNDATION_BUILD_CA',
      `RUN { mkdir -p "$(dirname /run/secrets/ca)" && printf '%s\\n' "$FOUNDATION_BUILD_CA" > /run/secrets/ca; } || exit 1; if [ -s /run/secrets/ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/ca; fi; npm ci --no-audit --no-fund`,
    ]);
    // The ARG sits in the build stage, right before its RUN: the runtime stage never sees it.
    const lines = out.split('\n');
    const arg = lines.indexOf('ARG FOUNDATION_BUILD_CA');
    assert.match(lines[arg + 1] ?? '', /^RUN /);
    assert.ok(arg > lines.findIndex((l) => l.startsWith('FROM ') && l.endsWith(' AS build')));
    assert.ok(arg < lines.findLastIndex((l) => l.startsWith('FROM ')));
  });

  it('no CA given: the mounts are simply gone, as with BuildKit when a secret is not passed', () => {
    const out = legacyDockerfile(TEMPLATE, new Set());
    assert.doesNotMatch(out, /--mount|FOUNDATION_BUILD_/);
    assert.match(
      out,
      /^RUN if \[ -s \/run\/secrets\/ca \]; then export NODE_EXTRA_CA_CERTS=\/run\/secrets\/ca; fi; npm ci --no-audit --no-fund$/m,
    );
  });

  it('a Dockerfile without mounts comes back byte for byte, comments and continuations too', () => {
    const text = '# a comment\nFROM x AS a\nRUN echo a \\\n  # inside\n  && echo b\n\nCMD ["node"]\n';
    assert.equal(legacyDockerfile(text, new Set(['ca'])), text);
  });

  it('a secret with no target lands at /run/secrets/<id>; the argument name is derived from the id', () => {
    const out = legacyDockerfile(
      'FROM x\nRUN --mount=type=secret,id=corp-ca cat /run/secrets/corp-ca\n',
      new Set(['corp-ca']),
    );
    assert.equal(legacyArgOf('corp-ca'), 'FOUNDATION_BUILD_CORP_CA');
    assert.match(out, /^ARG FOUNDATION_BUILD_CORP_CA$/m);
    assert.match(out, /> \/run\/secrets\/corp-ca; \} \|\| exit 1; cat \/run\/secrets\/corp-ca$/m);
  });

  for (const [what, line] of [
    ['a cache mount', 'RUN --mount=type=cache,target=/root/.npm npm ci'],
    ['a bind mount', 'RUN --mount=type=bind,source=x,target=/x make'],
    ['another RUN flag', 'RUN --mount=type=secret,id=ca --network=none make'],
  ])
    it(`${what} needs BuildKit: refused, naming it, with the fix`, () => {
      assert.throws(
        () => legacyDockerfile(`FROM x\n${line}\n`, new Set()),
        (e: unknown) =>
          e instanceof FoundationError &&
          e.code === 'E_CONFIG_INVALID' &&
          /needs BuildKit/.test(e.message) &&
          /SERVICE_BUILDER=buildkit/.test(e.fix ?? ''),
      );
    });
});
