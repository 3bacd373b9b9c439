// A nested Node process for tests that run node:test inside a test (the template's contracts, the test
// runner itself): stdout and stderr together, killed after `timeoutMs` with what it printed so far.
import { spawn } from 'node:child_process';

export interface NestedRun {
  readonly code: number | null;
  readonly out: string;
}

/** The environment minus NODE_TEST_CONTEXT (with it a nested run reports to its parent, not to us). */
export const nestedEnv = (
  extra: NodeJS.ProcessEnv = {},
  drop: readonly string[] = [],
): NodeJS.ProcessEnv => ({
  ...Object.fromEntries(
    Object.entries(process.env).filter(([k]) => k !== 'NODE_TEST_CONTEXT' && !drop.includes(k)),
  ),
  ...extra,
});

export function runNested(
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<NestedRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...args], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.timeoutMs,
      killSignal: 'SIGKILL',
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('close', (code, signal) => {
      resolve({
        code,
        out: signal === null ? out : `${out}\n[killed with ${signal} after ${options.timeoutMs} ms]`,
      });
    });
  });
}
