/**
 * The environment variables Foundation reads besides its settings (every setting in lib/config/variables.ts
 * may also be set in the environment, which wins over `.env`). For `--help` and the docs.
 */
export const PROCESS_ENV: readonly { readonly name: string; readonly effect: string }[] = [
  { name: 'FOUNDATION_DEBUG', effect: '1: print the stack trace of an unexpected error (exit 1)' },
  {
    name: 'NO_COLOR',
    effect: 'any value: no colours (also off when stdout is not a terminal, and with --json)',
  },
  { name: 'CI', effect: 'true: plain lines instead of the live view' },
  { name: 'KUBECONFIG', effect: 'the cluster kubectl, helm and Foundation talk to (default ~/.kube/config)' },
  { name: 'DOCKER_HOST', effect: 'the Docker engine, as docker itself reads it' },
  { name: 'HELM_REPO_<ALIAS>', effect: 'a mirror for the chart repository <alias> (e.g. HELM_REPO_GRAFANA)' },
  {
    name: 'FOUNDATION_CACHE',
    effect: 'where the test servers and CI tools are cached (~/.cache/foundation)',
  },
  { name: 'SHELL', effect: 'the shell `foundation completion install` writes for (or --shell)' },
];
