import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { STATUS_TIMEOUT_MS, parseStatusTimeout } from '../../lib/commands/status.js';
import { FoundationError } from '../../lib/errors.js';

describe('foundation status --timeout', () => {
  it('a bare number is milliseconds, as before; a unit may say otherwise', () => {
    assert.equal(parseStatusTimeout(undefined), STATUS_TIMEOUT_MS);
    assert.equal(parseStatusTimeout('2000'), 2_000);
    assert.equal(parseStatusTimeout('500ms'), 500);
    assert.equal(parseStatusTimeout('5s'), 5_000);
    assert.equal(parseStatusTimeout('1.5s'), 1_500);
  });

  it('out of range or not a duration: E_USAGE; a bare number meant as seconds gets the form that says so', () => {
    const fixOf = (text: string): string | undefined => {
      try {
        parseStatusTimeout(text);
      } catch (e) {
        if (e instanceof FoundationError && e.code === 'E_USAGE') return e.fix;
      }
      return 'accepted';
    };
    assert.equal(fixOf('5'), 'for 5 seconds: --timeout 5s');
    assert.equal(fixOf('90s'), 'e.g. --timeout 2s');
    assert.equal(fixOf('soon'), 'e.g. --timeout 2s');
    assert.equal(fixOf('0x10'), 'e.g. --timeout 2s');
  });
});
