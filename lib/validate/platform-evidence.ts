import type { Target } from '../model/task.js';
import type { HttpProbe } from '../ports/validation.js';
import { sameFor, type Observation, type Observations } from './judge.js';

import { HTTP_TIMEOUT_MS as TIMEOUT_MS } from './within.js';
/** The job name the demo's metrics carry (its ServiceMonitor on Kubernetes, Alloy's relabelling on Compose). */
export const DEMO_JOB = 'demo-service';

/** Where this machine reaches a platform UI: the setting, else the Compose port, else nowhere. */
export function platformUrl(
  given: string | undefined,
  target: Target,
  composeDefault: string,
): string | null {
  const url = given ?? (target === 'compose' ? composeDefault : null);
  return url === null ? null : url.replace(/\/+$/, ''); // paths are appended with their own slash
}

interface PromResult {
  status?: string;
  data?: {
    result?: { metric?: Record<string, string>; value?: [number, string] }[];
    groups?: { name?: string; rules?: { health?: string }[] }[];
  } & Record<string, unknown>;
}

async function json(http: HttpProbe, url: string): Promise<{ ms: number; body: PromResult }> {
  const r = await http.get(url, TIMEOUT_MS);
  if (r.status !== 200) throw new Error(`${url} answered HTTP ${r.status}`);
  return { ms: r.ms, body: JSON.parse(r.body) as PromResult };
}

/** A PromQL instant query's first value (undefined when the result is empty); rejects on HTTP errors. */
export async function promScalar(http: HttpProbe, url: string, query: string): Promise<number | undefined> {
  const r = await http.get(`${url}/api/v1/query?query=${encodeURIComponent(query)}`, TIMEOUT_MS);
  if (r.status !== 200) throw new Error(`HTTP ${r.status}`);
  const v = (JSON.parse(r.body) as PromResult).data?.result?.[0]?.value?.[1];
  return v === undefined ? undefined : Number(v);
}

/** Why a request failed, in words: fetch's own message ("fetch failed") says nothing; its cause does. */
export function reason(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  if (e.name === 'TimeoutError') return `no answer in ${TIMEOUT_MS / 1000} s`;
  const cause = e.cause as { code?: unknown; message?: unknown } | undefined;
  if (cause?.code === 'ECONNREFUSED') return 'connection refused (is it running, on this address?)';
  return typeof cause?.message === 'string' ? `${e.message}: ${cause.message}` : e.message;
}

/** Prometheus through its HTTP API: query time, the demo's scrape, the alert rules. */
export async function prometheusObservations(http: HttpProbe, url: string | null): Promise<Observations> {
  const ids = ['REQ-0.3/M2', 'REQ-0.3/AC1', 'REQ-0.3/AC3'];
  if (url === null) {
    const absent: Observation = {
      kind: 'absent',
      reason:
        'no address for Prometheus on this target: set PROMETHEUS_URL (e.g. after a kubectl port-forward)',
    };
    return sameFor(ids, absent);
  }
  const query = `${url}/api/v1/query?query=${encodeURIComponent(`up{job="${DEMO_JOB}"}`)}`;
  const fix = 'foundation run 0-4 (compose: 0-7); is PROMETHEUS_URL right?';
  let answer;
  try {
    answer = await json(http, query);
  } catch (error) {
    const e: Observation = {
      kind: 'error',
      reason: `Prometheus at ${url}: ${reason(error)}`,
      fix,
      how: `GET ${query}`,
    };
    return sameFor(ids, e);
  }
  const up = (answer.body.data?.result ?? []).filter((r) => r.value?.[1] === '1');
  const out: Record<string, Observation> = {
    'REQ-0.3/M2': { kind: 'value', value: Math.round(answer.ms), unit: 'ms', how: `GET ${query}`, fix },
    'REQ-0.3/AC1': {
      kind: 'fact',
      holds: up.length > 0,
      detail:
        up.length > 0
          ? `${up.length} ${DEMO_JOB} target(s) scraped and up`
          : `no ${DEMO_JOB} target is up in Prometheus`,
      how: `PromQL up{job="${DEMO_JOB}"}`,
      fix: 'foundation run 0-10 (the demo and its ServiceMonitor); then look at Prometheus → Status → Targets',
    },
  };
  try {
    const rules = await json(http, `${url}/api/v1/rules?type=alert`);
    const group = (rules.body.data?.groups ?? []).find((g) => g.name === 'foundation-alerts');
    const healthy = (group?.rules ?? []).filter((r) => r.health === 'ok').length;
    out['REQ-0.3/AC3'] = {
      kind: 'fact',
      holds: group !== undefined && healthy === (group.rules ?? []).length && healthy > 0,
      detail:
        group === undefined
          ? 'the foundation-alerts rules are not loaded'
          : `${healthy} of ${(group.rules ?? []).length} alert rules loaded and evaluating without error (that each fires past its threshold is proven by the test suite's promtool test of tests/rules/alerts.test.yml, not in this run)`,
      how: 'GET /api/v1/rules?type=alert',
      fix: 'foundation run 0-4 (compose: 0-7)',
    };
  } catch (error) {
    out['REQ-0.3/AC3'] = { kind: 'error', reason: `Prometheus at ${url}: ${reason(error)}`, fix };
  }
  return out;
}

/** Redpanda Console's health endpoint. */
export async function consoleObservations(http: HttpProbe, url: string | null): Promise<Observations> {
  if (url === null)
    return {
      'REQ-0.2/AC3': {
        kind: 'absent',
        reason: 'no address for Redpanda Console on this target: set CONSOLE_URL',
      },
    };
  const how = `GET ${url}/admin/health`;
  try {
    const r = await http.get(`${url}/admin/health`, TIMEOUT_MS);
    return {
      'REQ-0.2/AC3': {
        kind: 'fact',
        holds: r.status === 200,
        detail: `Console answered HTTP ${r.status} in ${Math.round(r.ms)} ms`,
        how,
        fix: 'foundation run 0-3',
      },
    };
  } catch (error) {
    return {
      'REQ-0.2/AC3': {
        kind: 'error',
        reason: `Redpanda Console at ${url}: ${reason(error)}`,
        fix: 'foundation run 0-3',
        how,
      },
    };
  }
}
