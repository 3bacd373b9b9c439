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

const name = process.argv[2];
const bench = name === undefined ? undefined : BENCHES[name];
if (bench === undefined) {
  process.stderr.write(`usage: npm run bench -- <${Object.keys(BENCHES).join('|')}>\n`);
  process.exit(2);
}
process.stdout.write(`${JSON.stringify(await bench())}\n`);
