import { dirname } from 'node:path';
import { parsePublishedPorts } from '../compose/published-ports.js';
import { FoundationError } from '../errors.js';
import { parseVersion } from '../prereqs/tools.js';
import type { Compose, ComposeProject, ComposeService } from '../ports/containers.js';
import type { Shell, ShellOptions } from '../ports/shell.js';

/** A label's value from Compose's `Labels` text (`a=b,c=d`); our labels' values hold no commas. */
const label = (labels: string, name: string): string | undefined =>
  labels
    .split(',')
    .find((l) => l.startsWith(`${name}=`))
    ?.slice(name.length + 1);

/** `docker compose ps --format json` prints one JSON object per line (Compose ≥ 2.21) or one array. */
export function parseComposePs(output: string): ComposeService[] {
  const trimmed = output.trim();
  if (trimmed === '') return [];
  const parsed: unknown = trimmed.startsWith('[')
    ? JSON.parse(trimmed)
    : trimmed.split('\n').map((l): unknown => JSON.parse(l));
  const text = (v: unknown): string => (typeof v === 'string' ? v : '');
  return (Array.isArray(parsed) ? (parsed as Record<string, unknown>[]) : []).map((r) => {
    const labels = text(r.Labels);
    const configHash = label(labels, 'com.docker.compose.config-hash');
    const foundationConfig = label(labels, 'foundation.config');
    return {
      service: text(r.Service),
      state: text(r.State),
      health: text(r.Health),
      ...(configHash !== undefined ? { configHash } : {}),
      ...(foundationConfig !== undefined ? { foundationConfig } : {}),
    };
  });
}

/** `docker compose config --hash '*'`: one `service hash` line per service. */
export function parseComposeHashes(output: string): Record<string, string> {
  return Object.fromEntries(
    output
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .filter((p): p is [string, string] => p.length === 2 && p[0] !== ''),
  );
}

/** Compose's own lines, shown above the error, say why; the usual causes, and the version it needs. */
const FIX =
  'the lines above say why: a Docker engine that does not answer (start Docker), a port in use (stop what listens there, or change the port in .env), a failing build step (fix the Dockerfile or the code); Foundation needs Docker Compose v2.20 or newer (docker compose version)';

/** Docker Compose v2 through the docker CLI plugin; every call runs in the Compose file's folder. */
export function createCompose(sh: Shell): Compose {
  const args = (p: ComposeProject, ...rest: string[]) => [
    'compose',
    '-f',
    p.file,
    ...(p.envFiles ?? []).flatMap((f) => ['--env-file', f]),
    ...(p.profiles ?? []).flatMap((name) => ['--profile', name]),
    ...rest,
  ];
  /** One docker compose command in the file's folder; `how` says what becomes of its output. */
  const compose = (p: ComposeProject, rest: string[], how: Pick<ShellOptions, 'stream' | 'data'>) =>
    sh.exec('docker', args(p, ...rest), { cwd: dirname(p.file), env: p.env ?? {}, fix: FIX, ...how });
  const quiet = (p: ComposeProject, ...rest: string[]) => compose(p, rest, { stream: false });
  /** `config --format json`: the resolved file, read as data (not written to the task log line by line). */
  const config = (p: ComposeProject) =>
    compose(p, ['config', '--format', 'json'], { stream: false, data: true });
  const loud = (p: ComposeProject, ...rest: string[]) => compose(p, rest, {});
  return {
    async version() {
      const r = await sh.run('docker', ['compose', 'version', '--short'], { stream: false });
      return r.exitCode === 0 ? parseVersion(r.stdout) : null;
    },
    async ps(p) {
      const r = await quiet(p, 'ps', '--all', '--format', 'json');
      try {
        return parseComposePs(r.stdout);
      } catch {
        throw new FoundationError(
          'E_COMMAND_FAILED',
          'docker compose ps printed something that is not JSON',
          FIX,
        );
      }
    },
    async published(p) {
      const r = await config(p);
      try {
        return parsePublishedPorts(r.stdout);
      } catch {
        throw new FoundationError(
          'E_COMMAND_FAILED',
          'docker compose config printed something that is not JSON',
          FIX,
        );
      }
    },
    async image(p, service) {
      const r = await config(p);
      try {
        const doc = JSON.parse(r.stdout) as { name?: string; services?: Record<string, { image?: string }> };
        const svc = doc.services?.[service];
        if (svc === undefined) return null;
        return svc.image ?? (doc.name === undefined ? null : `${doc.name}-${service}`);
      } catch {
        return null; // not what Compose prints: the record says no image, the deploy goes on
      }
    },
    async services(p) {
      return (await quiet(p, 'config', '--services')).stdout.split('\n').filter((l) => l.trim() !== '');
    },
    async hashes(p) {
      return parseComposeHashes((await quiet(p, 'config', '--hash', '*')).stdout);
    },
    async up(p, o = {}) {
      const wait = o.timeoutS !== undefined ? ['--wait-timeout', String(o.timeoutS)] : [];
      const which = o.services === undefined ? ['--remove-orphans'] : ['--no-deps', ...o.services];
      await loud(p, 'up', '-d', '--wait', ...wait, ...(o.build ? ['--build'] : []), ...which);
    },
    async port(p, service, containerPort) {
      const r = await sh.run('docker', args(p, 'port', service, String(containerPort)), {
        cwd: dirname(p.file),
        env: p.env ?? {},
        stream: false,
      });
      if (r.exitCode !== 0) return null;
      const address = r.stdout.trim().split('\n')[0] ?? '';
      return /:\d+$/.test(address) ? address.replace(/^0\.0\.0\.0:/, '127.0.0.1:') : null;
    },
    async restart(p, services) {
      if (services.length > 0) await loud(p, 'restart', ...services);
    },
    async down(p, o = {}) {
      // Every profile on ('*'): down without one leaves the services of a profile running (0-14's
      // databases, profile data), and their network and volumes with them.
      const all = { ...p, profiles: ['*'] };
      await loud(all, 'down', ...(o.volumes ? ['--volumes'] : []), '--remove-orphans');
    },
    async logs(p, service, lines) {
      const r = await quiet(p, 'logs', '--no-color', '--no-log-prefix', '--tail', String(lines), service);
      return `${r.stdout}${r.stderr}`.trimEnd();
    },
  };
}
