// REQ-0.2/AC1 and AC2 from the bus probe's fan-out, on plain data: every group's count, and the group
// that went offline and came back.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BusFanout } from '../../lib/ports/validation.js';
import { busObservations } from '../../lib/validate/bus-evidence.js';
import type { ValidationInput, ValidationPorts } from '../../lib/validate/probes.js';

async function judged(fan: BusFanout) {
  const ports = { bus: { fanout: () => Promise.resolve(fan) } } as unknown as ValidationPorts;
  const input = {
    config: { kafkaBrokers: ['127.0.0.1:19092'] },
    request: { skipPerf: true, restartBroker: false, restartCluster: false },
  } as unknown as ValidationInput;
  const o = await busObservations(ports, input);
  const fact = (id: string) => {
    const x = o[id];
    assert.ok(x?.kind === 'fact', `${id}: ${JSON.stringify(x)}`);
    return [x.holds, x.detail];
  };
  return { ac1: fact('REQ-0.2/AC1'), ac2: fact('REQ-0.2/AC2') };
}

describe('the event bus fan-out (REQ-0.2/AC1, AC2)', () => {
  it('every group got the event; the one back from offline got what it missed, once more what it had', async () => {
    const { ac1, ac2 } = await judged({ received: [1, 1, 1], offlineReceived: true, redelivered: 1 });
    assert.deepEqual(ac1, [true, 'groups received 1, 1, 1 message(s)']);
    assert.deepEqual(ac2, [
      true,
      'a group that was offline while an event was published received it on coming back, from its committed offset (and 1 it had already: at-least-once)',
    ]);
  });

  it('back from offline without it: AC2 fails; a group that got nothing at all fails AC1, and AC2 says it was not tried', async () => {
    const missed = await judged({ received: [1, 1, 1], offlineReceived: false, redelivered: 0 });
    assert.equal(missed.ac2[0], false);
    assert.match(String(missed.ac2[1]), /did not receive it on coming back/);
    const none = await judged({ received: [1, 1, 0], offlineReceived: false, redelivered: 0 });
    assert.deepEqual(none.ac1, [false, 'groups received 1, 1, 0 message(s)']);
    assert.deepEqual(none.ac2, [
      false,
      'not tried: the group to take offline got nothing even before (REQ-0.2/AC1)',
    ]);
  });
});
