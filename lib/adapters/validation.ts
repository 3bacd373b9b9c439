import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FoundationError } from '../errors.js';
import type { Shell } from '../ports/shell.js';
import type { HttpProbe, SecretScan } from '../ports/validation.js';

/** gitleaks over the repository's whole history (findings redacted; only counts and files are kept). */
export function createSecretScan(sh: Shell): SecretScan {
  return {
    async scan(dir) {
      if ((await sh.which('gitleaks')) === null) return null;
      const out = await mkdtemp(join(tmpdir(), 'foundation-gitleaks-'));
      const report = join(out, 'report.json');
      try {
        const args = ['git', '--no-banner', '--redact', '--log-level', 'error', '--exit-code', '0'];
        const r = await sh.run(
          'gitleaks',
          [...args, '--report-format', 'json', '--report-path', report, dir],
          {
            stream: false,
          },
        );
        if (r.exitCode !== 0)
          throw new FoundationError(
            'E_COMMAND_FAILED',
            `gitleaks could not scan ${dir} (exit ${String(r.exitCode)}): ${r.stderr.split('\n')[0] ?? ''}`,
            `run it by hand: gitleaks git ${dir}`,
          );
        const found = JSON.parse(await readFile(report, 'utf8')) as { File?: string }[];
        return { findings: found.length, files: [...new Set(found.map((f) => f.File ?? '?'))] };
      } finally {
        await rm(out, { recursive: true, force: true });
      }
    },
  };
}

/** HTTP GET through fetch, with a time limit. */
export function createHttpProbe(): HttpProbe {
  return {
    async get(url, timeoutMs) {
      const started = performance.now();
      const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
      const body = await res.text();
      return { status: res.status, ms: performance.now() - started, body };
    },
  };
}
