// Test projects for task 0-7 on a real engine. The platform's images cannot be pulled here, so services
// stand in for them on the local node image: each serves HTTP on 8080 (its healthcheck), keeps an id in
// its named volume (/data/id, made on first start), and — for the services whose configuration 0-7
// renders — mounts that configuration and carries its hash the way compose/docker-compose.infra.yml does.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SOURCE_PATHS } from '../../lib/compose/sources.js';
import { ROOT } from './cli.js';
import { NODE_IMAGE } from './images.js';

const SERVE = `const { createServer } = require('node:http');
const { existsSync, readFileSync, readdirSync, writeFileSync } = require('node:fs');
if (!existsSync('/data/id')) writeFileSync('/data/id', require('node:crypto').randomUUID());
const id = readFileSync('/data/id', 'utf8');
const dir = process.env.CONFIG_DIR;
console.log(JSON.stringify({ level: 'info', msg: 'serving', id, config: dir ? readdirSync(dir) : [] }));
createServer((_q, res) => res.end(JSON.stringify({ id, setting: process.env.SETTING }))).listen(8080);
process.on('SIGTERM', () => process.exit(0));
`;

const HEALTH = `{ test: [CMD, node, -e, "fetch('http://127.0.0.1:8080').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"], interval: 1s, timeout: 3s, retries: 60 }`;

/**
 * A stand-in service. `rendered`: the generated folder it mounts (prometheus, loki, …), its hash label and
 * `setting`, a variable of infra.env it receives as SETTING.
 */
export function standIn(service: string, rendered?: { dir: string; setting: string }): string {
  const upper = service.toUpperCase();
  const lines = [
    `  ${service}:`,
    `    image: ${NODE_IMAGE}`,
    '    command: [node, /srv/serve.js]',
    `    healthcheck: ${HEALTH}`,
  ];
  const volumes = ['./serve.js:/srv/serve.js:ro', `${service}-data:/data`];
  if (rendered !== undefined) {
    lines.push(
      `    environment: { CONFIG_DIR: /etc/${service}, SETTING: '\${${rendered.setting}:?run task 0-7}' }`,
      `    labels: { foundation.config: '\${${upper}_CONFIG:?run task 0-7}' }`,
      `    mem_limit: \${${upper}_MEMORY:?run task 0-7}`,
    );
    volumes.unshift(`./generated/${rendered.dir}:/etc/${service}:ro`);
  }
  lines.push(`    volumes: [${volumes.join(', ')}]`);
  return `${lines.join('\n')}\n`;
}

/** Write a project file (and the stand-ins' server) into `dir`; returns the file's path. */
export function writeProject(
  dir: string,
  fileName: string,
  name: string,
  services: string,
  volumes: string[],
): string {
  writeFileSync(join(dir, 'serve.js'), SERVE);
  const file = join(dir, fileName);
  const vols = volumes.length === 0 ? '' : `volumes: { ${volumes.map((v) => `${v}: {}`).join(', ')} }\n`;
  writeFileSync(file, `name: ${name}\nservices:\n${services}${vols}`);
  return file;
}

/** The files task 0-7 renders from, read from this repository and keyed as a fake context's package. */
export function stackSourceFiles(packageRoot = '/pkg'): [string, string][] {
  const p = SOURCE_PATHS;
  const paths = [
    ...Object.values(p.values),
    p.redpanda,
    p.console,
    ...p.rules,
    ...p.dashboards,
    ...p.datasources,
  ];
  return paths.map((path) => [join(packageRoot, path), readFileSync(join(ROOT, path), 'utf8')]);
}

/**
 * The host ports the shipped Compose files publish, as Compose resolves them (every one on 127.0.0.1;
 * postgres and redis only with the `data` profile). The real Compose's answer is checked against this
 * list (tests/integration/compose-files), and task 0-7's tests give it to their fake.
 */
export const SHIPPED_PORTS: readonly { service: string; host: string; port: number }[] = (
  [
    ['demo-service', 3001],
    ['redpanda', 19092],
    ['redpanda', 9644],
    ['redpanda', 8081],
    ['redpanda', 8082],
    ['console', 8080],
    ['prometheus', 9090],
    ['alertmanager', 9093],
    ['grafana', 3000],
    ['loki', 3100],
    ['tempo', 3200],
    ['tempo', 4317],
    ['tempo', 4318],
    ['alloy', 12345],
    ['postgres', 5432],
    ['redis', 6379],
  ] as const
).map(([service, port]) => ({ service, host: '127.0.0.1', port }));
