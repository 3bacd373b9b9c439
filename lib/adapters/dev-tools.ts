import type { spawn as nodeSpawn } from 'node:child_process';
import { join } from 'node:path';
import { FoundationError } from '../errors.js';
import { scansSecrets } from '../lefthook-scan.js';
import type { Git, ToolProbe, Tools } from '../ports/dev.js';
import type { Files, Platform } from '../ports/host.js';
import type { Shell, ShellResult } from '../ports/shell.js';
import { TOOLS, parseVersion, type Os } from '../prereqs/tools.js';
import { RELEASES } from '../prereqs/pins.js';
import type { ToolRelease } from '../prereqs/releases.js';
import { installRelease } from './release-install.js';

/** Each tool's version (and Docker's daemon), read through the shell; pinned releases installed into binDir. */
export function createTools(
  sh: Shell,
  o: {
    binDir: string;
    os: Os;
    mirror?: string;
    signal?: AbortSignal;
    spawn?: typeof nodeSpawn;
    releases?: readonly ToolRelease[];
  },
): Tools {
  return {
    binDir: o.binDir,
    releases: o.releases ?? RELEASES,
    install: (d) =>
      installRelease(d, o.binDir, {
        ...(o.mirror === undefined ? {} : { mirror: o.mirror }),
        ...(o.signal === undefined ? {} : { signal: o.signal }),
        ...(o.spawn === undefined ? {} : { spawn: o.spawn }),
        manual:
          TOOLS.find((t) => t.name === d.name)?.install[o.os] ?? `install ${d.command} and put it on PATH`,
      }),
    probe: () =>
      Promise.all(
        TOOLS.map(async (spec): Promise<ToolProbe> => {
          if ((await sh.which(spec.command)) === null)
            return { name: spec.name, found: false, version: null };
          const r = await sh.run(spec.command, spec.versionArgs, { stream: false });
          if (spec.plugin === true && r.exitCode !== 0)
            return { name: spec.name, found: false, version: null };
          const version = parseVersion(r.exitCode === 0 ? r.stdout : r.stdout + r.stderr);
          if (spec.name !== 'docker') return { name: spec.name, found: true, version };
          const server = await sh.run('docker', ['version', '--format', '{{.Server.Version}}'], {
            stream: false,
          });
          if (server.exitCode !== 0) return { name: spec.name, found: true, version, daemon: null };
          const info = await sh.run('docker', ['info', '--format', '{{.MemTotal}}'], { stream: false });
          const memory = Number(info.stdout.trim());
          return {
            name: spec.name,
            found: true,
            version,
            daemon: parseVersion(server.stdout),
            memoryBytes: info.exitCode === 0 && Number.isSafeInteger(memory) && memory > 0 ? memory : null,
          };
        }),
      ),
  };
}

const outsideRepository = (r: ShellResult): boolean =>
  (r.exitCode === 128 && /not a git repository/i.test(r.stderr)) || r.exitCode === 127;

const noAnswer = (command: string, r: ShellResult, fix: string): FoundationError =>
  new FoundationError(
    'E_COMMAND_FAILED',
    `${command} gave no answer (${r.exitCode === null ? 'stopped' : `exit ${String(r.exitCode)}`}${r.stderr.trim() === '' ? '' : `: ${r.stderr.trim().split('\n')[0] ?? ''}`})`,
    fix,
  );

/**
 * The paths of `git status --porcelain=v1 -z`, and which of them git does not track (`??`): entries
 * `XY path`, NUL-ended; a rename or copy (staged or not: R or C in X or Y) is followed by its source path,
 * skipped (the new path is what is uncommitted). Pure.
 */
export function porcelainPaths(out: string): { paths: string[]; untracked: string[] } {
  const entries = out.split('\0');
  const paths: string[] = [];
  const untracked: string[] = [];
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] ?? '';
    if (entry.length < 4) continue;
    const path = entry.slice(3);
    paths.push(path);
    if (entry.startsWith('??')) untracked.push(path);
    if (/[RC]/.test(entry.slice(0, 2))) i++;
  }
  return { paths, untracked };
}

/** The workspace's git repository and its hooks (lefthook, the package's own binary). */
export function createGit(sh: Shell, files: Files, platform: Platform): Git {
  return {
    async isIgnored(path) {
      const r = await sh.run('git', ['check-ignore', '-q', path], { stream: false });
      if (r.exitCode === 0 || r.exitCode === 1) return r.exitCode === 0;
      // Outside a repository, or no git at all (127; task 0-1 says to install it): nothing to ignore in.
      if (outsideRepository(r)) return null;
      // Killed (Ctrl+C) or broken: not known to be ignored, which is not the same as outside a repository.
      throw noAnswer(
        `git check-ignore ${path}`,
        r,
        `git check-ignore -v ${path} says why; then foundation run 0-1`,
      );
    },
    async uncommitted() {
      // `-- .`: the workspace only, when it is a folder of a larger repository.
      const status = await sh.run(
        'git',
        ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--', '.'],
        {
          stream: false,
        },
      );
      if (outsideRepository(status)) return null;
      if (status.exitCode !== 0)
        throw noAnswer('git status', status, 'run git status in the workspace: it says why');
      // The whole hash: an abbreviation grows with the repository, and runs compare it (REQ-0.4/AC5).
      const head = await sh.run('git', ['rev-parse', 'HEAD'], { stream: false });
      return { head: head.exitCode === 0 ? head.stdout.trim() : null, ...porcelainPaths(status.stdout) };
    },
    async isTracked(path) {
      const r = await sh.run('git', ['ls-files', '--error-unmatch', '--', path], { stream: false });
      return r.exitCode === 0;
    },
    async hooks() {
      const where = await sh.run('git', ['rev-parse', '--git-path', 'hooks'], { stream: false });
      if (where.exitCode !== 0) return 'no-git';
      const config = await files.read('lefthook.yml');
      if (config !== null && !scansSecrets(config)) return 'no-scan';
      const hook = await files.read(join(where.stdout.trim(), 'pre-commit'));
      return hook?.includes('lefthook') === true && config !== null ? 'installed' : 'missing';
    },
    async installHooks() {
      if (!(await files.exists('lefthook.yml'))) {
        const template = await files.read(join(platform.packageRoot, 'lefthook.yml'));
        if (template === null)
          throw new FoundationError(
            'E_INSTALL_BROKEN',
            'lefthook.yml is missing from the Foundation package',
            'reinstall Foundation (in its repository: git checkout lefthook.yml)',
          );
        // Outside the Foundation repository the scan script is not at a relative path: point at the package's.
        const scan = join(platform.packageRoot, 'scripts', 'hooks', 'secret-scan');
        await files.write('lefthook.yml', template.replace('run: scripts/hooks/secret-scan', `run: ${scan}`));
      }
      const bin = join(platform.packageRoot, 'node_modules', 'lefthook', 'bin', 'index.js');
      if (!(await files.exists(bin)))
        throw new FoundationError(
          'E_INSTALL_BROKEN',
          `${bin} is missing`,
          'run scripts/bootstrap (installs the npm packages, lefthook among them), then foundation run 0-1',
        );
      await sh.exec('node', [bin, 'install'], { env: { LEFTHOOK: '1' } });
    },
  };
}
