// npm in a package directory (the demo service's): install, test, and the fingerprint of what a test run
// reads, with the one its tests last passed with (node_modules/.cache/foundation/, the usual home of a
// tool's cache in a package: `npm ci` empties node_modules, so a new install is tested again).
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fingerprint, isInputFolder, sha256, testEnv } from '../generator/test-inputs.js';
import type { Npm } from '../ports/dev.js';
import type { Files } from '../ports/host.js';
import type { Shell } from '../ports/shell.js';

const PASSED = join('node_modules', '.cache', 'foundation', 'tests-passed.json');

/** Every regular file under `dir` outside output, install and hidden folders: path and content hash. */
async function inputFiles(dir: string, prefix = ''): Promise<{ path: string; sha256: string }[]> {
  const out: { path: string; sha256: string }[] = [];
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory() && isInputFolder(entry.name)) out.push(...(await inputFiles(dir, path)));
    else if (entry.isFile()) out.push({ path, sha256: sha256(await readFile(join(dir, path))) });
  }
  return out;
}

export function createNpm(sh: Shell, files: Files): Npm {
  return {
    async installed(dir) {
      return files.exists(join(dir, 'node_modules', '.package-lock.json'));
    },
    async ci(dir) {
      await sh.exec('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], {
        cwd: dir,
        stream: false,
        fix: `cd ${dir} && npm ci (is the npm registry reachable?)`,
      });
    },
    async test(dir) {
      return (await sh.run('npm', ['test'], { cwd: dir, stream: false })).exitCode === 0;
    },
    async testInputs(dir) {
      const node = await sh.run('node', ['-v'], { stream: false });
      return fingerprint({
        files: await inputFiles(dir),
        installed: await files.read(join(dir, 'node_modules', '.package-lock.json')),
        node: node.exitCode === 0 ? node.stdout.trim() : 'none',
        env: testEnv(process.env),
      });
    },
    async lastPass(dir) {
      const text = await files.read(join(dir, PASSED));
      if (text === null) return null;
      try {
        const kept = JSON.parse(text) as { fingerprint?: unknown };
        return typeof kept.fingerprint === 'string' ? kept.fingerprint : null;
      } catch {
        return null; // a record cut short (or edited): as if none, so the tests run again
      }
    },
    async recordPass(dir, inputs) {
      const record = { fingerprint: inputs, passedAt: new Date().toISOString() };
      await files.write(join(dir, PASSED), `${JSON.stringify(record)}\n`);
    },
  };
}
