// The coverage `npm run coverage` measured (coverage/coverage-summary.json, c8) as Markdown, for the CI
// job's summary page: node dist/scripts/coverage-summary.js >> "$GITHUB_STEP_SUMMARY". The totals, line
// coverage of lib/, tasks/ and scripts/, and the files under lib/ that no test imports directly.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { linePct, linesByFolder, withoutOwnTest, type CoverageSummary } from './coverage-areas.js';

const FILE = 'coverage/coverage-summary.json';
if (!existsSync(FILE)) {
  process.stderr.write(`coverage-summary: ${FILE} does not exist — run npm run coverage first\n`);
  process.exit(2);
}
const root = process.cwd();
const summary = JSON.parse(readFileSync(FILE, 'utf8')) as CoverageSummary;
const total = summary.total ?? {};
const rows = ['lines', 'statements', 'branches', 'functions'].map((k) => {
  const f = total[k];
  return f === undefined ? `| ${k} | — | — |` : `| ${k} | ${f.pct} % | ${f.covered} / ${f.total} |`;
});
const folders = linesByFolder(summary, root, ['lib', 'tasks', 'scripts']).map(
  (f) => `| ${f.folder}/ | ${f.pct} % | ${f.covered} / ${f.total} |`,
);

/** The TypeScript sources under a folder, repository-relative. */
const sources = (dir: string, test: (f: string) => boolean): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => `${dir}/${f.split('\\').join('/')}`)
    .filter((f) => test(f) && !f.endsWith('.d.ts'));
const tests = sources('tests', (f) => f.endsWith('.test.ts')).map((path) => ({
  path,
  source: readFileSync(path, 'utf8'),
}));
/** Whether a source has code to run (not only types and interfaces). */
const hasCode = (f: string): boolean =>
  /^(?:export\s+)?(?:const|let|function|async function|class|enum|default)\b/m.test(readFileSync(f, 'utf8'));
const untested = withoutOwnTest(
  sources('lib', (f) => f.endsWith('.ts')),
  tests,
).map((f) => {
  const pct = linePct(summary, root, f);
  const said = pct !== undefined ? `${pct} %` : hasCode(f) ? 'not loaded by these tests' : '— (types only)';
  return `| \`${f}\` | ${said} |`;
});

process.stdout.write(
  [
    '### Coverage (unit, task and CLI tests)',
    '',
    '| | covered | of |',
    '| --- | --- | --- |',
    ...rows,
    '',
    '| lines in | covered | of |',
    '| --- | --- | --- |',
    ...folders,
    '',
    `#### Files under lib/ with no test of their own (${untested.length}: no test file imports them)`,
    '',
    '| file | lines covered (through other tests) |',
    '| --- | --- |',
    ...untested,
    '',
  ].join('\n'),
);
