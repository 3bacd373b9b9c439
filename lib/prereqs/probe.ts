import type { Shell } from '../model/context.js';
import type { ToolProbe } from './evaluate.js';
import { TOOLS, parseVersion } from './tools.js';

/** Run each tool's version command through the shell adapter. Read-only. */
export async function probeTools(sh: Shell): Promise<ToolProbe[]> {
  return Promise.all(
    TOOLS.map(async (spec): Promise<ToolProbe> => {
      const path = await sh.which(spec.command);
      if (path === null) return { name: spec.name, found: false, version: null };
      const result = await sh.run(spec.command, spec.versionArgs, { stream: false });
      const version =
        result.exitCode === 0 ? parseVersion(result.stdout) : parseVersion(result.stdout + result.stderr);
      if (spec.name !== 'docker') return { name: spec.name, found: true, version };
      const server = await sh.run('docker', ['version', '--format', '{{.Server.Version}}'], {
        stream: false,
      });
      const daemon = server.exitCode === 0 ? parseVersion(server.stdout) : null;
      return { name: spec.name, found: true, version, daemon };
    }),
  );
}

export function describeProbe(probe: ToolProbe): string {
  if (!probe.found) return `${probe.name}: not found`;
  const daemon =
    probe.daemon === undefined
      ? ''
      : probe.daemon === null
        ? ' (daemon: not reachable)'
        : ` (daemon ${probe.daemon})`;
  return `${probe.name}: ${probe.version ?? 'unknown version'}${daemon}`;
}
