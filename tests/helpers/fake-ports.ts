// Typed fakes of the ports tasks use (lib/ports): in-memory state, and a record of what was asked.
import { RELEASES } from '../../lib/prereqs/pins.js';
import type {
  CiTools,
  Compose,
  ComposeProject,
  ComposeService,
  Docker,
  Git,
  HookState,
  K3d,
  K3dCluster,
  Npm,
  PublishedPort,
  ServicePort,
  ToolProbe,
  ReleaseDownload,
  ToolInstall,
  Tools,
  WorkTree,
} from '../../lib/ports/index.js';

export const ALL_TOOLS: ToolProbe[] = [
  { name: 'docker', found: true, version: '28.2.2', daemon: '28.2.2', memoryBytes: 16 * 1024 ** 3 },
  { name: 'docker compose', found: true, version: '2.40.3' },
  { name: 'kubectl', found: true, version: '1.35.0' },
  { name: 'helm', found: true, version: '3.17.1' },
  { name: 'k3d', found: true, version: '5.9.0' },
  { name: 'go-task', found: true, version: '3.53.1' },
  { name: 'gitleaks', found: true, version: '8.30.1' },
  { name: 'node', found: true, version: '24.21.0' },
  { name: 'git', found: true, version: '2.39.5' },
];

/** Tools: the probes the test gives; an install makes that tool found at the pinned version. */
export function fakeTools(
  probes: ToolProbe[] = ALL_TOOLS,
): Tools & { probes: ToolProbe[]; installed: ReleaseDownload[] } {
  const tools = {
    probes,
    installed: [] as ReleaseDownload[],
    binDir: '/ws/.foundation/tools/bin',
    releases: RELEASES,
    probe: () => Promise.resolve(tools.probes),
    install(d: ReleaseDownload) {
      tools.installed.push(d);
      tools.probes = tools.probes.map((p) =>
        p.name === d.name ? { name: p.name, found: true, version: d.version } : p,
      );
      return Promise.resolve({ path: `${tools.binDir}/${d.command}`, bytes: 1_000_000, ms: 5 });
    },
  };
  return tools;
}

export function fakeGit(
  state: {
    ignored?: boolean | null;
    tracked?: readonly string[];
    hooks?: HookState;
    workTree?: WorkTree | null;
  } = {},
): Git & {
  ignored: boolean | null;
  state: HookState;
  installs: number;
} {
  const git = {
    ignored: state.ignored === undefined ? true : state.ignored,
    state: state.hooks ?? 'installed',
    installs: 0,
    isIgnored: () => Promise.resolve(git.ignored),
    isTracked: (path: string) => Promise.resolve((state.tracked ?? []).includes(path)),
    uncommitted: () =>
      Promise.resolve(
        state.workTree === undefined ? { head: 'abc1234', paths: [], untracked: [] } : state.workTree,
      ),
    hooks: () => Promise.resolve(git.state),
    installHooks() {
      git.installs++;
      git.state = 'installed';
      return Promise.resolve();
    },
  };
  return git;
}

/**
 * npm for one package: `inputs` stands for its files, install and Node (change it to change them); a
 * passing `test` keeps nothing by itself: the task records the pass it saw. `npm ci` starts node_modules
 * afresh, so it forgets the kept pass as the real one does.
 */
export function fakeNpm(state: { installed?: boolean; passes?: boolean } = {}): Npm & {
  calls: string[];
  isInstalled: boolean;
  passes: boolean;
  inputs: string;
  kept: string | null;
} {
  const npm = {
    calls: [] as string[],
    isInstalled: state.installed ?? true,
    passes: state.passes ?? true,
    inputs: 'inputs-1',
    kept: null as string | null,
    installed: () => Promise.resolve(npm.isInstalled),
    ci(dir: string) {
      npm.calls.push(`ci ${dir}`);
      npm.isInstalled = true;
      npm.kept = null;
      return Promise.resolve();
    },
    test(dir: string) {
      npm.calls.push(`test ${dir}`);
      return Promise.resolve(npm.passes);
    },
    testInputs: () => Promise.resolve(npm.inputs),
    lastPass: () => Promise.resolve(npm.kept),
    recordPass(dir: string, inputs: string) {
      npm.calls.push(`recordPass ${dir}`);
      npm.kept = inputs;
      return Promise.resolve();
    },
  };
  return npm;
}

/** Docker: images by tag; each build makes a new image ID (`sha256:<n>`) unless the test says which. */
export function fakeDocker(
  state: {
    server?: string | null | undefined;
    images?: string[];
    buildId?: string;
    published?: Record<string, PublishedPort[]>;
  } = {},
): Docker & { images: Set<string>; ids: Map<string, string>; builds: string[] } {
  const docker = {
    publishedPorts: (container: string) => Promise.resolve(state.published?.[container] ?? null),
    images: new Set(state.images ?? []),
    ids: new Map<string, string>((state.images ?? []).map((t, i) => [t, `sha256:${'0'.repeat(63)}${i}`])),
    builds: [] as string[],
    version: () =>
      Promise.resolve({ client: '28.2.2', server: state.server === undefined ? '28.2.2' : state.server }),
    imageExists: (tag: string) => Promise.resolve(docker.images.has(tag)),
    memory: () => Promise.resolve({}),
    build(tag: string, dir: string) {
      docker.builds.push(`${tag} ${dir}`);
      docker.images.add(tag);
      docker.ids.set(tag, state.buildId ?? `sha256:${String(docker.builds.length).padEnd(64, 'a')}`);
      return Promise.resolve();
    },
    imageId: (tag: string) => Promise.resolve(docker.images.has(tag) ? (docker.ids.get(tag) ?? null) : null),
    tag(source: string, target: string) {
      docker.images.add(target);
      const id = docker.ids.get(source);
      if (id !== undefined) docker.ids.set(target, id);
      return Promise.resolve();
    },
  };
  return docker;
}

export function fakeK3d(clusters: K3dCluster[] = []): K3d & { list: K3dCluster[]; calls: string[] } {
  const k3d = {
    list: clusters,
    calls: [] as string[],
    clusters: () => Promise.resolve(k3d.list.map((c) => ({ ...c }))),
    create(o: {
      name: string;
      configFile: string;
      agents: number;
      mounts?: readonly { host: string; node: string }[];
    }) {
      const mounts = (o.mounts ?? []).map((m) => ` --volume ${m.host}:${m.node}`).join('');
      k3d.calls.push(`create ${o.name} --config ${o.configFile} --agents ${o.agents}${mounts}`);
      k3d.list.push({ name: o.name, servers: 1, serversRunning: 1 });
      return Promise.resolve();
    },
    start(name: string) {
      k3d.calls.push(`start ${name}`);
      k3d.list = k3d.list.map((c) => (c.name === name ? { ...c, serversRunning: c.servers } : c));
      return Promise.resolve();
    },
    stop(name: string) {
      k3d.calls.push(`stop ${name}`);
      k3d.list = k3d.list.map((c) => (c.name === name ? { ...c, serversRunning: 0 } : c));
      return Promise.resolve();
    },
    delete(name: string) {
      k3d.calls.push(`delete ${name}`);
      k3d.list = k3d.list.filter((c) => c.name !== name);
      return Promise.resolve();
    },
    importImage(tag: string, cluster: string) {
      k3d.calls.push(`import ${tag} ${cluster}`);
      return Promise.resolve();
    },
  };
  return k3d;
}

/**
 * Compose: `up` starts (and makes healthy) the services the test says the file has, each stamped with
 * its definition hash and the configuration hash the project passed (as the real labels are).
 */
export function fakeCompose(
  services: string[],
  options: {
    version?: string | null | undefined;
    /** What `published` answers: a list, or by project (its profiles, its env). */
    published?: readonly ServicePort[] | ((project: ComposeProject) => readonly ServicePort[]);
  } = {},
): Compose & {
  running: ComposeService[];
  ups: ComposeProject[];
  upOptions: { build?: boolean; services?: readonly string[]; timeoutS?: number }[];
  restarts: string[][];
} {
  const definition = (service: string) => `def-${service}`;
  const compose = {
    running: [] as ComposeService[],
    ups: [] as ComposeProject[],
    restarts: [] as string[][],
    version: () => Promise.resolve(options.version === undefined ? '2.40.3' : options.version),
    ps: () => Promise.resolve(compose.running),
    services: () => Promise.resolve(services),
    published: (project: ComposeProject) =>
      Promise.resolve([
        ...(typeof options.published === 'function' ? options.published(project) : (options.published ?? [])),
      ]),
    image: (_project: ComposeProject, service: string) =>
      Promise.resolve(services.includes(service) ? `foundation/${service}:compose` : null),
    hashes: () => Promise.resolve(Object.fromEntries(services.map((s) => [s, definition(s)]))),
    upOptions: [] as { build?: boolean; services?: readonly string[]; timeoutS?: number }[],
    up(
      project: ComposeProject,
      options: { build?: boolean; services?: readonly string[]; timeoutS?: number } = {},
    ) {
      compose.ups.push(project);
      compose.upOptions.push(options);
      compose.running = services.map((service) => {
        const config = project.env?.[`${service.toUpperCase()}_CONFIG`];
        return {
          service,
          state: 'running',
          health: 'healthy',
          configHash: definition(service),
          ...(config !== undefined ? { foundationConfig: config } : {}),
        };
      });
      return Promise.resolve();
    },
    restart(_project: ComposeProject, list: readonly string[]) {
      compose.restarts.push([...list]);
      return Promise.resolve();
    },
    down() {
      compose.running = [];
      return Promise.resolve();
    },
    logs: (_project: ComposeProject, service: string) => Promise.resolve(`last lines of ${service}`),
    port: (_project: ComposeProject, service: string) =>
      Promise.resolve(compose.running.some((s) => s.service === service) ? '127.0.0.1:3001' : null),
  };
  return compose;
}

/** A command's output when it exits 1 (its findings), or its exit code and output. */
export type FakeToolFailure = string | { exitCode: number | null; output: string };

/** The CI tools: which commands are installed, what each linter answers, and what was installed. */
export function fakeCiTools(
  state: {
    installed?: string[];
    failing?: Record<string, FakeToolFailure>;
    workflows?: string[];
  } = {},
): CiTools & { installed: Set<string>; installs: string[]; runs: string[] } {
  const ci = {
    installed: new Set(state.installed ?? []),
    installs: [] as string[],
    runs: [] as string[],
    find: (command: string) => Promise.resolve(ci.installed.has(command) ? `/tools/${command}` : null),
    run(path: string, args: readonly string[]) {
      const command = path.replace(/^\/tools\//, '');
      ci.runs.push([command, ...args].join(' '));
      const fails = state.failing?.[command];
      if (fails === undefined) return Promise.resolve({ exitCode: 0, output: '' });
      return Promise.resolve(typeof fails === 'string' ? { exitCode: 1, output: fails } : fails);
    },
    install(tool: ToolInstall) {
      ci.installs.push(`${tool.name}@${tool.version} (${tool.source.kind})`);
      ci.installed.add(tool.command);
      return Promise.resolve(`/tools/${tool.command}`);
    },
    workflows: () => Promise.resolve(state.workflows ?? ['.github/workflows/ci.yml']),
  };
  return ci;
}
