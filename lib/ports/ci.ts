/** Runs a CI step's shell script locally (bash -eo pipefail), its output shown live. */
export interface ScriptRunner {
  run(
    script: string,
    o: { readonly cwd: string; readonly signal: AbortSignal },
  ): Promise<{ exitCode: number | null; ms: number }>;
}
