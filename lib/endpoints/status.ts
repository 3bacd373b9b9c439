import type { Reach, ReachProbe } from '../ports/validation.js';
import { EXIT, type ExitCode } from '../report/exit-codes.js';
import { seconds } from '../report/summary.js';
import { PLAIN, type Style, type Styler } from '../ui/style.js';
import { formatTable } from '../ui/table.js';
import type { Endpoint } from './list.js';

/** up: answered 2xx/3xx in time; down: refused, or answered an error; slow: no answer in time. */
export type EndpointState = 'up' | 'down' | 'slow' | 'no address';

export interface EndpointStatus {
  readonly name: string;
  readonly title: string;
  readonly url: string | null;
  readonly state: EndpointState;
  /** How long the probe took (null: not probed). */
  readonly ms: number | null;
  /** What the probe found, in words. */
  readonly detail: string;
  readonly login: string;
  /** What to do when it is not up. */
  readonly hint: string;
}

/** The probe's answer as a state and words. Pure. */
export function judgeEndpoint(e: Endpoint, r: Reach | null, timeoutMs: number): EndpointStatus {
  const base = { name: e.name, title: e.title, url: e.url, login: e.login, hint: e.hint };
  if (r === null) return { ...base, state: 'no address', ms: null, detail: 'no address on this target' };
  if (r.kind === 'timeout')
    return { ...base, state: 'slow', ms: r.ms, detail: `no answer in ${seconds(timeoutMs)}` };
  if (r.kind === 'failed') return { ...base, state: 'down', ms: r.ms, detail: r.reason };
  if (r.status >= 200 && r.status < 400)
    return { ...base, state: 'up', ms: r.ms, detail: `HTTP ${r.status} in ${r.ms} ms` };
  const through = e.url !== null && /\.localhost(:\d+)?$/.test(new URL(e.url).host);
  const detail =
    r.status === 404 && through
      ? 'HTTP 404: the ingress answered, but no Ingress routes this host'
      : r.status >= 502 && r.status <= 504 && through
        ? `HTTP ${r.status}: the ingress has no ready backend (the pod is not running or not ready)`
        : `HTTP ${r.status} from ${e.probePath}`;
  return { ...base, state: 'down', ms: r.ms, detail };
}

/** Every endpoint probed at once (each within `timeoutMs`), in the list's order. */
export async function probeEndpoints(
  probe: ReachProbe,
  endpoints: readonly Endpoint[],
  timeoutMs: number,
): Promise<EndpointStatus[]> {
  const answers = await Promise.all(
    endpoints.map((e) =>
      e.url === null ? Promise.resolve(null) : probe.reach(`${e.url}${e.probePath}`, timeoutMs),
    ),
  );
  return endpoints.map((e, i) => judgeEndpoint(e, answers[i] ?? null, timeoutMs));
}

/** 0 when every endpoint with an address answers; 3 when one is down or slow (a script can wait on it). */
export function statusExitCode(rows: readonly EndpointStatus[]): ExitCode {
  return rows.some((r) => r.state === 'down' || r.state === 'slow') ? EXIT.drift : EXIT.ok;
}

const MARK: Readonly<Record<EndpointState, [string, Style]>> = {
  up: ['✔ up', 'good'],
  down: ['✖ down', 'bad'],
  slow: ['◔ slow', 'warn'],
  'no address': ['· no address', 'dim'],
};

/** `foundation status` as text: one row per endpoint, then what is wrong with each and the fix. Pure. */
export function formatStatus(
  rows: readonly EndpointStatus[],
  o: { target: string; timeoutMs: number; styler?: Styler },
): string {
  const styler = o.styler ?? PLAIN;
  const table = formatTable(
    [
      ['name', 'address', 'state', 'login'],
      ...rows.map((r) => {
        const [mark] = MARK[r.state];
        return [r.name, r.url ?? '—', r.state === 'up' ? `${mark} ${r.ms ?? 0} ms` : mark, r.login];
      }),
    ],
    {
      indent: 2,
      styler,
      style: (column, _cell, index) => {
        const row = rows[index - 1];
        if (row === undefined) return 'heading';
        return column === 2 ? MARK[row.state][1] : null;
      },
    },
  );
  const out = [
    styler('heading', `Platform UIs (target ${o.target}, probe timeout ${seconds(o.timeoutMs)})`),
    ...table,
  ];
  const bad = rows.filter((r) => r.state !== 'up');
  if (bad.length > 0) out.push('');
  for (const r of bad) out.push(`  ${r.name}: ${r.detail}`, `      fix: ${r.hint}`);
  if (rows.some((r) => r.url !== null && /\.localhost(:\d+)?$/.test(new URL(r.url).host)))
    out.push(
      '',
      'Browsers and curl resolve *.localhost to this machine; for a tool that does not, see',
      'docs/observability.md#addresses (curl --resolve, or one /etc/hosts line).',
    );
  return `${out.join('\n')}\n`;
}
