import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';

describe("Node's process warnings", () => {
  it('are warn lines of the JSON log with their name and code, and nothing reaches stderr', () => {
    const server = new URL('../src/server.js', import.meta.url).href;
    const telemetry = new URL('../src/telemetry/index.js', import.meta.url).href;
    const script = `
      import { logWarnings } from ${JSON.stringify(server)};
      import { createLogger } from ${JSON.stringify(telemetry)};
      const logger = createLogger({ name: 'svc', level: 'info' });
      logWarnings(logger);
      process.emitWarning("SECURITY WARNING: The SSL modes 'prefer' are treated as aliases for 'verify-full'.");
      process.emitWarning('an old API', 'DeprecationWarning', 'DEP0999');
      logger.flush();
    `;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stderr, '', 'Node printed nothing of its own');
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(
      lines.map((l) => [l.level, l.warning, l.code, l.msg]),
      [
        [
          'warn',
          'Warning',
          undefined,
          "SECURITY WARNING: The SSL modes 'prefer' are treated as aliases for 'verify-full'.",
        ],
        ['warn', 'DeprecationWarning', 'DEP0999', 'an old API'],
      ],
    );
    assert.ok(lines.every((l) => l.service === 'svc' && typeof l.time === 'string'));
    // --no-warnings still means none: neither Node's printer nor the log.
    const silent = spawnSync(process.execPath, ['--no-warnings', '--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    assert.deepEqual([silent.status, silent.stdout, silent.stderr], [0, '', '']);
  });
});
