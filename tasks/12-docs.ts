import { join } from 'node:path';
import { DOCUMENTS, GUIDE } from '../lib/docs/documents.js';
import { refreshSections, renderSections, type TaskFacts } from '../lib/docs/generated.js';
import { anchors, relativeLinks } from '../lib/docs/links.js';
import type { TaskContext } from '../lib/model/context.js';
import { defineTask, type CheckResult } from '../lib/model/task.js';

/** The tasks as the generated sections show them (loaded when checked: the registry lists this task too). */
async function facts(): Promise<TaskFacts[]> {
  const { TASKS } = await import('./index.js');
  return TASKS.map((t) => ({
    id: t.id,
    title: t.title,
    deps: t.deps,
    ...(t.targets ? { targets: t.targets } : {}),
  }));
}

interface DocsState {
  readonly missing: string[];
  readonly stale: string[];
  readonly broken: string[];
  readonly links: number;
  readonly guide: { path: string; text: string } | null;
}

async function inspect(ctx: TaskContext): Promise<DocsState> {
  const root = ctx.platform.packageRoot;
  const texts = new Map<string, string>();
  const missing: string[] = [];
  for (const d of DOCUMENTS) {
    const text = await ctx.files.read(join(root, d));
    if (text === null) missing.push(d);
    else texts.set(d, text);
  }
  const broken: string[] = [];
  let links = 0;
  for (const [doc, text] of texts)
    for (const l of relativeLinks(text, doc)) {
      links++;
      const target = texts.get(l.file) ?? (await ctx.files.read(join(root, l.file)));
      if (target === null && !(await ctx.files.exists(join(root, l.file))))
        broken.push(`${doc}: [${l.text}](${l.file}) — no such file`);
      else if (
        l.anchor !== null &&
        l.file.endsWith('.md') &&
        target !== null &&
        !anchors(target).has(l.anchor)
      )
        broken.push(`${doc}: [${l.text}](${l.file}#${l.anchor}) — no such heading`);
    }
  const guideText = texts.get(GUIDE);
  if (guideText === undefined) return { missing, stale: [], broken, links, guide: null };
  const r = refreshSections(guideText, renderSections(await facts()));
  return {
    missing,
    stale: r.stale.map((s) => `${GUIDE}: section ${s}`),
    broken,
    links,
    guide: r.stale.length > 0 ? { path: join(root, GUIDE), text: r.text } : null,
  };
}

/**
 * 0-12 docs: the onboarding guide and the topic documents are there, the guide's generated sections (the
 * steps, their graph, the settings, the Taskfile targets) match the code, and every relative link and
 * anchor resolves. apply re-renders the sections; a broken link is for a person to fix.
 */
export default defineTask({
  id: '0-12',
  title: 'Docs: onboarding guide in task order, generated sections, links',
  deps: [],
  hint: 'foundation run 0-12; the guide is docs/onboarding.md',
  async check(ctx): Promise<CheckResult> {
    const s = await inspect(ctx);
    if (s.missing.length > 0) return { status: 'missing', reason: `not there: ${s.missing.join(', ')}` };
    const problems = [...s.stale.map((x) => `${x} differs from the code`), ...s.broken];
    if (problems.length > 0)
      return {
        status: 'drift',
        reason: `${problems.length} problem(s) in the docs`,
        diff: problems.join('\n'),
      };
    return {
      status: 'ok',
      detail: `${DOCUMENTS.length} documents; ${s.links} relative links resolve; the guide's generated sections match the code`,
    };
  },
  async apply(ctx) {
    const s = await inspect(ctx);
    if (s.guide !== null) {
      await ctx.files.write(s.guide.path, s.guide.text);
      ctx.log.info(`re-rendered ${s.stale.join(', ')}`);
    }
    for (const b of s.broken) ctx.log.warn(`broken link (fix it by hand): ${b}`);
  },
});
