import { parse } from 'yaml';

/** A rule file as Prometheus reads it. */
interface RuleFile {
  groups: { name: string; interval?: string; rules: Record<string, unknown>[] }[];
}

/**
 * A PrometheusRule (prometheus-operator) from plain Prometheus rule files: the files stay the one
 * source of truth (promtool checks and tests them; the test Prometheus and Compose load them as they
 * are). Pure. `release` is the kube-prometheus-stack release whose ruleSelector picks it up.
 */
export function toPrometheusRule(
  name: string,
  namespace: string,
  files: readonly { path: string; text: string }[],
  release = 'kube-prometheus-stack',
): Record<string, unknown> {
  const groups = files.flatMap((f) => {
    const parsed = parse(f.text) as RuleFile | null;
    if (!parsed || !Array.isArray(parsed.groups))
      throw new TypeError(`${f.path}: not a Prometheus rule file (no groups)`);
    return parsed.groups;
  });
  const names = groups.map((g) => g.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) throw new TypeError(`rule group ${twice} is defined twice`);
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { name, namespace, labels: { release, 'app.kubernetes.io/part-of': 'foundation' } },
    spec: { groups },
  };
}
