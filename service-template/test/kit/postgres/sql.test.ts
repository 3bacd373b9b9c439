import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { postgresSettings } from '../../../src/kit/postgres/index.js';
import { beginStatement, operationOf } from '../../../src/kit/postgres/sql.js';
import { backoffMs } from '../../../src/kit/postgres/transaction.js';

const settings = z.object(postgresSettings);

describe('postgres settings', () => {
  it('needs only DATABASE_URL, and has bounded defaults for the rest', () => {
    const parsed = settings.parse({ DATABASE_URL: 'postgres://app:pw@db:5432/app' });
    assert.deepEqual(parsed, {
      DATABASE_URL: 'postgres://app:pw@db:5432/app',
      DB_POOL_MAX: 10,
      DB_STATEMENT_TIMEOUT_MS: 5_000,
      DB_CONNECT_TIMEOUT_MS: 2_000,
      DB_IDLE_TIMEOUT_MS: 30_000,
      DB_MIGRATE: 'on',
      DB_TX_RETRIES: 3,
      DB_TX_ISOLATION: 'serializable',
    });
    assert.equal(settings.parse({ DATABASE_URL: 'postgresql://db/app', DB_POOL_MAX: '3' }).DB_POOL_MAX, 3);
  });

  it('rejects a missing or non-postgres URL and out-of-range numbers, without echoing the values', () => {
    const bad = settings.safeParse({
      DATABASE_URL: 'mysql://app:hunter22@db/app',
      DB_POOL_MAX: '0',
      DB_STATEMENT_TIMEOUT_MS: '1',
      DB_TX_RETRIES: '99',
    });
    assert.equal(bad.success, false);
    const paths = bad.error?.issues.map((i) => i.path.join('.')).sort();
    assert.deepEqual(paths, ['DATABASE_URL', 'DB_POOL_MAX', 'DB_STATEMENT_TIMEOUT_MS', 'DB_TX_RETRIES']);
    assert.doesNotMatch(JSON.stringify(bad.error?.issues), /hunter22/);
    assert.equal(settings.safeParse({}).success, false);
  });

  it('refuses a URL cut short by its password, but keeps one with a bare % (pg reads it as written)', () => {
    const cut = settings.safeParse({ DATABASE_URL: 'postgres://app:ab@half/rest@db/app' });
    assert.deepEqual(
      cut.error?.issues.map((i) => i.path.join('.')),
      ['DATABASE_URL'],
    );
    assert.equal(settings.safeParse({ DATABASE_URL: 'postgres://app:100%zz@db/app' }).success, true);
  });
});

describe('postgres statements', () => {
  it('labels a statement by its first keyword from a fixed list, past comments and whitespace', () => {
    assert.equal(operationOf('SELECT $1::int'), 'SELECT');
    assert.equal(operationOf('  \n insert into items (name) values ($1)'), 'INSERT');
    assert.equal(operationOf('-- why\n/* how */ UPDATE items SET name = $1'), 'UPDATE');
    assert.equal(operationOf('with x as (select 1) delete from items'), 'WITH');
    assert.equal(operationOf('VACUUM items'), 'OTHER');
    assert.equal(operationOf(''), 'OTHER');
  });

  it('begins at the chosen isolation level', () => {
    assert.equal(beginStatement('serializable'), 'BEGIN ISOLATION LEVEL SERIALIZABLE');
    assert.equal(beginStatement('repeatable-read', true), 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    assert.equal(beginStatement('read-committed'), 'BEGIN ISOLATION LEVEL READ COMMITTED');
  });

  it('backs off with jitter, doubling per retry up to a second', () => {
    assert.equal(
      backoffMs(1, () => 0),
      10,
    );
    assert.equal(
      backoffMs(1, () => 1),
      20,
    );
    assert.equal(
      backoffMs(3, () => 0),
      40,
    );
    assert.equal(
      backoffMs(3, () => 1),
      80,
    );
    assert.equal(
      backoffMs(20, () => 1),
      1_000,
    );
    assert.equal(
      backoffMs(20, () => 0),
      500,
    );
  });
});
