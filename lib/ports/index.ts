// Adapter interfaces and the data they carry. This folder imports nothing from the rest of lib/: tasks
// and pure modules depend on it, adapters implement it, tests fake it.
export type * from './containers.js';
export type * from './dev.js';
export type * from './generator.js';
export type * from './helm.js';
export type * from './host.js';
export type * from './kafka.js';
export type * from './kube.js';
export type * from './shell.js';
export type * from './log.js';
export type * from './ci.js';
export type * from './automation.js';
export type * from './children.js';
export type * from './clock.js';
