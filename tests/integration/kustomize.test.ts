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

// kubectl's built-in kustomize (kubectl 1.35: kustomize v5.7, the engine `kubectl apply -k` and the tasks use).
const kubectl = findTool('kubectl', 'KUBECTL_BIN');

type Built = { apiVersion: string; kind: string; metadata: { name: string } };

/** kustomize's output, read the way kubectl reads YAML (1.1: `yes`, `on`, `null` are not strings). */
function build(dir: string): Built[] {
  const out = execFileSync('path' in kubectl ? kubectl.path : 'kubectl', ['kustomize', dir], {
    encoding: 'utf8',
  });
  return parseAllDocuments(out, { version: '1.1' }).map(
    (d) => d.toJS() as { apiVersion: string; kind: string; metadata: { name: string } },
  );
}

const serviceDir = (name = 'orders-api'): string => {
  const dir = mkdtempSync(join(tmpdir(), 'svc-k8s-'));
  writeTree(
    dir,
    render(readTemplate(ROOT).files, { name, description: 'x' }).filter((f) => f.path.startsWith('k8s/')),
  );
  return join(dir, 'k8s');
};

describe(
  'kustomize builds every kustomization, and the output validates against Kubernetes schemas',
  { skip: 'skip' in kubectl ? kubectl.skip : false },
  () => {
    const cases: [string, () => string, number][] = [
      ['k8s/namespaces', () => join(ROOT, 'k8s', 'namespaces'), 11],
      ['k8s/redpanda', () => join(ROOT, 'k8s', 'redpanda'), 5],
      ['service-template/k8s (rendered)', () => serviceDir(), 4],
      ['examples/demo-service/k8s', () => join(ROOT, 'examples', 'demo-service', 'k8s'), 4],
    ];
    // Names YAML 1.1 reads as booleans or null when left plain: every value stays the name, a string.
    for (const name of ['yes', 'no', 'on', 'off', 'y', 'n', 'true', 'false', 'null']) {
      it(`a service named "${name}" builds, and every object is named "${name}"`, () => {
        const objects = build(serviceDir(name));
        assert.equal(objects.length, 4);
        for (const o of objects) {
          assert.equal(o.metadata.name, name, `${o.kind}: ${JSON.stringify(o.metadata.name)}`);
          validateObject(o);
        }
        const deployment = objects.find((o) => o.kind === 'Deployment') as unknown as {
          spec: { template: { spec: { containers: { image: string }[] } } };
        };
        assert.equal(deployment.spec.template.spec.containers[0]?.image, `${name}:0.1.0`);
      });
    }
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
