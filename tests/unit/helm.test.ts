import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FoundationError } from '../../lib/errors.js';
import { repoAlias, repoVariable, resolveChart } from '../../lib/helm/chart-source.js';
import { releaseState, valuesDiff, valuesHash, type DeployedRelease } from '../../lib/helm/drift.js';
import { parseReleasesFile } from '../../lib/helm/releases-file.js';
import { ROOT } from '../helpers/cli.js';

const FILE = 'k8s/observability/releases.yaml';
const TEXT = readFileSync(join(ROOT, FILE), 'utf8');
const deployed = (over: Partial<DeployedRelease> = {}): DeployedRelease => ({
  chart: 'loki',
  version: '18.11.0',
  appVersion: '3.7.6',
  status: 'deployed',
  revision: 3,
  ...over,
});

function malformed(text: string): string {
  try {
    parseReleasesFile(text, 'releases.yaml');
  } catch (error) {
    assert.ok(error instanceof FoundationError);
    assert.equal(error.code, 'E_RELEASES_FILE_MALFORMED');
    assert.equal(error.exitCode, 2);
    return error.message;
  }
  assert.fail('expected a malformed-file error');
}

describe('releases file', () => {
  it('pins the four releases of tasks 0-4, 0-5 and 0-6 to exact chart versions', () => {
    const releases = parseReleasesFile(TEXT, FILE);
    assert.deepEqual(
      releases.map((r) => `${r.task} ${r.release} ${r.repo}/${r.chart}@${r.version}`),
      [
        '0-4 kube-prometheus-stack prometheus-community/kube-prometheus-stack@88.5.3',
        '0-5 loki grafana-community/loki@18.11.0',
        '0-5 alloy grafana/alloy@1.10.1',
        '0-6 tempo grafana-community/tempo@2.2.4',
      ],
    );
    assert.ok(releases.every((r) => r.namespace === 'infra'));
    assert.equal(releases[1]?.workloads.length, 0);
  });

  it('names the release and field of every problem, and rejects ranges and duplicates', () => {
    const base =
      'releases:\n  - {release: loki, task: 0-5, namespace: infra, repo: r, url: "oci://r.test/c", chart: loki, values: v.yaml, timeout: 5m';
    assert.match(malformed(`${base}, version: ^18.0.0}`), /release loki version: an exact chart version/);
    assert.match(
      malformed(`${base}, version: 1.0.0, colour: red}`),
      /release loki: Unrecognized key.*colour/,
    );
    assert.match(
      malformed(`${base}, version: 1.0.0}\n${base.replace('releases:\n', '')}, version: 1.0.0}`),
      /infra\/loki is declared twice/,
    );
    assert.match(malformed('releases: [ {release: loki'), /line 1/);
    assert.match(malformed('releases: []'), /- releases: Too small/);
  });
});

describe('release drift', () => {
  const desired = { release: 'loki', chart: 'loki', version: '18.11.0', values: { a: { b: 1, c: [1, 2] } } };

  it('hashes values independently of key order', () => {
    assert.equal(valuesHash({ x: 1, y: { b: 2, a: 1 } }), valuesHash({ y: { a: 1, b: 2 }, x: 1 }));
    assert.notEqual(valuesHash({ x: 1 }), valuesHash({ x: 2 }));
    assert.match(valuesHash(null), /^sha256:[0-9a-f]{16}$/);
  });

  it('lists every changed, added and removed setting by path', () => {
    assert.deepEqual(valuesDiff({ a: { b: 2, c: 'x' }, n: [1] }, { a: { b: 1, d: true }, n: [1] }), [
      'a.b: 1 → 2',
      'a.c: (unset) → "x"',
      'a.d: true → (unset)',
    ]);
    assert.deepEqual(valuesDiff({ a: 1 }, { a: 1 }), []);
  });

  it('names a changed secret-looking setting but never shows its value', () => {
    const diff = valuesDiff(
      { grafana: { adminPassword: 'n3w-Pa55word-x', apiKey: 'k-2222222222' }, s3: { secret: 'b' } },
      { grafana: { adminPassword: 'old-Pa55word-y', apiKey: 'k-1111111111' } },
    );
    assert.deepEqual(diff, [
      'grafana.adminPassword: (hidden) → (hidden)',
      'grafana.apiKey: (hidden) → (hidden)',
      's3.secret: (unset) → (hidden)',
    ]);
  });

  it('missing, ok, and drift naming the version, the values and a failed status', () => {
    assert.deepEqual(releaseState(desired, null, {}), {
      kind: 'missing',
      reason: 'release loki is not installed',
    });
    const ok = releaseState(desired, deployed(), { a: { c: [1, 2], b: 1 } });
    assert.equal(ok.kind, 'ok');
    const drift = releaseState(desired, deployed({ version: '18.10.0', status: 'failed' }), {
      a: { b: 2, c: [1, 2] },
    });
    assert.equal(drift.kind, 'drift');
    if (drift.kind !== 'drift') return;
    assert.match(drift.reason, /status failed \(revision 3\)/);
    assert.match(drift.reason, /chart version 18\.10\.0 → 18\.11\.0/);
    assert.match(drift.reason, /values sha256:\w+ → sha256:\w+ \(1 setting\(s\)\)/);
    assert.equal(drift.diff, 'a.b: 2 → 1');
  });
});

describe('chart source', () => {
  const spec = { repo: 'prometheus-community', chart: 'kube-prometheus-stack' };

  it('maps aliases to settings and back', () => {
    assert.equal(repoVariable('prometheus-community'), 'HELM_REPO_PROMETHEUS_COMMUNITY');
    assert.equal(repoAlias('HELM_REPO_GRAFANA_COMMUNITY'), 'grafana-community');
  });

  it('a configured oci:// URL becomes the chart reference; an https URL goes to --repo', () => {
    assert.deepEqual(resolveChart(spec, { 'prometheus-community': 'oci://charts.test/pc/' }, {}), {
      ok: true,
      chart: 'oci://charts.test/pc/kube-prometheus-stack',
      args: [],
      from: 'HELM_REPO_PROMETHEUS_COMMUNITY',
    });
    const https = resolveChart(spec, { 'prometheus-community': 'https://charts.test/pc' }, { x: 'y' });
    assert.deepEqual(https.ok && https.args, ['--repo', 'https://charts.test/pc']);
  });

  it('else a repository helm knows by the alias; else the release’s own public URL', () => {
    const oci = { ...spec, url: 'oci://ghcr.io/prometheus-community/charts' };
    assert.deepEqual(resolveChart(oci, {}, {}), {
      ok: true,
      chart: 'oci://ghcr.io/prometheus-community/charts/kube-prometheus-stack',
      args: [],
      from: 'oci://ghcr.io/prometheus-community/charts',
    });
    const https = resolveChart({ ...spec, url: 'https://grafana.github.io/helm-charts/' }, {}, {});
    assert.deepEqual(https.ok && https.args, ['--repo', 'https://grafana.github.io/helm-charts']);
    // A mirror wins: the setting, then helm's own list.
    assert.equal(
      resolveChart(oci, { 'prometheus-community': 'oci://mirror.test/pc' }, {}).ok && 'set',
      'set',
    );
    const mirror = resolveChart(oci, {}, { 'prometheus-community': 'https://mirror.test' });
    assert.equal(mirror.ok && mirror.chart, 'prometheus-community/kube-prometheus-stack');
  });

  it('without a URL anywhere: blocked with both fixes', () => {
    const known = resolveChart(spec, {}, { 'prometheus-community': 'https://charts.test/pc' });
    assert.equal(known.ok && known.chart, 'prometheus-community/kube-prometheus-stack');
    const none = resolveChart(spec, {}, {});
    assert.equal(none.ok, false);
    if (none.ok) return;
    assert.match(none.hint, /HELM_REPO_PROMETHEUS_COMMUNITY/);
    assert.match(none.hint, /helm repo add prometheus-community <URL>/);
  });
});
