// One training step of the notebook's model (784-32-32-32-10 MLP, batch 32,
// CrossEntropyLoss, Adam lr 0.04) on data already in memory: the figure the
// per-step overhead of nn and optim shows up in.
//   npx tsx bench/train_step.ts [steps] [device]   (device: cpu, or cuda on a GPU machine)
import torch, { nn, optim } from '../lib';

const steps = Number(process.argv[2] ?? 2000);
const device = process.argv[3] ?? 'cpu';
torch.set_num_threads(1);
torch.manual_seed(0);
const data = torch.randn(steps, 32, 1, 28, 28).to(device);
const labels = torch.randint(0, 10, [steps, 32]).to(device);
const model = new nn.Sequential(
  new nn.Flatten(),
  new nn.Linear(784, 32), new nn.ReLU(),
  new nn.Linear(32, 32), new nn.ReLU(),
  new nn.Linear(32, 32), new nn.ReLU(),
  new nn.Linear(32, 10),
).to(device);
const opt = new optim.Adam(model.parameters(), { lr: 0.04 });
const lossFn = new nn.CrossEntropyLoss();

function step(i: number): number {
  opt.zero_grad();
  const loss = lossFn(model(data.select(0, i)), labels.select(0, i));
  loss.backward();
  opt.step();
  return i;
}

const warm = Math.min(200, steps / 10);
for (let i = 0; i < warm; i++) step(i);
const times: number[] = [];
for (let r = 0; r < 5; r++) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < steps; i++) step(i);
  if (device !== 'cpu') torch.cuda.synchronize(); // the steps were queued; count them done
  times.push(Number(process.hrtime.bigint() - t0) / 1e3 / steps);
}
times.sort((a, b) => a - b);
console.log(`torchts train step (${device}): median ${times[2].toFixed(1)} us over 5 runs of ${steps} steps (threads ${torch.get_num_threads()})`);
