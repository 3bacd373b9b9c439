// The coverage `npm run coverage` measured (coverage/coverage-summary.json, c8) as a Markdown table, for
// the CI job's summary page: node dist/scripts/coverage-summary.js >> "$GITHUB_STEP_SUMMARY".
import { existsSync, readFileSync } from 'node:fs';

interface Figure {
  readonly total: number;
  readonly covered: number;
  readonly pct: number;
}

const FILE = 'coverage/coverage-summary.json';
if (!existsSync(FILE)) {
  process.stderr.write(`coverage-summary: ${FILE} does not exist — run npm run coverage first\n`);
  process.exit(2);
}
const total = (JSON.parse(readFileSync(FILE, 'utf8')) as { total: Record<string, Figure> }).total;
const rows = ['lines', 'statements', 'branches', 'functions'].map((k) => {
  const f = total[k];
  return f === undefined ? `| ${k} | — | — |` : `| ${k} | ${f.pct} % | ${f.covered} / ${f.total} |`;
});
process.stdout.write(
  [
    '### Coverage (unit, task and CLI tests)',
    '',
    '| | covered | of |',
    '| --- | --- | --- |',
    ...rows,
    '',
  ].join('\n'),
);
