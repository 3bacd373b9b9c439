import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateTools, type ToolProbe } from '../../lib/prereqs/evaluate.js';
import { parseVersion } from '../../lib/prereqs/tools.js';

describe('tool versions', () => {
  const table: [string, string | null][] = [
    ['v24.21.0', '24.21.0'],
    ['git version 2.39.5', '2.39.5'],
    ['{"clientVersion":{"gitVersion":"v1.35.2"}}', '1.35.2'],
    ['v3.17.1+g980d8ac', '3.17.1'],
    ['k3d version v5.9.0\nk3s version v1.35.5-k3s1', '5.9.0'],
    ['Docker version 28.2', '28.2.0'],
    ['Task version: v3.53.1 (h1:AbC)', '3.53.1'],
    ['no version here', null],
  ];
  for (const [output, version] of table) {
    it(`reads ${JSON.stringify(output.slice(0, 24))}`, () => {
      assert.equal(parseVersion(output), version);
    });
  }

  it('finds missing, too old and unreachable, each with a hint', () => {
    const probes: ToolProbe[] = [
      { name: 'docker', found: true, version: '28.2.2', daemon: null },
      { name: 'kubectl', found: true, version: '1.20.2' },
      { name: 'helm', found: false, version: null },
      { name: 'k3d', found: true, version: '5.9.0' },
      { name: 'go-task', found: true, version: '3.53.1' },
      { name: 'gitleaks', found: true, version: '8.18.4' },
      { name: 'node', found: true, version: '20.20.2' },
      { name: 'git', found: true, version: '2.39.5' },
    ];
    const problems = evaluateTools(probes, 'linux').map((p) => `${p.name}:${p.problem}`);
    assert.deepEqual(problems, [
      'docker:daemon not reachable',
      'kubectl:too old',
      'helm:missing',
      'gitleaks:too old',
      'node:too old',
    ]);
  });

  it('asks each target only for what it uses: k3d for k3d, kubectl and helm not for compose, Compose only there', () => {
    const without = (missing: string[]): ToolProbe[] =>
      ['docker', 'docker compose', 'kubectl', 'helm', 'k3d', 'go-task', 'gitleaks', 'node', 'git'].map(
        (name) =>
          missing.includes(name)
            ? { name, found: false, version: null }
            : {
                name,
                found: true,
                version: name === 'node' ? '24.21.0' : '99.0.0',
                ...(name === 'docker' ? { daemon: '99.0.0' } : {}),
              },
      );
    const names = (probes: ToolProbe[], target: 'k3d' | 'compose' | 'cluster') =>
      evaluateTools(probes, 'linux', target).map((p) => p.name);
    assert.deepEqual(names(without(['k3d']), 'cluster'), []);
    assert.deepEqual(names(without(['k3d']), 'k3d'), ['k3d']);
    assert.deepEqual(names(without(['kubectl', 'helm', 'k3d']), 'compose'), []);
    assert.deepEqual(names(without(['docker']), 'cluster'), ['docker'], 'the demo image is built locally');
    assert.deepEqual(names(without(['docker compose']), 'compose'), ['docker compose']);
    assert.deepEqual(names(without(['docker compose']), 'k3d'), []);
  });

  it('Compose older than 2.20 (no include with env_file) is too old on the compose target', () => {
    const probes: ToolProbe[] = [
      { name: 'docker', found: true, version: '28.2.2', daemon: '20.10.24' },
      { name: 'docker compose', found: true, version: '2.17.3' },
      { name: 'go-task', found: true, version: '3.53.1' },
      { name: 'gitleaks', found: true, version: '8.30.1' },
      { name: 'node', found: true, version: '24.21.0' },
      { name: 'git', found: true, version: '2.39.5' },
    ];
    const problems = evaluateTools(probes, 'linux', 'compose');
    assert.deepEqual(
      problems.map((p) => [p.name, p.problem, p.detail]),
      [['docker compose', 'too old', '2.17.3 < 2.20.0']],
    );
    const oldEngine = evaluateTools(
      probes.map((p) => (p.name === 'docker' ? { ...p, daemon: '19.3.14' } : p)),
      'linux',
      'compose',
    );
    assert.deepEqual(
      oldEngine.map((p) => [p.name, p.detail]),
      [
        ['docker', 'engine 19.3.14 < 20.10.5'],
        ['docker compose', '2.17.3 < 2.20.0'],
      ],
    );
  });
});
