import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readTemplate } from '../../lib/adapters/template-files.js';
import { generateService } from '../../lib/commands/new-service.js';
import { FoundationError } from '../../lib/errors.js';
import { RECORD_FILE, render, validateServiceName } from '../../lib/generator/render.js';
import { ROOT } from '../helpers/cli.js';

const template = readTemplate(ROOT);

describe('service generator', () => {
  const invalid = ['Orders', 'orders_api', '-orders', 'orders-', '', 'a'.repeat(64), 'ördérs', 'orders api'];
  for (const name of invalid) {
    it(`rejects the name ${JSON.stringify(name.length > 20 ? `${name.slice(0, 10)}…` : name)}`, () => {
      assert.throws(
        () => validateServiceName(name),
        (e: unknown) => e instanceof FoundationError && e.code === 'E_USAGE' && /DNS-1123/.test(e.message),
      );
    });
  }

  it('accepts DNS-1123 labels and suggests one for a near miss', () => {
    assert.equal(validateServiceName('orders-api-2'), 'orders-api-2');
    assert.throws(
      () => validateServiceName('Orders_API'),
      (e: unknown) => e instanceof FoundationError && e.fix === 'use a name like: orders-api',
    );
  });

  it('rejects descriptions that would break the files they land in', () => {
    assert.throws(() => generateService(template, 'ok', 'say "hi"'), /description/);
  });

  it('fills every placeholder and records the template version and the answers', () => {
    const files = generateService(template, 'orders-api', 'Places orders');
    assert.ok(files.every((f) => !f.content.includes('__SERVICE_') && !f.path.includes('__SERVICE_')));
    const record = JSON.parse(files.find((f) => f.path === RECORD_FILE)?.content ?? '{}') as Record<
      string,
      unknown
    >;
    assert.deepEqual(record, {
      template: 'foundation/service-template',
      version: template.version,
      answers: { name: 'orders-api', description: 'Places orders' },
      telemetryFrom: 'lib/telemetry',
    });
    assert.ok(
      files.some((f) => f.path === join('src', 'telemetry', 'logger.ts')),
      'lib/telemetry is copied in',
    );
    assert.match(files.find((f) => f.path === 'package.json')?.content ?? '', /"name": "orders-api"/);
  });

  it('renders in well under a second', () => {
    const started = performance.now();
    generateService(readTemplate(ROOT), 'fast', 'Fast');
    assert.ok(performance.now() - started < 1_000);
  });

  it('examples/demo-service is in step with the template (every template-owned file renders to the same)', () => {
    const demo = join(ROOT, 'examples', 'demo-service');
    const record = JSON.parse(readFileSync(join(demo, RECORD_FILE), 'utf8')) as {
      version: string;
      answers: { name: string; description: string };
    };
    assert.equal(record.version, template.version);
    const owned = new Set(template.serviceOwned);
    const drift = render(template.files, record.answers)
      .filter((f) => !owned.has(f.path))
      .filter((f) => readFileSync(join(demo, f.path), 'utf8') !== f.content)
      .map((f) => f.path);
    assert.deepEqual(drift, [], 'regenerate the demo: foundation run 0-10');
  });
});
