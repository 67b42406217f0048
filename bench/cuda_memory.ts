// GPU memory over a long training loop that disposes nothing: the notebook's
// model (784-32-10 MLP, batch 32, CrossEntropyLoss, Adam lr 0.04) on a CUDA
// device, with every tensor a step makes left to V8's collector. V8 sees
// none of the device memory those tensors hold; torchts counts each fresh
// result's storage, device memory included, toward its next young
// collection (native/tensor.cc), so the wrappers and with them the device
// blocks are freed as the loop goes. Samples torch.cuda.memory_allocated()
// (what live tensors hold, as the caching allocator counts it), its peak,
// memory_reserved() and the process's RSS ten times after a warm-up.
//   npx tsx bench/cuda_memory.ts [steps=20000] [warmup=2000] [device=cuda]
import torch, { nn, optim, type Tensor } from '../lib';

const steps = Number(process.argv[2] ?? 20_000);
const warmup = Number(process.argv[3] ?? 2_000);
const device = process.argv[4] ?? 'cuda';
if (!device.startsWith('cuda')) throw new RangeError(`bench/cuda_memory.ts: device must be a CUDA device, got ${device}`);

torch.manual_seed(0);
// A pool of batches on the device that the loop walks through, as an epoch would.
const images = torch.rand(256, 32, 1, 28, 28).to(device);
const labels = torch.randint(0, 10, [256, 32]).to(device);
const model = new nn.Sequential(new nn.Flatten(), new nn.Linear(784, 32), new nn.ReLU(), new nn.Linear(32, 10)).to(device);
const opt = new optim.Adam(model.parameters(), { lr: 0.04 });
const lossFn = new nn.CrossEntropyLoss();

function step(i: number): Tensor {
  const k = i % 256;
  opt.zero_grad();
  const loss: Tensor = lossFn(model(images.select(0, k)), labels.select(0, k));
  loss.backward();
  opt.step();
  return loss;
}

const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(2);
for (let i = 0; i < warmup; i++) step(i);
torch.cuda.synchronize();
torch.cuda.reset_peak_memory_stats();
const samples: { step: number; allocated: number; peak: number; reserved: number; rss: number }[] = [];
let last = 0;
for (let i = 0; i < steps; i++) {
  const loss = step(i);
  if ((i + 1) % (steps / 10) === 0) {
    last = loss.item(); // waits for the step, as a loop that logs would
    samples.push({ step: i + 1, allocated: torch.cuda.memory_allocated(), peak: torch.cuda.max_memory_allocated(), reserved: torch.cuda.memory_reserved(), rss: process.memoryUsage().rss });
  }
}
console.log(`cuda memory over ${steps} steps (after ${warmup} warm-up steps) on ${torch.cuda.get_device_name()}, disposing nothing; last loss ${last.toFixed(4)}`);
console.log('step      allocated MiB  peak MiB  reserved MiB  RSS MiB');
for (const s of samples) {
  console.log(`${String(s.step).padEnd(9)} ${mib(s.allocated).padStart(13)} ${mib(s.peak).padStart(9)} ${mib(s.reserved).padStart(13)} ${mib(s.rss).padStart(8)}`);
}
const first = samples[0];
const end = samples[samples.length - 1];
console.log(`allocated: first sample ${mib(first.allocated)} MiB, last ${mib(end.allocated)} MiB (x${(end.allocated / first.allocated).toFixed(3)}); RSS x${(end.rss / first.rss).toFixed(3)}`);
