/** The Docker client and engine versions; `server` is null when no daemon answers. */
export interface DockerVersion {
  readonly client: string | null;
  readonly server: string | null;
}

/** The Docker engine (the `docker` CLI). Errors are coded FoundationErrors with their fix. */
export interface Docker {
  version(): Promise<DockerVersion>;
  imageExists(tag: string): Promise<boolean>;
  /** The image's ID (`sha256:…`), or null when there is no such image. */
  imageId(tag: string): Promise<string | null>;
  /** `docker tag <source> <target>`. */
  tag(source: string, target: string): Promise<void>;
  /** Memory in use (MiB) by each running container of a Compose project, by container name. */
  memory(project: string): Promise<Record<string, number>>;
  /** `docker build -t <tag> <contextDir>`, with BuildKit unless told; output streams to the task log. */
  build(tag: string, contextDir: string, options?: ImageBuildOptions): Promise<void>;
  /** The ports a container publishes on the host, or null when there is no such container. */
  publishedPorts(container: string): Promise<PublishedPort[] | null>;
}

/** One published port: `19092/tcp` on `0.0.0.0:19092`. */
export interface PublishedPort {
  readonly containerPort: string;
  readonly hostIp: string;
  readonly hostPort: string;
}

/** What a service image build is given besides its context (lib/deploy/build-options.ts). */
export interface ImageBuildOptions {
  /** `--build-arg NAME=value`. */
  readonly buildArgs?: Readonly<Record<string, string>>;
  /** BuildKit secrets, `--secret id=<id>,src=<path>`: mounted for one step, in no layer. */
  readonly secrets?: Readonly<Record<string, string>>;
  /**
   * The legacy builder (DOCKER_BUILDKIT=0) instead, never with secrets: this Dockerfile text as `-f -`, and
   * build arguments passed by name with their values in docker's environment (none on the command line).
   */
  readonly legacy?: {
    readonly dockerfile: string;
    readonly envArgs: Readonly<Record<string, string>>;
  };
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
  /** `mounts`: host folder → path in the server nodes (k3d's --volume; the config file cannot hold an absolute path). */
  create(options: {
    name: string;
    configFile: string;
    agents: number;
    mounts?: readonly { readonly host: string; readonly node: string }[];
  }): Promise<void>;
  start(name: string): Promise<void>;
  stop(name: string): Promise<void>;
  delete(name: string): Promise<void>;
  /** Copy a locally built image into the cluster's nodes (no registry needed). */
  importImage(tag: string, cluster: string): Promise<void>;
}

/** A Compose project as Foundation runs it. */
export interface ComposeProject {
  /** The Compose file (absolute path); its folder is the project directory. */
  readonly file: string;
  /** Files of interpolation variables (`--env-file`), in order. */
  readonly envFiles?: readonly string[];
  /** Interpolation variables that win over the env files: rendered settings, secrets from .env. */
  readonly env?: Readonly<Record<string, string>>;
  readonly profiles?: readonly string[];
}

/** One container of a Compose project, as `docker compose ps --all --format json` reports it. */
export interface ComposeService {
  readonly service: string;
  /** running | exited | restarting | created | … */
  readonly state: string;
  /** healthy | unhealthy | starting | '' (no healthcheck) */
  readonly health: string;
  /** The service definition's hash Compose stamped on the container (com.docker.compose.config-hash). */
  readonly configHash?: string;
  /** The rendered configuration's hash the container was made with (label foundation.config). */
  readonly foundationConfig?: string;
}

/** A TCP port on the host a Compose service publishes, as Compose resolves it. */
export interface ServicePort {
  readonly service: string;
  /** The address it is published on (`0.0.0.0`: every address). */
  readonly host: string;
  readonly port: number;
}

/** Docker Compose v2 (`docker compose`). Errors are coded FoundationErrors with their fix. */
export interface Compose {
  /** `docker compose version --short`, or null when the plugin is missing. */
  version(): Promise<string | null>;
  ps(project: ComposeProject): Promise<ComposeService[]>;
  /** The services the file defines for its active profiles. */
  services(project: ComposeProject): Promise<string[]>;
  /**
   * The TCP ports the services of the active profiles publish on the host, as Compose itself resolves the
   * file (`config`): variables interpolated, included and override files merged, a range of container
   * ports written out port by port. A port Docker picks itself (none given, or a range for one container
   * port) is not listed.
   */
  published(project: ComposeProject): Promise<ServicePort[]>;
  /** The image a service runs, as Compose names it: its `image:`, or `<project>-<service>` for a build. */
  image(project: ComposeProject, service: string): Promise<string | null>;
  /** Each service definition's hash as Compose computes it (`config --hash`), by service. */
  hashes(project: ComposeProject): Promise<Record<string, string>>;
  /**
   * `up -d --wait`: returns when every service is running and healthy, or fails after `timeoutS`. With
   * `services`, only those (`--no-deps`: what they depend on is left as it is).
   */
  up(
    project: ComposeProject,
    options?: { timeoutS?: number; build?: boolean; services?: readonly string[] },
  ): Promise<void>;
  /** The host address a service's container port is published on (`127.0.0.1:3001`), or null. */
  port(project: ComposeProject, service: string, containerPort: number): Promise<string | null>;
  restart(project: ComposeProject, services: readonly string[]): Promise<void>;
  /** Stops and removes every service of the project, whatever its profile; keeps named volumes unless `volumes`. */
  down(project: ComposeProject, options?: { volumes?: boolean }): Promise<void>;
  /** The last `lines` log lines of a service (stdout and stderr). */
  logs(project: ComposeProject, service: string, lines: number): Promise<string>;
}
