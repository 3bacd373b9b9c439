import { parseDuration } from '../config/duration.js';
import { endpointSettings, platformEndpoints } from '../endpoints/list.js';
import { formatStatus, probeEndpoints, statusExitCode } from '../endpoints/status.js';
import type { TaskLogger } from '../model/context.js';
import type { ExitCode } from '../report/exit-codes.js';
import { jsonLine } from '../report/json-line.js';
import type { App } from './app.js';

const quiet: TaskLogger = { info: () => undefined, warn: () => undefined, debug: () => undefined };

/** The probe timeout when --timeout is not given. */
export const STATUS_TIMEOUT_MS = 2_000;

/** `--timeout` in ms, 100 ms to 60 s: `500ms`, `5s`, or a bare number of milliseconds (as it always was). Pure. */
export function parseStatusTimeout(text: string | undefined): number {
  if (text === undefined) return STATUS_TIMEOUT_MS;
  return parseDuration('--timeout', text, { bare: 'ms', minMs: 100, maxMs: 60_000, example: '2s' });
}

/**
 * `foundation status`: every UI of the platform on the configured target, probed at once with a short
 * timeout: its address, up / down / slow, and how to log in (never a password). Exit 0 when every UI
 * with an address answers, 3 when one is down or slow; `--json` prints one `status` line.
 */
export async function statusCommand(app: App, o: { timeout?: string }): Promise<ExitCode> {
  const timeoutMs = parseStatusTimeout(o.timeout);
  const ctx = app.makeContext(app.signal, quiet);
  const endpoints = platformEndpoints(app.config.target, endpointSettings(app.config));
  // Masked before the table is laid out: a URL's credentials as *** (the columns fit what is shown).
  const rows = (await probeEndpoints(ctx.validation.reach, endpoints, timeoutMs)).map((r) => ({
    ...r,
    url: r.url === null ? null : app.redactor.redact(r.url),
  }));
  const code = statusExitCode(rows);
  app.stdout(
    app.output === 'json'
      ? jsonLine('status', { target: app.config.target, timeoutMs, exitCode: code, endpoints: rows })
      : formatStatus(rows, { target: app.config.target, timeoutMs, styler: app.style }),
  );
  return code;
}
