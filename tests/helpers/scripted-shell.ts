// A Shell port whose answers are scripted per command line, for the adapters' parsing tests.
import { classifyCommand } from '../../lib/adapters/command-failure.js';
import type { Shell, ShellResult } from '../../lib/model/context.js';

/**
 * A shell whose answers are scripted per command line (`docker version --format …`): for testing the
 * adapters that parse tools' output. Task tests use the typed fakes instead (fake-ports.ts).
 */
export function scriptedShell(
  answers: Record<string, ShellResult | ((args: readonly string[]) => ShellResult)>,
  onPath: readonly string[] = Object.keys(answers).map((k) => k.split(' ')[0] ?? ''),
): Shell & { calls: string[] } {
  const calls: string[] = [];
  const run = (command: string, args: readonly string[]): Promise<ShellResult> => {
    const line = [command, ...args].join(' ');
    calls.push(line);
    const answer = answers[line] ?? answers[command];
    if (answer === undefined)
      return Promise.resolve({ exitCode: 127, stdout: '', stderr: `${command}: not found` });
    return Promise.resolve(typeof answer === 'function' ? answer(args) : answer);
  };
  return {
    calls,
    run,
    async exec(command, args, options) {
      const result = await run(command, args);
      const error = classifyCommand(command, args, result, 'exited', {
        install: `install ${command}`,
        fix: options?.fix,
      });
      if (error !== null) throw error;
      return result;
    },
    which(command) {
      return Promise.resolve(onPath.includes(command) ? `/usr/bin/${command}` : null);
    },
  };
}

export const ok = (stdout: string): ShellResult => ({ exitCode: 0, stdout, stderr: '' });
