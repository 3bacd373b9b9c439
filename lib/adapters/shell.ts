import { $ } from 'zx';
import type { Shell, ShellOptions, ShellResult, TaskLogger } from '../model/context.js';

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

/**
 * The shell adapter (zx 8): every external command goes through here. The task's AbortSignal is passed
 * on, so Ctrl+C or a time-out kills the child process tree. Output lines stream into the task log.
 */
export function createShell(opts: { cwd: string; signal: AbortSignal; log: TaskLogger }): Shell {
  return {
    async run(command: string, args: readonly string[], options: ShellOptions = {}): Promise<ShellResult> {
      const proc = $({
        cwd: options.cwd ?? opts.cwd,
        signal: opts.signal,
        nothrow: true,
        quiet: true,
        verbose: false,
        ...(options.input === undefined ? {} : { input: options.input }),
        env: { ...process.env, ...options.env },
      })`${command} ${args}`;
      opts.log.debug(`$ ${[command, ...args].join(' ')}`);
      {
        const live = options.stream !== false;
        const out = lineWriter((l) => {
          if (live) opts.log.info(l);
          else opts.log.debug(`${command}> ${l}`);
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
        if (result.exitCode !== 0)
          opts.log.debug(`${command}: exit ${String(result.exitCode ?? result.signal)}`);
        return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
      }
    },

    async which(command: string): Promise<string | null> {
      const found = await $({ nothrow: true, quiet: true, cwd: opts.cwd })`command -v ${command}`;
      const path = found.stdout.trim();
      return found.exitCode === 0 && path !== '' ? path : null;
    },
  };
}
