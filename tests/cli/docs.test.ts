// The docs against the real thing: every `foundation …` command shown parses with the CLI (its options are
// in that command's --help), every `task …` is a Taskfile target, every `scripts/…` exists; every link and
// anchor resolves and the generated sections match the code (task 0-12's own check); the document list is
// the docs folder.
import { EXAMPLES } from '../../lib/commands/help.js';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { makefileTargets } from '../../lib/automation/render.js';
import { ALL_TARGETS, requiredNames } from '../../lib/automation/targets.js';
import { DOCUMENTS } from '../../lib/docs/documents.js';
import { ROOT, cli, workspace } from '../helpers/cli.js';

const texts = DOCUMENTS.map((d) => ({ doc: d, text: readFileSync(join(ROOT, d), 'utf8') }));

/** Command lines shown in the docs: fenced sh/text blocks (after `$ `) and inline code. */
function commandLines(md: string): string[] {
  const lines: string[] = [];
  for (const m of md.matchAll(/^```(?:sh|bash|text|console)?\n([\s\S]*?)^```$/gm))
    for (const l of (m[1] ?? '').split('\n'))
      lines.push(
        l
          .replace(/^\$ /, '')
          .replace(/\s+#.*$/, '')
          .trim(),
      );
  for (const m of md.matchAll(/`([^`\n]+)`/g)) lines.push((m[1] ?? '').trim());
  // One command per line: quoted arguments blanked, cut at a pipe, redirection or the next command.
  return lines.map(
    (l) =>
      l
        .replace(/^scripts\/bootstrap /, '')
        .replace(/"[^"]*"|'[^']*'/g, 'ARG')
        .split(/\s(?:\||&&|;|>|2>)/)[0]
        ?.trim() ?? '',
  );
}

// The examples every `--help` shows are held to the same bar as the docs.
const all = [
  ...texts.flatMap(({ doc, text }) => commandLines(text).map((line) => ({ doc, line }))),
  ...Object.values(EXAMPLES)
    .flat()
    .map((line) => ({ doc: '--help examples', line })),
];

describe('the docs match the tool', { timeout: 180_000 }, () => {
  it('README.md and docs/*.md are the documents task 0-12 checks', () => {
    const onDisk = [
      'README.md',
      ...readdirSync(join(ROOT, 'docs'))
        .filter((f) => f.endsWith('.md'))
        .map((f) => `docs/${f}`),
    ];
    assert.deepEqual([...DOCUMENTS].sort(), onDisk.sort());
  });

  it('every foundation command shown exists, with the options shown', async () => {
    const byCommand = new Map<string, Set<string>>();
    for (const { line } of all) {
      const m = /^foundation((?: --?[\w-]+(?: (?!-)\S+)?)*) ([a-z][\w-]*)(?: (service))?(.*)$/.exec(line);
      if (m === null) continue;
      const path = [m[2] ?? '', ...(m[3] ? [m[3]] : [])].join(' ');
      const flags = byCommand.get(path) ?? new Set<string>();
      for (const f of `${m[1] ?? ''} ${m[4] ?? ''}`.matchAll(/(?:^|\s)(--?[a-zA-Z][\w-]*)/g))
        flags.add(f[1] ?? '');
      byCommand.set(path, flags);
    }
    assert.ok(byCommand.size >= 8, [...byCommand.keys()].join(', '));
    const ws = workspace();
    const globalHelp = (await cli(['--help'], ws)).stdout;
    for (const [path, flags] of byCommand) {
      const r = await cli([...path.split(' '), '--help'], ws);
      assert.equal(r.code, 0, `foundation ${path} --help: ${r.stderr}`);
      // The whole option: `--with` shown is not `--with-deps` in the help.
      for (const f of flags) {
        const option = new RegExp(`(^|[\\s,])${f}(?=[\\s,=]|$)`, 'm');
        assert.ok(
          option.test(r.stdout) || option.test(globalHelp),
          `foundation ${path}: the docs show ${f}, the CLI has no such option`,
        );
      }
    }
  });

  it('every task and make target shown is in the Taskfile; every script shown exists', () => {
    const names = new Set(requiredNames(ALL_TARGETS));
    const makeNames = new Set(makefileTargets(readFileSync(join(ROOT, 'Makefile'), 'utf8')));
    for (const { doc, line } of all) {
      const t = /^(task|make) ([a-z0-9][\w-]*)/.exec(line);
      const known = t?.[1] === 'make' ? makeNames : names; // make also has `help`
      if (t && !['-x', '--list'].includes(t[2] ?? '')) assert.ok(known.has(t[2] ?? ''), `${doc}: ${line}`);
      for (const s of line.matchAll(/(?:^|\s)(scripts\/[\w./-]+)/g)) {
        const path = (s[1] ?? '').replace(/[.,;:)]+$/, '');
        assert.ok(existsSync(join(ROOT, path)), `${doc}: ${path} does not exist`);
      }
    }
  });

  it('links, anchors and generated sections: task 0-12 is converged', async () => {
    const r = await cli(['plan', '0-12'], workspace());
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /0-12 +Docs: .*✔ ok/);
  });
});
