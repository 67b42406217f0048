// A short run through the addon's native paths for valgrind's leak check
// (npm run leakcheck): op calls, results of every kind, errors, dispose,
// scopes, autograd, data in and out, generators, save/load.
'use strict';
require('tsx/cjs');
const os = require('os');
const path = require('path');
const torch = require('../../lib').default;

const file = path.join(os.tmpdir(), `torchts-leak-${process.pid}.pt`);
for (let i = 0; i < 200; i++) {
  const a = torch.randn(8, 4, { requires_grad: true });
  const b = torch.rand(4, 3);
  const c = a.matmul(b).relu().sum();
  c.backward();
  a.grad.tolist();
  const [values, indices] = torch.max(a.detach(), 1);
  values.toTypedArray();
  indices.dispose();
  torch.scope(() => torch.cat([a.detach(), a.detach()]).mul(2).unbind(0));
  try { a.matmul(torch.ones(5, 5)); } catch (e) { /* an error path */ }
  try { torch.ops.aten.no_such_op.default(a); } catch (e) { /* another */ }
  const g = new torch.Generator().manual_seed(i);
  torch.randperm(10, { generator: g });
  if (i % 50 === 0) {
    torch.save({ a: a.detach(), list: [b, 1, 'x'] }, file);
    torch.load(file);
  }
}
require('fs').rmSync(file, { force: true });
global.gc && global.gc();
// The ASan build (scripts/asan.sh) runs LeakSanitizer's check here: its own at exit never runs in Node.
const { native } = require('../../lib/native');
if (native.asanControl) native.asanControl('check');
console.log('leak run done');
