// REQ-0.6/AC4 from the services' build and deploy files (credential-evidence.ts): the template rendered
// with every part of the service kit, as `foundation new service` writes it, and each service Foundation
// deploys (the demo).
import { generateService } from '../commands/new-service.js';
import { KIT_PARTS } from '../generator/kit-parts.js';
import type { Generator, TemplateFile } from '../ports/generator.js';
import { serviceCredentials } from './credential-evidence.js';
import { firstOf, type Observations } from './judge.js';
import { readServiceFiles } from './service-files.js';

const some = (xs: readonly string[]): string => firstOf(xs, 6, '; ');

/**
 * `services`: name → its files (readServiceFiles). Pure but for rendering the template in memory, whose
 * files are taken as docker and kustomize would take them from a generated service.
 */
export async function credentialObservations(
  generator: Generator,
  services: Readonly<Record<string, readonly TemplateFile[]>>,
): Promise<Observations> {
  const rendered = new Map(
    generateService(generator.template(), 'validate-probe', 'made by foundation validate', KIT_PARTS).map(
      (f) => [f.path, f.content],
    ),
  );
  const template = await readServiceFiles((p) => Promise.resolve(rendered.get(p.slice(1)) ?? null), '');
  const all = { 'the template with every kit part': template, ...services };
  const problems: string[] = [];
  const fromSecrets: string[] = [];
  for (const [name, files] of Object.entries(all)) {
    const found = serviceCredentials(files);
    problems.push(...found.problems.map((p) => `${name}, ${p}`));
    const taken = [...new Set(found.fromSecrets)];
    fromSecrets.push(`${name}: ${taken.length > 0 ? taken.join(', ') : 'none needed'}`);
  }
  const how = `Dockerfile ARG/ENV/COPY, .dockerignore, and what the k8s/ kustomization brings in (manifests, patches, generators) of ${Object.keys(all).join(', ')}`;
  return {
    'REQ-0.6/AC4':
      problems.length > 0
        ? {
            kind: 'fact',
            holds: false,
            detail: some(problems),
            how,
            fix: 'pass credentials at runtime: a Secret (secretKeyRef) in k8s/, and .env kept out of the image (.dockerignore); BuildKit secret mounts for what the build itself needs',
          }
        : {
            kind: 'fact',
            holds: true,
            detail: `no image is built with a credential (no secret-named ARG or ENV, no .env copied in); from Secrets at runtime: ${some(fromSecrets)}`,
            how,
          },
  };
}
