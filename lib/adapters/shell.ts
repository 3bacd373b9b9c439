import type { spawn as nodeSpawn } from 'node:child_process';
import { $ } from 'zx';
import type { TaskLogger } from '../ports/log.js';
import type { Shell, ShellOptions, ShellResult } from '../ports/shell.js';
import { TOOLS, type Os } from '../prereqs/tools.js';
import { classifyCommand, type Ending } from './command-failure.js';
import { toolSearchPath } from './tool-path.js';

/** Split a stream of chunks into whole lines for the task log. */
function lineWriter(write: (line: string) => void): { push(chunk: Buffer | string): void; flush(): void } {
  let rest = '';
  return {
    push(chunk) {
      const parts = (rest + chunk.toString()).split(/\r?\n/);
      rest = parts.pop() ?? '';
      parts.forEach(write);
    },
    flush() {
      if (rest !== '') write(rest);
      rest = '';
    },
  };
}

/** The install fix of a command, or of the docker CLI plugin it calls (`docker compose …`). */
const installFix = (command: string, args: readonly string[], os: Os): string => {
  const plugin = command === 'docker' ? TOOLS.find((t) => t.name === `docker ${args[0] ?? ''}`) : undefined;
  const spec = plugin ?? TOOLS.find((t) => t.command === command);
  return spec ? `${spec.install[os]}; then: foundation run 0-1` : `install ${command} and put it on PATH`;
};

/**
 * The shell adapter (zx 8): every external command goes through here. The task's AbortSignal is passed
 * on, so Ctrl+C or a time-out kills the child process (with the CLI's registry: its whole process group,
 * which the runner waits for before its recap). Output lines stream into the task log.
 */
export function createShell(opts: {
  cwd: string;
  signal: AbortSignal;
  log: TaskLogger;
  os?: Os;
  /** The project's tool directory: searched first, before PATH (then Foundation's cache: tool-path.ts). */
  toolDir?: string;
  /** How processes start: the CLI's child registry (lib/adapters/children.ts); default Node's spawn. */
  spawn?: typeof nodeSpawn;
}): Shell {
  const spawning = opts.spawn === undefined ? {} : { spawn: opts.spawn };
  // Read at each call: PATH may change after the shell is made (a test server's bin put first).
  const pathEnv = (): Record<string, string> =>
    opts.toolDir === undefined ? {} : { PATH: toolSearchPath(opts.toolDir) };
  const started = async (
    command: string,
    args: readonly string[],
    options: ShellOptions,
  ): Promise<{ result: ShellResult; ending: Ending }> => {
    const timeout = options.timeoutMs === undefined ? null : AbortSignal.timeout(options.timeoutMs);
    const signal = timeout === null ? opts.signal : AbortSignal.any([opts.signal, timeout]);
    const proc = $({
      cwd: options.cwd ?? opts.cwd,
      signal,
      nothrow: true,
      quiet: true,
      verbose: false,
      ...spawning,
      ...(options.input === undefined ? {} : { input: options.input }),
      env: { ...process.env, ...pathEnv(), ...options.env },
    })`${command} ${args}`;
    opts.log.debug(`$ ${[command, ...args].join(' ')}`);
    const live = options.stream !== false;
    const data = !live && options.data === true;
    const out = lineWriter((l) => {
      if (live) opts.log.info(l);
      else if (!data) opts.log.debug(`${command}> ${l}`);
    });
    const err = lineWriter((l) => {
      if (live) opts.log.warn(l);
      else opts.log.debug(`${command}! ${l}`);
    });
    proc.stdout.on('data', (c: Buffer) => {
      out.push(c);
    });
    proc.stderr.on('data', (c: Buffer) => {
      err.push(c);
    });
    const result = await proc;
    out.flush();
    err.flush();
    if (data)
      opts.log.debug(`${command}> (${String(result.stdout.length)} characters of output, read as data)`);
    if (result.exitCode !== 0) opts.log.debug(`${command}: exit ${String(result.exitCode ?? result.signal)}`);
    const ending: Ending = opts.signal.aborted ? 'cancelled' : timeout?.aborted ? 'timeout' : 'exited';
    return { result: { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr }, ending };
  };

  return {
    async run(command, args, options = {}) {
      return (await started(command, args, options)).result;
    },
    async exec(command, args, options = {}) {
      const { result, ending } = await started(command, args, options);
      const error = classifyCommand(command, args, result, ending, {
        install: installFix(command, args, opts.os ?? 'other'),
        fix: options.fix,
      });
      if (error !== null) throw error;
      return result;
    },
    async which(command) {
      const found = await $({
        nothrow: true,
        quiet: true,
        cwd: opts.cwd,
        ...spawning,
        env: { ...process.env, ...pathEnv() },
      })`command -v ${command}`;
      const path = found.stdout.trim();
      return found.exitCode === 0 && path !== '' ? path : null;
    },
  };
}
