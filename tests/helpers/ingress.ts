import assert from 'node:assert/strict';

interface IngressJson {
  spec: {
    ingressClassName: string;
    rules: {
      host: string;
      http: { paths: { backend: { service: { name: string; port: { number: number } } } }[] };
    }[];
  };
}

/**
 * Read Ingress `foundation-<ui>` from the API (namespace infra) and assert it is Traefik's, for
 * `<ui>.localhost`, and routes to a Service that exists there with that port. `kubectl` runs kubectl
 * against the test's cluster and returns its stdout.
 */
export function assertUiIngress(kubectl: (args: string[]) => string, ui: string): void {
  const ingress = JSON.parse(
    kubectl(['-n', 'infra', 'get', 'ingress', `foundation-${ui}`, '-o', 'json']),
  ) as IngressJson;
  const [rule] = ingress.spec.rules;
  assert.deepEqual([ingress.spec.ingressClassName, rule?.host], ['traefik', `${ui}.localhost`]);
  const backend = rule?.http.paths[0]?.backend.service;
  const jsonpath = 'jsonpath={.spec.ports[*].port}';
  const ports = kubectl(['-n', 'infra', 'get', 'service', backend?.name ?? '?', '-o', jsonpath]);
  assert.ok(
    ports.split(' ').includes(String(backend?.port.number)),
    `${ui}: service ${backend?.name} ports ${ports}`,
  );
}
