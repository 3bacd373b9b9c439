import { parseWorkflow, type CiJob } from '../ci/workflow.js';
import { parseYaml } from '../yaml-text.js';
import { sameFor, type Observation, type Observations } from './judge.js';

const HOW = '.github/workflows/ci.yml (as configured; GitHub’s runs are not observed from here)';
const FIX = 'docs/ci.md; actionlint and zizmor on .github/workflows/ci.yml';

/** The events a workflow runs on (`on:` as a string, a list or a map). Pure. */
function triggers(source: string): string[] {
  const doc = parseYaml(source);
  const on = doc.ok ? (doc.value as Record<string, unknown> | null)?.on : undefined;
  if (typeof on === 'string') return [on];
  if (Array.isArray(on)) return on.map(String);
  return on !== null && typeof on === 'object' ? Object.keys(on) : [];
}

const runs = (j: CiJob, pattern: RegExp) => j.steps.some((s) => s.kind === 'run' && pattern.test(s.run));
const uses = (j: CiJob, action: string) =>
  j.steps.some((s) => s.kind === 'uses' && s.uses.startsWith(`${action}@`));

/**
 * REQ-0.5/AC1–AC4 from the CI workflow as configured: tests on every push, quality checks, an image, and the
 * image only after the checks pass. Pure; null source = no workflow.
 */
export function ciWorkflowObservations(source: string | null): Observations {
  const ids = ['REQ-0.5/AC1', 'REQ-0.5/AC2', 'REQ-0.5/AC3', 'REQ-0.5/AC4'];
  if (source === null) {
    const none: Observation = {
      kind: 'fact',
      holds: false,
      detail: 'there is no .github/workflows/ci.yml',
      how: HOW,
      fix: FIX,
    };
    return sameFor(ids, none);
  }
  let jobs: CiJob[];
  try {
    jobs = parseWorkflow(source, '.github/workflows/ci.yml');
  } catch (e) {
    const broken: Observation = {
      kind: 'error',
      reason: e instanceof Error ? e.message : String(e),
      fix: FIX,
      how: HOW,
    };
    return sameFor(ids, broken);
  }
  const on = triggers(source);
  // The tests: npm test, the runner itself, or the coverage run around it.
  const tests = jobs.filter((j) => runs(j, /\b(npm (run )?(test|coverage)|test-runner)\b/));
  const checks = jobs.filter((j) => runs(j, /\bnpm run (lint|typecheck)\b/));
  const images = jobs.filter((j) => uses(j, 'docker/build-push-action'));
  const gated = images.filter(
    (i) => checks.every((c) => i.needs.includes(c.id)) && tests.some((t) => i.needs.includes(t.id)),
  );
  const fact = (holds: boolean, yes: string, no: string): Observation => ({
    kind: 'fact',
    holds,
    detail: holds ? yes : no,
    how: HOW,
    fix: FIX,
  });
  return {
    'REQ-0.5/AC1': fact(
      on.includes('push') && tests.length > 0,
      `on ${on.join(', ')}: ${tests.map((j) => j.id).join(', ')} run the tests`,
      `runs on ${on.join(', ') || 'nothing'}; test jobs: ${tests.map((j) => j.id).join(', ') || 'none'}`,
    ),
    'REQ-0.5/AC2': fact(
      checks.length > 0,
      `${checks.map((j) => j.id).join(', ')}: lint, format and typecheck`,
      'no job runs the linters',
    ),
    'REQ-0.5/AC3': fact(
      images.length > 0,
      `${images.map((j) => j.id).join(', ')}: the image with Buildx`,
      'no job builds an image',
    ),
    'REQ-0.5/AC4': fact(
      gated.length > 0,
      `the run fails when any job fails, and ${gated.map((j) => j.id).join(', ')} waits for ${gated[0]?.needs.join(', ') ?? ''}`,
      'the image is built without waiting for the checks and tests',
    ),
  };
}
