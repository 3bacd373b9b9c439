import type { Config } from '../config/schema.js';
import type {
  Automation,
  CiTools,
  Clock,
  Compose,
  Docker,
  Files,
  Generator,
  Git,
  Helm,
  K3d,
  KafkaApi,
  Kube,
  Listeners,
  Npm,
  Platform,
  Secrets,
  TaskLogger,
  Tools,
} from '../ports/index.js';
import type { Validation } from '../validate/context.js';
import type { Target } from './task.js';

export type * from '../ports/index.js';

/**
 * Everything a task may touch: typed adapters, no command lines. Tasks have no other way to reach the
 * world; tests hand them fakes of the same ports.
 */
export interface TaskContext {
  readonly config: Config;
  readonly target: Target;
  /** Aborted on Ctrl+C or when the task's time limit passes; pass it on to anything long-running. */
  readonly signal: AbortSignal;
  /** Time for waiting and polling (lib/wait): the real clock, or a fake one in tests. */
  readonly clock: Clock;
  readonly log: TaskLogger;
  readonly files: Files;
  /** Host ports a cluster or the Compose stack is about to publish: is another program on one? */
  readonly listeners: Listeners;
  readonly platform: Platform;
  readonly secrets: Secrets;
  readonly generator: Generator;
  readonly kafka: KafkaApi;
  readonly kube: Kube;
  readonly helm: Helm;
  readonly docker: Docker;
  readonly k3d: K3d;
  readonly compose: Compose;
  readonly tools: Tools;
  readonly git: Git;
  readonly npm: Npm;
  /** The CI pipeline's linters and scanners (task 0-8). */
  readonly ci: CiTools;
  /** Task 0-11's completion scripts and the user's installed copies. */
  readonly automation: Automation;
  /** Task 0-13's probes and stores (the report, the run store, the other tasks' checks). */
  readonly validation: Validation;
}
