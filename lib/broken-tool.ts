/**
 * The signs, in the first lines of a command's output, of a tool that is there but cannot run: a broken
 * install (a missing library or module, a binary for another system, an interpreter Node cannot load it
 * with), not a command that ran and failed. Shared by the shell adapter and the CI linters' task.
 */
export const BROKEN_SIGNS =
  /cannot execute|exec format error|permission denied|error while loading shared libraries|bad interpreter|Cannot find module|MODULE_NOT_FOUND|^node:internal\//im;
