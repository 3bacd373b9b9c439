import type { KitSpec } from '../generator/kit.js';

/** One file of a template or a rendered service: a relative path and its text. */
export interface TemplateFile {
  readonly path: string;
  readonly content: string;
}

/** The service template (service-template/ + lib/telemetry/) and writing rendered files. */
export interface Generator {
  template(): {
    version: string;
    serviceOwned: readonly string[];
    files: readonly TemplateFile[];
    kit: KitSpec;
  };
  /** Write files under `dir` (updating those that exist). */
  writeTree(dir: string, files: readonly TemplateFile[]): Promise<void>;
}
