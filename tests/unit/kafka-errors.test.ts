import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MultipleErrors, NetworkError, ProtocolError, ResponseError, UserError } from '@platformatic/kafka';
import { leadsFromAnswer } from '../../lib/adapters/kafka-metadata.js';
import { kafkaErrorNames, kafkaMessage, notServed, readable } from '../../lib/adapters/kafka-errors.js';

// The shapes @platformatic/kafka 2.12.1 rejects with (seen on Kafka 4.3 KRaft): a MultipleErrors
// heading, a ResponseError per API answer, a ProtocolError per error code in it.
const answer = (api: string, ...codes: number[]) =>
  new MultipleErrors(`${api} failed.`, [
    new ResponseError(
      2,
      9,
      Object.fromEntries(codes.map((code, i) => [`/topics/0/partitions/${i}`, [code, null]])),
      {},
    ),
  ]);

describe('reading @platformatic/kafka errors', () => {
  it('names the Kafka errors anywhere in the tree, also behind a cause', () => {
    const e = answer('Listing offsets', 6, 5);
    assert.deepEqual([...kafkaErrorNames(e)].sort(), ['LEADER_NOT_AVAILABLE', 'NOT_LEADER_OR_FOLLOWER']);
    assert.deepEqual([...kafkaErrorNames(readable(e))].sort(), [
      'LEADER_NOT_AVAILABLE',
      'NOT_LEADER_OR_FOLLOWER',
    ]);
  });

  it('a partition not served yet is worth another try; anything else is not', () => {
    assert.equal(notServed(answer('Listing offsets', 6)), true, 'NOT_LEADER_OR_FOLLOWER');
    assert.equal(notServed(answer('Describing configs', 3)), true, 'UNKNOWN_TOPIC_OR_PARTITION');
    // The metadata call turns an unknown topic into this UserError, without the code.
    assert.equal(notServed(new UserError('Unknown topic orders.placed.')), true);
    assert.equal(notServed(answer('Creating topics', 36)), false, 'TOPIC_ALREADY_EXISTS');
    assert.equal(notServed(answer('Altering configs', 40)), false, 'INVALID_CONFIG');
    assert.equal(notServed(new Error('boom')), false);
    assert.equal(notServed(undefined), false);
  });

  it('says what happened down to the cause, in one line', () => {
    const refused = new MultipleErrors('Listing topics failed.', [
      new MultipleErrors('metadata failed 4 times.', [
        new NetworkError('Connection to 127.0.0.1:1 failed.', {
          cause: new Error('connect ECONNREFUSED 127.0.0.1:1'),
        }),
      ]),
    ]);
    assert.equal(
      kafkaMessage(refused),
      'Listing topics failed. ← Connection to 127.0.0.1:1 failed. ← connect ECONNREFUSED 127.0.0.1:1',
    );
    assert.match(
      kafkaMessage(new ProtocolError('INVALID_CONFIG', 'retention.ms must be a number')),
      /^INVALID_CONFIG: .+ \(retention\.ms must be a number\)$/,
    );
    assert.equal(readable(refused).cause, refused, 'the original stays the cause');
    // Made readable, then wrapped again (a retry around it): each part said once.
    const again = new MultipleErrors('Cannot connect to any broker.', [readable(refused), readable(refused)]);
    assert.equal(
      kafkaMessage(again),
      'Cannot connect to any broker. ← Listing topics failed. ← Connection to 127.0.0.1:1 failed. ← connect ECONNREFUSED 127.0.0.1:1',
    );
  });
});

describe('a Metadata answer with partitions in error', () => {
  const topic = (errorCode: number) => ({
    name: 'orders.placed',
    errorCode,
    partitions: [
      { partitionIndex: 1, leaderId: -1, replicaNodes: [1], errorCode: 5 },
      { partitionIndex: 0, leaderId: 1, replicaNodes: [1], errorCode: 0 },
    ],
  });
  const rejected = (errorCode: number) =>
    new ResponseError(3, 12, { '/topics/0/partitions/0': [5, null] }, { topics: [topic(errorCode)] });

  it('still gives every partition, those without a leader as -1', () => {
    assert.deepEqual(
      leadsFromAnswer(rejected(0)),
      new Map([
        [
          'orders.placed',
          [
            { leader: 1, replicas: 1 },
            { leader: -1, replicas: 1 },
          ],
        ],
      ]),
    );
  });

  it('also behind a retry wrapper', () => {
    const wrapped = new MultipleErrors('metadata failed 1 times.', [rejected(0)]);
    assert.equal(leadsFromAnswer(wrapped)?.get('orders.placed')?.length, 2);
  });

  it('gives nothing when a topic itself is in error, or there is no answer', () => {
    assert.equal(leadsFromAnswer(rejected(3)), null);
    assert.equal(leadsFromAnswer(new Error('boom')), null);
  });
});
