import type { TaskInfo } from '../lib/model/task.js';

/**
 * What `foundation list` and `graph` show of each task, in registry order (tasks/index.ts), without loading
 * the task modules and the libraries their checks use (YAML, Kubernetes, Kafka…): `list` starts in a
 * fraction of the time. The task modules stay the source: tests/tasks/manifest.test.ts fails, printing the
 * entry to paste here, when a task's id, title, deps or targets differ from this.
 */
export const TASK_MANIFEST: readonly TaskInfo[] = [
  { id: '0-1', title: 'Developer prerequisites, .env and git hooks', deps: [] },
  { id: '0-2', title: 'Kubernetes cluster and namespaces', deps: ['0-1'], targets: ['k3d', 'cluster'] },
  { id: '0-3', title: 'Redpanda event bus, Console and topics', deps: ['0-1', '0-2', '0-7'] },
  {
    id: '0-4',
    title: 'Prometheus, Alertmanager, Grafana, rules and dashboards',
    deps: ['0-1', '0-2'],
    targets: ['k3d', 'cluster'],
  },
  { id: '0-5', title: 'Loki and Alloy: pod logs', deps: ['0-4'], targets: ['k3d', 'cluster'] },
  { id: '0-6', title: 'Tempo: traces, correlated in Grafana', deps: ['0-4'], targets: ['k3d', 'cluster'] },
  { id: '0-7', title: 'The platform on Docker Compose', deps: ['0-1'], targets: ['compose'] },
  { id: '0-8', title: 'CI/CD: workflows linted, scanners installed', deps: [] },
  { id: '0-9', title: 'Secrets: .env ignored, Kubernetes Secret in sync', deps: ['0-1', '0-2'] },
  { id: '0-10', title: 'Service template, generator and demo service', deps: ['0-1', '0-2', '0-3', '0-4'] },
  { id: '0-11', title: 'Automation: Taskfile, Makefile, go-task, shell completion', deps: [] },
  { id: '0-12', title: 'Docs: onboarding guide in task order, generated sections, links', deps: [] },
  {
    id: '0-13',
    title: 'Validate: the Phase 0 completion report',
    deps: ['0-1', '0-2', '0-3', '0-4', '0-5', '0-6', '0-7', '0-8', '0-9', '0-10', '0-11', '0-12', '0-14'],
  },
  { id: '0-14', title: 'Service data: PostgreSQL 17 and Redis 7', deps: ['0-1', '0-2', '0-7'] },
];
