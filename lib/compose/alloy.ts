import { FoundationError } from '../errors.js';
import { parseAlloy, type AlloyBlock } from '../observability/alloy-syntax.js';
import { ADDRESSES, generatedHeader } from './configs.js';
import { setting, yamlOf, type StackSources } from './sources.js';

/** Stages of the Kubernetes pipeline that only apply to the container runtime's log files. */
const RUNTIME_ONLY = new Set(['stage.cri', 'stage.docker']);

/** The `loki.process` stages of the Kubernetes Alloy pipeline: the one place log parsing is written. */
export function logStages(src: StackSources): AlloyBlock[] {
  const file = src.values.alloy;
  const content = setting(file, yamlOf(file), 'alloy.configMap.content');
  const bad = (why: string) =>
    new FoundationError(
      'E_CONFIG_INVALID',
      `${file.path}: alloy.configMap.content ${why}`,
      `fix the Alloy pipeline in ${file.path}; the Compose pipeline takes its log stages from it`,
    );
  if (typeof content !== 'string') throw bad('is not text');
  let body;
  try {
    body = parseAlloy(content);
  } catch (error) {
    throw bad(`is not Alloy syntax (${error instanceof Error ? error.message : String(error)})`);
  }
  const process = body.blocks.find((b) => b.name === 'loki.process' && b.label === 'pod_logs');
  if (process === undefined) throw bad('has no loki.process "pod_logs" block');
  return process.blocks.filter((b) => b.name.startsWith('stage.') && !RUNTIME_ONLY.has(b.name));
}

/**
 * config.alloy for Compose: Docker containers (through the engine's socket) instead of pods, labelled
 * the way the Kubernetes pipeline labels pods (namespace = the Compose project, pod = the container,
 * container and service = the Compose service), then the very same parsing stages, then Loki. It also
 * scrapes every container labelled prometheus.io/scrape=true and writes the samples to Prometheus.
 */
export function alloyConfig(src: StackSources): string {
  const stages = logStages(src)
    .map((s) => `  ${s.text}`) // the stage's own lines keep their indentation under loki.process
    .join('\n');
  const label = (name: string) => `__meta_docker_container_label_${name.replace(/[^A-Za-z0-9_]/g, '_')}`;
  return `${generatedHeader([src.values.alloy.path], '//')}
discovery.docker "containers" {
  host = "unix:///var/run/docker.sock"
}

discovery.relabel "containers" {
  targets = discovery.docker.containers.targets
  rule {
    source_labels = ["${label('com.docker.compose.project')}"]
    target_label  = "namespace"
  }
  rule {
    source_labels = ["__meta_docker_container_name"]
    regex         = "/?(.*)"
    target_label  = "pod"
  }
  rule {
    source_labels = ["${label('com.docker.compose.service')}"]
    target_label  = "container"
  }
  rule {
    source_labels = ["${label('com.docker.compose.service')}"]
    target_label  = "service"
  }
}

loki.source.docker "containers" {
  host          = "unix:///var/run/docker.sock"
  targets       = discovery.docker.containers.targets
  relabel_rules = discovery.relabel.containers.rules
  forward_to    = [loki.process.containers.receiver]
}

// The stages of loki.process "pod_logs" in ${src.values.alloy.path}, without the runtime's line format.
loki.process "containers" {
${stages}
  forward_to = [loki.write.default.receiver]
}

loki.write "default" {
  endpoint {
    url = "${ADDRESSES.loki}/loki/api/v1/push"
  }
}

// Application metrics: containers labelled prometheus.io/scrape=true, on their exposed ports.
discovery.relabel "metrics" {
  targets = discovery.docker.containers.targets
  rule {
    source_labels = ["${label('prometheus.io/scrape')}"]
    regex         = "true"
    action        = "keep"
  }
  rule {
    source_labels = ["${label('prometheus.io/path')}"]
    regex         = "(.+)"
    target_label  = "__metrics_path__"
  }
  rule {
    source_labels = ["${label('com.docker.compose.service')}"]
    target_label  = "job"
  }
  rule {
    source_labels = ["${label('com.docker.compose.service')}"]
    target_label  = "service"
  }
}

prometheus.scrape "containers" {
  targets    = discovery.relabel.metrics.output
  forward_to = [prometheus.remote_write.default.receiver]
}

prometheus.remote_write "default" {
  endpoint {
    url = "${ADDRESSES.prometheus}/api/v1/write"
  }
}
`;
}
