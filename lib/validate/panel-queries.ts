// A dashboard's panel queries as Grafana's frontend sends them (one POST /api/ds/query per panel, through
// the datasource each panel names), and what Grafana answers. Pure: JSON in, requests and findings out.
import { asRecord, asList, type PlainRecord } from '../model/plain-data.js';

/** A datasource as a panel or query names it (`{ type, uid }`; an old dashboard's plain string). */
export interface DatasourceRef {
  readonly uid: string;
  readonly type?: string;
}

export interface PanelQuery {
  readonly refId: string;
  /** null: the panel names none, so Grafana's default datasource answers it. */
  readonly datasource: DatasourceRef | null;
  readonly expr: string;
}

export interface PanelQueries {
  readonly panel: string;
  readonly queries: readonly PanelQuery[];
}

interface PanelJson {
  title?: unknown;
  datasource?: unknown;
  targets?: unknown;
  panels?: unknown;
}

/** A dashboard variable (`$datasource`, `${DS_PROMETHEUS}`): the browser's choice, Grafana's default here. */
const isVariable = (uid: string): boolean => uid.startsWith('$');

function datasourceOf(v: unknown): DatasourceRef | null {
  if (typeof v === 'string' && v !== '' && !isVariable(v)) return { uid: v };
  const o = asRecord(v);
  if (typeof o?.uid !== 'string' || o.uid === '' || isVariable(o.uid)) return null;
  return typeof o.type === 'string' ? { uid: o.uid, type: o.type } : { uid: o.uid };
}

/** Each target's refId, unique in its panel: its own, else the first free of A, B, … (as Grafana gives them). */
function refIds(targets: readonly (PlainRecord | undefined)[]): string[] {
  const taken = new Set(
    targets.map((t) => t?.refId).filter((r): r is string => typeof r === 'string' && r !== ''),
  );
  let next = 0;
  const free = (): string => {
    for (;;) {
      const id = next < 26 ? String.fromCharCode(65 + next) : `Q${next}`;
      next += 1;
      if (!taken.has(id)) {
        taken.add(id);
        return id;
      }
    }
  };
  const seen = new Set<string>();
  return targets.map((t) => {
    const own = typeof t?.refId === 'string' && t.refId !== '' && !seen.has(t.refId) ? t.refId : null;
    const id = own ?? free();
    seen.add(id);
    return id;
  });
}

/**
 * A panel query with the dashboard's variables at "All" (`$job`, `${job}`, `[[job]]` → `.+`). Grafana's
 * own (`$__rate_interval`, `$__range` …) stay: Grafana expands them when it runs the query.
 */
export const panelQuery = (expr: string): string =>
  expr.replace(/\$\{(?!__)[A-Za-z_]\w*(?::\w+)?\}|\$(?!__)[A-Za-z_]\w*|\[\[(?!__)[A-Za-z_]\w*\]\]/g, '.+');

/** Each panel of a dashboard's JSON that runs queries (rows' panels too; hidden queries aside). */
export function panelQueries(dashboard: unknown): PanelQueries[] {
  const out: PanelQueries[] = [];
  const walk = (panels: unknown): void => {
    for (const p of asList(panels).map((x) => asRecord(x) as PanelJson | undefined)) {
      if (p === undefined) continue;
      const targets = asList(p.targets)
        .map(asRecord)
        .filter((t) => t !== undefined && typeof t.expr === 'string' && t.expr !== '' && t.hide !== true);
      const ids = refIds(targets);
      const queries = targets.map((t, i) => ({
        refId: ids[i] ?? String(i),
        datasource: datasourceOf(t?.datasource) ?? datasourceOf(p.datasource),
        expr: panelQuery(String(t?.expr)),
      }));
      if (queries.length > 0)
        out.push({ panel: typeof p.title === 'string' && p.title !== '' ? p.title : '(untitled)', queries });
      walk(p.panels);
    }
  };
  walk(asRecord(dashboard)?.panels);
  return out;
}

/** The body of POST /api/ds/query for one panel, over [fromMs, toMs] at `stepS` (a default datasource given). */
export function dsQueryBody(
  panel: PanelQueries,
  range: { fromMs: number; toMs: number; stepS: number },
  fallback: DatasourceRef | null,
): unknown {
  const points = Math.ceil((range.toMs - range.fromMs) / 1_000 / range.stepS);
  return {
    from: String(range.fromMs),
    to: String(range.toMs),
    queries: panel.queries.map((q) => ({
      refId: q.refId,
      datasource: q.datasource ?? fallback ?? undefined,
      expr: q.expr,
      range: true,
      instant: false,
      intervalMs: range.stepS * 1_000,
      maxDataPoints: points,
    })),
  };
}

/**
 * What went wrong in Grafana's answer to a panel's queries, or null when every query sent (`refIds`) has
 * its result: an error for a query (Grafana answers each refId apart, whatever the HTTP status), a result
 * with a failing status, a query with no result, or an answer that is no query result at all (a login
 * page, a wrong path).
 */
export function dsQueryProblem(status: number, body: string, refIds: readonly string[]): string | null {
  let results: PlainRecord | undefined;
  try {
    results = asRecord(asRecord(JSON.parse(body) as unknown)?.results);
  } catch {
    results = undefined;
  }
  const http = `HTTP ${status}${body === '' ? '' : `: ${body.slice(0, 160)}`}`;
  if (results === undefined) return status >= 200 && status < 300 ? `not a query result (${http})` : http;
  for (const refId of refIds) {
    const r = asRecord(results[refId]);
    if (r === undefined) return `query ${refId}: no result in Grafana's answer (${http})`;
    const error = r.error;
    if (error !== undefined && error !== null && error !== '')
      return `query ${refId}: ${(typeof error === 'string' ? error : JSON.stringify(error)).slice(0, 200)}`;
    if (typeof r.status === 'number' && r.status >= 400) return `query ${refId}: status ${r.status}`;
  }
  return null;
}

/** The default datasource in GET /api/datasources's answer, or null. */
export function defaultDatasource(body: string): DatasourceRef | null {
  try {
    const found = asList(JSON.parse(body) as unknown)
      .map(asRecord)
      .find((d) => d?.isDefault === true);
    return datasourceOf(found);
  } catch {
    return null;
  }
}
