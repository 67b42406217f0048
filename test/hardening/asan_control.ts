// The ASan build's positive controls, which scripts/asan.sh runs before it
// trusts a clean report (ASan writes a log only when it has something to
// report, so "0 errors" alone cannot tell a clean run from an unwatched one):
//   overflow: the addon reads one byte past a heap block; ASan must stop the process
//   leak:     the addon drops its only pointer to a block; LSan must report it at exit
// The native entry exists only in the ASan build (-DTORCHTS_ASAN_CONTROL).
import { native } from '../../lib/native';

const control = (native as unknown as { asanControl?: (kind: string) => number }).asanControl;
const kind = process.argv[2];
if (!control) {
  process.stderr.write('asan_control: this addon was built without -DTORCHTS_ASAN_CONTROL (scripts/asan.sh builds it)\n');
  process.exit(3);
}
control(kind);
// LSan's own check at exit never runs in Node: asked for here, in a call after the leaking one.
if (kind === 'leak') control('check');
process.stdout.write(`asan_control: ${kind} ran to the end\n`);
