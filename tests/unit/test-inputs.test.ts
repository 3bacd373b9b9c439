// What 0-10 keeps of a passing test run: the fingerprint of the demo's test inputs (pure), and the npm
// adapter that reads it off a real package folder and keeps the last pass in node_modules/.cache.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createFiles } from '../../lib/adapters/files.js';
import { createNpm } from '../../lib/adapters/npm.js';
import { createShell } from '../../lib/adapters/shell.js';
import { fingerprint, isInputFolder, testEnv, type TestInputs } from '../../lib/generator/test-inputs.js';
import { silentLog } from '../helpers/fixtures.js';

const PACKAGE_JSON = { path: 'package.json', sha256: 'a'.repeat(64) };
const BASE: TestInputs = {
  files: [PACKAGE_JSON, { path: 'src/app.ts', sha256: 'b'.repeat(64) }],
  installed: '{"lockfileVersion":3}',
  node: 'v24.21.0',
  env: [['CI', 'true']],
};

describe('test inputs: the fingerprint', () => {
  it('is the same whatever order the files come in, and changes with each input', () => {
    const same = fingerprint({ ...BASE, files: [...BASE.files].reverse() });
    assert.equal(same, fingerprint(BASE));
    assert.match(same, /^[0-9a-f]{64}$/);
    const changed: TestInputs[] = [
      { ...BASE, files: [PACKAGE_JSON, { path: 'src/app.ts', sha256: 'c'.repeat(64) }] },
      { ...BASE, files: [PACKAGE_JSON] },
      { ...BASE, files: [...BASE.files, { path: 'test/new.test.ts', sha256: 'd'.repeat(64) }] },
      { ...BASE, installed: '{"lockfileVersion":3,"packages":{}}' },
      { ...BASE, installed: null },
      { ...BASE, node: 'v24.22.0' },
      { ...BASE, env: [] },
      { ...BASE, env: [['KAFKA_CONTRACT_BROKERS', '127.0.0.1:9092']] },
    ];
    const prints = new Set([same, ...changed.map(fingerprint)]);
    assert.equal(prints.size, changed.length + 1, 'every change gives a fingerprint of its own');
  });

  it('takes the variables that change a test run, sorted, and no others', () => {
    assert.deepEqual(
      testEnv({
        TEST_DATABASE_URL: 'postgres://x',
        HOME: '/root',
        CI: 'true',
        PATH: '/bin',
        KAFKA_CONTRACT_BROKERS: 'b:9092',
        NODE_OPTIONS: '--max-old-space-size=512',
        RANDOM: '1',
        TZ: undefined,
      }),
      [
        ['CI', 'true'],
        ['KAFKA_CONTRACT_BROKERS', 'b:9092'],
        ['NODE_OPTIONS', '--max-old-space-size=512'],
        ['TEST_DATABASE_URL', 'postgres://x'],
      ],
    );
  });

  it('walks source folders; installs anywhere, outputs and tool folders at the top only', () => {
    for (const name of ['src', 'test', 'k8s', 'docs']) assert.ok(isInputFolder(name, true), name);
    for (const name of ['node_modules', 'dist', 'coverage', '.git', '.foundation'])
      assert.ok(!isInputFolder(name, true), name);
    // Deeper, a dist/ or coverage/ is source the compiler reads (test/coverage/cov.test.ts).
    for (const name of ['dist', 'coverage', '.fixtures']) assert.ok(isInputFolder(name, false), name);
    assert.ok(!isInputFolder('node_modules', false));
  });

  it('npm settings that change a test run count; npm’s own bookkeeping does not', () => {
    assert.deepEqual(
      testEnv({ npm_config_ignore_scripts: 'true', npm_config_cache: '/tmp/npm', KAFKA_BROKERS: 'b:9092' }),
      [['npm_config_ignore_scripts', 'true']],
    );
  });
});

describe('npm adapter: test inputs and the kept pass, on a real package folder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'npm-inputs-'));
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const write = (path: string, content: string): void => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  };
  const npm = createNpm(
    createShell({ cwd: dir, signal: new AbortController().signal, log: silentLog }),
    createFiles(dir),
  );

  it('a fingerprint that follows sources and the install, not outputs; the pass kept until an install', async () => {
    write('package.json', '{"name":"p"}');
    write('src/app.ts', 'export const a = 1;\n');
    write('.foundation-template.json', '{}');
    write('node_modules/.package-lock.json', '{"lockfileVersion":3}');
    const first = await npm.testInputs(dir);
    assert.equal(await npm.testInputs(dir), first, 'the same folder, the same fingerprint');
    write('dist/src/app.js', 'built');
    write('node_modules/pino/index.js', 'installed');
    write('.git/HEAD', 'ref');
    assert.equal(
      await npm.testInputs(dir),
      first,
      'outputs, installed files and hidden folders are no inputs',
    );
    write('src/app.ts', 'export const a = 2;\n');
    const edited = await npm.testInputs(dir);
    assert.notEqual(edited, first, 'a source file changed');
    write('node_modules/.package-lock.json', '{"lockfileVersion":3,"packages":{"x":{}}}');
    assert.notEqual(await npm.testInputs(dir), edited, 'a new install');

    write('test/coverage/cov.test.ts', 'a test in a folder named like an output\n');
    const nested = await npm.testInputs(dir);
    assert.notEqual(nested, edited, 'a nested coverage/ is source');
    symlinkSync('../outside.ts', join(dir, 'src', 'link.ts'));
    const dangling = await npm.testInputs(dir);
    assert.notEqual(dangling, nested, 'a link that points nowhere counts');
    writeFileSync(join(dir, 'outside.ts'), 'one\n');
    const linked = await npm.testInputs(dir);
    assert.notEqual(linked, dangling, 'a link counts by what it points to');
    writeFileSync(join(dir, 'outside.ts'), 'two\n');
    assert.notEqual(await npm.testInputs(dir), linked, 'the linked file changed');
    symlinkSync('..', join(dir, 'src', 'loop'));
    await npm.testInputs(dir); // a link back up ends (the real path is walked once)

    assert.equal(await npm.lastPass(dir), null);
    await npm.recordPass(dir, edited);
    assert.equal(await npm.lastPass(dir), edited);
    write('node_modules/.cache/foundation/tests-passed.json', '{"fingerprint": 12'); // cut short
    assert.equal(await npm.lastPass(dir), null, 'an unreadable record is no pass');
  });
});
