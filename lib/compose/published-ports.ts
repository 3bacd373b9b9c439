// The host ports a Compose project publishes, from `docker compose config --format json`: Compose has
// already interpolated the variables, merged includes and override files, dropped the services of other
// profiles and written every port in the long syntax. Pure.
import type { ServicePort } from '../ports/containers.js';
import { asList, asRecord } from '../model/plain-data.js';

/** A TCP port a program can listen on (1-65535). */
const validPort = (n: number): boolean => Number.isInteger(n) && n >= 1 && n <= 65_535;

/** A range longer than this is not probed port by port (Compose writes ranges out; this only bounds). */
const MAX_RANGE = 1_000;

/** `published` as Compose writes it (`"3000"`, 3000, `"9000-9002"`): its ports, none when absent. */
function ports(published: unknown): number[] {
  const text = typeof published === 'number' ? String(published) : published;
  if (typeof text !== 'string') return [];
  const range = /^(\d+)(?:-(\d+))?$/.exec(text.trim());
  if (range === null) return [];
  const first = Number(range[1]);
  const last = range[2] === undefined ? first : Number(range[2]);
  if (!validPort(first) || !validPort(last) || last < first || last - first >= MAX_RANGE) return [];
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

/** Each service's published TCP ports, in the file's order; throws when `json` is not JSON. */
export function parsePublishedPorts(json: string): ServicePort[] {
  const config = asRecord(JSON.parse(json) as unknown);
  return Object.entries(asRecord(config?.services) ?? {}).flatMap(([service, definition]) =>
    asList(asRecord(definition)?.ports).flatMap((entry) => {
      const port = asRecord(entry);
      if (port === undefined || (port.protocol ?? 'tcp') !== 'tcp') return [];
      const host = typeof port.host_ip === 'string' && port.host_ip !== '' ? port.host_ip : '0.0.0.0';
      return ports(port.published).map((n) => ({ service, host, port: n }));
    }),
  );
}
