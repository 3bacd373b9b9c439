import type { Config } from '../config/schema.js';
import type { TemplateFile } from '../generator/render.js';
import type { DeployedRelease } from '../helm/drift.js';
import type { TopicAdmin } from '../kafka/reconcile.js';
import type { Target } from './task.js';

export interface ShellOptions {
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly input?: string;
  /** Show each output line live (default true); otherwise it goes to the task log only. */
  readonly stream?: boolean;
}

export interface ShellResult {
  /** Process exit code; null when it was killed by a signal. 127 when the command was not found. */
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The shell: external commands (docker, kubectl, helm, k3d, git…). Never throws for a non-zero exit. */
export interface Shell {
  run(command: string, args: readonly string[], options?: ShellOptions): Promise<ShellResult>;
  /** Absolute path of a command on PATH, or null. */
  which(command: string): Promise<string | null>;
}

/** Files in the workspace (paths are relative to it unless absolute). */
export interface Files {
  read(path: string): Promise<string | null>;
  /** Atomic write (temp file + rename); mode e.g. 0o600 for secrets. */
  write(path: string, content: string, options?: { mode?: number }): Promise<void>;
  exists(path: string): Promise<boolean>;
}

export interface Platform {
  readonly os: 'darwin' | 'linux' | 'other';
  readonly arch: string;
  /** The workspace directory: where .env, .foundation/ and the git repository are. */
  readonly workspace: string;
  /** The directory Foundation itself is installed in (its package root). */
  readonly packageRoot: string;
  /** Version of the Node.js running Foundation, e.g. "24.21.0". */
  readonly nodeVersion: string;
}

export interface Secrets {
  /** A new strong secret (URL-safe, >= 256 bits); registered with the redactor before it is returned. */
  generate(): string;
}

/** The service template (service-template/ + lib/telemetry/) and writing rendered files. */
export interface Generator {
  template(): { version: string; serviceOwned: readonly string[]; files: readonly TemplateFile[] };
  writeTree(dir: string, files: readonly TemplateFile[]): Promise<void>;
}

/** The Kafka API (Redpanda, Kafka): topic administration. Close what you connect. */
export interface KafkaApi {
  connect(brokers: readonly string[]): Promise<TopicAdmin & { close(): Promise<void> }>;
}

/** A Kubernetes object: apiVersion, kind, metadata, and the rest. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

/** The Kubernetes API (server-side apply). Errors are coded FoundationErrors (E_KUBE_*) with their fix. */
export interface Kube {
  version(): Promise<string | undefined>;
  nodes(): Promise<{ name: string; ready: boolean }[]>;
  read(object: KubeObject): Promise<KubeObject | null>;
  /** Server-side apply; with dryRun the server computes the result without storing it. */
  apply(object: KubeObject, options?: { dryRun?: boolean }): Promise<KubeObject>;
  /** Objects of one kind in a namespace, optionally by label selector (`app.kubernetes.io/instance=x`). */
  list(apiVersion: string, kind: string, namespace: string, labelSelector?: string): Promise<KubeObject[]>;
}

/** Helm (3.14+ or 4) through the shell. Errors are coded FoundationErrors with their fix. */
export interface Helm {
  /** The deployed release (`helm get metadata`), or null when there is none. */
  release(name: string, namespace: string): Promise<DeployedRelease | null>;
  /** The values the release was installed with (as given, before chart defaults). */
  values(name: string, namespace: string): Promise<unknown>;
  /** Chart repositories helm knows (`helm repo add`): alias → URL. */
  repos(): Promise<Record<string, string>>;
  /** `helm upgrade --install … --wait --timeout`; output streams to the task log. */
  upgradeInstall(options: {
    release: string;
    namespace: string;
    chart: string;
    /** Flags that say where the chart comes from (`--repo <url>`), if any. */
    sourceArgs: readonly string[];
    version: string;
    valuesFile: string;
    timeout: string;
  }): Promise<void>;
}

export interface TaskLogger {
  /** A line for the task's log and live output. Secrets are masked downstream. */
  info(line: string): void;
  warn(line: string): void;
  /** A line for the task's log and events only (commands run, their quiet output). */
  debug(line: string): void;
}

/** Everything a task may touch. Tasks have no other way to reach the world. */
export interface TaskContext {
  readonly config: Config;
  readonly target: Target;
  /** Aborted on Ctrl+C or when the task's time limit passes; pass it on to anything long-running. */
  readonly signal: AbortSignal;
  readonly log: TaskLogger;
  readonly sh: Shell;
  readonly files: Files;
  readonly platform: Platform;
  readonly secrets: Secrets;
  readonly generator: Generator;
  readonly kafka: KafkaApi;
  readonly kube: Kube;
  readonly helm: Helm;
}
