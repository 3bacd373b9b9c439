import type { KitSpec } from '../generator/kit.js';
import type { Config } from '../config/schema.js';
import type { ChildProcesses } from '../ports/children.js';
import type { TaskContext, TaskLogger } from '../model/context.js';
import type { Task, TaskInfo } from '../model/task.js';
import type { Redactor } from '../redact.js';
import type { EventSink } from '../report/events.js';
import type { TemplateFile } from '../generator/render.js';
import type { TargetFacts } from '../generator/target.js';
import type { RunObserver } from '../report/observe.js';
import type { RunSummary } from '../report/summary.js';
import type { Styler } from '../ui/style.js';

export type OutputMode = 'tty' | 'plain' | 'json';

/**
 * What every command gets before any task module or adapter is loaded: the configuration and the streams.
 * Enough for `list` and `graph`, which show the tasks' metadata (tasks/manifest.ts) only.
 */
export interface AppView {
  readonly tasks: readonly TaskInfo[];
  readonly config: Config;
  readonly redactor: Redactor;
  readonly workspace: string;
  /** Where paths the user types are read from: -C's folder, else the current one (lib/commands/user-path.ts). */
  readonly cwd: string;
  /** The folder the command was started in (the user's shell's), for paths shown to be typed there. */
  readonly shell: string;
  readonly output: OutputMode;
  /** Colours: on only for a terminal without NO_COLOR (lib/ui/style.ts); PLAIN otherwise. */
  readonly style: Styler;
  /** Run cancellation (Ctrl+C / SIGTERM). */
  readonly signal: AbortSignal;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** What the composition root (scripts/cli-main.ts) hands every other command: data plus the adapters to use. */
export interface App extends AppView {
  readonly tasks: readonly Task[];
  /** Every child process started for this invocation; a cancelled run settles them before its recap. */
  readonly children: ChildProcesses;
  /** The world a task sees; `log` carries its output into the run's events. */
  readonly makeContext: (signal: AbortSignal, log: TaskLogger) => TaskContext;
  /** Where a run is recorded (.foundation/runs/<id>/). */
  readonly openRunStore: () => RunRecorder;
  /** The live view for a TTY (listr2), loaded only when used. */
  readonly liveView: () => Promise<{ sink: EventSink; done(): Promise<void> }>;
  readonly lastSummary: () => RunSummary | null;
  /** Spans, task-duration metrics and the JSON runner log for one run (written into its directory). */
  readonly observe: (runDir: string) => Promise<RunObserver>;
  /** The service template and where generated services are written. */
  readonly generator: {
    template(): { version: string; files: readonly TemplateFile[]; kit: KitSpec };
    /** What is at and above a would-be service folder (read only). */
    inspect(dir: string): TargetFacts;
    /** Write a new service folder all at once (nothing is left behind if it fails). */
    writeNew(dir: string, files: readonly TemplateFile[]): void;
  };
}

export interface RunRecorder {
  readonly runId: string;
  readonly relativeDir: string;
  readonly sink: EventSink;
  /** The run's directory (absolute). */
  readonly dir: string;
  writeSummary(summary: RunSummary): void;
  /** Another file in the run's directory (metrics.prom). */
  writeFile(name: string, content: string): void;
  /** Why the record is incomplete (its writes never fail the run): none when it is whole. */
  readonly lost: readonly string[];
}
