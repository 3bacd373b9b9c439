import type { HttpProbe } from '../ports/validation.js';
import { parseYaml } from '../yaml-text.js';
import type { Observation, Observations } from './judge.js';
import { reason } from './platform-evidence.js';
import { HTTP_TIMEOUT_MS } from './within.js';

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
  y: 365 * 86_400_000,
};

/** A duration as the components print it (`30d`, `336h`, `2w`, `168h0m0s`) in milliseconds; null if not one. */
export function durationMs(text: string): number | null {
  const t = text.trim();
  if (!/^(\d+(ms|[smhdwy]))+$/.test(t)) return null;
  let total = 0;
  for (const m of t.matchAll(/(\d+)(ms|[smhdwy])/g)) total += Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? NaN);
  return total;
}

const days = (ms: number): string => `${+(ms / 86_400_000).toFixed(2)} d`;

/** A path in a YAML document, as text. */
function at(yamlText: string, path: string): string | null {
  const doc = parseYaml(yamlText);
  if (!doc.ok) return null;
  let v: unknown = doc.value;
  for (const key of path.split('.'))
    v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : null;
}

export interface RetentionUrls {
  readonly prometheus: string | null;
  readonly loki: string | null;
  readonly tempo: string | null;
  /** TEMPO_URL when it is a Jaeger query API (TRACES_API=jaeger): Jaeger does not say its retention. */
  readonly jaeger?: string | null;
}

export interface Retentions {
  readonly metrics: string;
  readonly logs: string;
  readonly traces: string;
}

interface Part {
  readonly what: 'metrics' | 'logs' | 'traces';
  readonly component: string;
  readonly url: string | null;
  /** The setting that gives the address (named when it is missing). */
  readonly setting: string;
  readonly how: string;
  readonly read: (body: string) => string | null;
  /** What else limits how long data stays (a size cap), said beside the time when the time is right. */
  readonly note?: (body: string) => string | null;
  readonly fix: string;
}

/** Prometheus's flags (`GET /api/v1/status/flags`). */
const flag = (body: string, name: string): unknown =>
  (JSON.parse(body) as { data?: Record<string, unknown> }).data?.[name];

/** Loki deletes nothing unless its compactor applies retention: the period alone keeps logs forever. */
const LOKI_FOREVER = 'everything, forever (compactor.retention_enabled is not true)';

/**
 * REQ-0.3/M1: each component's retention read back from the running component and compared with what the
 * values promise — Prometheus's flags (its size cap said too), Loki's `/config` (limits_config.retention_period,
 * which deletes only with compactor.retention_enabled), Tempo's
 * `/status/config` (compactor.compaction.block_retention).
 */
export async function retentionObservations(
  http: HttpProbe,
  urls: RetentionUrls,
  expected: Retentions,
): Promise<Observations> {
  const parts: Part[] = [
    {
      what: 'metrics',
      component: 'Prometheus',
      url: urls.prometheus,
      setting: 'PROMETHEUS_URL',
      how: 'GET /api/v1/status/flags',
      read: (body) => {
        const time = flag(body, 'storage.tsdb.retention.time');
        // Neither time nor size set: Prometheus reports 0s and keeps its default of 15 days.
        return typeof time !== 'string' ? null : time === '0s' ? '15d' : time;
      },
      // Whichever limit is reached first applies: a size cap can cut the time short on a busy platform.
      note: (body) => {
        const size = flag(body, 'storage.tsdb.retention.size');
        return typeof size === 'string' && !/^0\s*[A-Za-z]*$/.test(size)
          ? `or until the data reaches ${size}, whichever comes first`
          : null;
      },
      fix: 'foundation run 0-4 (compose: 0-7)',
    },
    {
      what: 'logs',
      component: 'Loki',
      url: urls.loki,
      setting: 'LOKI_URL',
      how: 'GET /config',
      read: (b) =>
        at(b, 'compactor.retention_enabled') === 'true'
          ? at(b, 'limits_config.retention_period')
          : LOKI_FOREVER,
      fix: 'foundation run 0-5 (compose: 0-7)',
    },
    {
      what: 'traces',
      component: 'Tempo',
      url: urls.tempo,
      setting: 'TEMPO_URL',
      how: 'GET /status/config',
      // Tempo 2.x: compactor.compaction; Tempo 3 moved compaction to the backend worker.
      read: (b) =>
        at(b, 'compactor.compaction.block_retention') ?? at(b, 'backend_worker.compaction.block_retention'),
      fix: 'foundation run 0-6 (compose: 0-7)',
    },
  ];
  const seen: string[] = [];
  const wrong: string[] = [];
  const unread: string[] = [];
  const fixes = new Set<string>();
  for (const p of parts) {
    const want = durationMs(expected[p.what]);
    if (p.url === null && p.what === 'traces' && typeof urls.jaeger === 'string') {
      unread.push(
        `traces (TEMPO_URL ${urls.jaeger} is a Jaeger query API, TRACES_API=jaeger: Jaeger does not publish its retention)`,
      );
      continue;
    }
    if (p.url === null) {
      unread.push(`${p.what} (no address for ${p.component}: set ${p.setting})`);
      continue;
    }
    const path = p.how.slice(4);
    let got: string | null;
    let note: string | null;
    try {
      const r = await http.get(`${p.url}${path}`, HTTP_TIMEOUT_MS);
      if (r.status !== 200) throw new Error(`HTTP ${r.status}`);
      got = p.read(r.body);
      note = p.note?.(r.body) ?? null;
    } catch (e) {
      wrong.push(`${p.what}: ${p.component} at ${p.url}: ${reason(e)}`);
      fixes.add(p.fix);
      continue;
    }
    const ms = got === null ? null : durationMs(got);
    if (ms === null || want === null || ms !== want) {
      wrong.push(`${p.what}: ${p.component} keeps ${got ?? '(not set)'}, the values say ${expected[p.what]}`);
      fixes.add(p.fix);
    } else seen.push(`${p.what} ${days(ms)}${note === null ? '' : `, ${note}`} (${p.component} ${p.how})`);
  }
  const how = parts.map((p) => `${p.component}: ${p.how}`).join('; ');
  let obs: Observation;
  if (wrong.length > 0)
    obs = {
      kind: 'fact',
      holds: false,
      detail: [...wrong, ...seen.map((s) => `${s} as declared`)].join('; '),
      how,
      fix: [...fixes].join('; '),
    };
  else if (unread.length > 0)
    obs = {
      kind: 'absent',
      reason: `read back: ${seen.join(', ') || 'none'}; not read: ${unread.join(', ')}`,
    };
  else
    obs = {
      kind: 'fact',
      holds: true,
      detail: `read back from the running components: ${seen.join(', ')}`,
      how,
    };
  return { 'REQ-0.3/M1': obs };
}
