import { FoundationError } from '../errors.js';
import type { DeployedRelease } from '../helm/drift.js';
import type { Helm, Shell, ShellResult } from '../model/context.js';

const firstLine = (r: ShellResult): string =>
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

/** Helm through the shell (helm 3.14+ or 4): read a release, its values and repositories; install. */
export function createHelm(sh: Shell): Helm {
  const helm = async (args: string[], stream = false): Promise<ShellResult> => {
    const result = await sh.run('helm', args, { stream });
    if (result.exitCode === 127)
      throw new FoundationError('E_TOOL_MISSING', 'helm is not installed', 'foundation run 0-1 (says how)');
    return result;
  };
  const failed = (what: string, r: ShellResult, fix: string) =>
    new FoundationError('E_COMMAND_FAILED', `helm ${what} failed: ${firstLine(r)}`, fix);

  return {
    async release(name, namespace): Promise<DeployedRelease | null> {
      const r = await helm(['get', 'metadata', name, '--namespace', namespace, '--output', 'json']);
      if (r.exitCode !== 0) {
        if (/not found/i.test(r.stderr)) return null;
        throw failed(`get metadata ${name}`, r, 'foundation run 0-2 (the cluster must answer)');
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
      const r = await helm(['get', 'values', name, '--namespace', namespace, '--output', 'json']);
      if (r.exitCode !== 0)
        throw failed(`get values ${name}`, r, 'foundation run 0-2 (the cluster must answer)');
      return parseJson(r.stdout.trim() || 'null', 'get values') ?? {};
    },
    async repos() {
      const r = await helm(['repo', 'list', '--output', 'json']);
      if (r.exitCode !== 0) {
        if (/no repositories/i.test(r.stderr)) return {};
        throw failed('repo list', r, 'check your helm configuration: helm repo list');
      }
      const list = parseJson(r.stdout.trim() || '[]', 'repo list') as
        { name?: string; url?: string }[] | null;
      return Object.fromEntries((list ?? []).map((e) => [String(e.name), String(e.url)]));
    },
    async upgradeInstall(o) {
      const args = ['upgrade', '--install', o.release, o.chart, ...o.sourceArgs];
      args.push('--version', o.version, '--namespace', o.namespace, '--values', o.valuesFile);
      args.push('--wait', '--timeout', o.timeout);
      const r = await helm(args, true);
      if (r.exitCode !== 0)
        throw failed(
          `upgrade --install ${o.release}`,
          r,
          `see why: kubectl -n ${o.namespace} get pods; helm -n ${o.namespace} status ${o.release} — then run the task again`,
        );
    },
  };
}
