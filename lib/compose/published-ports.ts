// The host ports a Compose project publishes, from `docker compose config --format json`: Compose has
// already interpolated the variables, merged includes and override files, dropped the services of other
// profiles and written every port in the long syntax. Pure.
import type { ServicePort } from '../ports/containers.js';
import { asList, asRecord } from '../model/plain-data.js';

/** A TCP port a program can listen on (1-65535). */
const validPort = (n: number): boolean => Number.isInteger(n) && n >= 1 && n <= 65_535;

/**
 * `published` as Compose writes it (`"3000"`, 3000): the port, or null when absent. A range left as a
 * range (`"9000-9003"` for one container port) is null too: Docker takes any free port of it, as it does
 * when no port is given. (A range for a range of container ports, `9000-9003:9000-9003`, Compose writes
 * out one port per entry.)
 */
function port(published: unknown): number | null {
  const text = typeof published === 'number' ? String(published) : published;
  if (typeof text !== 'string' || !/^\d+$/.test(text.trim())) return null;
  const n = Number(text);
  return validPort(n) ? n : null;
}

/** Each service's published TCP ports, in the file's order; throws when `json` is not JSON. */
export function parsePublishedPorts(json: string): ServicePort[] {
  const config = asRecord(JSON.parse(json) as unknown);
  return Object.entries(asRecord(config?.services) ?? {}).flatMap(([service, definition]) =>
    asList(asRecord(definition)?.ports).flatMap((entry) => {
      const spec = asRecord(entry);
      if (spec === undefined || (spec.protocol ?? 'tcp') !== 'tcp') return [];
      const host = typeof spec.host_ip === 'string' && spec.host_ip !== '' ? spec.host_ip : '0.0.0.0';
      const n = port(spec.published);
      return n === null ? [] : [{ service, host, port: n }];
    }),
  );
}
