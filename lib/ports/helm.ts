/** What helm says about a deployed release (`helm get metadata -o json`). */
export interface DeployedRelease {
  readonly chart: string;
  readonly version: string;
  readonly appVersion: string;
  /** deployed | failed | pending-install | pending-upgrade | pending-rollback | superseded | … */
  readonly status: string;
  readonly revision: number;
}

export interface HelmInstall {
  readonly release: string;
  readonly namespace: string;
  readonly chart: string;
  /** Flags that say where the chart comes from (`--repo <url>`), if any. */
  readonly sourceArgs: readonly string[];
  readonly version: string;
  readonly valuesFile: string;
  readonly timeout: string;
}

/** Helm (3.14+ or 4). Errors are coded FoundationErrors with their fix. */
export interface Helm {
  /** The deployed release (`helm get metadata`), or null when there is none. */
  release(name: string, namespace: string): Promise<DeployedRelease | null>;
  /** The values the release was installed with (as given, before chart defaults). */
  values(name: string, namespace: string): Promise<unknown>;
  /** Chart repositories helm knows (`helm repo add`): alias → URL. */
  repos(): Promise<Record<string, string>>;
  /** `helm upgrade --install … --wait --timeout`; output streams to the task log. */
  upgradeInstall(options: HelmInstall): Promise<void>;
}
