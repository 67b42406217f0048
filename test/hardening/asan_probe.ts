// Bad inputs that reach the addon's own copies of memory, for the ASan build
// (npm run asan -- test/hardening/asan_probe.ts): each must end in a JS
// error. Outside ASan an overflow here may pass unseen; under it, the first
// one aborts the run with its stack.
import torch from '../../lib';

const cases: [string, () => unknown][] = [
  [
    // issue 23: a dtype object whose code is QUInt4x2, which packs two elements a byte
    'from_typed_array with a forged quantized dtype',
    () => torch.from_typed_array(new Uint8Array(4096), [4096], { dtype: new (torch.dtype as any)(16, 'float32', 1, true, true) }),
  ],
];

let failed = 0;
for (const [name, run] of cases) {
  try {
    run();
    failed++;
    console.log(`accepted: ${name}`);
  } catch (err) {
    console.log(`refused: ${name}: ${(err as Error).message.split('\n')[0]}`);
  }
}
process.exitCode = failed ? 1 : 0;
