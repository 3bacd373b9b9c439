// REQ-0.6/AC4 "services get credentials at runtime, not at build time": what a Dockerfile bakes into an
// image and how k8s/ manifests hand credentials over, on plain files; then the real template (with every
// kit part) and the demo service as validate reads them.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { readTemplate } from '../../lib/adapters/template-files.js';
import { serviceCredentials } from '../../lib/validate/credential-evidence.js';
import { deployedServices, readServiceFiles } from '../../lib/validate/service-files.js';
import { credentialObservations } from '../../lib/validate/credential-observation.js';
import { createFiles } from '../../lib/adapters/files.js';
import { ROOT } from '../helpers/cli.js';

/** A scratch folder standing for a repository, and a way to write files into it (folders made). */
function scratchRepository(): { ws: string; write: (path: string, text: string) => void } {
  const ws = mkdtempSync(join(tmpdir(), 'creds-'));
  return {
    ws,
    write: (path, text) => {
      mkdirSync(join(ws, path, '..'), { recursive: true });
      writeFileSync(join(ws, path), text);
    },
  };
}

const problemsOf = (files: Record<string, string>): readonly string[] =>
  serviceCredentials(Object.entries(files).map(([path, content]) => ({ path, content }))).problems;

describe('credentials at runtime, not at build time', () => {
  it('a Dockerfile that builds a credential in, or copies .env in, is named; ordinary ones are not', () => {
    const table: [string, Record<string, string>, RegExp | null][] = [
      ['secret ARG', { Dockerfile: 'FROM node\nARG NPM_TOKEN\n' }, /ARG NPM_TOKEN builds a credential/],
      ['secret ENV', { Dockerfile: 'FROM node\nENV NODE_ENV=production DB_PASSWORD=x\n' }, /ENV DB_PASSWORD/],
      ['old ENV form', { Dockerfile: 'FROM node\nENV API_SECRET hunter2\n' }, /ENV API_SECRET/],
      ['continued line', { Dockerfile: 'FROM node\nENV A=1 \\\n  SIGNING_KEY=k\n' }, /ENV SIGNING_KEY/],
      ['.env copied', { Dockerfile: 'FROM node\nCOPY .env ./\n' }, /copies \.env into the image/],
      [
        'whole folder, .env not ignored',
        { Dockerfile: 'FROM node\nCOPY . .\n' },
        /\.dockerignore does not keep \.env out/,
      ],
      [
        'whole folder, JSON form',
        { Dockerfile: 'FROM node\nCOPY ["./", "/app/"]\n' },
        /copies the whole folder/,
      ],
      [
        'a word in a quoted value is not a name',
        { Dockerfile: 'FROM node\nENV GREETING="say PASSWORD twice" A=1\n' },
        null,
      ],
      ['ARG with a default', { Dockerfile: 'ARG GITHUB_TOKEN=x\nFROM node\n' }, /ARG GITHUB_TOKEN/],
      [
        'whole folder, .env ignored',
        { Dockerfile: 'FROM node\nCOPY . .\n', '.dockerignore': 'node_modules\n.env\n' },
        null,
      ],
      [
        'plain settings, a build-time secret mount, a copy from a stage',
        {
          Dockerfile:
            'ARG NODE_IMAGE=node:24@sha256:ab\nFROM ${NODE_IMAGE}\n# ARG OLD_PASSWORD (a comment)\nENV NODE_ENV=production PORT=3000\nRUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci\nCOPY --from=build /app/.env ./x\n',
        },
        null,
      ],
    ];
    for (const [name, files, want] of table) {
      const problems = problemsOf(files);
      if (want === null) assert.deepEqual(problems, [], name);
      else
        assert.ok(problems.length === 1 && want.test(problems[0] ?? ''), `${name}: ${problems.join(' | ')}`);
    }
  });

  it('manifests: credentials from Secrets are listed; literal ones, URL passwords and ConfigMap keys are named', () => {
    const deployment = (env: string) =>
      `kind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          env:\n${env}`;
    const fromSecret = serviceCredentials([
      {
        path: 'k8s/deployment.yaml',
        content:
          deployment(
            '            - name: DB_PASSWORD\n              valueFrom:\n                secretKeyRef: { name: app-secrets, key: DB_PASSWORD }\n            - name: DATABASE_URL\n              value: postgres://app:$(DB_PASSWORD)@db:5432/app\n',
          ) + '          envFrom:\n            - secretRef: { name: more }\n',
      },
    ]);
    assert.deepEqual(fromSecret, {
      problems: [],
      fromSecrets: ['DB_PASSWORD (Secret app-secrets)', 'every key of Secret more'],
    });
    const literal = problemsOf({
      'k8s/deployment.yaml': deployment(
        '            - name: DB_PASSWORD\n              value: hunter2hunter2\n            - name: DATABASE_URL\n              value: postgres://app:hunter2@db:5432/app\n',
      ),
      'k8s/configmap.yaml': 'kind: ConfigMap\ndata:\n  LOG_LEVEL: info\n  STRIPE_API_KEY: sk_live_x\n',
    });
    const more = problemsOf({
      'k8s/cronjob.yaml':
        'kind: CronJob\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n            - name: job\n              env:\n                - { name: API_TOKEN, value: t0k3n-value }\n                - { name: CACHE_URL, value: "redis://:s3cret@cache:6379" }\n',
      'k8s/config.yaml':
        'kind: ConfigMap\ndata:\n  DATABASE_URL: postgres://app:hunter2@db/app\n  PLAIN_URL: https://example.test/x\n',
    });
    assert.deepEqual(more, [
      'k8s/cronjob.yaml: env API_TOKEN is a literal value',
      'k8s/cronjob.yaml: env CACHE_URL holds a password in its URL',
      'k8s/config.yaml: ConfigMap key DATABASE_URL holds a password in its URL',
    ]);
    assert.equal(literal.length, 3, literal.join(' | '));
    assert.match(literal.join('\n'), /env DB_PASSWORD is a literal value/);
    assert.match(literal.join('\n'), /env DATABASE_URL holds a password in its URL/);
    assert.match(literal.join('\n'), /ConfigMap key STRIPE_API_KEY/);
    assert.doesNotMatch(literal.join('\n'), /hunter2|sk_live/, 'never the values');
  });

  it('the template with every kit part and the demo service: PASS, naming what comes from Secrets', async () => {
    const template = readTemplate(ROOT);
    const generator = { template: () => template, writeTree: () => Promise.resolve() };
    const demo = await readServiceFiles(
      (path) => readFile(path, 'utf8').catch(() => null),
      join(ROOT, 'examples', 'demo-service'),
    );
    assert.deepEqual(demo.map((f) => f.path).sort(), [
      '.dockerignore',
      'Dockerfile',
      'k8s/configmap.yaml',
      'k8s/deployment.yaml',
      'k8s/kustomization.yaml',
      'k8s/service.yaml',
      'k8s/servicemonitor.yaml',
    ]);
    const o = (await credentialObservations(generator, { 'demo-service': demo }))['REQ-0.6/AC4'];
    assert.ok(o?.kind === 'fact' && o.holds, JSON.stringify(o));
    assert.match(
      o.detail,
      /every kit part: POSTGRES_PASSWORD \(Secret app-secrets\), REDIS_PASSWORD \(Secret app-secrets\); demo-service: none needed/,
    );
    // The same demo with a password in its ConfigMap: FAIL, named.
    const broken = demo.map((f) =>
      f.path === 'k8s/configmap.yaml' ? { ...f, content: `${f.content}  ADMIN_PASSWORD: x\n` } : f,
    );
    const bad = (await credentialObservations(generator, { 'demo-service': broken }))['REQ-0.6/AC4'];
    assert.ok(bad?.kind === 'fact' && !bad.holds);
    assert.match(bad.detail, /^demo-service, k8s\/configmap\.yaml: ConfigMap key ADMIN_PASSWORD/);
  });

  it('what a kustomization brings in: generators, inline and file patches (JSON 6902 too), bases', () => {
    const k = (body: string): string =>
      `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - deployment.yaml\n${body}`;
    const table: [string, Record<string, string>, RegExp | null][] = [
      [
        'ConfigMap literal',
        {
          'k8s/kustomization.yaml': k(
            'configMapGenerator:\n  - name: cfg\n    literals: [LOG_LEVEL=info, API_TOKEN=t0k]\n',
          ),
        },
        /configMapGenerator cfg key API_TOKEN \(a ConfigMap is not a Secret\)/,
      ],
      [
        'ConfigMap env file with a URL password',
        {
          'k8s/kustomization.yaml': k('configMapGenerator:\n  - name: cfg\n    envs: [settings.env]\n'),
          'k8s/settings.env': '# settings\nCACHE_URL=redis://:hunter2@cache:6379\nLOG_LEVEL=info\n',
        },
        /configMapGenerator cfg key CACHE_URL holds a password in its URL/,
      ],
      [
        'ConfigMap file named like a secret',
        {
          'k8s/kustomization.yaml': k(
            'configMapGenerator:\n  - name: cfg\n    files: [tls/private_key.pem, nginx.conf]\n',
          ),
        },
        /configMapGenerator cfg file private_key\.pem/,
      ],
      [
        'ConfigMap file keyed like a secret',
        {
          'k8s/kustomization.yaml': k(
            'configMapGenerator:\n  - name: cfg\n    files: [DB_PASSWORD=pw.txt]\n',
          ),
        },
        /configMapGenerator cfg file DB_PASSWORD/,
      ],
      [
        'Secret literal written in the kustomization',
        {
          'k8s/kustomization.yaml': k('secretGenerator:\n  - name: s\n    literals: [DB_PASSWORD=hunter2]\n'),
        },
        /secretGenerator s literal DB_PASSWORD writes the credential into the kustomization/,
      ],
      [
        'Secret from an env file kept out of git',
        { 'k8s/kustomization.yaml': k('secretGenerator:\n  - name: s\n    envs: [../.env]\n') },
        null,
      ],
      [
        'inline strategic-merge patch',
        {
          'k8s/kustomization.yaml': k(
            'patches:\n  - patch: |-\n      apiVersion: apps/v1\n      kind: Deployment\n      metadata: {name: api}\n      spec:\n        template:\n          spec:\n            containers:\n              - name: app\n                env: [{name: SIGNING_KEY, value: abc}]\n',
          ),
        },
        /kustomization\.yaml \(inline patch\): env SIGNING_KEY is a literal value/,
      ],
      [
        'JSON 6902 patch file',
        {
          'k8s/kustomization.yaml': k('patches:\n  - path: env-patch.yaml\n    target: {kind: Deployment}\n'),
          'k8s/env-patch.yaml':
            '- op: add\n  path: /spec/template/spec/containers/0/env/-\n  value: {name: STRIPE_API_KEY, value: sk_live_1}\n',
        },
        /env-patch\.yaml: a patch sets env STRIPE_API_KEY to a literal value/,
      ],
      [
        'JSON 6902 patch as JSON, and a resource written in JSON',
        {
          'k8s/kustomization.yaml':
            'resources: [cm.json]\npatches:\n  - path: env-patch.json\n    target: {kind: Deployment}\n',
          'k8s/env-patch.json':
            '[{"op": "add", "path": "/spec/template/spec/containers/0/env/-", "value": {"name": "DB_PASSWORD", "value": "hunter2"}}]',
          'k8s/cm.json': '{"kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"LOG_LEVEL": "info"}}',
        },
        /env-patch\.json: a patch sets env DB_PASSWORD to a literal value/,
      ],
      [
        'a ConfigMap from a file keyed key=path: one key holding the file, not its lines',
        {
          'k8s/kustomization.yaml': k(
            'configMapGenerator:\n  - name: cfg\n    files: [app.properties=conf/app.properties]\n',
          ),
          'k8s/conf/app.properties': 'db.password=hunter2\n',
        },
        null,
      ],
    ];
    for (const [what, files, expected] of table) {
      const found = problemsOf(files);
      if (expected === null) assert.deepEqual(found, [], what);
      else {
        assert.equal(found.length, 1, `${what}: ${found.join(' | ')}`);
        assert.match(found[0] ?? '', expected, what);
      }
      assert.doesNotMatch(found.join('\n'), /hunter2|t0k|abc|sk_live/, `${what}: never the values`);
    }
  });

  it('reads what the kustomization names (bases, patches, generator files) and each service in services/', async () => {
    const { ws, write } = scratchRepository();
    write('services/orders/Dockerfile', 'FROM node\n');
    write(
      'services/orders/k8s/kustomization.yaml',
      'resources: [../base, https://example.com/remote.yaml, deployment.yaml, cm.json]\npatches: [{path: p.yaml}]\n' +
        'configMapGenerator: [{name: c, envs: [c.env]}]\nsecretGenerator: [{name: s, envs: [../.env]}]\n',
    );
    write('services/orders/k8s/deployment.yaml', 'kind: Deployment\n');
    write('services/orders/k8s/p.yaml', 'kind: Deployment\n');
    write('services/orders/k8s/cm.json', '{"kind": "ConfigMap"}');
    write('services/orders/k8s/c.env', 'A=1\n');
    write('services/orders/.env', 'DB_PASSWORD=hunter2\n');
    write('services/orders/base/kustomization.yml', 'resources: [svc.yaml, ../../../outside.yaml]\n');
    write('services/orders/base/svc.yaml', 'kind: Service\n');
    write('services/notes/README.md', 'not a service\n');
    write('demo/Dockerfile', 'FROM node\n');
    try {
      const services = await deployedServices(createFiles(ws), join(ws, 'demo'));
      assert.deepEqual(Object.keys(services), ['demo-service', 'services/orders']);
      assert.deepEqual(services['services/orders']?.map((f) => f.path).sort(), [
        'Dockerfile',
        'base/kustomization.yml',
        'base/svc.yaml',
        'k8s/c.env',
        'k8s/cm.json',
        'k8s/deployment.yaml',
        'k8s/kustomization.yaml',
        'k8s/p.yaml',
      ]);
    } finally {
      rmSync(ws, { recursive: true, force: true });
    }
  });
  it('a base shared by services, elsewhere in the repository, is read and judged; nothing outside it is', async () => {
    const { ws, write } = scratchRepository();
    write('services/orders/k8s/kustomization.yaml', 'resources: [deployment.yaml, ../../../shared/base]\n');
    write('services/orders/k8s/deployment.yaml', 'kind: Deployment\n');
    write('shared/base/kustomization.yaml', 'resources: [db.yaml, ../../../beyond.yaml]\n');
    write(
      'shared/base/db.yaml',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: db}\nspec:\n  template:\n    spec:\n      containers:\n        - name: db\n          env: [{name: DB_PASSWORD, value: hunter2}]\n',
    );
    const asked: string[] = [];
    const files = createFiles(ws);
    const reading = {
      read: (path: string) => {
        asked.push(path);
        return files.read(path);
      },
      folders: (path: string) => files.folders(path),
    };
    try {
      const services = await deployedServices(reading, join(ws, 'demo'));
      const orders = services['services/orders'] ?? [];
      assert.deepEqual(orders.map((f) => f.path).sort(), [
        '../../shared/base/db.yaml',
        '../../shared/base/kustomization.yaml',
        'k8s/deployment.yaml',
        'k8s/kustomization.yaml',
      ]);
      assert.deepEqual(serviceCredentials(orders).problems, [
        '../../shared/base/db.yaml: env DB_PASSWORD is a literal value',
      ]);
      const outside = asked.filter((p) => !resolve(ws, p).startsWith(`${ws}/`));
      assert.deepEqual(outside, [], 'nothing read outside the repository');
    } finally {
      rmSync(ws, { recursive: true, force: true });
    }
  });
});
