import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readTemplate } from '../../lib/adapters/template-files.js';
import { generateService } from '../../lib/commands/new-service.js';
import { FoundationError } from '../../lib/errors.js';
import { chooseParts, droppedPackages, parseKit, shipsFile, type KitSpec } from '../../lib/generator/kit.js';
import { KIT_PARTS } from '../../lib/generator/kit-parts.js';
import { pruneLockfile, prunePackageJson } from '../../lib/generator/lockfile.js';
import { applyMarkers } from '../../lib/generator/markers.js';
import { selectParts } from '../../lib/generator/select.js';
import { RECORD_FILE } from '../../lib/generator/render.js';
import { ROOT } from '../helpers/cli.js';

const KIT: KitSpec = parseKit({
  parts: {
    db: {
      summary: 'd',
      paths: ['src/kit/db/', 'migrations/'],
      dependencies: ['pg'],
      devDependencies: ['@types/pg'],
    },
    cache: { summary: 'c', paths: ['src/kit/cache/'], dependencies: ['redis'] },
    auth: {
      summary: 'a',
      paths: ['src/kit/auth/', 'src/kit/db/auth.ts'],
      dependencies: ['jose', 'shared-lib'],
    },
    rpc: { summary: 'r', paths: ['src/kit/rpc/'], dependencies: ['shared-lib'] },
  },
  shared: { 'src/kit/': ['db', 'cache', 'auth', 'rpc'], 'test/kit/servers.ts': ['db', 'cache'] },
});
const KNOWN = Object.keys(KIT.parts);

describe('service kit: choosing parts', () => {
  it('keeps the kit order, ignores blanks and duplicates', () => {
    assert.deepEqual(chooseParts(KIT, 'cache, db,,db'), ['db', 'cache']);
    assert.deepEqual(chooseParts(KIT, undefined), []);
    assert.deepEqual(chooseParts(KIT, ['rpc']), ['rpc']);
  });

  it('refuses an unknown part with the list and the nearest name', () => {
    assert.throws(
      () => chooseParts(KIT, 'db,cahce'),
      (e: unknown) =>
        e instanceof FoundationError &&
        e.code === 'E_USAGE' &&
        /unknown service kit part: cahce \(there are: db, cache, auth, rpc\)/.test(e.message) &&
        e.fix === 'did you mean --with cache?',
    );
  });

  it('takes all for every part, and suggests only a name that is near', () => {
    assert.deepEqual(chooseParts(KIT, 'all'), KNOWN);
    assert.deepEqual(chooseParts(KIT, 'db,all'), KNOWN);
    const fixOf = (list: string): string | undefined => {
      try {
        chooseParts(KIT, list);
      } catch (e) {
        if (e instanceof FoundationError) return e.fix;
      }
      return 'no error';
    };
    assert.equal(fixOf('cach'), 'did you mean --with cache?');
    assert.equal(fixOf('aut'), 'did you mean --with auth?', 'the start of a name');
    // Three edits from rpc, two from db: near nothing, so no guess.
    assert.equal(fixOf('nope'), 'choose from: db, cache, auth, rpc, or all');
    assert.equal(fixOf('every'), 'choose from: db, cache, auth, rpc, or all');
    assert.equal(fixOf('all,nope'), 'choose from: db, cache, auth, rpc, or all', 'all does not hide a typo');
  });

  it('refuses a template.json whose kit is malformed', () => {
    assert.throws(() => parseKit({ parts: { x: { summary: 1 } } }), /E_INSTALL_BROKEN|needs summary/);
    assert.throws(() => parseKit({ parts: {}, shared: { 'a/': ['nope'] } }), /must list known parts/);
  });
});

describe('service kit: files and packages', () => {
  it('ships a part file only with its part, a file two parts list only with both', () => {
    assert.equal(shipsFile(KIT, ['db'], 'src/kit/db/pool.ts'), true);
    assert.equal(shipsFile(KIT, ['cache'], 'src/kit/db/pool.ts'), false);
    assert.equal(shipsFile(KIT, ['db'], 'src/kit/db/auth.ts'), false);
    assert.equal(shipsFile(KIT, ['db', 'auth'], 'src/kit/db/auth.ts'), true);
    assert.equal(shipsFile(KIT, ['cache'], 'migrations/001.sql'), false);
  });

  it('ships a shared file with any of its owners (the most specific entry decides), others always', () => {
    assert.equal(shipsFile(KIT, [], 'src/kit/part.ts'), false);
    assert.equal(shipsFile(KIT, ['rpc'], 'src/kit/part.ts'), true);
    assert.equal(shipsFile(KIT, ['rpc'], 'test/kit/servers.ts'), false);
    assert.equal(shipsFile(KIT, ['cache'], 'test/kit/servers.ts'), true);
    assert.equal(shipsFile(KIT, [], 'src/app.ts'), true);
  });

  it('drops the packages of parts not chosen unless a chosen part needs them too', () => {
    assert.deepEqual([...droppedPackages(KIT, ['auth'])].sort(), ['@types/pg', 'pg', 'redis']);
    assert.deepEqual([...droppedPackages(KIT, [])].sort(), [
      '@types/pg',
      'jose',
      'pg',
      'redis',
      'shared-lib',
    ]);
  });
});

describe('service kit: kit blocks in text', () => {
  const text = [
    'a',
    '// kit:db',
    'db line',
    '// kit:end',
    '# kit:db+cache',
    'both',
    '# kit:end',
    '<!-- kit:none -->',
    'plain',
    '<!-- kit:end -->',
    'z',
  ].join('\n');
  it('keeps a block only with its parts and never ships the marker lines', () => {
    assert.equal(applyMarkers(text, ['db'], KNOWN, 'f'), 'a\ndb line\nz');
    assert.equal(applyMarkers(text, ['db', 'cache'], KNOWN, 'f'), 'a\ndb line\nboth\nz');
    assert.equal(applyMarkers(text, [], KNOWN, 'f'), 'a\nplain\nz');
  });

  it('names the file and line of a broken block', () => {
    assert.throws(
      () => applyMarkers('// kit:db\nx', ['db'], KNOWN, 'src/x.ts'),
      /src\/x\.ts: the kit block opened on line 1 has no kit:end/,
    );
    assert.throws(() => applyMarkers('x\n// kit:end', [], KNOWN, 'f'), /f:2: kit:end without a kit block/);
    assert.throws(
      () => applyMarkers('// kit:dbx\n// kit:end', [], KNOWN, 'f'),
      /f:1: unknown kit part "dbx"/,
    );
    assert.throws(
      () => applyMarkers('// kit:db\n// kit:cache\n// kit:end', [], KNOWN, 'f'),
      /f: the kit block opened on line 1 has no kit:end/,
    );
  });

  it('a ! term wants that part absent', () => {
    const t = '// kit:db+!cache\nonly db\n// kit:end';
    assert.equal(applyMarkers(t, ['db'], KNOWN, 'f'), 'only db');
    assert.equal(applyMarkers(t, ['db', 'cache'], KNOWN, 'f'), '');
    assert.throws(() => applyMarkers('// kit:!nope\n// kit:end', [], KNOWN, 'f'), /unknown kit part "nope"/);
  });

  it('blocks nest: a line ships when every block around it does', () => {
    const t = [
      '// kit:db',
      'db',
      '// kit:cache',
      'db and cache',
      '// kit:end',
      'db again',
      '// kit:end',
    ].join('\n');
    assert.equal(applyMarkers(t, ['db'], KNOWN, 'f'), 'db\ndb again');
    assert.equal(applyMarkers(t, ['cache'], KNOWN, 'f'), '');
    assert.equal(applyMarkers(t, ['db', 'cache'], KNOWN, 'f'), 'db\ndb and cache\ndb again');
  });

  it('a | joins alternatives', () => {
    const t = '# kit:db|cache+auth\nyes\n# kit:end';
    assert.equal(applyMarkers(t, ['db'], KNOWN, 'f'), 'yes');
    assert.equal(applyMarkers(t, ['cache'], KNOWN, 'f'), '');
    assert.equal(applyMarkers(t, ['cache', 'auth'], KNOWN, 'f'), 'yes');
  });

  it('leaves prose mentioning kit: alone', () => {
    const prose = 'see the kit: parts below\nconst x = "// kit:db";';
    assert.equal(applyMarkers(prose, [], KNOWN, 'f'), prose);
  });
});

describe('service kit: package.json and its lock', () => {
  const pkg = JSON.stringify({
    name: 's',
    dependencies: { fastify: '5', pg: '8', jose: '6' },
    devDependencies: { '@types/pg': '8', typescript: '6' },
  });
  const lock = JSON.stringify({
    name: 's',
    lockfileVersion: 3,
    packages: {
      '': {
        name: 's',
        dependencies: { fastify: '5', pg: '8', jose: '6' },
        devDependencies: { '@types/pg': '8', typescript: '6' },
      },
      'node_modules/fastify': { version: '5.0.0', dependencies: { 'fast-json': '^1' } },
      'node_modules/fast-json': { version: '1.0.0' },
      'node_modules/pg': { version: '8.0.0', dependencies: { 'pg-pool': '^3', 'fast-json': '^2' } },
      'node_modules/pg/node_modules/fast-json': { version: '2.0.0' },
      'node_modules/pg-pool': { version: '3.0.0', peerDependencies: { pg: '>=8' } },
      'node_modules/jose': { version: '6.0.0' },
      'node_modules/@types/pg': { version: '8.0.0', dev: true, dependencies: { 'pg-types': '^4' } },
      'node_modules/pg-types': { version: '4.0.0', dev: true },
      'node_modules/typescript': { version: '6.0.0', dev: true, dependencies: { jose: '6' } },
    },
  });

  it('removes the dropped dependencies from package.json and nothing else', () => {
    const out = JSON.parse(prunePackageJson(pkg, new Set(['pg', '@types/pg']))) as Record<string, unknown>;
    assert.deepEqual(out.dependencies, { fastify: '5', jose: '6' });
    assert.deepEqual(out.devDependencies, { typescript: '6' });
  });

  it('keeps in the lock exactly what is still reachable, nested copies included', () => {
    const out = JSON.parse(pruneLockfile(lock, new Set(['pg', '@types/pg']))) as {
      packages: Record<string, { dev?: boolean }>;
    };
    assert.deepEqual(Object.keys(out.packages).sort(), [
      '',
      'node_modules/fast-json',
      'node_modules/fastify',
      'node_modules/jose',
      'node_modules/typescript',
    ]);
    const kept = JSON.parse(pruneLockfile(lock, new Set(['jose']))) as {
      packages: Record<string, { dev?: boolean }>;
    };
    assert.ok('node_modules/pg/node_modules/fast-json' in kept.packages);
    // jose stays (typescript needs it) but only for development now.
    assert.equal(kept.packages['node_modules/jose']?.dev, true);
  });

  it('refuses a lockfile older than npm 7', () => {
    assert.throws(
      () => pruneLockfile('{"lockfileVersion":1,"dependencies":{}}', new Set(['x'])),
      /lockfileVersion 2 or 3/,
    );
  });
});

describe('service kit: the real template', () => {
  const template = readTemplate(ROOT);

  it("lists the parts --help names, and each part's packages are in the template's package.json", () => {
    assert.deepEqual(Object.keys(template.kit.parts), [...KIT_PARTS]);
    const pkg = JSON.parse(template.files.find((f) => f.path === 'package.json')?.content ?? '{}') as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    for (const part of Object.values(template.kit.parts))
      for (const d of [...part.dependencies, ...part.devDependencies])
        assert.ok(
          d in pkg.dependencies || d in pkg.devDependencies,
          `${d} is not in the template's package.json`,
        );
  });

  it('a service without --with gets no kit file, no kit package and no kit block', () => {
    const files = generateService(template, 'plain', 'x');
    assert.equal(files.filter((f) => f.path.includes('/kit/') || f.path.startsWith('migrations/')).length, 0);
    const pkg = files.find((f) => f.path === 'package.json')?.content ?? '';
    for (const d of ['pg', 'redis', 'undici', 'jose', '@grpc/grpc-js']) assert.ok(!pkg.includes(`"${d}"`), d);
    assert.ok(files.every((f) => !/kit:(end|any|postgres)/.test(f.content)));
    const record = JSON.parse(files.find((f) => f.path === RECORD_FILE)?.content ?? '{}') as {
      answers: { parts: string[] };
    };
    assert.deepEqual(record.answers.parts, []);
  });

  it('a service with every part gets every part file and records its answers', () => {
    const files = generateService(template, 'full', 'x', KIT_PARTS.join(','));
    assert.equal(
      files.filter((f) => f.path.startsWith('src/kit/')).length,
      template.files.filter((f) => f.path.startsWith('src/kit/')).length,
    );
    const record = JSON.parse(files.find((f) => f.path === RECORD_FILE)?.content ?? '{}') as {
      answers: { parts: string[] };
    };
    assert.deepEqual(record.answers.parts, [...KIT_PARTS]);
    assert.equal(selectParts(template.files, template.kit, [...KIT_PARTS]).length, template.files.length);
  });

  it('.env.example lists every setting of the parts chosen, and none of the others', () => {
    const names = (files: readonly { path: string; content: string }[]) =>
      files
        .filter((f) => f.path === 'src/config.ts' || /^src\/kit\/[^/]+\/(settings|index)\.ts$/.test(f.path))
        .flatMap((f) => [...f.content.matchAll(/^ {2}([A-Z][A-Z0-9_]+): z/gm)].map((m) => m[1] ?? ''));
    const example = (files: readonly { path: string; content: string }[]) =>
      files.find((f) => f.path === '.env.example')?.content ?? '';
    const full = generateService(template, 'full', 'x', KIT_PARTS.join(','));
    const missing = names(full).filter((n) => !new RegExp(`^${n}=`, 'm').test(example(full)));
    assert.deepEqual(missing, []);
    const plain = generateService(template, 'plain', 'x');
    assert.doesNotMatch(example(plain), /^(DATABASE_URL|DB_|REDIS_|CACHE_|HTTP_CLIENT_|GRPC_|AUTH_)/m);
    assert.ok(names(plain).length >= 17 && names(plain).every((n) => example(plain).includes(`${n}=`)));
  });

  it('the Dockerfile names no external frontend (BuildKit would pull it before building)', () => {
    for (const parts of [[], [...KIT_PARTS]]) {
      const dockerfile = generateService(template, 'x', 'x', parts).find((f) => f.path === 'Dockerfile');
      assert.doesNotMatch(dockerfile?.content ?? '# syntax=', /^#\s*syntax\s*=/im);
    }
  });
});
