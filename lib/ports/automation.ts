export type CompletionShell = 'bash' | 'zsh' | 'fish';

/** A completion file installed for this user by `foundation completion install`. */
export interface InstalledCompletion {
  readonly shell: CompletionShell;
  readonly path: string;
  readonly content: string;
}

/** Task 0-11's reach: the CLI's completion scripts and the user's installed copies of them. */
export interface Automation {
  /** The completion script for a shell, generated from the CLI's command tree (only through the CLI). */
  completion(shell: CompletionShell): string;
  installedCompletions(): Promise<InstalledCompletion[]>;
  /** Write a shell's completion where that shell loads it; returns the path. */
  writeCompletion(shell: CompletionShell, content: string): Promise<string>;
}
