// The cluster side of the integration tests: the real control plane (useServer('kube')), the real Docker
// engine (useServer('docker')), the real helm and kubectl, and tasks run through the real adapters.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWorld } from '../../lib/adapters/world.js';
import type { Config } from '../../lib/config/schema.js';
import { execute } from '../../lib/graph/execute.js';
import { select } from '../../lib/graph/plan.js';
import type { TaskContext, TaskLogger } from '../../lib/model/context.js';
import type { TaskResult } from '../../lib/model/outcome.js';
import type { Target, Task } from '../../lib/model/task.js';
import { Redactor } from '../../lib/redact.js';
import { BIN, KUBE_BIN } from '../../scripts/test-servers/paths.js';
import { ensureStarted, nestedRoot } from '../../scripts/test-servers/manager.js';
import { root, useServer, type UsedServer } from '../integration/servers.js';
import { ROOT } from './cli.js';
import { CONFIG } from './fixtures.js';

/**
 * The test control plane, with KUBECONFIG and PATH (its kubectl, the test helm) set for this process.
 * `own`: a control plane of this file's own (a test that changes cluster-wide state must not meet another).
 */
export async function useCluster(own?: string): Promise<UsedServer & { kubeconfig: string }> {
  const shared = await useServer('kube');
  const kube =
    own === undefined || shared.skip !== false
      ? shared
      : { ...shared, env: (await ensureStarted(nestedRoot(root(), own), 'kube')).env };
  const kubeconfig = kube.env.KUBECONFIG ?? kube.env.FOUNDATION_TEST_KUBECONFIG ?? '';
  if (kube.skip === false) {
    process.env.KUBECONFIG = kubeconfig;
    process.env.PATH = `${KUBE_BIN}:${BIN}:${process.env.PATH ?? ''}`;
  }
  return { ...kube, kubeconfig };
}

/** Helm's config, cache and data in a folder of this test's own (never the developer's). */
export function isolatedHelm(): void {
  const home = mkdtempSync(join(tmpdir(), 'helm-home-'));
  Object.assign(process.env, {
    HELM_CONFIG_HOME: join(home, 'config'),
    HELM_CACHE_HOME: join(home, 'cache'),
    HELM_DATA_HOME: join(home, 'data'),
  });
}

/** `changed` / `failed: why` — for assertion messages. */
export function outcome(results: Map<string, TaskResult>, id: string): string {
  const t = results.get(id);
  return `${t?.outcome ?? 'none'}${t?.reason ? `: ${t.reason}` : ''}`;
}

/** PersistentVolumes for the claims the stack makes (no provisioner runs here; k3d brings local-path). */
export function persistentVolumes(sizes: string[], first = 0): void {
  const docs = sizes.map(
    (size, n) =>
      `apiVersion: v1\nkind: PersistentVolume\nmetadata: { name: test-pv-${first + n} }\nspec: { capacity: { storage: ${size} }, accessModes: [ReadWriteOnce], hostPath: { path: /tmp/test-pv-${first + n} } }\n`,
  );
  kubectl(['apply', '-f', '-'], docs.join('---\n'));
}

/** The Docker engine, with DOCKER_HOST and DOCKER_CONFIG (the Compose plugin) set for this process. */
export async function useDocker(): Promise<UsedServer> {
  const docker = await useServer('docker');
  if (docker.skip === false) Object.assign(process.env, docker.env);
  return docker;
}

/** kubectl against the test cluster, for what a test sets up or changes by hand (never for the code under test). */
export function kubectl(args: string[], input?: string): string {
  return execFileSync('kubectl', args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** kubectl that is expected to fail: its stderr. */
export function kubectlFails(args: string[], input?: string): string {
  try {
    kubectl(args, input);
  } catch (error) {
    return String((error as { stderr?: unknown }).stderr ?? error);
  }
  throw new Error(`kubectl ${args.join(' ')} succeeded`);
}

export interface Recorded {
  readonly lines: string[];
  readonly log: TaskLogger;
}

export function recorder(): Recorded {
  const lines: string[] = [];
  const push = (l: string) => {
    lines.push(l);
  };
  return { lines, log: { info: push, warn: push, debug: push } };
}

/**
 * A copy of Foundation's own files (k8s/ and the demo without its builds) that a test may change: other
 * test files build and test the demo in the repository at the same time.
 */
export function packageCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'foundation-package-'));
  cpSync(join(ROOT, 'k8s'), join(dir, 'k8s'), { recursive: true });
  cpSync(join(ROOT, 'examples', 'demo-service'), join(dir, 'examples', 'demo-service'), {
    recursive: true,
    filter: (src) => !/[/\\](node_modules|dist)$/.test(src),
  });
  return dir;
}

export const PASSWORD = 'Gr4fana-admin "quoted" = ✓ unicode, not short';
/** A .env a user could write: quotes, a multi-line value, spaces kept, unicode. */
export const HOSTILE_ENV = [
  `GRAFANA_ADMIN_PASSWORD='${PASSWORD}'`,
  'PAYMENTS_API_TOKEN="line one\nline two = with equals"',
  "DB_PASSWORD='  leading and trailing spaces  '",
  'FOUNDATION_TARGET=cluster',
  '',
].join('\n');

/** A workspace with the given .env, for tasks that read it (0-4's password, 0-9's secrets). */
export function clusterWorkspace(env: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'foundation-cluster-'));
  execFileSync('git', ['init', '-q'], { cwd: dir });
  writeFileSync(join(dir, '.env'), env);
  writeFileSync(join(dir, '.gitignore'), '.env\n');
  return dir;
}

/** Run tasks through the real executor and the real adapters (package = this repository). */
export async function runTasks(
  tasks: readonly Task[],
  opts: {
    workspace: string;
    config?: Partial<Config>;
    target?: Target;
    mode?: 'run' | 'plan';
    log?: TaskLogger;
    /** Where the tasks read Foundation's own files (manifests, values, the demo); default this repository. */
    packageRoot?: string;
  },
): Promise<Map<string, TaskResult>> {
  const target = opts.target ?? 'cluster';
  const config: Config = Object.freeze({ ...CONFIG, target, ...opts.config });
  const world = createWorld({ config, workspace: opts.workspace, redactor: new Redactor(), env: {} });
  const log = opts.log ?? recorder().log;
  const contextFor = (_t: Task, signal: AbortSignal): TaskContext => {
    const ctx = world.contextFor(signal, log);
    return { ...ctx, platform: { ...ctx.platform, packageRoot: opts.packageRoot ?? ROOT } };
  };
  const results = await execute({
    mode: opts.mode ?? 'run',
    selection: select([...tasks], null, false),
    target,
    concurrency: 1,
    signal: new AbortController().signal,
    emit: () => undefined,
    contextFor,
  });
  return new Map(results.map((r) => [r.id, r]));
}
