/** Functions, aggregations and keywords of PromQL: identifiers in a query that are not metric names. */
const NOT_METRICS = new Set([
  'sum',
  'min',
  'max',
  'avg',
  'count',
  'stddev',
  'stdvar',
  'topk',
  'bottomk',
  'quantile',
  'count_values',
  'group',
  'rate',
  'irate',
  'increase',
  'delta',
  'idelta',
  'deriv',
  'histogram_quantile',
  'label_values',
  'abs',
  'clamp_min',
  'clamp_max',
  'absent',
  'vector',
  'scalar',
  'time',
  'avg_over_time',
  'max_over_time',
  'min_over_time',
  'sum_over_time',
  'by',
  'without',
  'and',
  'or',
  'unless',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'offset',
  'bool',
  'inf',
  'nan',
]);

/** The metric names a PromQL expression reads. Pure; good enough for the dashboards' and rules' queries. */
export function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""') // strings
    .replace(/\{[^}]*\}/g, ' ') // label matchers
    .replace(/\[[^\]]*\]/g, ' ') // ranges
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ') // label lists
    .replace(/\$\w+/g, ' '); // dashboard variables
  const names = new Set<string>();
  for (const m of stripped.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    const token = m[0];
    const next = stripped.slice(m.index + token.length).trimStart();
    if (NOT_METRICS.has(token.toLowerCase()) || next.startsWith('(')) continue;
    names.add(token);
  }
  return [...names];
}
