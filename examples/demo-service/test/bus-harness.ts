// Shared by the event-bus contract tests: a bus per client on a real broker (KAFKA_CONTRACT_BROKERS), an
// inbox that records what a handler received, and waits with deadlines.
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { Admin } from '@platformatic/kafka';
import { brokerOf } from '../src/bus/platformatic.js';
import {
  createEventBus,
  type EventBus,
  type EventBusOptions,
  type IncomingEvent,
  type KafkaClient,
} from '../src/kafka.js';
import { createLogger } from '../src/telemetry/index.js';

/**
 * The broker the contract runs on: a variable of its own, not KAFKA_BROKERS, so `npm test` never writes
 * to a broker by accident. Unset: the contract tests are skipped (a service's CI has no broker).
 */
export const BROKERS = process.env.KAFKA_CONTRACT_BROKERS?.split(',').filter(Boolean) ?? [];
export const CLIENTS: readonly KafkaClient[] = ['platformatic', 'kafkajs'];

const used = { topics: [] as string[], groups: [] as string[] };

/** Fresh topic and group names, so runs never see each other's events (removed by `forgetNames`). */
export function names(): { topic: string; group: string } {
  const id = randomUUID().slice(0, 8);
  const named = { topic: `contract.${id}`, group: `contract-${id}` };
  used.topics.push(named.topic);
  used.groups.push(named.group);
  return named;
}

/** Delete the topics and groups the tests made (after their consumers stopped). */
export async function forgetNames(): Promise<void> {
  const admin = new Admin({ clientId: 'contract', bootstrapBrokers: BROKERS.map(brokerOf) });
  try {
    const groups = used.groups.splice(0);
    const topics = used.topics.splice(0);
    if (groups.length > 0) await admin.deleteGroups({ groups }).catch(() => undefined);
    if (topics.length > 0) await admin.deleteTopics({ topics }).catch(() => undefined);
  } finally {
    await admin.close();
  }
}

/** A bus on the real broker (or on `at`); its warnings go to `logs`. */
export function newBus(
  client: KafkaClient,
  logs: Record<string, unknown>[] = [],
  at: readonly string[] = BROKERS,
  connection?: EventBusOptions['connection'],
): EventBus {
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const logger = createLogger({ name: 'contract', level: 'warn', destination });
  return createEventBus({
    client,
    brokers: at,
    clientId: `contract-${client}`,
    logger,
    ...(connection === undefined ? {} : { connection }),
  });
}

export async function createTopic(topic: string, partitions: number): Promise<void> {
  const admin = new Admin({ clientId: 'contract', bootstrapBrokers: BROKERS.map(brokerOf) });
  try {
    await admin.createTopics({ topics: [topic], partitions, replicas: 1 });
  } finally {
    await admin.close();
  }
}

/** Resolves once `check()` holds; fails after `ms`, naming `what` and what was seen. */
export async function waitFor(check: () => boolean, what: string, seen: () => unknown, ms = 30_000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`waited ${ms} ms for ${what}; saw ${JSON.stringify(seen())}`);
    await sleep(20);
  }
}

/** Resolves once `check()` resolves true (polled every 50 ms); fails after `ms`, naming `what`. */
export async function eventually(check: () => Promise<boolean>, what: string, ms = 30_000): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > ms) throw new Error(`waited ${ms} ms for ${what}`);
    await sleep(50);
  }
  return Date.now() - started;
}

export interface Inbox {
  readonly events: IncomingEvent[];
  /** How many times the handler threw. */
  readonly failures: number;
  handle(event: IncomingEvent): Promise<void>;
}

/** Records every event it accepts; `refuse` makes the handler throw for the events it matches. */
export function inbox(refuse: (event: IncomingEvent) => boolean = () => false): Inbox {
  const events: IncomingEvent[] = [];
  let failures = 0;
  return {
    events,
    get failures() {
      return failures;
    },
    async handle(event) {
      if (refuse(event)) {
        failures += 1;
        throw new Error(`the handler refuses offset ${event.offset}`);
      }
      events.push(event);
    },
  };
}

/** The `n` field of each event's value, in the order received. */
export const ns = (events: readonly IncomingEvent[]): number[] =>
  events.map((e) => (e.value as { n: number }).n);
