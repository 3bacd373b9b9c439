// REQ-0.6/AC4 "services get credentials at runtime, not at build time", read from what a service is built
// and deployed from: its Dockerfile bakes no credential into the image (no secret-named ARG or ENV, no
// .env copied in), and its Kubernetes manifests take credentials from Secrets (secretKeyRef, secretRef),
// never as literal values or in a ConfigMap. Pure: files in, findings out.
import { parseAllDocuments } from 'yaml';
import type { TemplateFile } from '../ports/generator.js';
import { SECRET_NAME } from '../telemetry/secret-values.js';
import { yamlRecord } from '../yaml-text.js';
import { KUSTOMIZATION_NAMES, kustomizationRefs, servicePath } from './service-files.js';
import { asRecord, asList, type PlainRecord } from '../model/plain-data.js';

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

function manifestFindings(path: string, text: string, problems: string[], fromSecrets: string[]): void {
  for (const doc of parseAllDocuments(text)) {
    const js = doc.toJS() as unknown;
    if (Array.isArray(js)) jsonPatchFindings(path, js, problems);
    const m = asRecord(js);
    if (m === undefined) continue;
    if (m.kind === 'ConfigMap')
      for (const [key, value] of Object.entries(asRecord(m.data) ?? {})) {
        if (SECRET_NAME.test(key))
          problems.push(`${path}: ConfigMap key ${key} (a ConfigMap is not a Secret)`);
        else if (typeof value === 'string' && URL_PASSWORD.test(value))
          problems.push(`${path}: ConfigMap key ${key} holds a password in its URL`);
      }
    // A Deployment's, StatefulSet's, DaemonSet's or Job's pod template; a CronJob's; a Pod's own spec.
    const spec = asRecord(m.spec);
    const pod =
      asRecord(asRecord(asRecord(asRecord(spec?.jobTemplate)?.spec)?.template)?.spec) ??
      asRecord(asRecord(spec?.template)?.spec) ??
      spec;
    const containers = [...asList(pod?.containers), ...asList(pod?.initContainers)].map(asRecord);
    for (const c of containers) {
      for (const e of asList(c?.env).map(asRecord)) {
        const name = typeof e?.name === 'string' ? e.name : '?';
        const ref = asRecord(asRecord(e?.valueFrom)?.secretKeyRef);
        if (ref !== undefined) fromSecrets.push(`${name} (Secret ${String(ref.name)})`);
        else if (typeof e?.value === 'string' && e.value !== '') {
          if (SECRET_NAME.test(name)) problems.push(`${path}: env ${name} is a literal value`);
          else if (URL_PASSWORD.test(e.value))
            problems.push(`${path}: env ${name} holds a password in its URL`);
        }
      }
      for (const from of asList(c?.envFrom).map(asRecord)) {
        const secret = asRecord(from?.secretRef);
        if (secret !== undefined) fromSecrets.push(`every key of Secret ${String(secret.name)}`);
      }
    }
  }
}

/** A literal env entry `{ name, value }` anywhere in a JSON 6902 patch's values (`op: add …/env/-`). */
function jsonPatchFindings(path: string, ops: unknown[], problems: string[]): void {
  const walk = (v: unknown): void => {
    const o = asRecord(v);
    if (o !== undefined && typeof o.name === 'string' && typeof o.value === 'string' && o.value !== '') {
      if (SECRET_NAME.test(o.name)) problems.push(`${path}: a patch sets env ${o.name} to a literal value`);
      else if (URL_PASSWORD.test(o.value))
        problems.push(`${path}: a patch sets env ${o.name} to a URL with a password`);
    }
    for (const child of o !== undefined ? Object.values(o) : asList(v)) walk(child);
  };
  for (const op of ops) walk(asRecord(op)?.value);
}

/** `KEY=value` lines of a generator's env file or literals; comments and bare keys aside. */
const pairs = (lines: readonly string[]): [string, string][] =>
  lines
    .map((l) => l.trim())
    .filter((l) => l.includes('=') && !l.startsWith('#'))
    .map((l) => [l.slice(0, l.indexOf('=')).trim(), l.slice(l.indexOf('=') + 1)]);

/**
 * A kustomization's own credentials: a ConfigMap generated with a secret-named key or a URL password (from
 * literals or an env file), a Secret generated from literals written in it (so in git), inline patches.
 */
function kustomizationFindings(
  { path, folder, k }: Kustomization,
  files: readonly TemplateFile[],
  problems: string[],
  fromSecrets: string[],
): void {
  const content = (p: string): string[] =>
    (files.find((f) => f.path === servicePath(folder, p, Infinity))?.content ?? '').split(/\r?\n/);
  for (const g of asList(k.configMapGenerator).map(asRecord)) {
    const name = `configMapGenerator ${String(g?.name)}`;
    // Env files are KEY=value lines, each a key; a `files` entry is one key holding the whole file.
    const envFiles = [...asList(g?.envs), g?.env].filter((e): e is string => typeof e === 'string');
    const literal = pairs(asList(g?.literals).map(String));
    const fromFiles = envFiles.flatMap((p) => pairs(content(p)));
    for (const [key, value] of [...literal, ...fromFiles]) {
      if (SECRET_NAME.test(key)) problems.push(`${path}: ${name} key ${key} (a ConfigMap is not a Secret)`);
      else if (URL_PASSWORD.test(value))
        problems.push(`${path}: ${name} key ${key} holds a password in its URL`);
    }
    for (const entry of asList(g?.files).map(String)) {
      const key = entry.includes('=')
        ? entry.slice(0, entry.indexOf('='))
        : (entry.split('/').at(-1) ?? entry);
      if (SECRET_NAME.test(key.replace(/\.[^.]*$/, '')))
        problems.push(`${path}: ${name} file ${key} (a ConfigMap is not a Secret)`);
    }
  }
  for (const g of asList(k.secretGenerator).map(asRecord)) {
    for (const [key, value] of pairs(asList(g?.literals).map(String)))
      if (value !== '')
        problems.push(
          `${path}: secretGenerator ${String(g?.name)} literal ${key} writes the credential into the kustomization (and git)`,
        );
    fromSecrets.push(`Secret ${String(g?.name)} generated by kustomize`);
  }
  const inline = [
    ...[...asList(k.patches), ...asList(k.patchesJson6902)].map((p) => asRecord(p)?.patch),
    ...asList(k.patchesStrategicMerge).filter((p) => typeof p === 'string' && p.includes('\n')),
  ].filter((p): p is string => typeof p === 'string');
  for (const patch of inline) manifestFindings(`${path} (inline patch)`, patch, problems, fromSecrets);
}

/**
 * A kustomization among a service's files, parsed (once); `folder` is where its paths start. Its paths
 * are looked up among the files read (servicePath with no bound: readServiceFiles bounded them).
 */
interface Kustomization {
  readonly path: string;
  readonly folder: string;
  readonly k: PlainRecord;
}

/** The kustomizations among `files` that parse, and whether there is any (parsed or not). */
function kustomizationsOf(files: readonly TemplateFile[]): { parsed: Kustomization[]; any: boolean } {
  const named = files.filter((f) => KUSTOMIZATION_NAMES.includes(f.path.split('/').at(-1) ?? ''));
  const parsed = named.flatMap((f) => {
    const k = yamlRecord(f.content);
    return k === undefined ? [] : [{ path: f.path, folder: f.path.split('/').slice(0, -1).join('/'), k }];
  });
  return { parsed, any: named.length > 0 };
}

/** The manifests and patch files the kustomizations list (a generator's source files are not manifests). */
function listedManifests(kustomizations: readonly Kustomization[]): Set<string> {
  return new Set(
    kustomizations.flatMap(({ folder, k }) =>
      kustomizationRefs(k)
        .manifests.map((p) => servicePath(folder, p, Infinity))
        .filter((p): p is string => p !== null),
    ),
  );
}

/** One service's files (paths relative to it): Dockerfile(s), .dockerignore, k8s/ manifests, kustomizations. */
export function serviceCredentials(files: readonly TemplateFile[]): CredentialFindings {
  const problems: string[] = [];
  const fromSecrets: string[] = [];
  const dockerignore = files.find((f) => f.path === '.dockerignore')?.content;
  const kustomizations = kustomizationsOf(files);
  // Without a kustomization, every k8s/ YAML or JSON file is a manifest.
  const listed = kustomizations.any ? listedManifests(kustomizations.parsed) : null;
  const parsed = new Map(kustomizations.parsed.map((k) => [k.path, k]));
  for (const f of files) {
    const base = f.path.split('/').at(-1) ?? '';
    const kustomization = parsed.get(f.path);
    if (/(^|\/)Dockerfile[^/]*$/.test(f.path))
      problems.push(...dockerfileProblems(f.path, f.content, dockerignore));
    else if (kustomization !== undefined) kustomizationFindings(kustomization, files, problems, fromSecrets);
    else if (KUSTOMIZATION_NAMES.includes(base))
      continue; // one that does not parse: nothing to read
    else if (listed === null ? /^k8s\/.*\.(ya?ml|json)$/.test(f.path) : listed.has(f.path))
      manifestFindings(f.path, f.content, problems, fromSecrets);
  }
  return { problems, fromSecrets };
}
