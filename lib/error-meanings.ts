import { ERROR_CODES, type ErrorCode } from './errors.js';

/**
 * What each error code means, in one line, for the table in docs/troubleshooting.md (generated from
 * here with the exit code of each, lib/docs/generated.ts). The error itself says what happened and the
 * fix; this says when a code is used.
 */
export const ERROR_MEANINGS: Readonly<Record<ErrorCode, string>> = {
  E_UNKNOWN_TASK: 'a task id or name that does not exist (the message suggests the nearest)',
  E_NOT_IMPLEMENTED: 'a Phase 0 step that is not built yet',
  E_USAGE:
    'a bad command line: unknown option, bad value, missing argument, a value option given twice; or a folder that is no service',
  E_CONFIG_INVALID:
    'a setting in .env, the environment or a flag is not valid (each one named, values never shown)',
  E_ENV_FILE_MALFORMED:
    '.env cannot be read (a folder, no permission) or has a line that is not NAME=value (the line is named, values never shown)',
  E_TOPICS_FILE_MALFORMED: 'the topics file (k8s/redpanda/topics.yaml) does not parse or breaks a rule',
  E_RELEASES_FILE_MALFORMED:
    'the Helm releases file (k8s/observability/releases.yaml) does not parse or breaks a rule',
  E_GRAPH_INVALID: 'the task graph is broken (unknown dependency, cycle): a bug in Foundation',
  E_TARGET_EXISTS: '`new service`: the folder exists and is not empty; nothing was written',
  E_TARGET_UNUSABLE:
    '`new service`: the folder cannot be written (a system folder, a file); nothing was written',
  E_FOLDER_UNUSABLE:
    'a folder Foundation keeps its files in (.foundation/ in the workspace, a completion folder in HOME) cannot be made: a file is in the way, or no permission; nothing was moved',
  E_TOOL_MISSING: 'a command-line tool (docker, kubectl, helm, k3d…) is not on PATH',
  E_TOOL_BROKEN:
    'a tool (or Node) is there but too old or does not run, or its service (the Docker engine) does not answer',
  E_PORT_IN_USE:
    'a port the cluster or the Compose stack publishes is taken by another program (each named); nothing was started',
  E_DOWNLOAD_FAILED:
    'a pinned tool could not be downloaded; that tool was not installed (what else the task did stays done)',
  E_CHECKSUM_MISMATCH:
    'a download differs from its pinned SHA-256 (a proxy or mirror changed it); that tool was not installed (what else the task did stays done)',
  E_INSTALL_BROKEN: 'a file Foundation ships is missing or broken: reinstall Foundation',
  E_COMMAND_TIMEOUT: 'a command took longer than its time limit and was stopped',
  E_KAFKA_UNREACHABLE: 'the Kafka API (Redpanda) does not answer at the configured brokers',
  E_KAFKA_REFUSED:
    'the broker refused a request as invalid: a topic’s partitions, replication or config, or a message too large',
  E_COMMAND_FAILED: 'a command ended with an error (its output is in the task log)',
  E_TASK_ERROR: 'a task failed on an error no code describes (the message says which)',
  E_TASK_TIMEOUT: 'a task ran past its time limit (10 minutes unless the task sets another)',
  E_WAIT_TIMEOUT: 'something waited for (a pod, a topic, an endpoint) was not ready in time',
  E_NOT_CONVERGED:
    'after its apply, the check still sees drift; or a deployment did not roll out or is not healthy',
  E_DEPENDENCY_NOT_CONVERGED: 'a task was not run because a task it needs is not converged (add --with-deps)',
  E_KUBE_NO_CONFIG: 'no kubeconfig: no cluster to talk to (create it with foundation run 0-2)',
  E_KUBE_UNREACHABLE: 'the cluster’s API server does not answer',
  E_KUBE_FORBIDDEN: 'the cluster refused the request: the kubeconfig’s identity lacks the rights',
  E_KUBE_NOT_FOUND: 'a cluster object (or its kind) does not exist',
  E_KUBE_CONFLICT: 'server-side apply conflict: another manager owns the fields',
  E_KUBE_INVALID: 'the cluster rejected an object as invalid (admission, quota, schema)',
  E_KUBE_ERROR: 'any other error from the cluster’s API',
  E_CANCELLED: 'the run was cancelled (Ctrl+C or SIGTERM)',
  E_UNEXPECTED: 'an error no code anticipated: a bug (FOUNDATION_DEBUG=1 shows the stack trace)',
};

/** The table rows: code, exit code, meaning, in the order of lib/errors.ts. Pure. */
export const errorTable = (): { code: ErrorCode; exit: number; meaning: string }[] =>
  (Object.keys(ERROR_CODES) as ErrorCode[]).map((code) => ({
    code,
    exit: ERROR_CODES[code],
    meaning: ERROR_MEANINGS[code],
  }));
