import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ROOT, cli, workspace, type CliResult } from '../helpers/cli.js';

// Values shaped like real credentials, made up for this run (never committed, never real).
const stamp = Date.now().toString(36);
const AWS = `AKIA${stamp.toUpperCase().padEnd(16, 'Q').slice(0, 16)}`;
const GITHUB = `ghp_${stamp}R4nd0mT0kenValue${stamp}xyz`;
const B64 = `c2VjcmV0LXZhbHVl${stamp}+/aGVsbG8=`;

/** Every 8-character piece of a value: a partial echo is a leak too. */
function assertNotLeaked(value: string, ...outputs: string[]): void {
  const all = outputs.join('\n');
  for (let i = 0; i + 8 <= value.length; i++) {
    const piece = value.slice(i, i + 8);
    assert.ok(!all.includes(piece), `"${piece}" of a planted secret leaked:\n${all}`);
  }
}

describe('a malformed .env never echoes a value (built CLI)', () => {
  const envs: [string, string, string, RegExp][] = [
    ['a key pasted alone', AWS, AWS, /line 2: not a KEY=value assignment/],
    [
      'a typo in the key',
      `GRAFANA-ADMIN-PASSWORD=${GITHUB}`,
      GITHUB,
      /line 2: .*did you mean GRAFANA_ADMIN_PASSWORD\?/,
    ],
    [
      'a space for "="',
      `GRAFANA_ADMIN_PASSWORD ${GITHUB}`,
      GITHUB,
      /line 2: .*no "=" after GRAFANA_ADMIN_PASSWORD/,
    ],
    ['base64 without its key', B64, B64, /line 2: /],
    ['an unclosed quote', `API_TOKEN="${GITHUB}`, GITHUB, /line 2: the value of API_TOKEN opens a " quote/],
    [
      'an unquoted multi-line key',
      `PRIVATE_KEY=-----BEGIN PRIVATE KEY-----\n${B64}\n${AWS}\n-----END PRIVATE KEY-----`,
      `${B64}${AWS}`,
      /line 3: .*\n {2}- line 4: /,
    ],
  ];
  for (const [name, line, planted, where] of envs) {
    it(`${name} → exit 2 naming the line, in text and JSON, with nothing written`, async () => {
      const ws = workspace();
      writeFileSync(join(ws.dir, '.env'), `LOG_LEVEL=info\n${line}\nFOUNDATION_TARGET=k3d\n`);
      const results: CliResult[] = [];
      for (const args of [['plan'], ['--json', 'all'], ['list']]) {
        const r = await cli(args, ws);
        assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
        results.push(r);
      }
      assert.match(
        results[0]?.stderr ?? '',
        /E_ENV_FILE_MALFORMED: \.env is malformed \(values are never shown\)/,
      );
      assert.match(results[0]?.stderr ?? '', where);
      const json = JSON.parse(results[1]?.stdout.trim() ?? '{}') as { type: string; code: string };
      assert.deepEqual([json.type, json.code], ['error', 'E_ENV_FILE_MALFORMED']);
      assertNotLeaked(planted, ...results.flatMap((r) => [r.stdout, r.stderr]));
      assert.equal(existsSync(join(ws.dir, '.foundation')), false, 'no run was recorded');
    });
  }

  it('an invalid value in the environment is named, not shown, also in --json', async () => {
    const ws = workspace();
    const r = await cli(['--json', 'plan'], ws, {
      FOUNDATION_TARGET: GITHUB,
      OTEL_EXPORTER_OTLP_ENDPOINT: `ftp://bot:${AWS}@collector:4318`,
    });
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /FOUNDATION_TARGET \(from the environment\): expected one of k3d \| compose \| cluster/,
    );
    assert.match(r.stderr, /OTEL_EXPORTER_OTLP_ENDPOINT \(from the environment\): expected an http\(s\) URL/);
    assertNotLeaked(GITHUB, r.stdout, r.stderr);
    assertNotLeaked(AWS, r.stdout, r.stderr);
  });
});

describe('a broker address that is not an address is a usage error (exit 2), not a connection failure', () => {
  const lists = [
    'localhost',
    'localhost:99999',
    'PLAINTEXT://localhost:9092',
    'a:1,,b:2',
    `admin:${GITHUB}@k:9092`,
  ];
  for (const list of lists) {
    it(`KAFKA_BROKERS=${list.includes('@') ? 'admin:<secret>@k:9092' : list} → foundation exits 2 naming it`, async () => {
      const ws = workspace();
      writeFileSync(join(ws.dir, '.env'), `KAFKA_BROKERS=${list}\n`);
      const r = await cli(['plan', '0-3'], ws);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /KAFKA_BROKERS \(from \.env line 1\): expected comma-separated host:port pairs/);
      assertNotLeaked(GITHUB, r.stdout, r.stderr);
    });
  }

  const script = (name: string, args: string[], env: Record<string, string>, cwd: string) =>
    new Promise<CliResult>((done) => {
      const child = spawn(process.execPath, [join(ROOT, 'dist', 'scripts', 'kafka', `${name}.js`), ...args], {
        cwd,
        env: { PATH: process.env.PATH ?? '', HOME: cwd, ...env },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('close', (code) => {
        done({ code, stdout, stderr });
      });
    });
  it('a Kafka script given --json and an unknown flag prints the usage error as a JSON line too', async () => {
    const r = await script('produce', ['--topic', 'demo.events', '--bogus', '--json'], {}, workspace().dir);
    assert.equal(r.code, 2, r.stderr);
    const line = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.deepEqual([line.v, line.type, line.code, line.exitCode], [1, 'error', 'E_USAGE', 2]);
    assert.match(String(line.message), /--bogus/);
    assert.match(r.stderr, /kafka-produce-test: E_USAGE: .*--bogus/);
  });

  for (const name of ['produce', 'consume', 'topics']) {
    it(`scripts/kafka-${name === 'topics' ? 'topics-create' : `${name}-test`}: --brokers and KAFKA_BROKERS malformed → exit 2`, async () => {
      const ws = workspace();
      const topic = name === 'topics' ? [] : ['--topic', 'demo.events'];
      const flag = await script(name, [...topic, '--brokers', 'kafka:port'], {}, ws.dir);
      assert.equal(flag.code, 2, flag.stderr);
      assert.match(
        flag.stderr,
        /--brokers is not a list of host:port addresses: entry 1 of 1 has a port that is not a number/,
      );
      const env = await script(name, topic, { KAFKA_BROKERS: 'kafka:1,' }, ws.dir);
      assert.equal(env.code, 2, env.stderr);
      assert.match(env.stderr, /KAFKA_BROKERS \(from the environment\): .*entry 2 of 2 is empty/);
    });
  }
});

describe('foundation new service refuses every unusable --dir up front (exit 2, nothing written)', () => {
  const ws = workspace();
  const file = join(ws.dir, 'notes.txt');
  writeFileSync(file, 'mine');
  const fifo = join(ws.dir, 'a-pipe');
  execFileSync('mkfifo', [fifo]);
  const locked = join(ws.dir, 'locked');
  mkdirSync(locked);
  // Root passes permission checks: an immutable folder is one even root cannot write to.
  const root = process.getuid?.() === 0;
  if (root) execFileSync('chattr', ['+i', locked]);
  else chmodSync(locked, 0o555);
  after(() => {
    if (root) execFileSync('chattr', ['-i', locked]);
  });

  const targets: [string, string, RegExp][] = [
    ['a file', file, /notes\.txt: is a file, not a folder/],
    ['a folder inside a file', join(file, 'svc'), /notes\.txt is not a folder/],
    ['a named pipe', fifo, /is a device, socket or pipe/],
    ['/dev/null', '/dev/null', /is a device, socket or pipe/],
    ['a new folder under /dev', '/dev/foundation-svc', /kernel or device filesystem/],
    ['/proc', '/proc/self/foundation-svc', /kernel or device filesystem/],
    ['/sys', '/sys/fs/cgroup/foundation-svc', /kernel or device filesystem/],
    ['a folder no one may write to', join(locked, 'svc'), /you cannot write to .*locked/],
    ['a name over 255 bytes', join(ws.dir, 'x'.repeat(300)), /longer than 255 bytes/],
    ['an empty path', '', /--dir is empty/],
    ['a path of spaces', '  ', /--dir is empty/],
  ];
  for (const [name, dir, why] of targets) {
    it(`${name} → E_TARGET_UNUSABLE`, { timeout: 30_000 }, async () => {
      const before = readdirSync(ws.dir).sort();
      const r = await cli(['new', 'service', 'orders-api', '--dir', dir], ws);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /E_TARGET_UNUSABLE: .*; nothing was written\n {2}fix: choose another --dir/);
      assert.match(r.stderr, why);
      assert.deepEqual(readdirSync(ws.dir).sort(), before, 'nothing appeared in the workspace');
      assert.equal(existsSync(join(locked, 'svc')), false);
    });
  }
});

describe('edges of the command line', () => {
  it('-C with a folder that does not exist: exit 2, and nothing is created', async () => {
    const ws = workspace();
    const missing = join(ws.dir, 'no-such-folder');
    for (const args of [['list'], ['all']]) {
      const r = await cli(['-C', missing, ...args], ws);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /E_USAGE: the workspace .*no-such-folder does not exist/);
    }
    assert.equal(existsSync(missing), false);
  });

  it('-C with a file is a usage error naming it, not a bug', async () => {
    const ws = workspace();
    const r = await cli(['-C', join(ws.dir, '.env.example'), 'list'], ws);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /E_USAGE: the workspace .*\.env\.example is not a folder/);
  });

  it('without -C, a command run from a subfolder works on the workspace above it (its .env), not a new one', () => {
    const ws = workspace();
    writeFileSync(join(ws.dir, '.env'), 'FOUNDATION_TARGET=compose\n');
    const sub = join(ws.dir, 'docs', 'deep');
    mkdirSync(sub, { recursive: true });
    const r = spawnSync(
      process.execPath,
      [join(ROOT, 'dist', 'scripts', 'foundation.js'), '--json', 'list'],
      {
        cwd: sub,
        env: { PATH: ws.path, HOME: ws.dir },
        encoding: 'utf8',
      },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { target: string }).target, 'compose');
    assert.equal(existsSync(join(sub, '.env')), false);
  });

  it('from a subfolder, the recap’s log path is one the shell there reaches', () => {
    const ws = workspace();
    const sub = join(ws.dir, 'docs');
    mkdirSync(sub, { recursive: true });
    const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'scripts', 'foundation.js'), 'plan', '0-12'], {
      cwd: sub,
      env: { PATH: ws.path, HOME: ws.dir },
      encoding: 'utf8',
    });
    const logs = /Logs: (\S+)\/$/m.exec(r.stdout)?.[1];
    assert.match(logs ?? '', /^\.\.\/\.foundation\/runs\/[^/]+$/, r.stdout + r.stderr);
    assert.ok(existsSync(join(sub, logs ?? 'missing', 'summary.json')), 'the path leads to the run');
  });

  it('service names YAML would read as booleans or null are refused, with a suggestion', async () => {
    for (const name of ['true', 'null', 'yes', 'off']) {
      const r = await cli(['new', 'service', name], workspace());
      assert.equal(r.code, 2, name);
      assert.match(
        r.stderr,
        new RegExp(`"${name}" is not a valid service name: it is a word YAML reads as a boolean or null`),
      );
      assert.match(r.stderr, new RegExp(`fix: use a name like: svc-${name}`));
    }
  });

  it('the helper scripts answer --help with their usage and exit 0', () => {
    for (const script of ['wait-for-infra', 'platform']) {
      const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'scripts', `${script}.js`), '--help'], {
        encoding: 'utf8',
      });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`^Usage: scripts/${script}`));
    }
  });
});

describe('foundation deploy, bad input', () => {
  it('a name that is not a service name, an unknown service, a bad --timeout: exit 2 with the fix, nothing recorded', async () => {
    const ws = workspace();
    const bad = await cli(['deploy', 'Orders_API'], ws);
    assert.equal(bad.code, 2);
    assert.match(
      bad.stderr,
      /E_USAGE: "Orders_API" is not a valid service name[^]*fix: use a name like: orders-api/,
    );
    const word = await cli(['deploy', 'true'], ws);
    assert.equal(word.code, 2, 'a word YAML reads as a boolean is refused here too');
    assert.match(word.stderr, /fix: use a name like: svc-true/);
    const unknown = await cli(['deploy', 'orders-api'], ws);
    assert.equal(unknown.code, 2);
    assert.match(
      unknown.stderr,
      /no service orders-api: looked for a Dockerfile in services\/orders-api, examples\/orders-api, /,
    );
    assert.match(
      unknown.stderr,
      /fix: generate it with foundation new service orders-api, or point at its folder with --dir <path>/,
    );
    const timeout = await cli(['deploy', 'demo-service', '--timeout', 'soon'], ws);
    assert.equal(timeout.code, 2);
    assert.match(
      timeout.stderr,
      /--timeout soon is not a duration from 1 s to 60 min \(a bare number is seconds\)/,
    );
    assert.equal(existsSync(join(ws.dir, '.foundation', 'deploys')), false);
  });
});
