import type { Observation, Observations } from './judge.js';
import type { ValidationInput, ValidationPorts } from './probes.js';
import { PROBE_TIMEOUT_MS, failed, within } from './within.js';

/** Bounds of the load the probes put on the platform. */
export const PERF = { count: 20_000, size: 256, timeoutMs: 60_000 } as const;
const PERF_FIX =
  'compare with the broker’s own tool: npm run bench -- kafka (the client’s share is issue 17)';

/** The event bus with real traffic: fan-out to consumer groups (one late), then bounded load. */
export async function busObservations(p: ValidationPorts, input: ValidationInput): Promise<Observations> {
  const brokers = input.config.kafkaBrokers;
  const out: Record<string, Observation> = {};
  const where = brokers.join(',');
  const fan = await within(PROBE_TIMEOUT_MS * 2, `the broker at ${where}`, () =>
    p.bus.fanout(brokers, { groups: 3, timeoutMs: PROBE_TIMEOUT_MS }),
  );
  const fanHow = `one event on a new topic at ${where}; 3 consumer groups, the last joining after it was published`;
  if (failed(fan))
    out['REQ-0.2/AC1'] = { kind: 'error', reason: fan.failed, fix: 'foundation run 0-3', how: fanHow };
  else {
    out['REQ-0.2/AC1'] = {
      kind: 'fact',
      holds: fan.received.every((n) => n >= 1),
      detail: `groups received ${fan.received.join(', ')} message(s)`,
      how: fanHow,
      fix: 'foundation run 0-3',
    };
    out['REQ-0.2/AC2'] = {
      kind: 'fact',
      holds: fan.lateReceived,
      detail: fan.lateReceived
        ? 'a group that joined after publishing received the event'
        : 'the late group received nothing',
      how: fanHow,
      fix: 'foundation run 0-3',
    };
  }
  if (input.request.skipPerf) {
    const skip: Observation = { kind: 'absent', reason: '--skip-perf', byChoice: true };
    return { ...out, 'REQ-0.2/M1': skip, 'REQ-0.2/M2': skip };
  }
  const how = `${PERF.count} messages of ${PERF.size} bytes, acks=all, produced and consumed at ${where} (kafkajs)`;
  const perf = await within(PERF.timeoutMs + 10_000, `the broker at ${where}`, () =>
    p.bus.perf(brokers, PERF),
  );
  if (failed(perf)) {
    const e: Observation = {
      kind: 'error',
      reason: perf.failed,
      fix: 'foundation run 0-3; npm run bench -- kafka',
      how,
    };
    return { ...out, 'REQ-0.2/M1': e, 'REQ-0.2/M2': e };
  }
  return {
    ...out,
    'REQ-0.2/M1': { kind: 'value', value: Math.round(perf.msgPerSec), unit: 'msg/s', how, fix: PERF_FIX },
    'REQ-0.2/M2': { kind: 'value', value: Math.round(perf.p95Ms * 10) / 10, unit: 'ms', how, fix: PERF_FIX },
  };
}
