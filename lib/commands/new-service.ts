import { isAbsolute, join, relative } from 'node:path';
import { FoundationError } from '../errors.js';
import {
  RECORD_FILE,
  render,
  validateDescription,
  validateServiceName,
  type TemplateFile,
  type TemplateRecord,
} from '../generator/render.js';
import { judgeTarget } from '../generator/target.js';
import { EXIT, type ExitCode } from '../report/exit-codes.js';
import type { App } from './app.js';

export interface NewServiceOptions {
  readonly description?: string;
  /** Where to write it; default services/<name> in the workspace. */
  readonly dir?: string;
}

/** The rendered service, with the record of the template version and answers. Pure. */
export function generateService(
  template: { version: string; files: readonly TemplateFile[] },
  name: string,
  description: string,
): TemplateFile[] {
  const answers = { name: validateServiceName(name), description: validateDescription(description) };
  const record: TemplateRecord = {
    template: 'foundation/service-template',
    version: template.version,
    answers,
    telemetryFrom: 'lib/telemetry',
  };
  return [
    ...render(template.files, answers),
    { path: RECORD_FILE, content: `${JSON.stringify(record, null, 2)}\n` },
  ];
}

/** `foundation new service <name>`: write a service from the template; never over an existing one. */
export function newServiceCommand(app: App, name: string, options: NewServiceOptions): ExitCode {
  const started = performance.now();
  const description = options.description ?? `The ${name} service`;
  const target = options.dir
    ? isAbsolute(options.dir)
      ? options.dir
      : join(app.workspace, options.dir)
    : join(app.workspace, 'services', name);
  const files = generateService(app.generator.template(), name, description);
  // Inside the workspace: relative (services/orders-api); anywhere else: the absolute path.
  const inside = relative(app.workspace, target);
  const shown = inside === '' || inside.startsWith('..') || isAbsolute(inside) ? target : inside;
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
      ? `${JSON.stringify({ v: 1, type: 'service:created', name, dir: target, files: files.length, ms })}\n`
      : `created ${name} in ${shown} (${files.length} files, ${ms} ms)\nnext: cd ${shown} && npm install && npm test\n`,
  );
  return EXIT.ok;
}
