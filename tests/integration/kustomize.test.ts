import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { readTemplate } from '../../lib/adapters/template-files.js';
import { writeTree } from '../../lib/adapters/tree.js';
import { render } from '../../lib/generator/render.js';
import { ROOT } from '../helpers/cli.js';
import { validateObject } from '../helpers/k8s-models.js';
import { findTool } from '../helpers/tools.js';

const kustomize = findTool('kustomize', 'KUSTOMIZE_BIN');

function build(dir: string): { apiVersion: string; kind: string; metadata: { name: string } }[] {
  const out = execFileSync('path' in kustomize ? kustomize.path : 'kustomize', ['build', dir], {
    encoding: 'utf8',
  });
  return parseAllDocuments(out).map(
    (d) => d.toJS() as { apiVersion: string; kind: string; metadata: { name: string } },
  );
}

const serviceDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'svc-k8s-'));
  writeTree(
    dir,
    render(readTemplate(ROOT).files, { name: 'orders-api', description: 'x' }).filter((f) =>
      f.path.startsWith('k8s/'),
    ),
  );
  return join(dir, 'k8s');
};

describe(
  'kustomize builds every kustomization, and the output validates against Kubernetes schemas',
  { skip: 'skip' in kustomize ? kustomize.skip : false },
  () => {
    const cases: [string, () => string, number][] = [
      ['k8s/namespaces', () => join(ROOT, 'k8s', 'namespaces'), 11],
      ['k8s/redpanda', () => join(ROOT, 'k8s', 'redpanda'), 5],
      ['service-template/k8s (rendered)', serviceDir, 4],
      ['examples/demo-service/k8s', () => join(ROOT, 'examples', 'demo-service', 'k8s'), 4],
    ];
    for (const [name, dir, count] of cases) {
      it(name, () => {
        const objects = build(dir());
        assert.equal(objects.length, count);
        for (const o of objects) {
          assert.doesNotThrow(() => {
            validateObject(o);
          }, `${o.kind} ${o.metadata.name}`);
        }
      });
    }
  },
);
