// `npm run bench -- <name>`: runs one benchmark; its figures are the last stdout line, as JSON.
import { benchCompose } from '../tests/perf/compose.bench.js';
import { benchKafka } from '../tests/perf/kafka.bench.js';
import { benchKit } from '../tests/perf/kit.bench.js';
import { benchRunner } from '../tests/perf/runner.bench.js';
import { benchTemplate } from '../tests/perf/template.bench.js';

const BENCHES: Record<string, () => Promise<Record<string, number | string>>> = {
  compose: benchCompose,
  kafka: benchKafka,
  kit: benchKit,
  runner: benchRunner,
  template: benchTemplate,
};

const usage = `usage: npm run bench -- <${Object.keys(BENCHES).join('|')}>
  runs one benchmark on loopback (real servers started and stopped by it); its figures are the last stdout
  line, as JSON. What each measures: docs/testing.md and the head of tests/perf/<name>.bench.ts.\n`;
const name = process.argv[2];
if (name === '--help' || name === '-h') {
  process.stdout.write(usage);
  process.exit(0);
}
const bench = name === undefined ? undefined : BENCHES[name];
if (bench === undefined) {
  process.stderr.write(
    name === undefined ? usage : `bench: E_USAGE: no benchmark "${name}"\n  fix: ${usage.split('\n')[0]}\n`,
  );
  process.exit(2);
}
process.stdout.write(`${JSON.stringify(await bench())}\n`);
