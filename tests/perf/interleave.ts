// Load several servers in turns (autocannon 8, 32 connections): a short warm-up each, then rounds of a few
// seconds each, A B C A B C …, so a neighbour's load on a shared machine falls on all of them alike instead
// of on whichever happened to run at the time. Also the server's own CPU time per request (from /proc),
// which the machine's other work disturbs far less than throughput; and what the rest of the machine spent
// per request meanwhile: the load generator, and the target's neighbours (the span collector, the broker)
// that share its cores, so a ratio can be read against the whole machine's budget.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

interface Autocannon {
  requests: { total: number };
  latency: { p99: number };
  duration: number;
  non2xx: number;
  errors: number;
}

export interface Target {
  readonly url: string;
  /** The server's process id, for its CPU time. */
  readonly pid: number | undefined;
  /** Processes that work for this target's requests on the same machine (collector, broker). */
  readonly neighbours?: readonly number[];
}

export interface Measured {
  /** Requests per second over all rounds. */
  readonly rps: number;
  /** The median of the rounds' p99 latencies, ms. */
  readonly p99Ms: number;
  /** The server's CPU time (user + system) per request, µs; NaN where /proc is not there. */
  readonly cpuUsPerRequest: number;
  /** The neighbours' CPU time per request, µs (0 without neighbours). */
  readonly neighbourCpuUsPerRequest: number;
  /** The load generator's (autocannon's) CPU time per request, µs. */
  readonly loadCpuUsPerRequest: number;
  /** Requests that failed or were not 2xx. */
  readonly failed: number;
}

const autocannon = createRequire(import.meta.url).resolve('autocannon/autocannon.js');
const TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** A process's CPU seconds: its own (utime + stime), or its waited-for children's (cutime + cstime). */
function cpuSeconds(pid: number | 'self' | undefined, of: 'own' | 'children' = 'own'): number {
  try {
    const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // from field 3 (state) on
    const at = of === 'own' ? 11 : 13; // utime, stime: fields 14 and 15; cutime, cstime: 16 and 17
    return (Number(fields[at]) + Number(fields[at + 1])) / TICKS;
  } catch {
    return Number.NaN;
  }
}

const neighboursCpu = (pids: readonly number[] = []): number =>
  pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);

export interface LoadSpec {
  readonly path: string;
  /** A JSON body to POST; none: GET. */
  readonly body?: unknown;
}

function load(url: string, spec: LoadSpec, seconds: number): Autocannon {
  const args = [autocannon, '--json', '-c', '32', '-d', String(seconds), url + spec.path];
  if (spec.body !== undefined)
    args.push('-m', 'POST', '-H', 'content-type=application/json', '-b', JSON.stringify(spec.body));
  const out = execFileSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return JSON.parse(out) as Autocannon;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? Number.NaN) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

/** Each target: `warmup` seconds, then `rounds` turns of `seconds`, interleaved with the others. */
export function interleaved<K extends string>(
  targets: Readonly<Record<K, Target>>,
  spec: LoadSpec,
  o: { warmup: number; rounds: number; seconds: number },
): Record<K, Measured> {
  const keys = Object.keys(targets) as K[];
  for (const k of keys) load(targets[k].url, spec, o.warmup); // JIT, connections
  const acc = new Map(
    keys.map((k) => [k, { requests: 0, ms: 0, cpu: 0, near: 0, load: 0, failed: 0, p99s: [] as number[] }]),
  );
  for (let round = 0; round < o.rounds; round++) {
    for (const k of keys) {
      const a = acc.get(k);
      if (a === undefined) continue;
      const { pid, neighbours } = targets[k];
      const before = [cpuSeconds(pid), neighboursCpu(neighbours), cpuSeconds('self', 'children')];
      const result = load(targets[k].url, spec, o.seconds);
      a.cpu += cpuSeconds(pid) - (before[0] ?? 0);
      a.near += neighboursCpu(neighbours) - (before[1] ?? 0);
      a.load += cpuSeconds('self', 'children') - (before[2] ?? 0); // autocannon, waited for
      a.requests += result.requests.total;
      a.ms += result.duration * 1_000;
      a.failed += result.errors + result.non2xx;
      a.p99s.push(result.latency.p99);
    }
  }
  const out = {} as Record<K, Measured>;
  for (const [k, a] of acc) {
    out[k] = {
      rps: a.requests / (a.ms / 1_000),
      p99Ms: median(a.p99s),
      cpuUsPerRequest: (a.cpu * 1e6) / a.requests,
      neighbourCpuUsPerRequest: (a.near * 1e6) / a.requests,
      loadCpuUsPerRequest: (a.load * 1e6) / a.requests,
      failed: a.failed,
    };
  }
  return out;
}
