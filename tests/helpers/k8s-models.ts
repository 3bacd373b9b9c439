import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { ConfigMap, LimitRange, Namespace, ResourceQuota, Service } from 'kubernetes-models/v1';

type Model = new (data: never) => { validate(): void };

/** Offline validation against the Kubernetes OpenAPI schemas that kubernetes-models 5.1 ships. */
export const MODELS: Readonly<Record<string, Model>> = {
  'v1/Namespace': Namespace,
  'v1/ResourceQuota': ResourceQuota,
  'v1/LimitRange': LimitRange,
  'v1/Service': Service,
  'v1/ConfigMap': ConfigMap,
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
};

/** Custom resources (their CRDs come with the charts): checked for shape only. */
export const CUSTOM = new Set(['monitoring.coreos.com/v1/ServiceMonitor']);

/** Throws when the object does not match its schema (or, for a custom resource, has no spec). */
export function validateObject(o: { apiVersion: string; kind: string; spec?: unknown }): void {
  const key = `${o.apiVersion}/${o.kind}`;
  if (CUSTOM.has(key)) {
    if (!o.spec) throw new Error(`${key} has no spec`);
    return;
  }
  const Schema = MODELS[key];
  if (Schema === undefined) throw new Error(`no schema for ${key}`);
  new Schema(o as never).validate();
}
