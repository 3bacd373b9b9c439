// The audit log's pieces agree: the policy k3d's API server is pointed at (mounted by task 0-2), the log
// path it writes, and the file Alloy tails — a path of Foundation's own, so a shared cluster's audit log
// is never shipped; and the policy logs Secrets at the Metadata level only.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { ROOT } from '../helpers/cli.js';

const read = (...p: string[]) => readFileSync(join(ROOT, ...p), 'utf8');

describe('the audit log configuration', () => {
  const k3d = parse(read('k8s', 'k3d-config.yaml')) as {
    options: { k3s: { extraArgs: { arg: string; nodeFilters: string[] }[] } };
  };
  const apiArg = (flag: string) =>
    k3d.options.k3s.extraArgs
      .map((a) => a.arg)
      .find((a) => a.startsWith(`--kube-apiserver-arg=${flag}=`))
      ?.split('=')
      .slice(2)
      .join('=');

  it('k3d points the API server at the mounted policy and a log path Alloy tails, on every server node', () => {
    assert.equal(apiArg('audit-policy-file'), '/etc/foundation/audit/policy.yaml');
    const log = apiArg('audit-log-path') ?? '';
    assert.match(
      log,
      /^\/var\/log\/foundation-audit\//,
      'Foundation’s own path, under the /var/log Alloy mounts',
    );
    assert.ok(k3d.options.k3s.extraArgs.every((a) => a.nodeFilters.join() === 'server:*'));
    const alloy = (
      parse(read('k8s', 'observability', 'values', 'alloy.yaml')) as {
        alloy: { configMap: { content: string } };
      }
    ).alloy.configMap.content;
    assert.ok(alloy.includes(`"__path__" = "${log}"`), 'Alloy tails the same file');
    assert.ok(
      !alloy.includes('"__path__" = "/var/log/kubernetes'),
      'never the usual path of an operator’s log',
    );
  });

  it('the policy: Secrets at the Metadata level (no bodies), nothing else, one event per request', () => {
    const policy = parse(read('k8s', 'audit', 'policy.yaml')) as {
      apiVersion: string;
      kind: string;
      omitStages: string[];
      rules: { level: string; resources?: { group: string; resources: string[] }[] }[];
    };
    assert.deepEqual([policy.apiVersion, policy.kind], ['audit.k8s.io/v1', 'Policy']);
    assert.deepEqual(policy.omitStages, ['RequestReceived']);
    assert.deepEqual(policy.rules, [
      { level: 'Metadata', resources: [{ group: '', resources: ['secrets'] }] },
      { level: 'None' },
    ]);
  });
});
