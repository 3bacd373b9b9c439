/** The Docker client and engine versions; `server` is null when no daemon answers. */
export interface DockerVersion {
  readonly client: string | null;
  readonly server: string | null;
}

/** The Docker engine (the `docker` CLI). Errors are coded FoundationErrors with their fix. */
export interface Docker {
  version(): Promise<DockerVersion>;
  imageExists(tag: string): Promise<boolean>;
  /** `docker build -t <tag> <contextDir>`; output streams to the task log. */
  build(
    tag: string,
    contextDir: string,
    options?: { buildArgs?: Readonly<Record<string, string>> },
  ): Promise<void>;
}

/** A k3d cluster as `k3d cluster list -o json` describes it. */
export interface K3dCluster {
  readonly name: string;
  readonly servers: number;
  readonly serversRunning: number;
}

/** k3d: clusters from k8s/k3d-config.yaml and images into them. */
export interface K3d {
  clusters(): Promise<K3dCluster[]>;
  create(options: { name: string; configFile: string; agents: number }): Promise<void>;
  start(name: string): Promise<void>;
  delete(name: string): Promise<void>;
  /** Copy a locally built image into the cluster's nodes (no registry needed). */
  importImage(tag: string, cluster: string): Promise<void>;
}

/** One service of a Compose project, as `docker compose ps --format json` reports it. */
export interface ComposeService {
  readonly service: string;
  /** running | exited | restarting | created | … */
  readonly state: string;
  /** healthy | unhealthy | starting | '' (no healthcheck) */
  readonly health: string;
}

/** Docker Compose v2 (`docker compose`), for a project file. */
export interface Compose {
  ps(file: string): Promise<ComposeService[]>;
  /** `up -d --wait`: returns when every service is running and healthy. */
  up(file: string, options?: { profiles?: readonly string[] }): Promise<void>;
  down(file: string, options?: { volumes?: boolean }): Promise<void>;
}
