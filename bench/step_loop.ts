// The notebook model's training step and nothing else, for profilers
// (perf, valgrind --tool=callgrind); `bench_cpp ... --steps-only` is its
// C++ twin. bench/README.md ("Profiling") shows how the two are compared.
//   npx tsx bench/step_loop.ts <images.u8> <labels.u8> <n> <steps>
// It ends by printing the mean time a step took in each pass over the n
// images (an epoch), to stderr: the first epoch is slower than the next.
import * as fs from 'node:fs';

import torch, { nn, optim, type Tensor } from '../lib';

const [imagesPath, labelsPath, nText, stepsText] = process.argv.slice(2);
const n = Number(nText);
const steps = Number(stepsText);
torch.set_num_threads(1);
torch.manual_seed(0);
const read = (p: string, bytes: number) => new Uint8Array(fs.readFileSync(p).subarray(0, bytes));
const images = torch.from_typed_array(read(imagesPath, n * 784), [n, 1, 28, 28]).float().div(255);
const labels = torch.from_typed_array(read(labelsPath, n), [n]).long();
const model = new nn.Sequential(new nn.Flatten(), new nn.Linear(784, 32), new nn.ReLU(), new nn.Linear(32, 10));
const opt = new optim.Adam(model.parameters(), { lr: 0.04 });
const lossFn = new nn.CrossEntropyLoss();
const batches = Math.floor(n / 32);
const epochUs: string[] = [];
let epochStart = process.hrtime.bigint();
for (let s = 0; s < steps; s++) {
  const x = images.narrow(0, (s % batches) * 32, 32);
  const y = labels.narrow(0, (s % batches) * 32, 32);
  opt.zero_grad();
  const loss: Tensor = lossFn(model(x), y);
  loss.backward();
  opt.step();
  if ((s + 1) % batches === 0) {
    const now = process.hrtime.bigint();
    epochUs.push((Number(now - epochStart) / 1e3 / batches).toFixed(1));
    epochStart = now;
  }
}
process.stderr.write(`us per step, by epoch of ${batches} steps: ${epochUs.join(' ')}\n`);
