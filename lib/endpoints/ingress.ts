import type { KubeObject } from '../ports/kube.js';
import type { Target } from '../model/task.js';
import { INGRESS, ingressBackend, ingressHost, type UiName } from './list.js';

/**
 * The Ingress that puts a UI at http://<name>.localhost:8080 on k3d: class traefik, entrypoint web, the
 * whole host routed to the UI's Service in `namespace`. Pure.
 */
export function uiIngress(name: UiName, namespace: string): KubeObject {
  const backend = ingressBackend(name);
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name: `foundation-${name}`,
      namespace,
      labels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'foundation' },
      annotations: { 'traefik.ingress.kubernetes.io/router.entrypoints': INGRESS.entrypoint },
    },
    spec: {
      ingressClassName: INGRESS.className,
      rules: [
        {
          host: ingressHost(name),
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: { service: { name: backend.service, port: { number: backend.port } } },
              },
            ],
          },
        },
      ],
    },
  };
}

/**
 * The Ingress objects a task renders on a target: only on k3d, whose Traefik is bound to loopback. On an
 * existing cluster (target cluster) an Ingress for `*.localhost` would put UIs without a login
 * (Console, Prometheus, Alertmanager) behind that cluster's shared ingress controller: none is rendered
 * there (use kubectl port-forward). Pure.
 */
export function uiIngresses(names: readonly UiName[], target: Target, namespace: string): KubeObject[] {
  return target === 'k3d' ? names.map((n) => uiIngress(n, namespace)) : [];
}
