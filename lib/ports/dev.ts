import type { ToolRelease } from '../prereqs/releases.js';

/** What probing one tool found. `daemon` only for docker: the server version, or null when unreachable. */
export interface ToolProbe {
  readonly name: string;
  readonly version: string | null;
  readonly found: boolean;
  readonly daemon?: string | null;
  /** docker only: the memory the engine can give containers (`docker info` MemTotal), null when unknown. */
  readonly memoryBytes?: number | null;
}

/** One pinned release file to install a tool from. */
export interface ReleaseDownload {
  readonly name: string;
  readonly version: string;
  readonly command: string;
  readonly url: string;
  readonly sha256: string;
  readonly kind: 'binary' | 'tar.gz';
  /** The binary's path inside the archive. */
  readonly member?: string;
}

/** The developer tools task 0-1 checks (docker, kubectl, helm, k3d, node, git), and installs where it can. */
export interface Tools {
  probe(): Promise<ToolProbe[]>;
  /** The pinned releases this installer may use (lib/prereqs/pins.ts). */
  readonly releases: readonly ToolRelease[];
  /** The project's tool directory (first on PATH for every command Foundation runs). */
  readonly binDir: string;
  /**
   * Download a pinned release file, verify its SHA-256, install the command into binDir. Nothing is
   * installed when the download fails (E_DOWNLOAD_FAILED) or differs (E_CHECKSUM_MISMATCH).
   */
  install(download: ReleaseDownload): Promise<{ path: string; bytes: number; ms: number }>;
}

/**
 * The pre-commit hooks: `no-scan` is a lefthook.yml of the workspace's own that runs no secret scan
 * (Foundation never changes a user's file, so it cannot install the scan by itself).
 */
export type HookState = 'installed' | 'missing' | 'no-scan' | 'no-git';

/** What a fresh clone of the workspace would lack: its commit, and the files git does not hold as they are. */
export interface WorkTree {
  /** HEAD (the whole hash); null before the first commit. */
  readonly head: string | null;
  /** Untracked, changed, staged, deleted or conflicted paths under the workspace (ignored ones aside). */
  readonly paths: readonly string[];
  /** Those of them git does not track at all. */
  readonly untracked: readonly string[];
}

/** The workspace's git repository. */
export interface Git {
  /** Is the path ignored by git? null when the workspace is not a git repository. */
  isIgnored(path: string): Promise<boolean | null>;
  /** Is the path committed (in git's index)? false too when the workspace is not a git repository. */
  isTracked(path: string): Promise<boolean>;
  /** The workspace against its last commit; null when it is not in a git repository (or git is absent). */
  uncommitted(): Promise<WorkTree | null>;
  hooks(): Promise<HookState>;
  /** Install the hooks (lefthook: secret scan, format, lint) into the repository. */
  installHooks(): Promise<void>;
}

/** npm in a package directory (the demo service's). */
export interface Npm {
  /** Installed from its lockfile? (node_modules in step with package-lock.json) */
  installed(dir: string): Promise<boolean>;
  ci(dir: string): Promise<void>;
  /** `npm test`: true when it passes (its output goes to the task log). */
  test(dir: string): Promise<boolean>;
  /**
   * One fingerprint of what `npm test` in `dir` reads: its files (node_modules, dist, coverage and hidden
   * folders aside), the installed tree, Node's version and the variables that change a test run.
   */
  testInputs(dir: string): Promise<string>;
  /** The fingerprint `npm test` in `dir` last passed with, or null (none kept, or a new install since). */
  lastPass(dir: string): Promise<string | null>;
  /** Keep the fingerprint `npm test` in `dir` just passed with. */
  recordPass(dir: string, inputs: string): Promise<void>;
}
