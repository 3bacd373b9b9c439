import { join } from 'node:path';
import { FoundationError } from '../errors.js';
import { chooseParts, type KitSpec } from '../generator/kit.js';
import { renderService } from '../generator/select.js';
import {
  RECORD_FILE,
  validateDescription,
  validateServiceName,
  type TemplateFile,
  type TemplateRecord,
} from '../generator/render.js';
import { judgeTarget } from '../generator/target.js';
import { EXIT, type ExitCode } from '../report/exit-codes.js';
import type { App } from './app.js';
import { shownPath, userPath } from './user-path.js';

export interface NewServiceOptions {
  readonly description?: string;
  /** Where to write it, from the folder the command runs in; default services/<name> in the workspace. */
  readonly dir?: string;
  /** The service kit's parts, comma-separated (`--with postgres,redis`); default none. */
  readonly with?: string;
}

/** The rendered service, with the record of the template version and answers. Pure. */
export function generateService(
  template: { version: string; files: readonly TemplateFile[]; kit: KitSpec },
  name: string,
  description: string,
  parts: string | readonly string[] = [],
): TemplateFile[] {
  const answers = {
    name: validateServiceName(name),
    description: validateDescription(description),
    parts: chooseParts(template.kit, parts),
  };
  const record: TemplateRecord = {
    template: 'foundation/service-template',
    version: template.version,
    answers,
    telemetryFrom: 'lib/telemetry',
  };
  return [
    ...renderService(template, answers),
    { path: RECORD_FILE, content: `${JSON.stringify(record, null, 2)}\n` },
  ];
}

/** `foundation new service <name>`: write a service from the template; never over an existing one. */
export function newServiceCommand(app: App, name: string, options: NewServiceOptions): ExitCode {
  const started = performance.now();
  const description = options.description ?? `The ${name} service`;
  if (options.dir !== undefined && options.dir.trim() === '')
    throw new FoundationError(
      'E_TARGET_UNUSABLE',
      '--dir is empty; nothing was written',
      `choose another --dir (e.g. --dir services/${name}), or leave it out for services/${name}`,
    );
  const target = options.dir ? userPath(app, options.dir) : join(app.workspace, 'services', name);
  const template = app.generator.template();
  const files = generateService(template, name, description, options.with);
  const parts = chooseParts(template.kit, options.with);
  // What `cd` takes from here: services/orders-api, ../services/orders-api from docs/, or absolute.
  const shown = shownPath(app, target);
  const verdict = judgeTarget(shown, app.generator.inspect(target));
  if (!verdict.ok)
    throw new FoundationError(
      verdict.exists ? 'E_TARGET_EXISTS' : 'E_TARGET_UNUSABLE',
      verdict.reason,
      verdict.fix,
    );
  app.generator.writeNew(target, files);
  const ms = Math.round(performance.now() - started);
  app.stdout(
    app.output === 'json'
      ? `${JSON.stringify({ v: 1, type: 'service:created', name, dir: target, parts, files: files.length, ms })}\n`
      : `created ${name} in ${shown} (${files.length} files${parts.length > 0 ? `, with ${parts.join(', ')}` : ''}, ${ms} ms)\nnext: cd ${shown} && npm ci && npm test\n`,
  );
  return EXIT.ok;
}
