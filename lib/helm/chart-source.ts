/** Where helm fetches a chart from: the chart reference and the flags that go with it. */
export type ChartSource =
  | { readonly ok: true; readonly chart: string; readonly args: readonly string[]; readonly from: string }
  | { readonly ok: false; readonly reason: string; readonly hint: string };

/** The chart repositories Foundation's releases use (k8s/observability/releases.yaml; a test keeps them equal). */
export const CHART_REPOS: readonly string[] = ['grafana', 'grafana-community', 'prometheus-community'];

/** The setting that holds a repository alias's URL: prometheus-community → HELM_REPO_PROMETHEUS_COMMUNITY. */
export const repoVariable = (alias: string): string => `HELM_REPO_${alias.toUpperCase().replace(/-/g, '_')}`;

/** The alias a HELM_REPO_* setting names (the inverse of repoVariable). */
export const repoAlias = (variable: string): string =>
  variable
    .replace(/^HELM_REPO_/, '')
    .toLowerCase()
    .replace(/_/g, '-');

const fromUrl = (url: string, chart: string, from: string): ChartSource => {
  const base = url.replace(/\/+$/, '');
  return base.startsWith('oci://')
    ? { ok: true, chart: `${base}/${chart}`, args: [], from }
    : { ok: true, chart, args: ['--repo', base], from };
};

/**
 * Resolve a chart: a URL configured for its repository alias wins (a mirror: HELM_REPO_<ALIAS>), then a
 * repository helm already knows by that alias (`helm repo add`), then the release's own public URL. An
 * oci:// URL becomes part of the chart reference; an http(s) URL goes to --repo. Pure.
 */
export function resolveChart(
  spec: { readonly repo: string; readonly chart: string; readonly url?: string },
  configured: Readonly<Record<string, string>>,
  known: Readonly<Record<string, string>>,
): ChartSource {
  const url = configured[spec.repo];
  if (url !== undefined) return fromUrl(url, spec.chart, repoVariable(spec.repo));
  if (known[spec.repo] !== undefined)
    return { ok: true, chart: `${spec.repo}/${spec.chart}`, args: [], from: `helm repo ${spec.repo}` };
  if (spec.url !== undefined) return fromUrl(spec.url, spec.chart, spec.url);
  return {
    ok: false,
    reason: `chart repository "${spec.repo}" (chart ${spec.chart}) is not configured`,
    hint:
      `set ${repoVariable(spec.repo)} in .env to the repository's URL (https://… or oci://…, as the ` +
      `chart's README gives it), or run: helm repo add ${spec.repo} <URL> — see docs/observability.md`,
  };
}
