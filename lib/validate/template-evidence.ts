import { generateService } from '../commands/new-service.js';
import type { Generator } from '../ports/generator.js';
import type { Observation, Observations } from './judge.js';

/** What the service's k8s/ must hold to be deployed and scraped (REQ-0.8/AC3). */
const KINDS = ['Deployment', 'Service', 'ServiceMonitor'];

/** What a service generated now (in memory, never written) contains, and how long generating took. */
export function templateObservations(generator: Generator): Promise<Observations> {
  const started = performance.now();
  const files = generateService(generator.template(), 'validate-probe', 'made by foundation validate');
  const ms = performance.now() - started;
  const text = (path: string) => files.find((f) => f.path === path)?.content ?? '';
  const has = (path: string) => files.some((f) => f.path === path);
  const src = files
    .filter((f) => f.path.startsWith('src/'))
    .map((f) => f.content)
    .join('\n');
  const how = 'the template rendered in memory as `foundation new service validate-probe` would write it';
  const fact = (holds: boolean, yes: string, no: string): Observation => ({
    kind: 'fact',
    holds,
    detail: holds ? yes : no,
    how,
    fix: 'see service-template/ (foundation run 0-10)',
  });
  const routes = ['/metrics', '/health', '/ready'].filter((r) => src.includes(`'${r}'`));
  const tests = files.filter((f) => f.path.startsWith('test/') && f.path.endsWith('.test.ts')).length;
  const testScript = /"test":\s*"[^"]+"/.test(text('package.json'));
  const manifests = files.filter((f) => f.path.startsWith('k8s/'));
  return Promise.resolve({
    'REQ-0.8/AC1': {
      kind: 'value',
      value: Math.round(ms * 10) / 10,
      unit: 'ms',
      how: `${how} (${files.length} files)`,
    },
    'REQ-0.8/AC2': fact(
      routes.length === 3 && src.includes('pino'),
      'routes /metrics, /health, /ready and JSON logs (pino)',
      `missing: ${['/metrics', '/health', '/ready'].filter((r) => !routes.includes(r)).join(', ') || 'JSON logs'}`,
    ),
    'REQ-0.8/AC3': fact(
      has('Dockerfile') && KINDS.every((k) => manifests.some((f) => f.content.includes(`kind: ${k}`))),
      `a Dockerfile and k8s/ manifests (${KINDS.join(', ')})`,
      `no Dockerfile, or k8s/ lacks a ${KINDS.filter((k) => !manifests.some((f) => f.content.includes(`kind: ${k}`))).join(', ') || 'manifest'}`,
    ),
    'REQ-0.8/AC4': fact(
      tests > 0 && testScript,
      `npm test runs ${tests} test file(s) with node:test`,
      'no test script or no tests',
    ),
  });
}
