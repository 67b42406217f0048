// The cost of one op call from JS, in one process: a.add(b) on 4-element
// tensors (a new result), a.add_(b) (no new result), the generic call by
// handle, and the smallest native calls. Mean over many calls after warm-up.
//   npx tsx bench/op_call.ts
import torch from '../lib';
import { native } from '../lib/native';

const a = torch.ones(4);
const b = torch.ones(4);
const handle = native.opFind('aten::add', 'Tensor');

function time(label: string, f: () => unknown, n = 300_000): void {
  for (let i = 0; i < 20_000; i++) f();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) f();
  console.log(`${label.padEnd(32)} ${(Number(process.hrtime.bigint() - t0) / n).toFixed(0)} ns`);
}

time('a.add(b)', () => a.add(b));
time('native.opCall(add, a, b)', () => native.opCall(handle, a, b));
time('a.add_(b) (no new wrapper)', () => a.add_(b));
time('native.numel(a)', () => native.numel(a));
time('native.isTensor(a)', () => native.isTensor(a));
