import { FoundationError } from '../errors.js';
import type { DeployedRelease, Helm } from '../ports/helm.js';
import type { Shell, ShellResult } from '../ports/shell.js';

const lastLine = (r: ShellResult): string =>
  (r.stderr.trim() || r.stdout.trim())
    .split('\n')
    .at(-1)
    ?.replace(/^Error:\s*/, '') ?? '';

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new FoundationError(
      'E_COMMAND_FAILED',
      `helm ${what} printed something that is not JSON: ${text.slice(0, 120)}`,
      'check `helm version`: Foundation needs helm 3.14 or newer',
    );
  }
}

const UNREACHABLE = /connection refused|no such host|i\/o timeout|Kubernetes cluster unreachable|dial tcp/i;

/** Helm through the shell (helm 3.14+ or 4): read a release, its values and repositories; install. */
export function createHelm(sh: Shell): Helm {
  /** Reads: a non-zero exit is data here (not found, unreachable); a missing or broken helm throws. */
  const read = async (args: string[]): Promise<ShellResult> => {
    const r = await sh.run('helm', args, { stream: false });
    if (r.exitCode === 127 || r.exitCode === 126)
      await sh.exec('helm', ['version', '--short'], { stream: false });
    return r;
  };
  const failed = (what: string, r: ShellResult) =>
    UNREACHABLE.test(r.stderr)
      ? new FoundationError(
          'E_KUBE_UNREACHABLE',
          `helm ${what}: the cluster does not answer (${lastLine(r)})`,
          'start the cluster: foundation run 0-2',
        )
      : new FoundationError('E_COMMAND_FAILED', `helm ${what} failed: ${lastLine(r)}`, 'see the task log');

  return {
    async release(name, namespace): Promise<DeployedRelease | null> {
      const r = await read(['get', 'metadata', name, '--namespace', namespace, '--output', 'json']);
      if (r.exitCode !== 0) {
        if (/not found/i.test(r.stderr) && !UNREACHABLE.test(r.stderr)) return null;
        throw failed(`get metadata ${name}`, r);
      }
      const m = parseJson(r.stdout, 'get metadata') as Partial<Record<keyof DeployedRelease, unknown>>;
      const text = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);
      return {
        chart: text(m.chart),
        version: text(m.version),
        appVersion: text(m.appVersion),
        status: text(m.status, 'unknown'),
        revision: typeof m.revision === 'number' ? m.revision : 0,
      };
    },
    async values(name, namespace) {
      const r = await read(['get', 'values', name, '--namespace', namespace, '--output', 'json']);
      if (r.exitCode !== 0) throw failed(`get values ${name}`, r);
      return parseJson(r.stdout.trim() || 'null', 'get values') ?? {};
    },
    async repos() {
      const r = await read(['repo', 'list', '--output', 'json']);
      if (r.exitCode !== 0) {
        if (/no repositories/i.test(r.stderr)) return {};
        throw failed('repo list', r);
      }
      const list = parseJson(r.stdout.trim() || '[]', 'repo list') as
        { name?: string; url?: string }[] | null;
      return Object.fromEntries((list ?? []).map((e) => [String(e.name), String(e.url)]));
    },
    async upgradeInstall(o) {
      const args = ['upgrade', '--install', o.release, o.chart, ...o.sourceArgs];
      args.push('--version', o.version, '--namespace', o.namespace, '--values', o.valuesFile);
      args.push('--wait', '--timeout', o.timeout);
      await sh.exec('helm', args, {
        fix: `see why: kubectl -n ${o.namespace} get pods; helm -n ${o.namespace} status ${o.release} — then run the task again`,
      });
    },
  };
}
