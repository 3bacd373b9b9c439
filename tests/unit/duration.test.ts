import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDuration, spokenDuration, type DurationRule } from '../../lib/config/duration.js';
import { FoundationError } from '../../lib/errors.js';

const SECONDS: DurationRule = { bare: 's', minMs: 1_000, maxMs: 3_600_000, example: '5m' };

/** The E_USAGE message and fix, or the value. */
function parsed(text: string, rule: DurationRule = SECONDS): number | [string, string | undefined] {
  try {
    return parseDuration('--timeout', text, rule);
  } catch (e) {
    assert.ok(e instanceof FoundationError && e.code === 'E_USAGE');
    return [e.message, e.fix];
  }
}

/** The fix of the E_USAGE `text` gets (with the seconds rule). */
const fix = (text: string): string | undefined => {
  const r = parsed(text);
  return typeof r === 'number' ? 'accepted' : r[1];
};

describe('--timeout durations', () => {
  it('a unit (ms, s, m, h) or a bare number in the command’s own unit', () => {
    assert.deepEqual(
      ['180', '90s', '1.5s', '2m', '1500ms', ' 60 ', '1h', '0.5h'].map((t) => parsed(t)),
      [180_000, 90_000, 1_500, 120_000, 1_500, 60_000, 3_600_000, 1_800_000],
    );
    assert.equal(parsed('2000', { bare: 'ms', minMs: 100, maxMs: 60_000, example: '2s' }), 2_000);
  });

  it('out of range or not a duration: E_USAGE saying the range and the bare unit, with an example', () => {
    assert.deepEqual(parsed('soon'), [
      '--timeout soon is not a duration from 1 s to 60 min (a bare number is seconds)',
      'e.g. --timeout 5m',
    ]);
    assert.deepEqual(fix('2h'), 'e.g. --timeout 5m', 'past the 60 min this rule allows');
    // Judged before rounding: just under the floor is under it.
    assert.deepEqual(fix('0.9995s'), 'e.g. --timeout 5m');
    assert.deepEqual(parsed('0'), [
      '--timeout 0 is not a duration from 1 s to 60 min (a bare number is seconds)',
      'e.g. --timeout 5m',
    ]);
    assert.deepEqual(fix('0x10'), 'e.g. --timeout 5m');
    // A bare number that fits as the other unit: the form that says so.
    const status: DurationRule = { bare: 'ms', minMs: 100, maxMs: 60_000, example: '2s' };
    assert.deepEqual(parsed('5', status), [
      '--timeout 5 is not a duration from 100 ms to 60 s (a bare number is milliseconds)',
      'for 5 seconds: --timeout 5s',
    ]);
    assert.deepEqual(fix('5000'), 'for 5000 milliseconds: --timeout 5000ms');
  });

  it('spoken: ms below a second, s below two minutes, whole minutes above', () => {
    assert.deepEqual([500, 1_500, 60_000, 120_000, 150_000, 3_600_000].map(spokenDuration), [
      '500 ms',
      '1.5 s',
      '60 s',
      '2 min',
      '150 s',
      '60 min',
    ]);
  });
});
