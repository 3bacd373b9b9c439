import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ValidationInput, ValidationPorts } from '../../lib/validate/probes.js';
import { secretObservations } from '../../lib/validate/resource-evidence.js';
import { fakeGit } from '../helpers/fake-ports.js';

/** The secret criteria's evidence from a gitleaks answer and a repository that has, or has not, .env committed. */
function observe(findings: number | null, tracked: string[]) {
  const ports = {
    secrets: {
      // null: gitleaks is not installed
      scan: () =>
        Promise.resolve(findings === null ? null : { findings, files: findings > 0 ? ['config.ts'] : [] }),
    },
    git: fakeGit({ tracked }),
  } as unknown as ValidationPorts;
  return secretObservations(ports, { workspace: '/ws' } as unknown as ValidationInput);
}

describe('secret evidence', () => {
  it('a clean history without .env in it: no finding', async () => {
    const out = await observe(0, []);
    const [ac2, m1] = [out['REQ-0.6/AC2'], out['REQ-0.6/M1']];
    assert.equal(ac2?.kind === 'fact' ? ac2.holds : null, true);
    assert.equal(m1?.kind === 'value' ? m1.value : null, 0);
  });

  it('a committed .env fails, although gitleaks found nothing in it (values a person chose)', async () => {
    const out = await observe(0, ['.env']);
    const ac2 = out['REQ-0.6/AC2'];
    assert.equal(ac2?.kind, 'fact');
    if (ac2?.kind !== 'fact') return;
    assert.equal(ac2.holds, false);
    assert.match(ac2.detail, /^\.env is committed/);
    assert.match(ac2.fix ?? '', /^git rm --cached \.env/);
    const m1 = out['REQ-0.6/M1'];
    assert.equal(m1?.kind === 'value' ? m1.value : null, 1);
  });

  it('a committed .env fails without gitleaks too (git alone says it is there); not measured when it is not', async () => {
    const ac2 = (await observe(null, ['.env']))['REQ-0.6/AC2'];
    assert.equal(ac2?.kind, 'fact');
    if (ac2?.kind !== 'fact') return;
    assert.equal(ac2.holds, false);
    assert.match(
      ac2.detail,
      /^\.env is committed \(git ls-files\); the history was not scanned: gitleaks is not installed/,
    );
    assert.equal((await observe(null, []))['REQ-0.6/AC2']?.kind, 'absent');
  });
});
