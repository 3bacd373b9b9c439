import type { HttpProbe } from '../ports/validation.js';
import type { Observation, Observations } from './judge.js';
import { reason } from './platform-evidence.js';
import {
  defaultDatasource,
  dsQueryBody,
  dsQueryProblem,
  panelQueries,
  type DatasourceRef,
} from './panel-queries.js';
import { HTTP_TIMEOUT_MS } from './within.js';

/** A provisioned dashboard of k8s/observability/dashboards: its uid and title. */
export interface DashboardSource {
  readonly uid: string;
  readonly title: string;
}

/** The dashboards' uids and titles from their JSON files (one without a uid is not provisioned). Pure. */
export function dashboardSources(files: readonly { path: string; text: string }[]): DashboardSource[] {
  return files.flatMap((f) => {
    const d = JSON.parse(f.text) as { uid?: unknown; title?: unknown };
    return typeof d.uid === 'string'
      ? [{ uid: d.uid, title: typeof d.title === 'string' ? d.title : d.uid }]
      : [];
  });
}

/** A panel's view: the last hour, a point every 15 s (as Grafana's default for an hour on a wide panel). */
const STEP_S = 15;
const RANGE_S = 3_600;

/**
 * REQ-0.3/M3: a dashboard loads as a browser loads it — its JSON from Grafana, then the queries of every
 * panel in it, in parallel, through Grafana's datasources (POST /api/ds/query, one per panel) over the last
 * hour: a datasource Grafana cannot reach fails it. The slowest dashboard counts. And REQ-0.3/AC2 from the
 * same answers: Grafana has every dashboard of the repository (404: it has not).
 */
export async function dashboardObservations(
  http: HttpProbe,
  grafana: string | null,
  auth: string | null,
  dashboards: readonly DashboardSource[],
): Promise<Observations> {
  if (grafana === null)
    return {
      'REQ-0.3/M3': { kind: 'absent', reason: 'no address for Grafana on this target: set GRAFANA_URL' },
    };
  const headers: Record<string, string> = auth === null ? {} : { authorization: auth };
  const fix =
    'foundation run 0-4 (compose: 0-7); open the dashboard in Grafana and look at its query inspector';
  const timings: { title: string; ms: number; panels: number }[] = [];
  const absent: string[] = [];
  const toMs = Date.now();
  const range = { fromMs: toMs - RANGE_S * 1_000, toMs, stepS: STEP_S };
  const refused = (e: unknown): Promise<never> =>
    Promise.reject(new Error(`Grafana at ${grafana}: ${reason(e)}`));
  let fallback: Promise<DatasourceRef | null> | undefined;
  const defaultOne = (): Promise<DatasourceRef | null> =>
    (fallback ??= http
      .get(`${grafana}/api/datasources`, HTTP_TIMEOUT_MS, headers)
      .then((r) => (r.status === 200 ? defaultDatasource(r.body) : null), refused));
  try {
    for (const d of dashboards) {
      const started = performance.now();
      const r = await http
        .get(`${grafana}/api/dashboards/uid/${d.uid}`, HTTP_TIMEOUT_MS, headers)
        .catch(refused);
      if (r.status === 404) {
        absent.push(d.uid);
        continue;
      }
      if (r.status !== 200) throw new Error(`Grafana answered HTTP ${r.status} for dashboard ${d.uid}`);
      // The panels Grafana serves (what a browser loads), not the repository's copy.
      const panels = panelQueries((JSON.parse(r.body) as { dashboard?: unknown }).dashboard);
      const byDefault = panels.some((p) => p.queries.some((q) => q.datasource === null));
      const other = byDefault ? await defaultOne() : null;
      const answers = await Promise.all(
        panels.map((p) =>
          http
            .post(`${grafana}/api/ds/query`, dsQueryBody(p, range, other), HTTP_TIMEOUT_MS, headers)
            .catch(refused),
        ),
      );
      answers.forEach((a, i) => {
        const problem = dsQueryProblem(a.status, a.body, panels[i]?.queries.map((q) => q.refId) ?? []);
        if (problem !== null)
          throw new Error(`panel "${panels[i]?.panel ?? ''}" of ${d.uid} failed in Grafana: ${problem}`);
      });
      timings.push({ title: d.title, ms: performance.now() - started, panels: panels.length });
    }
  } catch (e) {
    const obs: Observation = {
      kind: 'error',
      reason: reason(e),
      fix,
      how: `GET ${grafana}/api/dashboards/uid/<uid>, then each panel's queries (POST ${grafana}/api/ds/query)`,
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
      how: `slowest of ${timings.length} dashboards (${slowest.title}, ${slowest.panels} panels): its JSON from Grafana, then each panel's queries in parallel through Grafana's datasources over 1 h at ${STEP_S} s steps; all: ${timings.map((t) => `${t.title} ${Math.round(t.ms)} ms`).join(', ')}`,
      fix,
    },
  };
}
