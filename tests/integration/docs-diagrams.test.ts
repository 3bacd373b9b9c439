// Every Mermaid diagram in README.md and docs/ parses with Mermaid's own parser (mermaid 12, installed
// by scripts/test-servers/install outside the package: 200 MB the product does not need).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { DOCUMENTS } from '../../lib/docs/documents.js';
import { ROOT } from '../helpers/cli.js';
import { IN_CI } from '../helpers/tools.js';

const CACHE = process.env.FOUNDATION_CACHE ?? join(homedir(), '.cache', 'foundation');
const script = readFileSync(join(ROOT, 'scripts', 'test-servers', 'install'), 'utf8');
const VERSION = /^MERMAID_VERSION=(\S+)$/m.exec(script)?.[1] ?? '';
const MODULES = join(CACHE, 'mermaid', VERSION, 'node_modules');
const present = existsSync(join(MODULES, 'mermaid', 'dist', 'mermaid.core.mjs'));
if (!present && IN_CI)
  throw new Error(`mermaid ${VERSION} is not in ${MODULES}: CI must run scripts/test-servers/install`);

interface Parser {
  parse(text: string): Promise<unknown>;
}

/** mermaid in plain Node: DOMPurify has no DOM to work with here, and only cleans label text: a no-op. */
async function mermaid(): Promise<Parser> {
  const purify = (await import(pathToFileURL(join(MODULES, 'dompurify', 'dist', 'purify.es.mjs')).href)) as {
    default: Record<string, unknown> & { isSupported: boolean };
  };
  if (!purify.default.isSupported) {
    purify.default.sanitize ??= (s: unknown) => s;
    purify.default.addHook ??= () => undefined;
  }
  const m = (await import(pathToFileURL(join(MODULES, 'mermaid', 'dist', 'mermaid.core.mjs')).href)) as {
    default: Parser;
  };
  return m.default;
}

const diagrams = (md: string): string[] =>
  [...md.matchAll(/^```mermaid\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? '');

describe(
  'Mermaid diagrams in the docs',
  { skip: present ? false : `mermaid not installed (scripts/test-servers/install mermaid)`, timeout: 60_000 },
  () => {
    it('every diagram parses; a broken one is rejected (the parser is really checking)', async () => {
      const parser = await mermaid();
      let count = 0;
      for (const doc of DOCUMENTS) {
        for (const d of diagrams(readFileSync(join(ROOT, doc), 'utf8'))) {
          count++;
          await assert.doesNotReject(parser.parse(d), `${doc}: diagram ${count}`);
        }
      }
      assert.ok(count >= 3, `diagrams found: ${count}`); // the onboarding graph and architecture's two
      await assert.rejects(parser.parse('flowchart LR\n  A --> \n  B -->> C['), /Parse error/);
    });
  },
);
