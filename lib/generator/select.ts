import { FoundationError } from '../errors.js';
import type { TemplateFile } from '../ports/generator.js';
import { droppedPackages, shipsFile, type KitSpec } from './kit.js';
import { pruneLockfile, prunePackageJson } from './lockfile.js';
import { MarkerError, applyMarkers } from './markers.js';
import { render, type Answers } from './render.js';

/**
 * The template's files as a service with the `chosen` kit parts gets them: other parts' files left out,
 * kit blocks resolved, and package.json + package-lock.json without the packages only other parts use.
 * Pure; with every part chosen the files come out as the template has them, markers aside.
 */
export function selectParts(
  files: readonly TemplateFile[],
  kit: KitSpec,
  chosen: readonly string[],
): TemplateFile[] {
  const known = Object.keys(kit.parts);
  const drop = droppedPackages(kit, chosen);
  try {
    return files
      .filter((f) => shipsFile(kit, chosen, f.path))
      .map((f) => {
        if (drop.size === 0) return { path: f.path, content: applyMarkers(f.content, chosen, known, f.path) };
        if (f.path === 'package.json') return { path: f.path, content: prunePackageJson(f.content, drop) };
        if (f.path === 'package-lock.json') return { path: f.path, content: pruneLockfile(f.content, drop) };
        return { path: f.path, content: applyMarkers(f.content, chosen, known, f.path) };
      });
  } catch (error) {
    if (!(error instanceof MarkerError) && !(error instanceof SyntaxError)) throw error;
    throw new FoundationError(
      'E_INSTALL_BROKEN',
      `the service template is broken: ${error.message}`,
      'reinstall Foundation (in its repository: git checkout service-template)',
    );
  }
}

/** A service's template-made files: its parts selected, then its answers filled in. Pure. */
export function renderService(
  template: { readonly files: readonly TemplateFile[]; readonly kit: KitSpec },
  answers: Answers,
): TemplateFile[] {
  return render(selectParts(template.files, template.kit, answers.parts ?? []), answers);
}
