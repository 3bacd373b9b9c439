import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readTemplate } from '../../lib/adapters/template-files.js';
import { generateService } from '../../lib/commands/new-service.js';
import { FoundationError } from '../../lib/errors.js';
import { parseAllDocuments } from 'yaml';
import { RECORD_FILE, validateServiceName } from '../../lib/generator/render.js';
import { renderService } from '../../lib/generator/select.js';
import { KIT_PARTS } from '../../lib/generator/kit-parts.js';
import { ROOT } from '../helpers/cli.js';

const template = readTemplate(ROOT);

describe('service generator', () => {
  const invalid = [
    'Orders',
    'orders_api',
    '-orders',
    'orders-',
    '',
    'a'.repeat(64),
    'ördérs',
    'orders api',
    '123',
    '1e3',
    '0x1f',
  ];
  for (const name of invalid) {
    it(`rejects the name ${JSON.stringify(name.length > 20 ? `${name.slice(0, 10)}…` : name)}`, () => {
      assert.throws(
        () => validateServiceName(name),
        (e: unknown) => e instanceof FoundationError && e.code === 'E_USAGE' && /DNS-1035/.test(e.message),
      );
    });
  }

  it('accepts DNS-1035 labels and suggests one for a near miss', () => {
    assert.equal(validateServiceName('orders-api-2'), 'orders-api-2');
    assert.throws(
      () => validateServiceName('Orders_API'),
      (e: unknown) => e instanceof FoundationError && e.fix === 'use a name like: orders-api',
    );
  });

  it('suggests a name starting with a letter for one starting with a digit', () => {
    assert.throws(
      () => validateServiceName('123'),
      (e: unknown) => e instanceof FoundationError && e.fix === 'use a name like: svc-123',
    );
  });

  it('refuses the words YAML reads as booleans or null, suggesting a prefixed name', () => {
    for (const name of ['yes', 'no', 'on', 'off', 'y', 'n', 'true', 'false', 'null'])
      assert.throws(
        () => validateServiceName(name),
        (e: unknown) =>
          e instanceof FoundationError &&
          /is a word YAML reads as a boolean or null/.test(e.message) &&
          e.fix === `use a name like: svc-${name}`,
        name,
      );
  });

  // Valid names YAML 1.1 (kubectl, kustomize) or 1.2 could read as numbers or NaN if left plain.
  const yamlish = ['e1', 'nan', 'x0', 'o17'];
  for (const name of yamlish) {
    it(`"${name}" is a string in every generated YAML value, under YAML 1.1 and 1.2`, () => {
      const files = generateService(template, name, 'A service');
      const yamlFiles = files.filter((f) => /\.ya?ml$/.test(f.path));
      assert.ok(yamlFiles.length >= 5);
      for (const f of yamlFiles) {
        for (const version of ['1.1', '1.2'] as const) {
          const docs = parseAllDocuments(f.content, { version });
          assert.ok(Array.isArray(docs));
          for (const doc of docs) {
            assert.deepEqual(doc.errors, []);
            const names: unknown[] = [];
            const walk = (v: unknown, key: string): void => {
              if (Array.isArray(v))
                v.forEach((x) => {
                  walk(x, key);
                });
              else if (v !== null && typeof v === 'object')
                for (const [k, x] of Object.entries(v)) walk(x, k);
              else if (key === 'name' || key === 'app.kubernetes.io/name' || key === 'SERVICE_NAME')
                names.push(v);
            };
            walk(doc.toJS(), '');
            for (const n of names.filter((x) => typeof x !== 'string' || x === name)) {
              assert.equal(n, name, `${f.path} (YAML ${version}) reads the name as ${JSON.stringify(n)}`);
            }
          }
        }
      }
      const deployment = yamlFiles.find((f) => f.path.endsWith('deployment.yaml'))?.content ?? '';
      if (!['e1', 'nan', 'x0', 'o17'].includes(name))
        // booleans and null under YAML 1.1 must be quoted
        assert.ok(deployment.includes(`name: "${name}"\n`), 'quoted');
    });
  }

  it('leaves YAML layout and comments as written: only the placeholders change', () => {
    // Every kit part chosen: the only other change is that the kit's marker lines are gone.
    const files = generateService(template, 'orders-api', 'Places orders', [...KIT_PARTS]);
    for (const source of template.files.filter((f) => /\.ya?ml$/.test(f.path))) {
      const naive = source.content
        .replace(/^ *# kit:[a-z!+|-]+\n/gm, '')
        .replaceAll('__SERVICE_NAME__', 'orders-api')
        .replaceAll('__SERVICE_DESCRIPTION__', 'Places orders');
      assert.equal(files.find((f) => f.path === source.path)?.content, naive, source.path);
    }
  });

  it('rejects descriptions that would break the files they land in', () => {
    assert.throws(() => generateService(template, 'ok', 'say "hi"'), /description/);
    const refusal = (description: string): string => {
      try {
        generateService(template, 'ok', description);
      } catch (error) {
        return error instanceof FoundationError ? `${error.message} | ${error.fix ?? ''}` : String(error);
      }
      return 'accepted';
    };
    assert.match(refusal("Bob's orders"), /contains ' .* \| leave out quotes and backslashes/);
    assert.match(refusal('  '), /is empty \| say what the service does/);
    assert.match(refusal('one\ntwo'), /spans several lines \| write it on one line/);
    assert.match(refusal('x'.repeat(201)), /is 201 characters long \(at most 200\) \| shorten it/);
    assert.equal(refusal('Places orders — fast, in €'), 'accepted');
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
      answers: { name: 'orders-api', description: 'Places orders', parts: [] },
      telemetryFrom: 'lib/telemetry',
    });
    assert.ok(
      files.some((f) => f.path === join('src', 'telemetry', 'logger.ts')),
      'lib/telemetry is copied in',
    );
    assert.match(files.find((f) => f.path === 'package.json')?.content ?? '', /"name": "orders-api"/);
  });

  it('examples/demo-service is in step with the template (every template-owned file renders to the same)', () => {
    const demo = join(ROOT, 'examples', 'demo-service');
    const record = JSON.parse(readFileSync(join(demo, RECORD_FILE), 'utf8')) as {
      version: string;
      answers: { name: string; description: string };
    };
    assert.equal(record.version, template.version);
    const owned = new Set(template.serviceOwned);
    const drift = renderService(template, record.answers)
      .filter((f) => !owned.has(f.path))
      .filter((f) => readFileSync(join(demo, f.path), 'utf8') !== f.content)
      .map((f) => f.path);
    assert.deepEqual(drift, [], 'regenerate the demo: foundation run 0-10');
  });
});
