// npm in a package directory (the demo service's): install, test, and the fingerprint of what a test run
// reads, with the one its tests last passed with (node_modules/.cache/foundation/, the usual home of a
// tool's cache in a package: `npm ci` empties node_modules, so a new install is tested again).
import { readFile, readdir, readlink, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fingerprint, isInputFolder, sha256, testEnv } from '../generator/test-inputs.js';
import type { Npm } from '../ports/dev.js';
import type { Files } from '../ports/host.js';
import type { Shell } from '../ports/shell.js';

const PASSED = join('node_modules', '.cache', 'foundation', 'tests-passed.json');

type InputFile = { path: string; sha256: string };

/** What a file's content is to the fingerprint: its hash, or why it could not be read (never a throw). */
async function contentOf(path: string): Promise<string | null> {
  try {
    return sha256(await readFile(path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    return code === 'ENOENT' ? null : `unreadable:${code}`; // gone since listed: not an input any more
  }
}

/**
 * Every file under `dir` outside installs, top-level outputs and tool folders: path and content hash. A
 * symbolic link counts by what it points to (a folder is walked once, by its real path, so a loop ends);
 * one that points nowhere counts by its target. A folder removed during the walk is no input.
 */
async function inputFiles(dir: string, prefix = '', seen = new Set<string>()): Promise<InputFile[]> {
  const here = join(dir, prefix);
  const real = await realpath(here).catch(() => null);
  if (real === null || seen.has(real)) return [];
  seen.add(real);
  const entries = await readdir(here, { withFileTypes: true }).catch(() => []);
  const out: InputFile[] = [];
  for (const entry of entries) {
    const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    const full = join(dir, path);
    const kind = entry.isSymbolicLink() ? await stat(full).catch(() => null) : entry;
    if (kind === null) out.push({ path, sha256: `link:${await readlink(full).catch(() => '?')}` });
    else if (kind.isDirectory()) {
      if (isInputFolder(entry.name, prefix === '')) out.push(...(await inputFiles(dir, path, seen)));
    } else if (kind.isFile()) {
      const hash = await contentOf(full);
      if (hash !== null) out.push({ path, sha256: hash });
    }
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
