import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { createHelm } from '../../lib/adapters/helm.js';
import { createShell } from '../../lib/adapters/shell.js';
import { FoundationError } from '../../lib/errors.js';
import { releaseState } from '../../lib/helm/drift.js';
import { silentLog } from '../helpers/fixtures.js';
import { startFakeApiServer } from '../helpers/fake-apiserver.js';
import { findTool } from '../helpers/tools.js';

const tool = findTool('helm', 'HELM_BIN');
const skip = 'skip' in tool ? tool.skip : false;

/** A chart that renders no objects, served from a chart repository on loopback. */
function chartRepo(dir: string, helmBin: string): Promise<{ url: string; server: Server }> {
  const chart = join(dir, 'chart');
  mkdirSync(join(chart, 'templates'), { recursive: true });
  writeFileSync(
    join(chart, 'Chart.yaml'),
    'apiVersion: v2\nname: foundation-probe\nversion: 0.1.0\nappVersion: "1.0"\n',
  );
  writeFileSync(join(chart, 'values.yaml'), 'greeting: hello\n');
  const repo = join(dir, 'repo');
  mkdirSync(repo);
  execFileSync(helmBin, ['package', chart, '--destination', repo]);
  const server = createServer((req, res) => {
    try {
      res.end(readFileSync(join(repo, (req.url ?? '/').replace(/^\/+/, '').replace(/\.\./g, ''))));
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
      execFileSync(helmBin, ['repo', 'index', repo, '--url', url]);
      resolve({ url, server });
    }),
  );
}

describe(
  'Helm adapter against the real helm (v4) and an API server for its release storage',
  { skip },
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'foundation-helm-'));
    const sh = createShell({ cwd: dir, signal: new AbortController().signal, log: silentLog });
    const helm = createHelm(sh);
    let api: Awaited<ReturnType<typeof startFakeApiServer>>;
    let repo: { url: string; server: Server };
    const valuesFile = join(dir, 'values.yaml');
    const install = (version = '0.1.0') =>
      helm.upgradeInstall({
        release: 'probe',
        namespace: 'infra',
        chart: 'foundation-probe',
        sourceArgs: ['--repo', repo.url],
        version,
        valuesFile,
        timeout: '30s',
      });

    before(async () => {
      const bin = 'path' in tool ? tool.path : '';
      api = await startFakeApiServer();
      repo = await chartRepo(dir, bin);
      writeFileSync(
        join(dir, 'kubeconfig'),
        `apiVersion: v1\nkind: Config\nclusters: [{name: t, cluster: {server: "${api.url}"}}]\nusers: [{name: t, user: {}}]\ncontexts: [{name: t, context: {cluster: t, user: t}}]\ncurrent-context: t\n`,
      );
      Object.assign(process.env, {
        PATH: `${dirname(bin)}:${process.env.PATH ?? ''}`,
        KUBECONFIG: join(dir, 'kubeconfig'),
        HELM_CONFIG_HOME: join(dir, 'config'),
        HELM_CACHE_HOME: join(dir, 'cache'),
        HELM_DATA_HOME: join(dir, 'data'),
      });
    });
    after(async () => {
      await api.close();
      repo.server.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('lists repositories: none, then the one added by alias', async () => {
      assert.deepEqual(await helm.repos(), {});
      assert.equal((await sh.run('helm', ['repo', 'add', 'foundation-test', repo.url])).exitCode, 0);
      assert.deepEqual(await helm.repos(), { 'foundation-test': repo.url });
    });

    it('a release that is not installed reads as null; install, then metadata and values round-trip', async () => {
      assert.equal(await helm.release('probe', 'infra'), null);
      // YAML 1.1 scalars, as helm reads them: y/on/no are booleans and 010 is octal (8).
      writeFileSync(valuesFile, 'greeting: hi\nnested: {a: 1, list: [x, y, on, no, 010]}\n');
      await install();
      const deployed = await helm.release('probe', 'infra');
      assert.deepEqual(deployed, {
        chart: 'foundation-probe',
        version: '0.1.0',
        appVersion: '1.0',
        status: 'deployed',
        revision: 1,
      });
      const values = await helm.values('probe', 'infra');
      assert.deepEqual(values, { greeting: 'hi', nested: { a: 1, list: ['x', true, true, false, 8] } });
      // What the task compares with: the values file parsed as helm parses it.
      const fromFile: unknown = parse(readFileSync(valuesFile, 'utf8'), { version: '1.1' });
      const desired = { release: 'probe', chart: 'foundation-probe', version: '0.1.0', values: fromFile };
      assert.equal(releaseState(desired, deployed, values).kind, 'ok');
      assert.ok([...api.secrets.keys()].includes('infra/sh.helm.release.v1.probe.v1'));
    });

    it('changed values are drift by path; upgrading makes revision 2 with the new values', async () => {
      writeFileSync(valuesFile, 'greeting: hi\nnested: {a: 2, list: [x]}\n');
      const desired = {
        release: 'probe',
        chart: 'foundation-probe',
        version: '0.1.0',
        values: { greeting: 'hi', nested: { a: 2, list: ['x'] } },
      };
      const before = releaseState(
        desired,
        await helm.release('probe', 'infra'),
        await helm.values('probe', 'infra'),
      );
      assert.equal(
        before.kind === 'drift' && before.diff,
        'nested.a: 1 → 2\nnested.list: ["x",true,true,false,8] → ["x"]',
      );
      await install();
      assert.equal((await helm.release('probe', 'infra'))?.revision, 2);
      assert.equal(
        releaseState(desired, await helm.release('probe', 'infra'), await helm.values('probe', 'infra')).kind,
        'ok',
      );
    });

    it('a chart version the repository does not have fails with the command and a fix', async () => {
      await assert.rejects(install('9.9.9'), (e: unknown) => {
        assert.ok(e instanceof FoundationError);
        assert.equal(e.code, 'E_COMMAND_FAILED');
        assert.match(e.message, /^helm upgrade --install probe .* exited 1: .*version "9\.9\.9" not found/);
        assert.match(e.fix ?? '', /helm -n infra status probe/);
        return true;
      });
    });

    it('an unreachable cluster is an error naming it, not "not installed"', async () => {
      const saved = process.env.KUBECONFIG;
      writeFileSync(
        join(dir, 'gone'),
        readFileSync(join(dir, 'kubeconfig'), 'utf8').replace(api.url, 'http://127.0.0.1:9'),
      );
      process.env.KUBECONFIG = join(dir, 'gone');
      try {
        await assert.rejects(helm.release('probe', 'infra'), (e: unknown) => {
          assert.ok(e instanceof FoundationError);
          assert.equal(e.code, 'E_KUBE_UNREACHABLE');
          assert.match(
            e.message,
            /helm get metadata probe: the cluster does not answer \(kubernetes cluster unreachable/i,
          );
          assert.match(e.fix ?? '', /foundation run 0-2/);
          return true;
        });
      } finally {
        process.env.KUBECONFIG = saved;
      }
    });
  },
);
