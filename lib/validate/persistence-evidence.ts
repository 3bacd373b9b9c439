import type { ComposeProject, Compose, DesiredTopic, KafkaApi, Kube } from '../ports/index.js';
import type { BusProbe } from '../ports/validation.js';
import type { Target } from '../model/task.js';
import { sameFor, type Observation, type Observations } from './judge.js';
import { failed, within } from './within.js';

export interface PersistenceInput {
  readonly target: Target;
  readonly brokers: readonly string[];
  readonly restart: boolean;
  /** The compose target's project (null elsewhere). */
  readonly project: ComposeProject | null;
  readonly topics: readonly DesiredTopic[];
  readonly sleep: (ms: number) => Promise<void>;
}

const IDS = ['REQ-0.2/AC5', 'REQ-0.2/M3'];
const BROKER_POD = { apiVersion: 'v1', kind: 'Pod', name: 'redpanda-0', namespace: 'infra' } as const;
const BROKER_SET = {
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  name: 'redpanda',
  namespace: 'infra',
} as const;
const BACK_MS = 180_000;

/** Restart the broker the way the target runs it; says how, for the report. */
async function restartBroker(p: { compose: Compose; kube: Kube }, input: PersistenceInput): Promise<string> {
  if (input.target === 'compose') {
    if (input.project === null) throw new Error('the Compose file cannot be read (FOUNDATION_COMPOSE_FILE)');
    await p.compose.restart(input.project, ['redpanda']);
    return 'docker compose restart redpanda';
  }
  await p.kube.delete(BROKER_POD);
  const r = await p.kube.rollout(BROKER_SET, { timeoutMs: BACK_MS });
  if (!r.ready) throw new Error(`the redpanda StatefulSet did not come back: ${r.reason}`);
  return 'kubectl -n infra delete pod redpanda-0 (the StatefulSet recreates it on its volume)';
}

/**
 * REQ-0.2/AC5 and M3, only with `--restart-broker`: a message written with acks=all, the broker restarted,
 * then the message read back and the declared topics found again.
 */
export async function persistenceObservations(
  p: { bus: BusProbe; kafka: KafkaApi; compose: Compose; kube: Kube },
  input: PersistenceInput,
): Promise<Observations> {
  if (!input.restart) {
    const skip: Observation = {
      kind: 'absent',
      reason: 'the broker is restarted only with --restart-broker (it interrupts the platform for a while)',
      byChoice: true,
    };
    return sameFor(IDS, skip);
  }
  const where = input.brokers.join(',');
  const fail = (reason: string, how: string): Observations => {
    const e: Observation = {
      kind: 'error',
      reason,
      fix: 'foundation run 0-3; then look at the broker’s volume',
      how,
    };
    return sameFor(IDS, e);
  };
  const mark = await within(30_000, `the broker at ${where}`, () => p.bus.mark(input.brokers));
  if (failed(mark)) return fail(mark.failed, 'one message written with acks=all before the restart');
  const how = await within(BACK_MS + 10_000, 'the broker restart', () => restartBroker(p, input));
  if (failed(how)) return fail(how.failed, 'restart of the broker');
  const started = performance.now();
  let back: boolean | null = null;
  let lastError = '';
  // The broker takes a moment to listen again: read until it answers or the time is up.
  while (back === null && performance.now() - started < BACK_MS) {
    const r = await within(40_000, `the broker at ${where}`, () =>
      p.bus.readBack(input.brokers, mark, { timeoutMs: 20_000 }),
    );
    if (failed(r)) {
      lastError = r.failed;
      await input.sleep(2_000);
    } else back = r;
  }
  if (back === null)
    return fail(`the broker did not answer within ${BACK_MS / 1000} s of the restart: ${lastError}`, how);
  const admin = await within(30_000, `the broker at ${where}`, async () => {
    const a = await p.kafka.connect(input.brokers);
    try {
      return await a.describe([]); // names and configs only
    } finally {
      await a.close();
    }
  });
  const names = failed(admin) ? null : new Set(admin.map((t) => t.name));
  const lost = names === null ? [] : input.topics.filter((t) => !names.has(t.name)).map((t) => t.name);
  // Not read within the wait is what was seen: gone, or a broker too slow to serve it yet.
  const detail = `${back ? 'the message written before the restart was read back' : 'the message written before the restart was not read back within 20 s of reading from the start of its topic (gone, or the broker too slow to serve it)'}; ${
    names === null
      ? 'topics not listed'
      : lost.length === 0
        ? `all ${input.topics.length} declared topics still there`
        : `topics lost: ${lost.join(', ')}`
  }`;
  const fix =
    'check the broker’s persistent volume (k8s/redpanda/redpanda.yaml; compose: the redpanda volume)';
  return {
    'REQ-0.2/AC5': {
      kind: 'fact',
      holds: back && names !== null && lost.length === 0,
      detail,
      how: `${how} between write and read`,
      fix,
    },
    'REQ-0.2/M3': {
      kind: 'fact',
      holds: back,
      detail,
      how: `acks=all write, ${how}, read from the start of the topic`,
      fix,
    },
  };
}
