import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { outage } from '../../src/kit/outage.js';

/** A tracker on a clock the test moves. */
function tracked() {
  const clock = { now: 0 };
  return { clock, state: outage({ now: () => clock.now }) };
}

describe('outage: when a dependency outage is worth a line', () => {
  it('one warning however many calls fail; its end gives how long and how many failed', () => {
    const { clock, state } = tracked();
    assert.equal(state.ended(), undefined, 'no outage yet: nothing to say');
    const warnings = Array.from({ length: 500 }, () => state.failed());
    assert.deepEqual(warnings[0], {});
    assert.ok(warnings.slice(1).every((w) => w === undefined));
    assert.equal(state.down, true);
    clock.now = 2_500;
    assert.deepEqual(state.ended(), { downMs: 2_500, failures: 500 });
    assert.equal(state.down, false);
    assert.equal(state.ended(), undefined, 'an end is said once');
  });

  it('a flapping dependency is warned about at most once a minute, then says how many went unlogged', () => {
    const { clock, state } = tracked();
    const said: unknown[] = [];
    for (let i = 0; i < 5; i += 1) {
      clock.now += 1_000;
      said.push(state.failed(), state.ended());
    }
    assert.deepEqual(said, [{}, { downMs: 0, failures: 1 }, ...Array<undefined>(8).fill(undefined)]);
    clock.now = 61_000;
    assert.deepEqual(state.failed(), { outagesNotLogged: 4 });
    clock.now = 62_000;
    state.ended();
    clock.now = 200_000;
    assert.deepEqual(state.failed(), {}, 'the count starts again after a warning');
  });

  it('an outage that begins inside the quiet minute is warned about once the minute has passed', () => {
    const { clock, state } = tracked();
    state.failed(); // warned
    clock.now = 10_000;
    assert.deepEqual(state.ended(), { downMs: 10_000, failures: 1 });
    clock.now = 20_000;
    assert.equal(state.failed(), undefined, 'a new outage inside the minute: not yet');
    clock.now = 59_999;
    assert.equal(state.failed(), undefined);
    clock.now = 70_000;
    assert.deepEqual(state.failed(), {}, 'the minute has passed: warned, still the same outage');
    assert.equal(state.failed(), undefined);
    clock.now = 80_000;
    assert.deepEqual(state.ended(), { downMs: 60_000, failures: 4 });
  });

  it('takes its quiet interval from the caller', () => {
    const clock = { now: 0 };
    const state = outage({ quietMs: 100, now: () => clock.now });
    state.failed();
    state.ended();
    clock.now = 100;
    assert.deepEqual(state.failed(), {});
  });
});
