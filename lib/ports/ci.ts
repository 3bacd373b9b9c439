/** Runs a CI step's shell script locally (bash -eo pipefail), its output shown live. */
export interface ScriptRunner {
  run(
    script: string,
    o: {
      readonly cwd: string;
      readonly signal: AbortSignal;
      readonly env?: Readonly<Record<string, string>>;
    },
  ): Promise<{ exitCode: number | null; ms: number }>;
}

/** Where a CI tool comes from: the package registry the project installs it from. */
export type ToolSource =
  | { readonly kind: 'pypi'; readonly package: string }
  | { readonly kind: 'npm'; readonly package: string }
  | {
      readonly kind: 'go';
      readonly module: string;
      /** The package variable a release build stamps with its version (else the tool prints none). */
      readonly versionVariable?: string;
    };

/** What installing one tool needs to know. */
export interface ToolInstall {
  readonly name: string;
  readonly command: string;
  readonly version: string;
  readonly source: ToolSource;
  /** How to install it by hand, for when the project cannot. */
  readonly manual: string;
}

/** The pipeline's linters and scanners on this machine (task 0-8). */
export interface CiTools {
  /** The command's path: PATH first, then the project's tool directory, then the test-server cache. */
  find(command: string): Promise<string | null>;
  /** Run a found tool in the workspace. Never throws for a non-zero exit; output is stdout + stderr. */
  run(
    path: string,
    args: readonly string[],
    env?: Readonly<Record<string, string>>,
  ): Promise<{ exitCode: number | null; output: string }>;
  /** Install into the project's tool directory from its registry; returns the command's path. */
  install(tool: ToolInstall): Promise<string>;
  /** Workflow files (relative paths): every .github/workflows/ in the workspace (services, the template). */
  workflows(): Promise<string[]>;
}
