// scripts/kafka-topics-create: make a broker's topics match k8s/redpanda/topics.yaml.
//   --file <path>     the topics file (default: k8s/redpanda/topics.yaml)
//   --brokers <list>  host:port[,…] (default: KAFKA_BROKERS from the environment or .env, then localhost:19092)
//   --dry-run         show what would change; exit 3 when something would
//   --prune           also delete topics that are not in the file (internal topics are never touched), after
//                     a yes on the terminal or with --yes
//   --timeout <d>     the most the broker may take to answer, each time it is asked (default 60)
// Exit: see HELP.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { KAFKA_TIMEOUT, brokerFailure, brokersFrom, parseDuration, scriptArgs, untilDone } from './args.js';
import { connectTopicAdmin } from '../../lib/adapters/kafka-admin.js';
import { FoundationError } from '../../lib/errors.js';
import { runScript, say, useJson } from '../run-script.js';
import {
  describeChange,
  describeLeaderless,
  describeManual,
  type TopicChange,
} from '../../lib/kafka/plan.js';
import { reconcileTopics, type ReconcileOptions, type ReconcileResult } from '../../lib/kafka/converge.js';
import { EXIT } from '../../lib/report/exit-codes.js';
import { confirm } from '../ask.js';
import { parseTopicsFile } from '../../lib/kafka/topics-file.js';

const repo = resolve(import.meta.dirname, '..', '..', '..');

const HELP = `Usage: scripts/kafka-topics-create [--file PATH] [--brokers LIST] [--dry-run] [--prune [--yes]] [--timeout D] [--json]

Makes a broker's topics match the topics file (default k8s/redpanda/topics.yaml).
  --file <path>     the topics file: a \`topics:\` list, each with a name and optionally partitions,
                    replicationFactor and config (see k8s/redpanda/topics.yaml)
  --brokers <list>  host:port[,…] (default: KAFKA_BROKERS from the environment or .env)
  --dry-run         show what would change; exit 3 when something would
  --prune           also delete topics that are not in the file (internal topics are never touched);
                    it names them and asks first (no terminal: pass --yes)
  --yes             delete them without asking (scripts, CI)
  --timeout <d>     the most the broker may take, to connect and plan, then to make the changes (1s-1h: 30s,
                    2m, or a bare number of seconds; default 60); a broker that accepts connections and never answers is exit 4 then
  --json            the outcome as one JSON line ({"v":1,"type":"kafka-topics",…}; an error as type "error")
Exit: 0 converged, 1 --prune not confirmed (nothing changed), 2 bad usage, a malformed file or a topic
the broker refused (E_KAFKA_REFUSED), 3 drift left (a dry run with changes, or a change only a person can
make), 4 the broker unreachable or failing, still different after the changes (E_NOT_CONVERGED), or a
topic without a leader 30 s after them, 130 interrupted.`;

async function main(): Promise<number> {
  const { values } = scriptArgs(
    {
      options: {
        file: { type: 'string', default: resolve(repo, 'k8s', 'redpanda', 'topics.yaml') },
        brokers: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        prune: { type: 'boolean', default: false },
        yes: { type: 'boolean', default: false },
        timeout: { type: 'string', default: '60' },
        json: { type: 'boolean', default: false },
      },
    },
    HELP,
  );
  useJson(values.json);
  const brokers = brokersFrom(values.brokers); // first: it sets up the masking of .env's secrets
  const timeoutMs = parseDuration('--timeout', values.timeout, KAFKA_TIMEOUT);
  // Each time the broker is asked, within --timeout (Ctrl+C: exit 130); a question to the user is not.
  const bounded = async <T>(work: () => Promise<T>): Promise<T> => {
    let out: { value: T } | undefined;
    await untilDone(timeoutMs, async () => {
      out = { value: await work() };
    });
    if (out === undefined) throw new Error('untilDone settled before its work');
    return out.value;
  };
  let text: string;
  try {
    text = readFileSync(values.file, 'utf8');
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new FoundationError(
      'E_USAGE',
      `cannot read the topics file ${values.file} (${why === 'ENOENT' ? 'no such file' : why})`,
      'pass --file <path> of a topics file (the platform’s: k8s/redpanda/topics.yaml)',
    );
  }
  const desired = parseTopicsFile(text, values.file);
  let admin: Awaited<ReturnType<typeof connectTopicAdmin>>;
  try {
    admin = await bounded(() => connectTopicAdmin(brokers, 'foundation-topics'));
  } catch (error) {
    if (error instanceof FoundationError && error.code === 'E_CANCELLED') throw error;
    const why =
      error instanceof FoundationError && error.code === 'E_WAIT_TIMEOUT'
        ? `no answer within ${timeoutMs / 1_000} s`
        : error instanceof Error
          ? error.message
          : String(error);
    throw new FoundationError(
      'E_KAFKA_UNREACHABLE',
      `no Kafka API at ${brokers.join(',')}: ${why}`,
      'start the broker (foundation run 0-3), or point --brokers / KAFKA_BROKERS at one (a port that accepts connections and never answers is no Kafka API); or allow longer with --timeout',
    );
  }
  try {
    // A refusal is exit 2 (E_KAFKA_REFUSED), a broker failing exit 4: never E_UNEXPECTED.
    const reconcile = (options: ReconcileOptions) =>
      bounded(() => reconcileTopics(admin, desired, options)).catch((error: unknown) =>
        Promise.reject(brokerFailure(error, `topics at ${brokers.join(',')}`, '', 'the topics file')),
      );
    const prune =
      values.prune && !values['dry-run'] && !values.yes
        ? await confirmDeletes(await reconcile({ prune: true, dryRun: true }), values.file)
        : values.prune;
    if (prune === null) {
      process.stderr.write('kafka-topics-create: not confirmed: nothing was changed\n');
      return EXIT.declined;
    }
    const result = await reconcile({ prune, dryRun: values['dry-run'] });
    const verb = values['dry-run'] ? 'would' : 'did';
    // What was made (a topic another client created meanwhile is planned for as it is, not created here).
    const made = values['dry-run'] ? result.plan.changes : result.applied;
    const deleted = new Set(made.flatMap((c) => (c.kind === 'delete' ? [c.topic] : [])));
    const undeclared = result.after.undeclared.filter((t) => !deleted.has(t));
    const mark = (c: TopicChange): string => (c.kind === 'create' ? '+' : c.kind === 'delete' ? '-' : '~');
    const lines = [
      `kafka-topics-create: ${brokers.join(',')}: ${desired.length} declared; ${verb} make ${made.length} change(s)`,
      ...made.map((c) => `  ${mark(c)} ${describeChange(c)}`),
      ...result.after.manual.map((d) => `  ! ${describeManual(d)}`),
      ...result.after.leaderless.map((l) => `  ! ${describeLeaderless(l)}`),
      ...undeclared.map((t) =>
        values.prune
          ? `  ? ${t}: not in the file, and not among those confirmed (it appeared meanwhile): kept`
          : `  ? ${t}: not in the file (--prune deletes it)`,
      ),
    ];
    say(lines.join('\n'), 'kafka-topics', {
      brokers,
      declared: desired.length,
      dryRun: values['dry-run'],
      changes: made.map((c) => ({ kind: c.kind, description: describeChange(c) })),
      manual: result.after.manual.map(describeManual),
      leaderless: result.after.leaderless.map(describeLeaderless),
      undeclared,
    });
    if (values['dry-run'])
      return result.plan.changes.length > 0 ||
        result.plan.manual.length > 0 ||
        result.plan.leaderless.length > 0
        ? 3
        : 0;
    if (result.after.changes.length > 0)
      throw new FoundationError(
        'E_NOT_CONVERGED',
        `still different after reconciling: ${result.after.changes.map(describeChange).join('; ')}`,
        'the broker keeps these values in another form than the file: write each in the file as the broker shows it (before the "→" above; after it is the file’s), then run again',
      );
    return result.after.manual.length > 0 ? 3 : 0;
  } finally {
    await admin.close();
  }
}

/**
 * --prune deletes data: the topics it would delete are named and a person says yes first (a partial
 * file would otherwise delete every other topic, the platform's own included). Nothing to delete: no
 * question. What was confirmed is all that may be deleted; null when it was not confirmed.
 */
async function confirmDeletes(plan: ReconcileResult, file: string): Promise<ReadonlySet<string> | null> {
  const doomed = plan.plan.changes.flatMap((c) => (c.kind === 'delete' ? [c.topic] : []));
  if (doomed.length === 0) return new Set();
  const named = `${doomed.length} topic(s) not in ${file}: ${doomed.join(', ')}`;
  const yes = await confirm(`--prune deletes ${named}, with their messages. Delete?`, {
    message: `--prune would delete ${named}, and there is no terminal to ask`,
    fix: 'check the list (--dry-run shows the whole plan), then pass --yes to delete them',
  });
  return yes ? new Set(doomed) : null; // only these: a topic created while the question was open stays
}

await runScript('kafka-topics-create', main);
