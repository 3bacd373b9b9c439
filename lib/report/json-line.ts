import { EVENT_SCHEMA_VERSION } from './events.js';

/**
 * One line of the CLI's `--json` output. Every command speaks the same envelope — the schema version
 * and a `type` (`list`, `graph`, `ci`, `deploy`, `validate`, `error`, and the run events) — so a script
 * reads any of them the same way: one JSON object per line on stdout, nothing else there.
 */
export function jsonLine(
  type: string,
  body: Readonly<Record<string, unknown>> & { readonly v?: never; readonly type?: never },
): string {
  return `${JSON.stringify({ v: EVENT_SCHEMA_VERSION, type, ...body })}\n`;
}
