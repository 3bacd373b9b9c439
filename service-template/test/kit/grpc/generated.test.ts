// The committed TypeScript types in src/kit/grpc/generated/ are what proto-loader-gen-types makes of
// proto/ today: edit a .proto file without regenerating (docs/grpc.md, Proto files and generated types) and this fails.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { GENERATE_ARGS, PROTO_DIR, PROTO_FILES } from '../../../src/kit/grpc/proto.js';

const ROOT = dirname(PROTO_DIR);
const GENERATED = join(ROOT, 'src/kit/grpc/generated');

async function files(dir: string): Promise<Map<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const out = new Map<string, string>();
  for (const entry of entries.filter((e) => e.isFile())) {
    const path = join(entry.parentPath, entry.name);
    out.set(relative(dir, path), await readFile(path, 'utf8'));
  }
  return out;
}

describe('grpc part: generated types', () => {
  it('match the .proto files (regenerate as docs/grpc.md says)', async () => {
    const generator = join(
      dirname(createRequire(import.meta.url).resolve('@grpc/proto-loader/package.json')),
      'build/bin/proto-loader-gen-types.js',
    );
    const out = await mkdtemp(join(tmpdir(), 'proto-gen-'));
    try {
      await promisify(execFile)(process.execPath, [generator, ...GENERATE_ARGS, '-O', out, ...PROTO_FILES], {
        cwd: ROOT,
      });
      const fresh = await files(out);
      const committed = await files(GENERATED);
      assert.deepEqual([...committed.keys()].sort(), [...fresh.keys()].sort(), 'the same files');
      for (const [name, text] of fresh) {
        assert.equal(
          committed.get(name),
          text,
          `${name} is stale: regenerate it with npx proto-loader-gen-types as docs/grpc.md says`,
        );
      }
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
