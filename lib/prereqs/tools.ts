import semver from 'semver';
import type { Target } from '../config/targets.js';

export type Os = 'darwin' | 'linux' | 'other';

/** A command-line tool Foundation needs, how to read its version, and how to get it per OS. */
export interface ToolSpec {
  readonly name: string;
  readonly command: string;
  readonly versionArgs: readonly string[];
  readonly minimum: string;
  /** docker only: the oldest engine (daemon) version that works. */
  readonly daemonMinimum?: string;
  readonly why: string;
  /** The targets that need it (default: every target). */
  readonly targets?: readonly Target[];
  /** A plugin of another command: a failing version command means it is not installed. */
  readonly plugin?: boolean;
  readonly install: Readonly<Record<Os, string>>;
}

const ANY_OS = 'install it with your package manager and put it on PATH';

/** The prerequisites of task 0-1. Minimums are the oldest versions the later tasks are written for. */
export const TOOLS: readonly ToolSpec[] = [
  {
    name: 'docker',
    command: 'docker',
    versionArgs: ['version', '--format', '{{.Client.Version}}'],
    // k3d v5 needs an engine of 20.10.5 or newer (runc >= 1.0.0-rc93: k3d-io/k3d#807, its compatibility
    // page); Foundation's own use (build, image inspect, the compose plugin) needs nothing newer. Debian
    // bookworm's docker.io is 20.10.24.
    minimum: '20.10.5',
    daemonMinimum: '20.10.5',
    why: 'k3d runs the cluster in containers, compose runs the stack, and it builds the service images',
    install: {
      darwin: 'brew install --cask docker (Docker Desktop), or brew install colima docker && colima start',
      linux:
        'sudo apt-get install docker.io (or your distribution package), then sudo systemctl enable --now docker',
      other: ANY_OS,
    },
  },
  {
    name: 'docker compose',
    command: 'docker',
    versionArgs: ['compose', 'version', '--short'],
    // `include` with `env_file` (how compose/docker-compose.yml takes the platform) came in 2.20.
    minimum: '2.20.0',
    why: 'runs the platform on the compose target (task 0-7)',
    targets: ['compose'],
    plugin: true,
    install: {
      darwin: 'Docker Desktop includes it; with colima: brew install docker-compose (then follow its caveat)',
      linux:
        "sudo apt-get install docker-compose-plugin (Docker's apt repository), or put the docker-compose binary of a v2 release in ~/.docker/cli-plugins/",
      other: ANY_OS,
    },
  },
  {
    name: 'kubectl',
    command: 'kubectl',
    versionArgs: ['version', '--client', '-o', 'json'],
    minimum: '1.31.0',
    why: 'talks to the cluster',
    targets: ['k3d', 'cluster'],
    install: {
      darwin: 'brew install kubernetes-cli',
      linux: 'sudo snap install kubectl --classic (or your distribution package kubernetes-client)',
      other: ANY_OS,
    },
  },
  {
    name: 'helm',
    command: 'helm',
    versionArgs: ['version', '--short'],
    minimum: '3.14.0',
    why: 'installs the observability charts',
    targets: ['k3d', 'cluster'],
    install: { darwin: 'brew install helm', linux: 'sudo snap install helm --classic', other: ANY_OS },
  },
  {
    name: 'k3d',
    command: 'k3d',
    versionArgs: ['version'],
    minimum: '5.7.0',
    why: 'creates the local Kubernetes cluster',
    targets: ['k3d'],
    install: {
      darwin: 'brew install k3d',
      linux: 'brew install k3d (Homebrew on Linux), or put the k3d release binary for your CPU on PATH',
      other: ANY_OS,
    },
  },
  {
    name: 'go-task',
    command: 'task',
    versionArgs: ['--version'],
    // The Taskfile (task 0-11) uses `aliases` and CLI_ARGS, both older than 3.20.
    minimum: '3.20.0',
    why: 'runs the Taskfile targets (task all, task 0-3, task validate)',
    install: {
      darwin: 'brew install go-task',
      linux: 'brew install go-task (Homebrew on Linux), or see https://taskfile.dev/installation/',
      other: ANY_OS,
    },
  },
  {
    name: 'gitleaks',
    command: 'gitleaks',
    versionArgs: ['version'],
    // The pre-commit hook runs `gitleaks git --staged`: the `git` command came in 8.19.
    minimum: '8.19.0',
    why: 'the pre-commit secret scan (git hooks) and the CI secrets job',
    install: {
      darwin: 'brew install gitleaks',
      linux:
        'brew install gitleaks (Homebrew on Linux), or the release archive from https://github.com/gitleaks/gitleaks/releases',
      other: ANY_OS,
    },
  },
  {
    name: 'node',
    command: 'node',
    versionArgs: ['--version'],
    minimum: '22.22.0', // @platformatic/kafka's engines floor
    why: 'runs Foundation and the services',
    install: {
      darwin: 'brew install node@24 (or run scripts/bootstrap, which fetches Node 24 for this project)',
      linux: 'run scripts/bootstrap (fetches Node 24 for this project), or nvm install 24',
      other: ANY_OS,
    },
  },
  {
    name: 'git',
    command: 'git',
    versionArgs: ['--version'],
    minimum: '2.30.0',
    why: 'version control and the secret-scanning hook',
    install: {
      darwin: 'xcode-select --install, or brew install git',
      linux: 'sudo apt-get install git',
      other: ANY_OS,
    },
  },
];

/** The first x.y.z in a tool's version output (`v1.35.0`, `git version 2.39.5`, `{"gitVersion":"v1.35.2"}`). */
export function parseVersion(output: string): string | null {
  const match = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(output);
  if (!match) return null;
  return semver.valid(`${match[1]}.${match[2]}.${match[3] ?? '0'}`);
}

export const DAEMON_HINT: Readonly<Record<Os, string>> = {
  darwin: 'start Docker Desktop (open -a Docker) or colima start, then check with: docker info',
  linux:
    'sudo systemctl start docker, and add yourself to the docker group (sudo usermod -aG docker $USER; log in again)',
  other: 'start the Docker daemon, then check with: docker info',
};

/**
 * The memory the platform's containers may use together: the observability limits (about 4.2 GiB) and
 * Redpanda's 1 GiB, plus k3s itself. An engine with less starts, but pods end Pending or OOM-killed.
 */
export const DOCKER_MEMORY_BUDGET = 6 * 1024 ** 3;

export const MEMORY_HINT: Readonly<Record<Os, string>> = {
  darwin:
    'give Docker 8 GB or more: Docker Desktop → Settings → Resources → Memory, or colima start --memory 8',
  linux: 'the engine uses the host memory: close other work, or run on a machine with 8 GB or more free',
  other: "give the Docker engine 8 GB or more in its VM's settings",
};
