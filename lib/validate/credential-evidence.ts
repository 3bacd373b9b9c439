// REQ-0.6/AC4 "services get credentials at runtime, not at build time", read from what a service is built
// and deployed from: its Dockerfile bakes no credential into the image (no secret-named ARG or ENV, no
// .env copied in), and its Kubernetes manifests take credentials from Secrets (secretKeyRef, secretRef),
// never as literal values or in a ConfigMap. Pure: files in, findings out.
import { parseAllDocuments } from 'yaml';
import type { TemplateFile } from '../ports/generator.js';
import { SECRET_NAME } from '../telemetry/secret-values.js';

export interface CredentialFindings {
  /** What builds a credential into an image, or hands it over in the open, `file: what`. */
  readonly problems: readonly string[];
  /** Variables taken from a Secret at runtime, `NAME (Secret name)`. */
  readonly fromSecrets: readonly string[];
}

/** `scheme://user:password@` (the user may be empty) with a password that is not a `$(VAR)` resolved in the pod. */
const URL_PASSWORD = /:\/\/[^:/@\s]*:(?!\$\([A-Za-z_][A-Za-z0-9_]*\)@)[^@\s]+@/;

/** The names an ARG or ENV instruction sets: `NAME=value …` (values quoted or not), or the old `ENV NAME value`. */
function namesSet(op: string, args: string): string[] {
  const first = args.split(/\s+/)[0] ?? '';
  if (op === 'ENV' && !first.includes('=')) return [first];
  const names: string[] = [];
  // Each NAME=, or a bare NAME (ARG), taken in order past the quoted values, so words inside a value are not names.
  const token = /([A-Za-z_][A-Za-z0-9_]*)(?:=("(?:[^"\\]|\\.)*"|'[^']*'|\S*))?(?:\s+|$)/gy;
  for (let m = token.exec(args); m !== null && m[0] !== ''; m = token.exec(args)) names.push(m[1] ?? '');
  return names;
}

/** The sources of a COPY or ADD, in either form: `COPY a b dest` or `COPY ["a", "b", "dest"]`, flags aside. */
function copySources(args: string): string[] {
  const rest = args.replace(/^(?:--\S+\s+)*/, '');
  if (rest.startsWith('[')) {
    try {
      const parts = JSON.parse(rest) as unknown;
      return Array.isArray(parts) ? parts.slice(0, -1).map(String) : [];
    } catch {
      return [];
    }
  }
  return rest.split(/\s+/).slice(0, -1);
}

/** Dockerfile instructions, continuation lines joined, comments and blank lines dropped. */
function instructions(text: string): { op: string; args: string }[] {
  const joined = text.replace(/\\\r?\n/g, ' ');
  return joined
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const [op = '', ...rest] = l.split(/\s+/);
      return { op: op.toUpperCase(), args: rest.join(' ') };
    });
}

/** Does .dockerignore keep `.env` out of the build context? */
const ignoresEnv = (dockerignore: string | undefined): boolean =>
  (dockerignore ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .some((l) => /^(\*\*\/)?\.env\*?$/.test(l) || l === '*');

function dockerfileProblems(path: string, text: string, dockerignore: string | undefined): string[] {
  const out: string[] = [];
  for (const { op, args } of instructions(text)) {
    if (op === 'ARG' || op === 'ENV') {
      for (const name of namesSet(op, args).filter((n) => SECRET_NAME.test(n)))
        out.push(`${path}: ${op} ${name} builds a credential into the image (its history keeps it)`);
    }
    if ((op === 'COPY' || op === 'ADD') && !/--from=/.test(args)) {
      const sources = copySources(args).map((a) => a.replace(/\/$/, '') || '.');
      if (sources.some((s) => /(^|\/)\.env$/.test(s)))
        out.push(`${path}: ${op} ${args} copies .env into the image`);
      else if (sources.some((s) => s === '.') && !ignoresEnv(dockerignore))
        out.push(`${path}: ${op} ${args} copies the whole folder, and .dockerignore does not keep .env out`);
    }
  }
  return out;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
const list = (v: unknown): unknown[] => (Array.isArray(v) ? (v as unknown[]) : []);

function manifestFindings(path: string, text: string, problems: string[], fromSecrets: string[]): void {
  for (const doc of parseAllDocuments(text)) {
    const m = obj(doc.toJS() as unknown);
    if (m === undefined) continue;
    if (m.kind === 'ConfigMap')
      for (const [key, value] of Object.entries(obj(m.data) ?? {})) {
        if (SECRET_NAME.test(key))
          problems.push(`${path}: ConfigMap key ${key} (a ConfigMap is not a Secret)`);
        else if (typeof value === 'string' && URL_PASSWORD.test(value))
          problems.push(`${path}: ConfigMap key ${key} holds a password in its URL`);
      }
    // A Deployment's, StatefulSet's, DaemonSet's or Job's pod template; a CronJob's; a Pod's own spec.
    const spec = obj(m.spec);
    const pod =
      obj(obj(obj(obj(spec?.jobTemplate)?.spec)?.template)?.spec) ?? obj(obj(spec?.template)?.spec) ?? spec;
    const containers = [...list(pod?.containers), ...list(pod?.initContainers)].map(obj);
    for (const c of containers) {
      for (const e of list(c?.env).map(obj)) {
        const name = typeof e?.name === 'string' ? e.name : '?';
        const ref = obj(obj(e?.valueFrom)?.secretKeyRef);
        if (ref !== undefined) fromSecrets.push(`${name} (Secret ${String(ref.name)})`);
        else if (typeof e?.value === 'string' && e.value !== '') {
          if (SECRET_NAME.test(name)) problems.push(`${path}: env ${name} is a literal value`);
          else if (URL_PASSWORD.test(e.value))
            problems.push(`${path}: env ${name} holds a password in its URL`);
        }
      }
      for (const from of list(c?.envFrom).map(obj)) {
        const secret = obj(from?.secretRef);
        if (secret !== undefined) fromSecrets.push(`every key of Secret ${String(secret.name)}`);
      }
    }
  }
}

/** One service's files (paths relative to it): its Dockerfile(s), .dockerignore and k8s/ manifests. */
export function serviceCredentials(files: readonly TemplateFile[]): CredentialFindings {
  const problems: string[] = [];
  const fromSecrets: string[] = [];
  const dockerignore = files.find((f) => f.path === '.dockerignore')?.content;
  for (const f of files) {
    if (/(^|\/)Dockerfile[^/]*$/.test(f.path))
      problems.push(...dockerfileProblems(f.path, f.content, dockerignore));
    else if (f.path.startsWith('k8s/') && /\.ya?ml$/.test(f.path))
      manifestFindings(f.path, f.content, problems, fromSecrets);
  }
  return { problems, fromSecrets };
}

/**
 * A service's build and deploy files as kustomize and docker see them: Dockerfile, .dockerignore, and the
 * k8s/ manifests its kustomization.yaml lists. `read` answers null for a file that is not there.
 */
export async function readServiceFiles(
  read: (path: string) => Promise<string | null>,
  dir: string,
): Promise<TemplateFile[]> {
  const at = async (path: string): Promise<TemplateFile[]> => {
    const content = await read(`${dir}/${path}`);
    return content === null ? [] : [{ path, content }];
  };
  const kustomization = await read(`${dir}/k8s/kustomization.yaml`);
  const parsed = obj(
    kustomization === null ? undefined : (parseAllDocuments(kustomization)[0]?.toJS() as unknown),
  );
  const resources = list(parsed?.resources).filter(
    (r): r is string => typeof r === 'string' && /\.ya?ml$/.test(r),
  );
  const parts = await Promise.all(
    ['Dockerfile', '.dockerignore', ...resources.map((r) => `k8s/${r}`)].map(at),
  );
  return parts.flat();
}
