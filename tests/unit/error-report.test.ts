// How an error that ends a command is said (scripts/process-hooks.ts reportError): the coded line with its
// fix on stderr, the JSON error line with --json, the exit code from the table; anything not a
// FoundationError is E_UNEXPECTED (exit 1). And E_INSTALL_BROKEN for a file missing from the package.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { errorTable } from '../../lib/error-meanings.js';
import { ERROR_CODES, FoundationError, toErrorInfo } from '../../lib/errors.js';
import { readPackageFile } from '../../lib/model/package-files.js';
import { Redactor } from '../../lib/redact.js';
import { EXIT } from '../../lib/report/exit-codes.js';
import { reportError } from '../../scripts/process-hooks.js';

/** What reportError writes to stdout and stderr, captured (it writes to the process's own streams). */
function capture(): { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  mock.method(process.stdout, 'write', (chunk: string) => out.push(chunk) > 0);
  mock.method(process.stderr, 'write', (chunk: string) => err.push(chunk) > 0);
  return { out, err };
}

describe('reportError: the last words of a command', () => {
  let debug: string | undefined;
  beforeEach(() => {
    debug = process.env.FOUNDATION_DEBUG;
    delete process.env.FOUNDATION_DEBUG;
  });
  afterEach(() => {
    mock.restoreAll();
    if (debug === undefined) delete process.env.FOUNDATION_DEBUG;
    else process.env.FOUNDATION_DEBUG = debug;
  });

  it('an error no code anticipated: E_UNEXPECTED, exit 1, the hint for the stack trace', () => {
    const { out, err } = capture();
    const code = reportError(new TypeError('x is undefined'), false, new Redactor());
    mock.restoreAll();
    assert.equal(code, EXIT.unexpected);
    assert.equal(code, ERROR_CODES.E_UNEXPECTED);
    assert.deepEqual(out, [], 'nothing on stdout without --json');
    assert.match(err.join(''), /foundation:.* E_UNEXPECTED: x is undefined\n/);
    assert.match(err.join(''), /\(set FOUNDATION_DEBUG=1 to see the stack trace\)\n$/);
  });

  it('E_UNEXPECTED with FOUNDATION_DEBUG=1: the stack trace instead of the hint', () => {
    process.env.FOUNDATION_DEBUG = '1';
    const { err } = capture();
    reportError(new TypeError('x is undefined'), false, new Redactor());
    mock.restoreAll();
    assert.match(err.join(''), /TypeError: x is undefined\n\s+at /);
    assert.doesNotMatch(err.join(''), /set FOUNDATION_DEBUG=1/);
  });

  it('E_UNEXPECTED with --json: one error line on stdout with exitCode 1, a thrown non-Error too', () => {
    const { out } = capture();
    const code = reportError('a string was thrown', true, new Redactor());
    mock.restoreAll();
    assert.equal(code, 1);
    assert.equal(out.length, 1);
    assert.deepEqual(JSON.parse(out[0] ?? ''), {
      v: 1,
      type: 'error',
      code: 'E_UNEXPECTED',
      message: 'a string was thrown',
      exitCode: 1,
    });
  });

  it('a coded error: its line with the fix, its exit code, no stack-trace hint; secrets masked', () => {
    const { out, err } = capture();
    const e = new FoundationError(
      'E_TOOL_MISSING',
      'k3d is not installed (token s3cret-value-123)',
      'run foundation run 0-1',
    );
    const code = reportError(e, true, new Redactor(['s3cret-value-123']));
    mock.restoreAll();
    assert.equal(code, EXIT.taskFailed);
    assert.match(
      err.join(''),
      /E_TOOL_MISSING: k3d is not installed \(token \*\*\*\)\n {2}fix: run foundation run 0-1\n$/,
    );
    const line = JSON.parse(out[0] ?? '') as Record<string, unknown>;
    assert.deepEqual(line, {
      v: 1,
      type: 'error',
      code: 'E_TOOL_MISSING',
      message: 'k3d is not installed (token ***)',
      fix: 'run foundation run 0-1',
      exitCode: 4,
    });
  });
});

describe('error codes', () => {
  it('every code maps to an exit code of the table; unknown throws become the fallback code', () => {
    const table = new Set<number>(Object.values(EXIT));
    for (const [code, exit] of Object.entries(ERROR_CODES)) assert.ok(table.has(exit), code);
    assert.equal(toErrorInfo(new Error('boom')).code, 'E_TASK_ERROR');
    assert.equal(toErrorInfo(42, 'E_UNEXPECTED').code, 'E_UNEXPECTED');
  });

  it('the documented table: every code once, in order, with its exit code and a meaning', () => {
    const rows = errorTable();
    assert.deepEqual(
      rows.map((r) => r.code),
      Object.keys(ERROR_CODES),
    );
    for (const r of rows) {
      assert.equal(r.exit, ERROR_CODES[r.code], r.code);
      assert.ok(r.meaning.length > 10 && !r.meaning.includes('\n'), r.code);
    }
    assert.equal(rows.find((r) => r.code === 'E_CANCELLED')?.exit, 130);
  });

  it('a file missing from the package: E_INSTALL_BROKEN (exit 2) naming it, with the fix', async () => {
    const ctx = {
      files: { read: () => Promise.resolve(null) },
      platform: { packageRoot: '/opt/foundation' },
    } as unknown as Parameters<typeof readPackageFile>[0];
    await assert.rejects(readPackageFile(ctx, 'k8s/namespaces.yaml'), (e: unknown) => {
      assert.ok(e instanceof FoundationError);
      assert.equal(e.code, 'E_INSTALL_BROKEN');
      assert.equal(e.exitCode, EXIT.usage);
      assert.equal(e.message, 'k8s/namespaces.yaml is missing from the Foundation package (/opt/foundation)');
      assert.equal(e.fix, 'reinstall Foundation (in its repository: git checkout k8s/namespaces.yaml)');
      return true;
    });
  });
});
