// How task 0-2 records what it did to a k3d cluster (a change item of its run result), and how validate
// reads it back: a creation is a change from nothing, a start a change from 'stopped'. Pure.
import type { DriftItem } from '../model/task.js';

/** The change item's path for the cluster itself. */
export const clusterPath = (name: string): string => `k3d cluster ${name}`;

/** The run result's changes say task 0-2 created the cluster (not started or re-applied it). */
export const createdCluster = (changes: readonly DriftItem[] | undefined): boolean =>
  changes?.some((c) => c.path.startsWith('k3d cluster ') && c.have === null) ?? false;
