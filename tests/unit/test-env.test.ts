import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hermeticEnv } from '../../scripts/test-env.js';

const options = {
  home: '/tmp/h',
  realHome: '/home/dev',
  scratch: '/tmp/run-tmp',
  builds: '/tmp',
  productVariables: ['KAFKA_BROKERS', 'LOG_LEVEL', 'SHELL', 'CI', 'FOUNDATION_CACHE'],
  serverVariables: ['KAFKA_BROKERS', 'PROMETHEUS_URL', 'FOUNDATION_TEST_KUBECONFIG'],
};
const developer = {
  PATH: '/usr/bin',
  LANG: 'C.UTF-8',
  CI: 'true',
  HOME: '/home/dev',
  KAFKA_BROKERS: 'prod-like:9092',
  PROMETHEUS_URL: 'http://mine:9090',
  FOUNDATION_TEST_KUBECONFIG: '/home/dev/kc',
  LOG_LEVEL: 'debug',
  SHELL: '/bin/zsh',
  FOUNDATION_TARGET: 'compose',
  FOUNDATION_TEST_SERVERS_DIR: '/tmp/servers',
  FOUNDATION_CHARTS_DIR: '/srv/charts',
  HELM_REPO_GRAFANA: 'http://mirror',
  OTEL_EXPORTER_OTLP_ENDPOINT: 'http://mine:4318',
  GIT_AUTHOR_NAME: 'Dev',
  KUBECONFIG: '/home/dev/.kube/config',
  DOCKER_HOST: 'unix:///var/run/docker.sock',
  NO_COLOR: '1',
  TMPDIR: '/var/tmp/dev',
};

describe('the test processes environment', () => {
  it("drops the developer's Foundation, server, git, Helm, Kubernetes and Docker settings; TMPDIR is the run's", () => {
    const env = hermeticEnv(developer, options);
    assert.deepEqual(env, {
      PATH: '/usr/bin',
      LANG: 'C.UTF-8',
      CI: 'true',
      FOUNDATION_TEST_SERVERS_DIR: '/tmp/servers',
      FOUNDATION_CHARTS_DIR: '/srv/charts',
      HOME: '/tmp/h',
      TMPDIR: '/tmp/run-tmp',
      FOUNDATION_TEST_BUILDS: '/tmp',
      GIT_CONFIG_GLOBAL: '/tmp/h/.gitconfig',
      GIT_CONFIG_NOSYSTEM: '1',
      FOUNDATION_NO_SETUP: '1',
      FOUNDATION_CACHE: '/home/dev/.cache/foundation',
      npm_config_cache: '/home/dev/.npm',
      GOPATH: '/home/dev/go',
      GOCACHE: '/home/dev/.cache/go-build',
      GOGC: '200',
    });
  });

  it('keeps servers of your own only with FOUNDATION_TEST_USE_EXTERNAL=1, and caches set elsewhere', () => {
    const env = hermeticEnv(
      { ...developer, FOUNDATION_TEST_USE_EXTERNAL: '1', FOUNDATION_CACHE: '/cache' },
      options,
    );
    assert.equal(env.KAFKA_BROKERS, 'prod-like:9092');
    assert.equal(env.PROMETHEUS_URL, 'http://mine:9090');
    assert.equal(env.FOUNDATION_TEST_KUBECONFIG, '/home/dev/kc');
    assert.equal(env.FOUNDATION_CACHE, '/cache');
    assert.equal(hermeticEnv({ ...developer, GOGC: 'off' }, options).GOGC, 'off', 'a GOGC of your own');
    assert.equal(env.LOG_LEVEL, undefined, 'settings still go');
    assert.equal(env.OTEL_EXPORTER_OTLP_ENDPOINT, undefined, 'not a server override here');
  });
});
