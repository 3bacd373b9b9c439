// A topics file with several kinds of mistakes: every one said in one attempt, not one kind per attempt.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FoundationError } from '../../lib/errors.js';
import { parseTopicsFile } from '../../lib/kafka/topics-file.js';

describe('a topics file with several kinds of mistakes', () => {
  it('says them all at once: a schema problem, a name declared twice, a numeric config that is not a number', () => {
    const text = [
      'defaults:',
      '  config:',
      '    retention.ms: forever',
      'topics:',
      '  - name: a',
      '    partitons: 3',
      '  - name: a',
      '  - name: b',
      '    config:',
      '      max.message.bytes: lots',
      '',
    ].join('\n');
    assert.throws(
      () => parseTopicsFile(text, 't.yaml'),
      (e: unknown) => {
        assert.ok(e instanceof FoundationError);
        assert.deepEqual(e.message.split('\n  - ').slice(1), [
          'topic a: (the entry): Unrecognized key: "partitons"',
          'topic a: config.retention.ms: expected a whole number, got "forever"',
          'topic a: name: declared twice',
          'topic b: config.retention.ms: expected a whole number, got "forever"',
          'topic b: config.max.message.bytes: expected a whole number, got "lots"',
        ]);
        return true;
      },
    );
  });
});
