// Loaded (--import) into every test file's process by the test runner. node:test's child reports its
// results to the runner over a pipe, and with force-exit it calls process.exit() as soon as its tests are
// done: what the pipe had not yet taken was lost, so the runner saw fewer results than ran, exit code 0
// (nodejs/node#64833; 3 of 30 files lost their tail in a run of 30 small files, 2026-11-27). Blocking
// writes on that pipe leave nothing buffered to lose. Node exposes no public switch for this.
interface BlockingHandle {
  setBlocking?: (blocking: boolean) => unknown;
}
const handle = (process.stdout as unknown as { _handle?: BlockingHandle })._handle;
handle?.setBlocking?.(true);
