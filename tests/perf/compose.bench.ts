// `npm run bench -- compose`: task 0-7 on the real Docker engine (the test harness's), on a project of
// three stand-in services that mount the configuration 0-7 renders and carry its hash (the platform's
// images cannot be pulled here). Figures: a cold `up --wait` (render, create, healthy), a no-op check when
// converged, and the recreate of one service after a retention change. Median of 3 rounds.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import compose from '../../tasks/07-compose.js';
import { ensureStarted, stopAll } from '../../scripts/test-servers/manager.js';
import { clusterWorkspace, packageCopy, runTasks } from '../helpers/cluster.js';
import { standIn, writeProject } from '../helpers/compose-project.js';
import { ensureNodeImage } from '../helpers/images.js';
import { madeUpSecret } from '../helpers/fixtures.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

export async function benchCompose(): Promise<Record<string, number | string>> {
  const root = mkdtempSync(join(tmpdir(), 'foundation-bench-'));
  const docker = await ensureStarted(root, 'docker');
  Object.assign(process.env, docker.env);
  const ws = clusterWorkspace(
    `GRAFANA_ADMIN_PASSWORD=${madeUpSecret('grafana')}\nPOSTGRES_PASSWORD=${madeUpSecret('postgres')}\nREDIS_PASSWORD=${madeUpSecret('redis')}\n`,
  );
  const up: number[] = [];
  const noop: number[] = [];
  const recreate: number[] = [];
  try {
    ensureNodeImage();
    for (let round = 0; round < 3; round++) {
      const pkg = packageCopy();
      const dir = mkdtempSync(join(pkg, 'compose-'));
      const file = writeProject(
        dir,
        'docker-compose.yml',
        `fdn-bench-${round}-${Date.now().toString(36)}`,
        [
          standIn('prometheus', { dir: 'prometheus', setting: 'PROMETHEUS_RETENTION' }),
          standIn('loki', { dir: 'loki', setting: 'LOKI_MEMORY' }),
          standIn('redpanda'),
        ].join(''),
        ['prometheus-data', 'loki-data', 'redpanda-data'],
      );
      const run = async () => {
        const t = performance.now();
        const r = await runTasks([compose], {
          workspace: ws,
          target: 'compose',
          packageRoot: pkg,
          config: { composeFile: file },
        });
        const outcome = r.get('0-7')?.outcome;
        if (outcome !== 'changed' && outcome !== 'ok')
          throw new Error(`0-7 ${outcome ?? '?'}: ${r.get('0-7')?.reason ?? ''}`);
        return performance.now() - t;
      };
      try {
        up.push(await run());
        noop.push(await run());
        const values = join(pkg, 'k8s', 'observability', 'values', 'loki.yaml');
        writeFileSync(values, readFileSync(values, 'utf8').replace('336h', '240h'));
        recreate.push(await run());
      } finally {
        const env = Object.fromEntries(
          readFileSync(join(dir, 'generated', 'infra.env'), 'utf8')
            .split('\n')
            .filter((l) => /^[A-Z_]+=/.test(l))
            .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
        );
        spawnSync('docker', ['compose', '-f', file, 'down', '--volumes', '--timeout', '2'], {
          cwd: dir,
          env: { ...process.env, ...env },
        });
      }
    }
  } finally {
    await stopAll(root);
  }
  return {
    name: 'compose',
    services: 3,
    rounds: 3,
    upWaitMs: Math.round(median(up)),
    noopCheckMs: Math.round(median(noop)),
    recreateOneMs: Math.round(median(recreate)),
  };
}
