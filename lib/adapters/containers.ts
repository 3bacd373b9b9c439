import { FoundationError } from '../errors.js';
import { parseVersion } from '../prereqs/tools.js';
import type { Docker, K3d, K3dCluster, PublishedPort } from '../ports/containers.js';
import type { Shell } from '../ports/shell.js';

const UNIT: Readonly<Record<string, number>> = {
  B: 1 / 2 ** 20,
  KiB: 1 / 1024,
  kB: 1000 / 2 ** 20,
  MiB: 1,
  MB: 1e6 / 2 ** 20,
  GiB: 1024,
  GB: 1e9 / 2 ** 20,
};

/** `docker stats` lines (`name<TAB>12.5MiB / 1GiB`) as MiB in use by container name. Pure. */
export function parseDockerMemory(output: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of output.split('\n')) {
    const [name, usage] = line.split('\t');
    const m = /^([\d.]+)\s*([A-Za-z]+)/.exec(usage?.trim() ?? '');
    if (name && m && UNIT[m[2] ?? ''] !== undefined) out[name] = Number(m[1]) * (UNIT[m[2] ?? ''] ?? 0);
  }
  return out;
}

/**
 * `docker inspect --format '{{json .NetworkSettings.Ports}}'` → the published ports (`{"19092/tcp":
 * [{"HostIp":"0.0.0.0","HostPort":"19092"}], "80/tcp": null}`); text that is not that shape reads as none.
 * Pure.
 */
export function parsePublishedPorts(output: string): PublishedPort[] {
  let ports: unknown;
  try {
    ports = JSON.parse(output);
  } catch {
    return [];
  }
  if (typeof ports !== 'object' || ports === null) return [];
  return Object.entries(ports).flatMap(([containerPort, bindings]) =>
    Array.isArray(bindings)
      ? bindings.flatMap((b: { HostIp?: unknown; HostPort?: unknown }) =>
          typeof b.HostIp === 'string' && typeof b.HostPort === 'string'
            ? [{ containerPort, hostIp: b.HostIp, hostPort: b.HostPort }]
            : [],
        )
      : [],
  );
}

/** The Docker engine through the `docker` CLI. */
export function createDocker(sh: Shell): Docker {
  const field = async (format: string): Promise<{ exitCode: number | null; version: string | null }> => {
    const r = await sh.run('docker', ['version', '--format', format], { stream: false });
    return { exitCode: r.exitCode, version: parseVersion(r.stdout) };
  };
  return {
    async version() {
      if ((await sh.which('docker')) === null) return { client: null, server: null };
      // With no engine answering, docker prints its own version and still exits 1.
      const client = await field('{{.Client.Version}}');
      const server = await field('{{.Server.Version}}');
      return { client: client.version, server: server.exitCode === 0 ? server.version : null };
    },
    async imageExists(tag) {
      const r = await sh.run('docker', ['image', 'inspect', '--format', '{{.Id}}', tag], { stream: false });
      if (r.exitCode === 127) await sh.exec('docker', ['--version']);
      return r.exitCode === 0;
    },
    async imageId(tag) {
      const r = await sh.run('docker', ['image', 'inspect', '--format', '{{.Id}}', tag], { stream: false });
      if (r.exitCode === 127) await sh.exec('docker', ['--version']);
      return r.exitCode === 0 ? r.stdout.trim() : null;
    },
    async tag(source, target) {
      await sh.exec('docker', ['tag', source, target], { stream: false });
    },
    async publishedPorts(container) {
      const format = '{{json .NetworkSettings.Ports}}';
      const r = await sh.run('docker', ['container', 'inspect', '--format', format, container], {
        stream: false,
      });
      return r.exitCode === 0 ? parsePublishedPorts(r.stdout.trim()) : null;
    },
    async memory(project) {
      const ids = await sh.exec(
        'docker',
        ['ps', '-q', '--filter', `label=com.docker.compose.project=${project}`],
        {
          stream: false,
        },
      );
      const list = ids.stdout.split('\n').filter((l) => l.trim() !== '');
      if (list.length === 0) return {};
      const r = await sh.exec(
        'docker',
        ['stats', '--no-stream', '--format', '{{.Name}}\t{{.MemUsage}}', ...list],
        {
          stream: false,
        },
      );
      return parseDockerMemory(r.stdout);
    },
    async build(tag, contextDir, options = {}) {
      const args = ['build', '-t', tag];
      for (const [k, v] of Object.entries(options.buildArgs ?? {})) args.push('--build-arg', `${k}=${v}`);
      if (options.legacy !== undefined) {
        const { dockerfile, envArgs } = options.legacy;
        for (const k of Object.keys(envArgs)) args.push('--build-arg', k);
        await sh.exec('docker', [...args, '-f', '-', contextDir], {
          env: { ...envArgs, DOCKER_BUILDKIT: '0' },
          input: dockerfile,
          fix: `see the build output in the task log (the legacy builder, DOCKER_BUILDKIT=0, on the Dockerfile without its secret mounts: docker ${args.join(' ')} -f - ${contextDir})`,
        });
        return;
      }
      for (const [k, v] of Object.entries(options.secrets ?? {})) args.push('--secret', `id=${k},src=${v}`);
      // BuildKit, also where Docker 20.10 would pick its legacy builder: the service Dockerfile mounts secrets.
      await sh.exec('docker', [...args, contextDir], {
        env: { DOCKER_BUILDKIT: '1' },
        fix: `see the build output in the task log; try it by hand: DOCKER_BUILDKIT=1 docker ${args.join(' ')} ${contextDir} (BuildKit: Docker 23+ with its buildx plugin, or Docker 20.10)`,
      });
    },
  };
}

/** k3d through its CLI, with JSON output where it has one. */
export function createK3d(sh: Shell): K3d {
  const fix = 'see the task log; is the Docker daemon running? (foundation run 0-1)';
  return {
    async clusters(): Promise<K3dCluster[]> {
      const r = await sh.exec('k3d', ['cluster', 'list', '-o', 'json'], { stream: false, fix });
      let list: unknown;
      try {
        list = JSON.parse(r.stdout || '[]');
      } catch {
        throw new FoundationError(
          'E_COMMAND_FAILED',
          'k3d cluster list printed something that is not JSON',
          'check `k3d version`: Foundation needs k3d 5.7 or newer',
        );
      }
      return (Array.isArray(list) ? list : []).map(
        (c: { name?: unknown; serversCount?: unknown; serversRunning?: unknown }) => ({
          name: String(c.name),
          servers: Number(c.serversCount ?? 0),
          serversRunning: Number(c.serversRunning ?? 0),
        }),
      );
    },
    async create(o) {
      await sh.exec(
        'k3d',
        [
          'cluster',
          'create',
          o.name,
          '--config',
          o.configFile,
          '--agents',
          String(o.agents),
          ...(o.mounts ?? []).flatMap((m) => ['--volume', `${m.host}:${m.node}@server:*`]),
          '--wait',
        ],
        { fix },
      );
    },
    async start(name) {
      await sh.exec('k3d', ['cluster', 'start', name, '--wait'], { fix });
    },
    async stop(name) {
      await sh.exec('k3d', ['cluster', 'stop', name], { fix });
    },
    async delete(name) {
      await sh.exec('k3d', ['cluster', 'delete', name], { fix });
    },
    async importImage(tag, cluster) {
      await sh.exec('k3d', ['image', 'import', tag, '-c', cluster], {
        fix: `is the image built? docker image inspect ${tag}`,
      });
    },
  };
}
