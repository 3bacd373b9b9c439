import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FoundationError } from '../errors.js';
import { splitCredentials } from '../endpoints/credentials.js';
import type { Shell } from '../ports/shell.js';
import type { HttpProbe, HttpWatch, SecretScan } from '../ports/validation.js';

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

/** HTTP through fetch, every request with a time limit. */
export function createHttpProbe(): HttpProbe {
  const send = async (
    given: string,
    headers: Readonly<Record<string, string>>,
    timeoutMs: number,
    body?: string,
  ) => {
    const started = performance.now();
    // A URL setting with credentials (basic auth in front of Prometheus): as a header; the caller's wins.
    const { url, authorization } = splitCredentials(given);
    const res = await fetch(url, {
      ...(body === undefined ? {} : { method: 'POST', body }),
      headers: authorization === undefined ? headers : { authorization, ...headers },
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    return { status: res.status, ms: performance.now() - started, body: text };
  };
  return {
    get: (url, timeoutMs, headers = {}) => send(url, headers, timeoutMs),
    post: (url, json, timeoutMs, headers = {}) =>
      send(url, { ...headers, 'content-type': 'application/json' }, timeoutMs, JSON.stringify(json)),
    watch: (url, timeoutMs) => watch(url, timeoutMs),
  };
}

/** A streaming GET read in the background; `seen` waits for a piece of text to arrive. */
async function watch(url: string, timeoutMs: number): Promise<HttpWatch> {
  const opened = performance.now();
  const controller = new AbortController();
  const timer = setTimeout(() => {
    controller.abort(new Error(`no answer in ${timeoutMs / 1000} s`));
  }, timeoutMs);
  const { url: bare, authorization } = splitCredentials(url);
  const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
  const res = await fetch(bare, { headers, signal: controller.signal }).finally(() => {
    clearTimeout(timer);
  });
  if (res.status !== 200 || res.body === null) {
    controller.abort();
    throw new Error(`${url} answered HTTP ${res.status}`);
  }
  let text = '';
  const waiting = new Set<() => void>();
  const decoder = new TextDecoder();
  void (async () => {
    try {
      for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
        text += decoder.decode(chunk, { stream: true });
        for (const wake of waiting) wake();
      }
    } catch {
      // closed by close() or by the server: waiters time out
    }
  })();
  return {
    seen: (piece, ms) =>
      new Promise((resolve) => {
        const done = (at: number | null) => {
          clearTimeout(t);
          waiting.delete(check);
          resolve(at);
        };
        const check = () => {
          if (text.includes(piece)) done(performance.now() - opened);
        };
        const t = setTimeout(() => {
          done(null);
        }, ms);
        waiting.add(check);
        check();
      }),
    close: () => {
      controller.abort();
    },
  };
}
