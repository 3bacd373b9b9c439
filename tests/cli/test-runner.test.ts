// The README's test command itself (scripts/test-runner.ts), run on fixture test files: the closing line
// counts skips and fails them under CI, a file that timed out but holds a handle still ends, and a run past
// its time limit names the file that hangs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ROOT } from '../helpers/cli.js';
import { nestedEnv, runNested, type NestedRun } from '../helpers/nested-node.js';

const RUNNER = join(ROOT, 'dist', 'scripts', 'test-runner.js');
const dirs: string[] = [];

/** A tree of compiled tests with one tier, `unit`, holding `files` (name → source). */
function fixture(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'foundation-runner-'));
  dirs.push(root);
  mkdirSync(join(root, 'unit'));
  for (const [name, source] of Object.entries(files)) writeFileSync(join(root, 'unit', name), source);
  return root;
}

const runner = (root: string, env: Record<string, string>): Promise<NestedRun> =>
  runNested([RUNNER, 'unit'], {
    cwd: root,
    env: nestedEnv({ FOUNDATION_TEST_ROOT: root, ...env }, env.CI === undefined ? ['CI'] : []),
    timeoutMs: 300_000,
  });

const lastLine = (out: string): string => out.trimEnd().split('\n').at(-1) ?? '';
const HEADER = "import { it } from 'node:test';\n";
/** A test that never ends and keeps its process alive. */
const FOREVER = 'new Promise(() => { setInterval(() => {}, 1000); })';

describe('the test runner (npm test)', { timeout: 600_000 }, () => {
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('counts a skip in the closing line; under CI=true the skip fails the run, named with its reason', async () => {
    const root = fixture({
      'a.test.js': `${HEADER}it('passes', () => {});\nit('needs a server', { skip: 'no broker here' }, () => {});\n`,
    });
    const local = await runner(root, {});
    assert.equal(local.code, 0, local.out);
    assert.equal(lastLine(local.out), '1 passed, 0 failed, 1 skipped');
    const ci = await runner(root, { CI: 'true' });
    assert.equal(ci.code, 1, ci.out);
    assert.equal(lastLine(ci.out), '1 passed, 1 failed, 1 skipped');
    assert.match(ci.out, /needs a server: no broker here/);
  });

  it('every result of many short files reaches the closing line (none lost as the files exit)', async () => {
    // nodejs/node#64833: with force-exit a file's process could exit before its last results were read.
    const files: Record<string, string> = {};
    const long = 'x'.repeat(400); // long names make each file's report longer than a pipe takes at once
    for (let f = 0; f < 24; f++)
      files[`f${String(f)}.test.js`] =
        `${HEADER}for (let i = 0; i < 40; i++) it('test ' + i + ' ${long}', () => {});\n`;
    const { code, out } = await runner(fixture(files), {});
    assert.equal(code, 0, out.slice(-2_000));
    assert.equal(lastLine(out), '960 passed, 0 failed, 0 skipped');
  });

  it('a file whose test timed out ends even though a timer still holds it open', async () => {
    const root = fixture({
      'held.test.js': `${HEADER}it('waits too long', { timeout: 300 }, () => ${FOREVER});\n`,
    });
    // Without force-exit the file would run until this limit, and the run would end with its message.
    const { code, out } = await runner(root, { FOUNDATION_TEST_RUN_LIMIT_MIN: '4' });
    assert.equal(code, 1, out);
    assert.match(out, /test timed out after 300ms/);
    assert.doesNotMatch(out, /limit/);
    assert.equal(lastLine(out), '0 passed, 1 failed, 0 skipped');
  });

  it('past FOUNDATION_TEST_RUN_LIMIT_MIN the run stops, names the file still running, and fails', async () => {
    const root = fixture({ 'hangs.test.js': `${HEADER}it('never ends', () => ${FOREVER});\n` });
    const { code, out } = await runner(root, { FOUNDATION_TEST_RUN_LIMIT_MIN: '0.05' });
    assert.equal(code, 1, out);
    assert.match(out, /the run passed its 0\.05-minute limit .*; still running: unit\/hangs\.test\.js\b/);
    assert.equal(lastLine(out), '0 passed, 1 failed, 0 skipped');
    const closingLines = out.split('\n').filter((l) => /^\d+ passed, \d+ failed/.test(l));
    assert.deepEqual(closingLines, ['0 passed, 1 failed, 0 skipped'], 'one closing line, no other');
  });

  it('refuses a limit that is not a positive number of minutes', async () => {
    const { code, out } = await runner(fixture({}), { FOUNDATION_TEST_RUN_LIMIT_MIN: 'soon' });
    assert.equal(code, 2);
    assert.match(out, /FOUNDATION_TEST_RUN_LIMIT_MIN must be minutes, more than 0/);
    assert.equal(lastLine(out), '0 passed, 1 failed');
  });

  it('npm test with a tier named wrong is exit 2 at once, before the test tools are installed', () => {
    const cache = mkdtempSync(join(tmpdir(), 'foundation-runner-cache-'));
    dirs.push(cache);
    // As a user types it: npm's pretest used to run the whole install first (minutes on a new machine).
    const run = spawnSync('npm', ['test', '--silent', '--', 'unti'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: nestedEnv({ FOUNDATION_CACHE: cache }, ['CI', 'FOUNDATION_TEST_ROOT']),
      timeout: 120_000,
    });
    assert.equal(run.status, 2, run.stdout + run.stderr);
    assert.match(run.stderr, /unknown test tier\(s\): unti; tiers: unit, tasks, cli, integration/);
    assert.deepEqual(readdirSync(cache), [], 'nothing was installed');
  });
});
