// Every Alloy configuration Foundation ships, through Alloy's own parser (github.com/grafana/alloy/syntax,
// scripts/test-servers/alloy-syntax): the Kubernetes pipeline in the alloy values file (task 0-5) and the
// Compose pipeline task 0-7 renders from it. The parser is the first step of Alloy loading a config; the
// components' arguments are checked only by Alloy itself, which is not built here.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { renderStack } from '../../lib/compose/render.js';
import { readStackSources } from '../../lib/compose/sources.js';
import { parseAlloy } from '../../lib/observability/alloy-syntax.js';
import { ROOT } from '../helpers/cli.js';
import { findTool } from '../helpers/tools.js';

const tool = findTool('alloy-syntax', 'ALLOY_SYNTAX_BIN');

/** The parser's verdict on one config: exit code and what it printed. */
function parsed(text: string): { status: number | null; out: string } {
  const r = spawnSync('path' in tool ? tool.path : 'alloy-syntax', ['-'], { input: text, encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}`.trim() };
}

const valuesFile = join(ROOT, 'k8s', 'observability', 'values', 'alloy.yaml');
const kubernetesConfig = (): string => {
  const values = parse(readFileSync(valuesFile, 'utf8')) as { alloy: { configMap: { content: string } } };
  return values.alloy.configMap.content;
};

describe('Alloy configs, parsed by Alloy', { skip: 'skip' in tool ? tool.skip : false }, () => {
  it('the Kubernetes pipeline (values of task 0-5) parses', () => {
    assert.deepEqual(parsed(kubernetesConfig()), { status: 0, out: '-: ok' });
  });

  it('it tails the pods of infra and services only (a shared cluster’s other logs stay out of Loki)', () => {
    const discovery = parseAlloy(kubernetesConfig()).blocks.find((b) => b.name === 'discovery.kubernetes');
    const namespaces = discovery?.blocks.filter((b) => b.name === 'namespaces') ?? [];
    assert.equal(namespaces.length, 1);
    assert.equal(namespaces[0]?.attrs.names, '["infra", "services"]');
  });

  it('the Compose pipeline rendered from it (task 0-7) parses', async () => {
    const stack = renderStack(
      await readStackSources((p) => Promise.resolve(readFileSync(join(ROOT, p), 'utf8'))),
    );
    const configs = stack.files.filter((f) => f.path.endsWith('.alloy'));
    assert.equal(configs.length, 1, stack.files.map((f) => f.path).join(' '));
    assert.deepEqual(parsed(configs[0]?.content ?? ''), { status: 0, out: '-: ok' });
  });

  it('a config Alloy could not read is refused, with where', () => {
    const broken = kubernetesConfig().replace('role = "pod"\n', 'role = "pod" +\n');
    const verdict = parsed(broken);
    assert.equal(verdict.status, 1);
    assert.match(verdict.out, /^-:\d+:\d+: /);
  });
});
