import { parseWorkflow, type CiJob } from '../ci/workflow.js';
import { parseYaml } from '../yaml-text.js';
import { sameFor, type Observation, type Observations } from './judge.js';

const HOW = '.github/workflows/ci.yml (as configured; GitHub’s runs are not observed from here)';
const FIX = 'docs/ci.md; actionlint and zizmor on .github/workflows/ci.yml';

type Doc = Record<string, unknown> | null;
const record = (v: unknown): Record<string, unknown> | null =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;

/** The events a workflow runs on (`on:` as a string, a list or a map). Pure. */
function triggers(doc: Doc): string[] {
  const on = doc?.on;
  if (typeof on === 'string') return [on];
  if (Array.isArray(on)) return on.map(String);
  return record(on) !== null ? Object.keys(on as object) : [];
}

/** The filters that make `on: push` run for some pushes only (branches, paths, tags). Pure. */
function pushFilters(doc: Doc): string[] {
  const push = record(record(doc?.on)?.push);
  return push === null ? [] : Object.keys(push);
}

const TESTS = /\b(npm (run )?(test|coverage)|test-runner)\b/;
const CHECKS = /\bnpm run (lint|typecheck)\b/;
/**
 * Why some pushes run no tests, or null: a paths filter skips pushes by what they change, a tags filter
 * alone skips every branch, and a branches filter skips other branches unless pull_request also runs
 * (then every push to a pull request's branch runs the tests). Pure.
 */
function pushesSkipped(filters: readonly string[], on: readonly string[]): string | null {
  const paths = filters.filter((f) => f.startsWith('paths'));
  if (paths.length > 0)
    return `push runs only when its ${paths.join(', ')} filter matches, not on every push`;
  const branches = filters.some((f) => f.startsWith('branches'));
  if (!branches && filters.some((f) => f.startsWith('tags')))
    return 'push runs for tags only, not for pushes to branches';
  if (branches && !on.includes('pull_request') && !on.includes('pull_request_target'))
    return 'push runs on the listed branches only, and no pull_request trigger covers the others';
  return null;
}

/** A test or check that cannot fail the run: `continue-on-error`, or its command ending `|| true`. */
const FORGIVEN = /\|\|\s*(true|:)(\s|$)|;\s*(true|exit 0)\s*$/;
function forgiving(doc: Doc, jobs: readonly CiJob[]): string[] {
  const raw = record(doc?.jobs) ?? {};
  return jobs.flatMap((j) => {
    const job = record(raw[j.id]);
    const steps = Array.isArray(job?.steps) ? (job.steps as unknown[]).map(record) : [];
    const soft = job?.['continue-on-error'] === true ? [`job ${j.id}: continue-on-error`] : [];
    return soft.concat(
      j.steps.flatMap((st, i) =>
        st.kind !== 'run' || !(TESTS.test(st.run) || CHECKS.test(st.run))
          ? []
          : [
              ...(steps[i]?.['continue-on-error'] === true
                ? [`job ${j.id}, step ${st.name}: continue-on-error`]
                : []),
              ...(st.run
                .split('\n')
                .some((line) => (TESTS.test(line) || CHECKS.test(line)) && FORGIVEN.test(line))
                ? [`job ${j.id}, step ${st.name}: its failure is ignored (|| true)`]
                : []),
            ],
      ),
    );
  });
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
  const doc = parseYaml(source);
  const raw: Doc = doc.ok ? record(doc.value) : null;
  const on = triggers(raw);
  const filters = pushFilters(raw);
  const skipped = pushesSkipped(filters, on);
  // The tests: npm test, the runner itself, or the coverage run around it.
  const tests = jobs.filter((j) => runs(j, TESTS));
  const checks = jobs.filter((j) => runs(j, CHECKS));
  const soft = forgiving(raw, [...new Set([...tests, ...checks])]);
  const checked = ['lint', 'typecheck'].filter((c) =>
    checks.some((j) => runs(j, new RegExp(`\\bnpm run ${c}\\b`))),
  );
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
      on.includes('push') && skipped === null && tests.length > 0,
      `on ${on.join(', ')}${filters.length > 0 ? ' (push limited to its branches, and every push to a pull request’s branch through pull_request)' : ''}: ${tests.map((j) => j.id).join(', ')} run the tests`,
      skipped ??
        `runs on ${on.join(', ') || 'nothing'}; test jobs: ${tests.map((j) => j.id).join(', ') || 'none'}`,
    ),
    'REQ-0.5/AC2': fact(
      checks.length > 0,
      `${checks.map((j) => j.id).join(', ')}: npm run ${checked.join(', npm run ')}`,
      'no job runs the linters',
    ),
    'REQ-0.5/AC3': fact(
      images.length > 0,
      `${images.map((j) => j.id).join(', ')}: the image with Buildx`,
      'no job builds an image',
    ),
    'REQ-0.5/AC4': fact(
      gated.length > 0 && soft.length === 0,
      `the run fails when any job fails, and ${gated.map((j) => j.id).join(', ')} waits for ${gated[0]?.needs.join(', ') ?? ''}`,
      soft.length > 0
        ? `a failing check or test still lets the run pass: ${soft.join('; ')}`
        : 'the image is built without waiting for the checks and tests',
    ),
  };
}
