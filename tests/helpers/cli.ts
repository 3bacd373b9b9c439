import { spawn } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import type { Finding } from '../../lib/validate/judge.js';
import type { Report } from '../../lib/validate/report.js';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';

/** The repository root (tests run from dist/tests/…). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const CLI = join(ROOT, 'dist', 'scripts', 'cli.js');
const TEST_CACHE = process.env.FOUNDATION_CACHE ?? join(homedir(), '.cache', 'foundation');

/** Real tools a workspace needs besides the fakes: the shell, git, tar (every OS has it), and what zx uses to stop a process tree. */
const REAL = ['sh', 'bash', 'git', 'cat', 'sleep', 'ps', 'env', 'echo', 'true', 'tar', 'gzip'];

export const FAKE_TOOLS: Record<string, string> = {
  docker: `case "$*" in
  *Client.Version*) echo 28.2.2; if [ -n "$FAKE_NO_DAEMON" ]; then echo "Cannot connect to the Docker daemon" >&2; exit 1; fi ;;
  *Server.Version*) if [ -n "$FAKE_NO_DAEMON" ]; then echo "Cannot connect to the Docker daemon" >&2; exit 1; fi; echo 28.2.2 ;;
  *MemTotal*) echo "\${FAKE_DOCKER_MEMORY:-17179869184}" ;;
  *"compose version"*) echo 2.35.1 ;;
esac`,
  kubectl: `[ -n "$FAKE_LEAK" ] && cat .env; echo '{"clientVersion":{"gitVersion":"v1.35.0"}}'`,
  helm: `if [ -n "$FAKE_HANG" ]; then echo $$ > "$FAKE_HANG"; exec sleep 30; fi; echo v3.17.1+g980d8ac`,
  k3d: `echo "k3d version v5.9.0"`,
  task: `echo "Task version: v3.53.1"`,
  gitleaks: `echo 8.30.1`,
};

/** A temporary workspace: a git repository with .env.example and lefthook.yml, and a bin/ for PATH. */
export function workspace(tools: Record<string, string> = FAKE_TOOLS): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'foundation-ws-'));
  copyFileSync(join(ROOT, '.env.example'), join(dir, '.env.example'));
  copyFileSync(join(ROOT, 'lefthook.yml'), join(dir, 'lefthook.yml'));
  execFileSync('git', ['init', '-q'], { cwd: dir });
  const bin = join(dir, '.bin');
  mkdirSync(bin);
  symlinkSync(process.execPath, join(bin, 'node'));
  for (const name of REAL) {
    const found = execFileSync('sh', ['-c', `command -v ${name} || true`], { encoding: 'utf8' }).trim();
    if (found.startsWith('/')) symlinkSync(found, join(bin, name));
  }
  for (const [name, body] of Object.entries(tools)) {
    writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  }
  writeFileSync(join(dir, '.git', 'info', 'exclude'), '.bin/\n');
  return { dir, path: bin };
}

/**
 * Under `npm run coverage`, where c8 collects V8's coverage: its directory, so the CLI processes a test
 * starts count too (otherwise their environment, made from scratch, leaves it out). Empty otherwise.
 */
export function coverageEnv(): Record<string, string> {
  const dir = process.env.NODE_V8_COVERAGE;
  return dir === undefined || dir === '' ? {} : { NODE_V8_COVERAGE: dir };
}

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Run the built CLI as a new process in a workspace; `onStart` may signal it. `job`: it leads its own
 * process group, as a shell starts a command, so a test can send the group a terminal's Ctrl+C.
 */
export function cli(
  args: string[],
  ws: { dir: string; path: string },
  env: Record<string, string> = {},
  onStart?: (child: ReturnType<typeof spawn>) => void,
  job = false,
): Promise<CliResult> {
  return new Promise((done, fail) => {
    // The workspace unless the test names one itself (an option given twice is a usage error).
    const named = args.some((a) => /^(-C|--workspace)(=|$)/.test(a) || /^-C./.test(a));
    const child = spawn(process.execPath, [CLI, ...(named ? [] : ['-C', ws.dir]), ...args], {
      cwd: ws.dir,
      env: { PATH: ws.path, HOME: ws.dir, ...coverageEnv(), ...env },
      detached: job,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', fail);
    child.on('close', (code) => {
      done({ code, stdout, stderr });
    });
    onStart?.(child);
  });
}

/**
 * A fresh workspace as a user starts one for `foundation all`: .env.example and lefthook.yml of this
 * package, a new git repository; and the environment of such a user (this PATH, HOME in the workspace,
 * the test Docker engine), to which a test adds its own settings.
 */
export function userWorkspace(ws: string, extra: Record<string, string>): Record<string, string> {
  for (const f of ['.env.example', 'lefthook.yml']) copyFileSync(join(ROOT, f), join(ws, f));
  execFileSync('git', ['init', '-q'], { cwd: ws });
  return {
    // The user installed the tools task 0-1 wants (go-task, gitleaks…): here, where the test set-up put them.
    PATH: `${join(TEST_CACHE, 'bin')}:${process.env.PATH ?? ''}`,
    HOME: ws,
    DOCKER_HOST: process.env.DOCKER_HOST ?? '',
    DOCKER_CONFIG: process.env.DOCKER_CONFIG ?? '',
    // Task 0-8 finds the linters where scripts/test-servers/install put them (HOME is the workspace).
    FOUNDATION_CACHE: TEST_CACHE,
    ...extra,
  };
}

/**
 * `foundation validate` in a workspace as a user runs it; the report it wrote (latest, or `--out report`)
 * and a finding by id.
 */
export async function validateIn(
  args: string[],
  ws: { dir: string; path: string },
  env: Record<string, string>,
): Promise<{ r: CliResult; report: Report; by: (id: string) => Finding | undefined }> {
  const r = await cli(['validate', ...args], ws, env);
  const dir = args.includes('--out')
    ? join(ws.dir, 'report')
    : join(ws.dir, '.foundation', 'reports', 'latest');
  const report = JSON.parse(readFileSync(join(dir, 'phase0-report.json'), 'utf8')) as Report;
  return { r, report, by: (id) => report.findings.find((f) => f.id === id) };
}
