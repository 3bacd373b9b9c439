import { lstatSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseKit, type KitSpec } from '../generator/kit.js';
import type { TemplateFile } from '../generator/render.js';

const SKIP = new Set(['node_modules', 'dist', 'template.json']);

function walk(root: string, dir: string, out: TemplateFile[]): void {
  for (const name of readdirSync(dir).sort()) {
    if (SKIP.has(name)) continue;
    const path = join(dir, name);
    const stat = lstatSync(path);
    // A link is a working aid (src/telemetry → lib/telemetry to build the template in place), not content.
    if (stat.isSymbolicLink()) continue;
    if (stat.isDirectory()) walk(root, path, out);
    else out.push({ path: relative(root, path), content: readFileSync(path, 'utf8') });
  }
}

export interface TemplateSource {
  readonly version: string;
  /** Files the service owns after generation: a template update leaves them alone. */
  readonly serviceOwned: readonly string[];
  /** The template's files plus lib/telemetry, copied in as src/telemetry/. */
  readonly files: readonly TemplateFile[];
  /** The opt-in parts (`--with`) and which files and packages each brings. */
  readonly kit: KitSpec;
}

/** Read service-template/ and lib/telemetry/ from the Foundation package. */
export function readTemplate(packageRoot: string): TemplateSource {
  const root = join(packageRoot, 'service-template');
  const meta = JSON.parse(readFileSync(join(root, 'template.json'), 'utf8')) as {
    version: string;
    serviceOwned: string[];
    kit?: unknown;
  };
  const files: TemplateFile[] = [];
  walk(root, root, files);
  const telemetry = join(packageRoot, 'lib', 'telemetry');
  for (const name of readdirSync(telemetry)
    .filter((n) => n.endsWith('.ts'))
    .sort()) {
    files.push({
      path: join('src', 'telemetry', name),
      content: readFileSync(join(telemetry, name), 'utf8'),
    });
  }
  return { version: meta.version, serviceOwned: meta.serviceOwned, files, kit: parseKit(meta.kit) };
}
