import { FoundationError } from '../errors.js';

/**
 * The service Dockerfile for Docker's legacy builder (DOCKER_BUILDKIT=0, SERVICE_BUILDER=legacy), which
 * refuses `RUN --mount`. Each secret mount is taken off its RUN. A secret named in `passed` (only public
 * data: the `ca` bundle) comes instead as the build argument `FOUNDATION_BUILD_<ID>`, written to the
 * mount's target before the command — so it stays in that build stage's history, which is why a token
 * (`npmrc`) is never passed this way. A secret not passed is simply absent, as with BuildKit. Any other
 * mount (cache, bind) needs BuildKit: refused. Pure.
 */
export function legacyDockerfile(text: string, passed: ReadonlySet<string>): string {
  const out: string[] = [];
  let instruction: string[] = [];
  for (const line of text.split('\n')) {
    if (instruction.length === 0 && /^\s*(#|$)/.test(line)) {
      out.push(line); // a comment or blank line between instructions
      continue;
    }
    instruction.push(line);
    if (/\\\s*$/.test(line) || /^\s*#/.test(line)) continue; // continued on the next line
    out.push(...rewrite(instruction, passed));
    instruction = [];
  }
  if (instruction.length > 0) out.push(...rewrite(instruction, passed));
  return out.join('\n');
}

export const legacyArgOf = (id: string): string => `FOUNDATION_BUILD_${id.toUpperCase().replace(/\W/g, '_')}`;

interface Mount {
  readonly type: string;
  readonly id: string;
  readonly target: string;
}

/** One instruction, as its lines: unchanged unless it is a RUN with --mount flags. */
function rewrite(lines: readonly string[], passed: ReadonlySet<string>): string[] {
  const joined = lines
    .filter((l) => !/^\s*#/.test(l))
    .map((l) => l.replace(/\\\s*$/, '').trim())
    .join(' ');
  const run = /^RUN\s+((?:--[a-z-]+=\S+\s+)*)([\s\S]*)$/i.exec(joined);
  if (run === null || !/--mount=/.test(run[1] ?? '')) return [...lines];
  const flags = (run[1] ?? '').trim().split(/\s+/);
  const mounts = flags.filter((f) => f.startsWith('--mount=')).map(parseMount);
  const other = flags.filter((f) => !f.startsWith('--mount='));
  const refused = mounts.find((m) => m.type !== 'secret');
  if (refused !== undefined || other.length > 0)
    throw new FoundationError(
      'E_CONFIG_INVALID',
      `the Dockerfile's "${joined.slice(0, 80)}" needs BuildKit (${refused ? `--mount=type=${refused.type}` : other.join(' ')})`,
      'build with BuildKit: SERVICE_BUILDER=buildkit (Docker 23+ with its buildx plugin, or Docker 20.10)',
    );
  const given = mounts.filter((m) => passed.has(m.id));
  const args = given.map((m) => `ARG ${legacyArgOf(m.id)}`);
  const writes = given.map(
    (m) => `mkdir -p "$(dirname ${m.target})" && printf '%s\\n' "$${legacyArgOf(m.id)}" > ${m.target}`,
  );
  const command = (run[2] ?? '').trim();
  return [
    ...args,
    writes.length === 0 ? `RUN ${command}` : `RUN { ${writes.join(' && ')}; } || exit 1; ${command}`,
  ];
}

function parseMount(flag: string): Mount {
  const fields = new Map(
    flag
      .slice('--mount='.length)
      .split(',')
      .map((kv) => {
        const at = kv.indexOf('=');
        return at < 0 ? [kv, 'true'] : [kv.slice(0, at), kv.slice(at + 1)];
      }),
  );
  const type = fields.get('type') ?? 'bind';
  const id = fields.get('id') ?? '';
  const target =
    fields.get('target') ?? fields.get('dst') ?? fields.get('destination') ?? `/run/secrets/${id}`;
  return { type, id, target };
}
