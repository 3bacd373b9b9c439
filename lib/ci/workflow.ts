import { FoundationError } from '../errors.js';
import { parseYaml } from '../yaml-text.js';

/** One step of a GitHub Actions job: a shell script to run, or an action only GitHub runs. */
export type CiStep =
  | {
      readonly kind: 'run';
      readonly name: string;
      readonly run: string;
      readonly workingDirectory?: string;
      /** The step's `env:` values that are plain text (ones reading GitHub expressions are GitHub's). */
      readonly env?: Readonly<Record<string, string>>;
    }
  | { readonly kind: 'uses'; readonly name: string; readonly uses: string };

export interface CiJob {
  readonly id: string;
  readonly name: string;
  readonly needs: readonly string[];
  readonly steps: readonly CiStep[];
}

const bad = (path: string, what: string): FoundationError =>
  new FoundationError(
    'E_CONFIG_INVALID',
    `${path}: ${what}`,
    `correct ${path} (actionlint ${path} says more)`,
  );

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** A step's `env:` without the values GitHub computes (`${{ … }}`): those have no local meaning. */
function plainEnv(raw: unknown): Record<string, string> | undefined {
  if (raw === null || typeof raw !== 'object') return undefined;
  const kept = Object.entries(raw as Record<string, unknown>).filter(
    (e): e is [string, string | number | boolean] =>
      ['string', 'number', 'boolean'].includes(typeof e[1]) && !String(e[1]).includes('${{'),
  );
  return kept.length === 0 ? undefined : Object.fromEntries(kept.map(([k, v]) => [k, String(v)]));
}

/** The jobs of a workflow file with their steps, in file order. Pure. */
export function parseWorkflow(source: string, path: string): CiJob[] {
  const doc = parseYaml(source);
  if (!doc.ok) throw bad(path, `not YAML (${doc.problems.join('; ')})`);
  const jobs = (doc.value as { jobs?: unknown } | null)?.jobs;
  if (jobs === null || typeof jobs !== 'object') throw bad(path, 'no jobs');
  return Object.entries(jobs as Record<string, unknown>).map(([id, raw]) => {
    const job = (raw ?? {}) as { name?: unknown; needs?: unknown; steps?: unknown };
    const needs =
      typeof job.needs === 'string' ? [job.needs] : Array.isArray(job.needs) ? job.needs.map(String) : [];
    if (!Array.isArray(job.steps)) throw bad(path, `job ${id} has no steps`);
    const steps = job.steps.map((s: unknown, i: number): CiStep => {
      const step = (s ?? {}) as Record<string, unknown>;
      // `run: true` is a YAML boolean to a parser, a command to GitHub.
      const run =
        typeof step.run === 'boolean' || typeof step.run === 'number' ? String(step.run) : text(step.run);
      const uses = text(step.uses);
      const name = text(step.name) ?? run?.split('\n')[0] ?? uses?.replace(/@.*/, '') ?? `step ${i + 1}`;
      if (run !== undefined) {
        const dir = text(step['working-directory']);
        const env = plainEnv(step.env);
        return {
          kind: 'run',
          name,
          run,
          ...(dir === undefined ? {} : { workingDirectory: dir }),
          ...(env === undefined ? {} : { env }),
        };
      }
      if (uses !== undefined) return { kind: 'uses', name, uses };
      throw bad(path, `job ${id}, step ${i + 1}: neither run nor uses`);
    });
    return { id, name: (text(job.name) ?? id).replace(/\s+#.*$/, ''), needs, steps };
  });
}

/** Jobs in an order that respects `needs` (file order among independent ones). Pure. */
export function jobOrder(jobs: readonly CiJob[], path: string): CiJob[] {
  const byId = new Map(jobs.map((j) => [j.id, j]));
  for (const j of jobs)
    for (const n of j.needs)
      if (!byId.has(n)) throw bad(path, `job ${j.id} needs ${n}, which does not exist`);
  const done = new Set<string>();
  const out: CiJob[] = [];
  while (out.length < jobs.length) {
    const next = jobs.find((j) => !done.has(j.id) && j.needs.every((n) => done.has(n)));
    if (next === undefined)
      throw bad(
        path,
        `jobs need each other in a cycle: ${jobs
          .filter((j) => !done.has(j.id))
          .map((j) => j.id)
          .join(', ')}`,
      );
    done.add(next.id);
    out.push(next);
  }
  return out;
}

/** A step a local run cannot do as GitHub would: an action, or a script reading GitHub's expressions. */
export function localSkip(step: CiStep): string | null {
  if (step.kind === 'uses') return `the action ${step.uses.replace(/@.*/, '')} runs on GitHub only`;
  if (step.run.includes('${{')) return 'it reads GitHub expressions (${{ … }})';
  return null;
}
