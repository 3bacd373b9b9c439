import type { ErrorInfo } from '../errors.js';
import type { Outcome, TaskResult } from '../model/outcome.js';
import type { Target } from '../model/task.js';
import type { ChildrenStopped } from '../ports/children.js';

/** Version of the JSON-lines event stream (`--json`, events.jsonl). Bumped on any incompatible change. */
export const EVENT_SCHEMA_VERSION = 1;

export type RunMode = 'run' | 'plan';
export type Phase = 'check' | 'apply' | 'recheck';

/** What the executor reports, in order. A discriminated union on `type`; renderers and the store consume it. */
export type RunEventBody =
  | {
      readonly type: 'run:start';
      readonly mode: RunMode;
      readonly target: Target;
      readonly tasks: readonly {
        readonly id: string;
        readonly title: string;
        readonly deps: readonly string[];
      }[];
      readonly gates: readonly string[];
      readonly concurrency: number;
    }
  | { readonly type: 'task:waiting'; readonly id: string; readonly on: readonly string[] }
  | { readonly type: 'task:phase'; readonly id: string; readonly phase: Phase; readonly attempt: number }
  | {
      readonly type: 'task:output';
      readonly id: string;
      readonly level: 'debug' | 'info' | 'warn';
      readonly line: string;
    }
  | { readonly type: 'task:retry'; readonly id: string; readonly attempt: number; readonly error: ErrorInfo }
  | ({ readonly type: 'task:end' } & TaskResult)
  | {
      readonly type: 'run:end';
      readonly durationMs: number;
      readonly exitCode: number;
      readonly counts: Readonly<Partial<Record<Outcome, number>>>;
      /** A cancelled run: the child processes it waited for, and those it had to kill. */
      readonly stopped?: ChildrenStopped;
    };

/** An event as written: the body plus the envelope (schema version, run id, timestamp). */
export type RunEvent = RunEventBody & { readonly v: number; readonly runId: string; readonly ts: string };

export type EventSink = (event: RunEvent) => void;
