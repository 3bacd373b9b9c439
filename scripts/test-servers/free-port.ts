// Ports for test servers, picked now and bound later (the kube-scheduler binds its port ~10 s after the
// pick, once etcd and the API server are up). A port the system hands out for listen(0) comes from the
// ephemeral range, the same range it draws from for every outgoing connection: in a busy test run one of
// those can take the port between the pick and the bind (CI lost a run to a scheduler that exited 1 two
// seconds after starting). So ports are drawn below that range, where no connection is given one.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

const RANGE_FILE = '/proc/sys/net/ipv4/ip_local_port_range';
const LOWEST = 10_000;
const handedOut = new Set<number>();

/** The system's ephemeral port range, as [first, last]; Linux's default where it cannot be read. */
export function ephemeralRange(text?: string): [number, number] {
  let raw = text;
  if (raw === undefined) {
    try {
      raw = readFileSync(RANGE_FILE, 'utf8');
    } catch {
      raw = '';
    }
  }
  const [first, last] = raw.trim().split(/\s+/).map(Number);
  return first && last && first <= last ? [first, last] : [32_768, 60_999];
}

/** Can a server listen on this port of 127.0.0.1 now? (0: any; resolves to the port it got, or null.) */
function tryListen(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => {
      resolve(null);
    });
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
      const address = server.address();
      server.close(() => {
        resolve(address && typeof address === 'object' ? address.port : null);
      });
    });
  });
}

/**
 * A port free on 127.0.0.1 now, below the ephemeral range and never the same twice in this process;
 * a server started on it keeps it across restarts. Falls back to one the system picks.
 */
export async function freePort(random: () => number = Math.random): Promise<number> {
  const [first] = ephemeralRange();
  const last = Math.min(first, 65_536) - 1;
  for (let attempt = 0; last > LOWEST && attempt < 64; attempt++) {
    const port = LOWEST + Math.floor(random() * (last - LOWEST + 1));
    if (handedOut.has(port)) continue;
    if ((await tryListen(port)) === port) {
      handedOut.add(port);
      return port;
    }
  }
  const port = await tryListen(0);
  if (port === null) throw new Error('no free port on 127.0.0.1');
  handedOut.add(port);
  return port;
}
