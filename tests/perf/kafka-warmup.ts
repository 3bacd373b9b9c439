// A child process of `npm run bench -- kafka`: one unmeasured flat-out run of the default client, so the
// broker has compiled that client's produce path before the measured run, while the measuring process
// stays as cold as the reference tool's fresh JVM. argv: brokers topic count size; prints msg/s.
import { busClient } from '../../lib/adapters/bus-client.js';
import { measureThroughput } from '../../lib/validate/bus-measure.js';

const [brokers = '', topic = '', count = '0', size = '0'] = process.argv.slice(2);
const client = busClient('platformatic', [brokers], 'bench-warmup');
const rate = await measureThroughput(client, topic, { count: Number(count), size: Number(size) });
process.stdout.write(`${String(Math.round(rate))}\n`);
