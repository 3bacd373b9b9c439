import { spawn as nodeSpawn } from 'node:child_process';
import type { ScriptRunner } from '../ports/ci.js';
import type { Redactor } from '../redact.js';

/**
 * bash -eo pipefail, as GitHub's runners run `run:` steps, with CI=true; its output line by line through
 * the redactor to `out` (stderr when stdout carries JSON). `spawn`: the CLI's child registry.
 */
export function createScriptRunner(
  redactor: Redactor,
  out: (text: string) => void,
  spawn: typeof nodeSpawn = nodeSpawn,
): ScriptRunner {
  return {
    run(script, o) {
      const started = performance.now();
      return new Promise((resolve, reject) => {
        const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
          cwd: o.cwd,
          env: { ...process.env, CI: 'true', ...o.env },
          stdio: ['ignore', 'pipe', 'pipe'],
          signal: o.signal,
        });
        const lines = (prefix: string) => {
          let rest = '';
          return {
            data: (chunk: Buffer) => {
              const parts = (rest + chunk.toString()).split('\n');
              rest = parts.pop() ?? '';
              for (const line of parts) out(`${prefix}${redactor.redact(line)}\n`);
            },
            end: () => {
              if (rest !== '') out(`${prefix}${redactor.redact(rest)}\n`);
            },
          };
        };
        const stdout = lines('  │ ');
        const stderr = lines('  │ ');
        child.stdout.on('data', stdout.data);
        child.stderr.on('data', stderr.data);
        child.on('error', reject);
        child.on('close', (code) => {
          stdout.end();
          stderr.end();
          resolve({ exitCode: code, ms: performance.now() - started });
        });
      });
    },
  };
}
