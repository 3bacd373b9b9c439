import { parse } from 'yaml';
import { valuesDiff } from '../helm/drift.js';
import type { ComposeService } from '../ports/containers.js';
import { CONFIGURED, ENV_FILE, hashVariable, type RenderedStack } from './render.js';

/** One thing that differs between what the sources say and what runs, for one service. */
export interface ServiceDrift {
  readonly service: string;
  /** missing: not there at all; drift: there, but not as rendered or not healthy. */
  readonly kind: 'missing' | 'drift';
  readonly what: string;
}

const MAX_LINES_PER_FILE = 6;

/** The parsed form of a rendered file, for a setting-by-setting diff; null when it is not structured. */
function structured(path: string, text: string): unknown {
  try {
    if (path.endsWith('.json')) return JSON.parse(text) as unknown;
    if (/\.ya?ml$/.test(path)) return parse(text) as unknown;
    if (path.endsWith('.env'))
      return Object.fromEntries(
        text
          .split('\n')
          .filter((l) => /^[A-Z_][A-Z0-9_]*=/.test(l))
          .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
      );
  } catch {
    return null;
  }
  return null;
}

/** Which service an infra.env variable configures (`PROMETHEUS_RETENTION` → prometheus). */
const serviceOfVariable = (name: string): string => (name.split('_')[0] ?? name).toLowerCase();

/**
 * Where the generated folder differs from what the sources render now: a file missing, or changed by
 * hand or by a source edit, named by file and, for YAML/JSON/env files, by setting. Pure.
 */
export function fileDrift(
  rendered: RenderedStack,
  onDisk: ReadonlyMap<string, string | null>,
  envText: string,
): ServiceDrift[] {
  const all = [...rendered.files, { path: ENV_FILE, service: '', content: envText }];
  return all.flatMap((f): ServiceDrift[] => {
    const disk = onDisk.get(f.path) ?? null;
    if (disk === f.content) return [];
    if (disk === null)
      return [{ service: f.service || 'all', kind: 'missing', what: `${f.path} not written` }];
    const want = structured(f.path, f.content);
    const have = structured(f.path, disk);
    const lines = want !== null && have !== null ? valuesDiff(want, have) : [];
    if (lines.length === 0)
      return [{ service: f.service || 'all', kind: 'drift', what: `${f.path} differs` }];
    const shown = lines.slice(0, MAX_LINES_PER_FILE);
    if (lines.length > shown.length) shown.push(`… ${lines.length - shown.length} more`);
    return shown.map((line) => ({
      service: f.service || serviceOfVariable(line),
      kind: 'drift' as const,
      what: `${f.path}: ${line}`,
    }));
  });
}

/**
 * Each service the project defines against its containers: not created, not running, unhealthy, its
 * Compose definition changed (Compose's own config hash), or its rendered configuration not the one it
 * was started with (label foundation.config). Pure.
 */
export function serviceDrift(
  expected: readonly string[],
  running: readonly ComposeService[],
  definitionHashes: Readonly<Record<string, string>>,
  rendered: RenderedStack,
): ServiceDrift[] {
  return expected.flatMap((service): ServiceDrift[] => {
    const c = running.find((r) => r.service === service);
    if (c === undefined) return [{ service, kind: 'missing', what: 'no container' }];
    const out: ServiceDrift[] = [];
    if (c.state !== 'running')
      out.push({ service, kind: 'drift', what: `container ${c.state || 'not running'}` });
    else if (c.health !== '' && c.health !== 'healthy')
      out.push({ service, kind: 'drift', what: `container ${c.health}` });
    const want = (CONFIGURED as readonly string[]).includes(service)
      ? rendered.env[hashVariable(service)]
      : undefined;
    if (want !== undefined && c.foundationConfig !== want)
      out.push({
        service,
        kind: 'drift',
        what: `runs configuration ${c.foundationConfig ?? '(none)'}, rendered ${want}`,
      });
    else if (definitionHashes[service] !== undefined && c.configHash !== definitionHashes[service])
      out.push({ service, kind: 'drift', what: 'its Compose definition changed since it was created' });
    return out;
  });
}

/** Services whose generated files differ from the render but whose containers already carry its hash. */
export function restartNeeded(
  files: readonly ServiceDrift[],
  running: readonly ComposeService[],
  rendered: RenderedStack,
): string[] {
  const touched = new Set(files.map((d) => d.service));
  return running
    .filter((c) => touched.has(c.service) && c.foundationConfig === rendered.env[hashVariable(c.service)])
    .map((c) => c.service);
}
