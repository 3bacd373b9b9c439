// A logger that records what the outage logs of the kit's parts say (their warn and info lines), for
// tests of those logs as plain data.
import type { Logger } from 'pino';

export interface RecordedLine {
  readonly level: string;
  readonly fields: Record<string, unknown>;
  readonly msg: string;
}

export function recordingLogger(): { lines: RecordedLine[]; logger: Logger } {
  const lines: RecordedLine[] = [];
  const at =
    (level: string) =>
    (fields: Record<string, unknown>, msg: string): void => {
      lines.push({ level, fields, msg });
    };
  return { lines, logger: { warn: at('warn'), info: at('info') } as unknown as Logger };
}
