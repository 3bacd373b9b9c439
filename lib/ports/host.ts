/** Files in the workspace (paths are relative to it unless absolute). */
export interface Files {
  read(path: string): Promise<string | null>;
  /** Atomic write (temp file + rename), making missing parent folders; mode e.g. 0o600 for secrets. */
  write(path: string, content: string, options?: { mode?: number }): Promise<void>;
  exists(path: string): Promise<boolean>;
  /** The names of the folders directly in `path`, sorted; [] when there is no such folder. */
  folders(path: string): Promise<string[]>;
  /** The permission bits (0o644…); null when there is no such file, or its filesystem keeps none. */
  mode(path: string): Promise<number | null>;
  /** Set the permission bits. */
  chmod(path: string, mode: number): Promise<void>;
  /**
   * Hold `path` as a lock file for this process (created exclusively, holding its pid): its release, or
   * the pid of the live process that holds it. A lock left by a process that has ended is taken over.
   */
  lock(path: string): Promise<{ release(): Promise<void> } | { heldBy: number }>;
}

/** The host's TCP ports, as the platform's containers would publish on them. */
export interface Listeners {
  /** Whether another program already listens on host:port (binding it is refused as in use). */
  inUse(host: string, port: number): Promise<boolean>;
}

export interface Platform {
  readonly os: 'darwin' | 'linux' | 'other';
  readonly arch: string;
  /** The workspace directory: where .env, .foundation/ and the git repository are. */
  readonly workspace: string;
  /** The directory Foundation itself is installed in (its package root). */
  readonly packageRoot: string;
  /** Version of the Node.js running Foundation, e.g. "24.21.0". */
  readonly nodeVersion: string;
}

export interface Secrets {
  /** A new strong secret (URL-safe, >= 256 bits); registered with the redactor before it is returned. */
  generate(): string;
  /**
   * The workspace's secret settings that have a value: .env's secret-looking names and Foundation's own
   * secrets, each as the environment the configuration was loaded from overrides it (an empty variable is
   * absent).
   * Read when asked, so a value 0-1 generated a moment ago is seen.
   */
  values(): Promise<Readonly<Record<string, string>>>;
}

/** What opening an address in the browser came to: opened by a command, or why not (then it is printed). */
export type Opened =
  { readonly opened: true; readonly command: string } | { readonly opened: false; readonly why: string };

/** The desktop's browser: `open` on macOS, `xdg-open` on Linux with a display. */
export interface Browser {
  open(url: string): Promise<Opened>;
}
