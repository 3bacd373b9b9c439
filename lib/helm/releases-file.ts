import * as v from 'valibot';
import { FoundationError } from '../errors.js';
import { fileIssue, mapping } from '../file-schema.js';
import { parseYaml } from '../yaml-text.js';

/** One Helm release of the platform, as k8s/observability/releases.yaml declares it. */
export interface ReleaseSpec {
  readonly release: string;
  /** The task that installs it, e.g. `0-4`. */
  readonly task: string;
  readonly namespace: string;
  /** The chart repository's alias, e.g. `prometheus-community` (HELM_REPO_<ALIAS> overrides its URL). */
  readonly repo: string;
  /** The repository's public URL (`oci://…` where upstream publishes one, else `https://…`). */
  readonly url: string;
  readonly chart: string;
  /** The pinned chart version (exact, never a range). */
  readonly version: string;
  /** The values file, relative to the releases file's directory. */
  readonly values: string;
  /** How long `helm upgrade --install --wait` may take, as helm reads it (e.g. `10m`). */
  readonly timeout: string;
  /** Workloads the release runs without its instance label (`statefulset/<name>`). */
  readonly workloads: readonly string[];
}

/** A string that matches `pattern`, or `message`. */
const matching = (pattern: RegExp, message: string) => v.pipe(v.string(), v.regex(pattern, message));

const DNS1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_MESSAGE = 'a DNS-1123 name: lowercase letters, digits and "-"';
const dns1123 = matching(DNS1123, DNS1123_MESSAGE);
const dns1123Of = (max: number) => v.pipe(v.string(), v.regex(DNS1123, DNS1123_MESSAGE), v.maxLength(max));

const releaseSchema = mapping(
  v.strictObject({
    release: dns1123Of(53),
    task: matching(/^\d+-\d+$/, 'a task id like 0-4'),
    namespace: dns1123Of(63),
    repo: dns1123,
    url: matching(/^(oci|https?):\/\/[^\s]+$/, 'the chart repository URL (oci://… or https://…)'),
    chart: dns1123,
    version: matching(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, 'an exact chart version like 88.5.3'),
    values: matching(/^[\w./-]+\.ya?ml$/, 'a relative path to a .yaml file'),
    timeout: matching(/^(\d+[hms])+$/, 'a duration like 10m or 1m30s'),
    workloads: v.optional(
      v.array(matching(/^(deployment|statefulset|daemonset)\/[a-z0-9][-a-z0-9.]*$/, 'kind/name')),
    ),
  }),
);

const fileSchema = mapping(v.strictObject({ releases: v.pipe(v.array(releaseSchema), v.minLength(1)) }));

function malformed(file: string, problems: string[]): FoundationError {
  return new FoundationError(
    'E_RELEASES_FILE_MALFORMED',
    `${file} is malformed:\n  - ${problems.join('\n  - ')}`,
    `fix ${file}; each release needs release, task, namespace, repo, url, chart, version, values and timeout`,
  );
}

/** Parse and validate the releases file. Pure. Problems name the file, the release and the field. */
export function parseReleasesFile(text: string, file: string): ReleaseSpec[] {
  const yaml = parseYaml(text);
  if (!yaml.ok) throw malformed(file, yaml.problems);
  const raw = yaml.value as { releases?: { release?: unknown }[] } | null;
  const parsed = v.safeParse(fileSchema, raw);
  if (!parsed.success) {
    throw malformed(
      file,
      parsed.issues.map(fileIssue).map((issue) => {
        const [, index, ...rest] = issue.path;
        if (typeof index !== 'number') return `${issue.path.join('.') || 'file'}: ${issue.message}`;
        const name = raw?.releases?.[index]?.release;
        const where = `release ${typeof name === 'string' ? name : `#${String(index + 1)}`}`;
        return `${where}${rest.length > 0 ? ` ${rest.join('.')}` : ''}: ${issue.message}`;
      }),
    );
  }
  const names = parsed.output.releases.map((r) => `${r.namespace}/${r.release}`);
  const twice = names.filter((n, i) => names.indexOf(n) !== i);
  if (twice.length > 0) throw malformed(file, [`release ${twice[0] ?? ''} is declared twice`]);
  return parsed.output.releases.map((r) => ({ ...r, workloads: r.workloads ?? [] }));
}
