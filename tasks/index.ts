import type { Task } from '../lib/model/task.js';
import devSetup from './01-dev-setup.js';
import cluster from './02-cluster.js';
import redpanda from './03-redpanda.js';
import prometheus from './04-prometheus.js';
import loki from './05-loki.js';
import tempo from './06-tempo.js';
import compose from './07-compose.js';
import ci from './08-ci.js';
import secrets from './09-secrets.js';
import template from './10-template.js';
import automation from './11-automation.js';
import docs from './12-docs.js';
import validate from './13-validate.js';
import data from './14-data.js';

/** The registry: every task, listed explicitly. Order here is the tie-break among independent tasks. */
export const TASKS: readonly Task[] = [
  devSetup,
  cluster,
  redpanda,
  prometheus,
  loki,
  tempo,
  compose,
  ci,
  secrets,
  template,
  automation,
  docs,
  validate,
  data,
];
