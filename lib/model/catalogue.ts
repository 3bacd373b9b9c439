/**
 * The thirteen Phase 0 steps, then 0-14, the service kit's databases (issue 18: outside the Phase 0
 * criteria, so validate does not wait for it). Ids are stable; a step that is not built yet is named plainly, never faked.
 * `summary` is what the step sets up, for the Taskfile, the Makefile and the onboarding guide.
 */
export const PHASE0 = [
  { id: '0-1', name: 'dev-setup', summary: 'prerequisites, .env with generated secrets, git hooks' },
  { id: '0-2', name: 'cluster', summary: 'k3d cluster, namespaces, quotas, network policies' },
  { id: '0-3', name: 'redpanda', summary: 'event bus, Console, topics as code' },
  { id: '0-4', name: 'prometheus', summary: 'kube-prometheus-stack, rules, dashboards' },
  { id: '0-5', name: 'loki', summary: 'Loki + Alloy log collection' },
  { id: '0-6', name: 'tempo', summary: 'Tempo traces, correlated datasources' },
  { id: '0-7', name: 'compose', summary: 'the stack on Docker Compose' },
  { id: '0-8', name: 'ci', summary: 'CI workflows linted, scanners installed' },
  { id: '0-9', name: 'secrets', summary: '.env to Kubernetes Secret, secret scanning' },
  { id: '0-10', name: 'template', summary: 'service generator and demo service' },
  { id: '0-11', name: 'automation', summary: 'Taskfile, Makefile, go-task, shell completion' },
  { id: '0-12', name: 'docs', summary: 'onboarding guide, architecture, troubleshooting' },
  { id: '0-13', name: 'validate', summary: 'the completion report' },
  { id: '0-14', name: 'data', summary: 'PostgreSQL 17 and Redis 7 for services made with the kit' },
] as const;
