export const TARGETS = ['k3d', 'compose', 'cluster'] as const;
/** Where the platform runs: a local k3d cluster, Docker Compose, or an existing kube context. */
export type Target = (typeof TARGETS)[number];
/** The target when none is set (FOUNDATION_TARGET's default). */
export const DEFAULT_TARGET: Target = 'k3d';
