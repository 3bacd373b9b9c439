import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../helpers/cli.js';
import { findTool } from '../helpers/tools.js';

const gitleaks = findTool('gitleaks', 'GITLEAKS_BIN');
const actionlint = findTool('actionlint', 'ACTIONLINT_BIN');
const bin = (t: typeof gitleaks): string => ('path' in t ? t.path : '');
const run = (cmd: string, args: string[], cwd: string) => spawnSync(cmd, args, { cwd, encoding: 'utf8' });

/** A fake AWS access key id made up at run time, so no key-shaped string lives in this repository. */
function fakeAwsKeyId(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  return `AKIA${Array.from({ length: 16 }, () => alphabet[randomInt(alphabet.length)]).join('')}`;
}

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'scan-'));
  run('git', ['init', '-q'], dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  run('git', ['add', '.'], dir);
  run('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'c'], dir);
  return dir;
}

describe('gitleaks', { skip: 'skip' in gitleaks ? gitleaks.skip : false }, () => {
  it('finds a planted fake cloud key in a temporary git repository', () => {
    const key = fakeAwsKeyId();
    const dir = repo({ 'config.txt': `aws_access_key_id = ${key}\n` });
    const r = run(
      bin(gitleaks),
      ['git', '--no-banner', '--report-format', 'json', '--report-path', '-', dir],
      dir,
    );
    assert.equal(r.status, 1, r.stderr);
    const findings = JSON.parse(r.stdout) as { RuleID: string; File: string }[];
    assert.ok(
      findings.some((f) => f.File === 'config.txt' && /aws/i.test(f.RuleID)),
      r.stdout,
    );
  });

  it('this repository: no finding in its whole history (.gitleaksignore lists only made-up test values)', () => {
    const r = run(
      bin(gitleaks),
      ['git', '--no-banner', '--redact', '--report-format', 'json', '--report-path', '-', ROOT],
      ROOT,
    );
    const findings =
      r.stdout.trim() === '' ? [] : (JSON.parse(r.stdout) as { File: string; RuleID: string }[]);
    assert.deepEqual(
      findings.map((f) => `${f.File} (${f.RuleID})`),
      [],
      'a new test secret must be made up at run time (tests/helpers/fixtures.ts madeUpSecret)',
    );
    assert.equal(r.status, 0, r.stderr);
  });

  it('passes a clean repository', () => {
    const dir = repo({ 'readme.txt': 'nothing secret here\n' });
    const r = run(bin(gitleaks), ['git', '--no-banner', dir], dir);
    assert.equal(r.status, 0, r.stderr);
  });
});

describe('actionlint', { skip: 'skip' in actionlint ? actionlint.skip : false }, () => {
  const workflow = (body: string): string => {
    const dir = mkdtempSync(join(tmpdir(), 'wf-'));
    run('git', ['init', '-q'], dir); // actionlint finds workflows from the repository root
    mkdirSync(join(dir, '.github', 'workflows'), { recursive: true });
    writeFileSync(join(dir, '.github', 'workflows', 'ci.yml'), body);
    return dir;
  };

  it('accepts a good workflow', () => {
    const dir = workflow(
      'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ok\n',
    );
    const r = run(bin(actionlint), ['-no-color'], dir);
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });

  it('rejects a broken one, naming the problem', () => {
    const dir = workflow(
      'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ matrix.nope }}\n',
    );
    const r = run(bin(actionlint), ['-no-color'], dir);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /ci\.yml:6:\d+: property "nope" is not defined/);
  });
});
