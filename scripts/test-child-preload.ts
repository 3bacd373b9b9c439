// Loaded (--import) into every test file's process by the test runner. node:test's child reports its
// results to the runner over a pipe, and with force-exit it calls process.exit() as soon as its tests are
// done: what the pipe had not yet taken was lost, so the runner saw fewer results than ran, exit code 0
// (nodejs/node#64833; 30 files of 40 tests, two at a time: 1,004, 1,134 and 1,126 of 1,200 reported,
// 2026-11-27). Blocking writes on that pipe leave nothing buffered to lose. Node has no public switch.
interface BlockingHandle {
  setBlocking?: (blocking: boolean) => unknown;
}
const handle = (process.stdout as unknown as { _handle?: BlockingHandle })._handle;
handle?.setBlocking?.(true);
