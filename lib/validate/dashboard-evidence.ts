import type { HttpProbe } from '../ports/validation.js';
import type { Observation, Observations } from './judge.js';
import { reason } from './platform-evidence.js';
import { HTTP_TIMEOUT_MS } from './within.js';

/** A provisioned dashboard: its uid and the PromQL of its panels (from k8s/observability/dashboards). */
export interface DashboardSource {
  readonly uid: string;
  readonly title: string;
  readonly exprs: readonly string[];
}

interface PanelJson {
  targets?: { expr?: unknown }[];
  panels?: PanelJson[];
}

/** The dashboards' uids and panel queries from their JSON files. Pure. */
export function dashboardSources(files: readonly { path: string; text: string }[]): DashboardSource[] {
  return files.flatMap((f) => {
    const d = JSON.parse(f.text) as { uid?: unknown; title?: unknown; panels?: PanelJson[] };
    if (typeof d.uid !== 'string') return [];
    const exprs: string[] = [];
    const walk = (panels: readonly PanelJson[] = []): void => {
      for (const p of panels) {
        for (const t of p.targets ?? []) if (typeof t.expr === 'string' && t.expr !== '') exprs.push(t.expr);
        walk(p.panels);
      }
    };
    walk(d.panels);
    return [{ uid: d.uid, title: typeof d.title === 'string' ? d.title : d.uid, exprs }];
  });
}

/** A panel query as Grafana sends it for the default view: variables at "All". Pure. */
export const panelQuery = (expr: string): string => expr.replace(/\$\{?[A-Za-z_]\w*\}?/g, '.+');

const STEP_S = 15;
const RANGE_S = 3_600;

/**
 * REQ-0.3/M3: a dashboard loads as a browser loads it — its JSON from Grafana, then every panel's query in
 * parallel over the last hour (against Prometheus, the datasource they name). The slowest dashboard counts.
 * And REQ-0.3/AC2 from the same answers: Grafana has every dashboard of the repository (404: it has not).
 */
export async function dashboardObservations(
  http: HttpProbe,
  urls: { grafana: string | null; prometheus: string | null },
  auth: string | null,
  dashboards: readonly DashboardSource[],
): Promise<Observations> {
  if (urls.grafana === null || urls.prometheus === null) {
    const missing = [
      urls.grafana === null ? 'GRAFANA_URL' : null,
      urls.prometheus === null ? 'PROMETHEUS_URL' : null,
    ].filter(Boolean);
    return {
      'REQ-0.3/M3': {
        kind: 'absent',
        reason: `no address for Grafana or Prometheus on this target: set ${missing.join(' and ')}`,
      },
    };
  }
  const grafana = urls.grafana;
  const prometheus = urls.prometheus;
  const headers: Record<string, string> = auth === null ? {} : { authorization: auth };
  const fix =
    'foundation run 0-4 (compose: 0-7); open the dashboard in Grafana and look at its query inspector';
  const timings: { title: string; ms: number; panels: number }[] = [];
  const absent: string[] = [];
  const end = Math.floor(Date.now() / 1000);
  try {
    for (const d of dashboards) {
      const started = performance.now();
      const r = await http
        .get(`${grafana}/api/dashboards/uid/${d.uid}`, HTTP_TIMEOUT_MS, headers)
        .catch((e: unknown) => Promise.reject(new Error(`Grafana at ${grafana}: ${reason(e)}`)));
      if (r.status === 404) {
        absent.push(d.uid);
        continue;
      }
      if (r.status !== 200) throw new Error(`Grafana answered HTTP ${r.status} for dashboard ${d.uid}`);
      const answers = await Promise.all(
        d.exprs.map((expr) => {
          const q = new URLSearchParams({
            query: panelQuery(expr),
            start: String(end - RANGE_S),
            end: String(end),
            step: String(STEP_S),
          });
          return http
            .get(`${prometheus}/api/v1/query_range?${q.toString()}`, HTTP_TIMEOUT_MS)
            .catch((e: unknown) => Promise.reject(new Error(`Prometheus at ${prometheus}: ${reason(e)}`)));
        }),
      );
      const bad = answers.find((a) => a.status !== 200);
      if (bad)
        throw new Error(`a panel query of ${d.uid} answered HTTP ${bad.status}: ${bad.body.slice(0, 160)}`);
      timings.push({ title: d.title, ms: performance.now() - started, panels: d.exprs.length });
    }
  } catch (e) {
    const obs: Observation = {
      kind: 'error',
      reason: reason(e),
      fix,
      how: `GET ${grafana}/api/dashboards/uid/<uid>, then the panels’ queries`,
    };
    // What Grafana said of the dashboards before the error still stands for REQ-0.3/AC2.
    return absent.length > 0
      ? {
          'REQ-0.3/M3': obs,
          'REQ-0.3/AC2': {
            kind: 'fact',
            holds: false,
            detail: `Grafana has no dashboard ${absent.join(', ')} (HTTP 404)`,
            how: `GET ${grafana}/api/dashboards/uid/<uid>`,
            fix: 'foundation run 0-4 (compose: 0-7)',
          },
        }
      : { 'REQ-0.3/M3': obs };
  }
  if (dashboards.length === 0)
    return {
      'REQ-0.3/M3': { kind: 'absent', reason: 'no dashboard with a uid in k8s/observability/dashboards' },
    };
  // Grafana itself, not the tasks that provision it, says whether it has the dashboards (REQ-0.3/AC2).
  const how = `GET ${grafana}/api/dashboards/uid/<uid> for each of k8s/observability/dashboards`;
  const provisioned: Observation = {
    kind: 'fact',
    holds: absent.length === 0,
    detail:
      absent.length === 0
        ? `Grafana serves all ${dashboards.length} dashboards of k8s/observability/dashboards (${dashboards.map((d) => d.uid).join(', ')})`
        : `Grafana has no dashboard ${absent.join(', ')} (HTTP 404)`,
    how,
    fix: 'foundation run 0-4 (compose: 0-7): it writes them where Grafana loads them from (ConfigMaps labelled grafana_dashboard=1; compose: provisioned files)',
  };
  if (timings.length === 0 || absent.length > 0)
    return {
      'REQ-0.3/AC2': provisioned,
      'REQ-0.3/M3': {
        kind: 'error',
        reason: `Grafana has no dashboard ${absent.join(', ')}: none of the missing ones can load`,
        fix,
        how,
      },
    };
  const slowest = timings.reduce((a, b) => (b.ms > a.ms ? b : a));
  return {
    'REQ-0.3/AC2': provisioned,
    'REQ-0.3/M3': {
      kind: 'value',
      value: Math.round(slowest.ms),
      unit: 'ms',
      how: `slowest of ${timings.length} dashboards (${slowest.title}, ${slowest.panels} panels): its JSON from Grafana, then its panel queries in parallel over 1 h at ${STEP_S} s steps; all: ${timings.map((t) => `${t.title} ${Math.round(t.ms)} ms`).join(', ')}`,
      fix,
    },
  };
}
