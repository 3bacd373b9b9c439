// A child process of `npm run bench -- kafka`: the default client's unmeasured warm-up of the broker, so it
// has compiled both paths the bench measures (a JVM is slow on code it has not compiled yet), while the
// measuring process stays as cold as the reference tool's fresh JVM:
//   one flat-out run (the produce path);
//   one run of the latency procedure at the measured rate, recording twice as long (the fetch path, the
//   group's joins and commits: on a fresh broker its first run's p95 was 16 ms, the next ones 6.5, 5.7,
//   then 4.9 ms).
// argv: brokers throughputTopic latencyTopic count size rate; prints {"msgPerSec","e2eP95Ms"} as JSON.
import { setTimeout as sleep } from 'node:timers/promises';
import { busClient } from '../../lib/adapters/bus-client.js';
import { measureLatency, measureThroughput } from '../../lib/validate/bus-measure.js';

const [brokers = '', tput = '', latency = '', count = '0', size = '0', rate = '0'] = process.argv.slice(2);
const client = busClient('platformatic', [brokers], 'bench-warmup');
const msgPerSec = await measureThroughput(client, tput, { count: Number(count), size: Number(size) });
const lat = await measureLatency(
  client,
  latency,
  { size: Number(size), rate: Number(rate), warmupMs: 2_000, recordMs: 20_000 },
  (ms) => sleep(ms),
);
process.stdout.write(`${JSON.stringify({ msgPerSec: Math.round(msgPerSec), e2eP95Ms: lat.p95 })}\n`);
