// torchts's side of bench/run.ts: the same training step, the notebook's
// whole workload with its DataLoader, one small op, and RSS over a long
// training loop that disposes nothing.
//   npx tsx bench/bench_torchts.ts images.u8 labels.u8 n repeats models fashion_root rss_steps
import * as fs from 'node:fs';

import torch, { nn, optim, type Tensor } from '../lib';
import { DataLoader } from '../lib/utils/data';
import { datasets, transforms } from '../lib/vision';

const [imagesPath, labelsPath, nText, repeatsText, modelsText, root, rssStepsText] = process.argv.slice(2);
const n = Number(nText);
const repeats = Number(repeatsText);
const nModels = Number(modelsText);
const rssSteps = Number(rssStepsText);
torch.set_num_threads(1);
torch.manual_seed(0);
const u8 = (p: string) => new Uint8Array(fs.readFileSync(p));
const images = torch.from_typed_array(u8(imagesPath), [n, 1, 28, 28]).float().div(255);
const labels = torch.from_typed_array(u8(labelsPath), [n]).long();

const mlp = () => new nn.Sequential(new nn.Flatten(), new nn.Linear(784, 32), new nn.ReLU(), new nn.Linear(32, 10));
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const now = () => Number(process.hrtime.bigint()) / 1e3;

function trainer(): (s: number) => void {
  const model = mlp();
  const opt = new optim.Adam(model.parameters(), { lr: 0.04 });
  const lossFn = new nn.CrossEntropyLoss();
  return (s) => {
    const x = images.narrow(0, s * 32, 32);
    const y = labels.narrow(0, s * 32, 32);
    opt.zero_grad();
    const loss: Tensor = lossFn(model(x), y);
    loss.backward();
    opt.step();
  };
}

function epochStepUs(): number {
  const step = trainer();
  const steps = Math.floor(n / 32);
  const t0 = now();
  for (let s = 0; s < steps; s++) step(s);
  return (now() - t0) / steps;
}

function notebookSeconds(): number {
  const train_set = new datasets.FashionMNIST({ root, transform: new transforms.ToTensor() });
  const test_set = new datasets.FashionMNIST({ root, train: false, transform: new transforms.ToTensor() });
  const train_loader = new DataLoader(train_set, { batch_size: 32, shuffle: false });
  const test_loader = new DataLoader(test_set, { batch_size: 32, shuffle: false });
  const t0 = now();
  const models = Array.from({ length: nModels }, mlp);
  const lossFn = new nn.CrossEntropyLoss();
  for (const model of models) {
    const opt = new optim.Adam(model.parameters(), { lr: 0.04 });
    for (const [batch, y] of train_loader) {
      opt.zero_grad();
      const loss: Tensor = lossFn(model(batch), y);
      loss.backward();
      opt.step();
    }
  }
  for (const model of models) {
    let correct = 0;
    for (const [batch, y] of test_loader) correct += model(batch).argmax({ dim: 1 }).eq(y).sum().item() as number;
  }
  return (now() - t0) / 1e6;
}

function perCall(fn: () => unknown, iters: number): number {
  for (let i = 0; i < iters / 10; i++) fn();
  const t0 = now();
  for (let i = 0; i < iters; i++) fn();
  return (now() - t0) / iters;
}

/** RSS every tenth of rssSteps training steps, after a warm-up of a tenth. */
function rssProfile(): number[] {
  if (rssSteps <= 0) return [];
  const step = trainer();
  const steps = Math.floor(n / 32);
  const samples: number[] = [];
  for (let s = 0; s < rssSteps / 10; s++) step(s % steps);
  for (let s = 1; s <= rssSteps; s++) {
    step(s % steps);
    if (s % (rssSteps / 10) === 0) samples.push(process.memoryUsage().rss / 2 ** 20);
  }
  return samples;
}

const a = torch.ones(4);
const b = torch.ones(4);
const bias = torch.randn(32);
const m1 = torch.randn(32, 784);
const m2 = torch.randn(784, 32);
// The first epoch is timed on its own (V8 is still compiling the step's
// functions through most of it); the figure is the median of the epochs
// after it, each with a fresh model (bench/README.md).
const firstEpochUs = epochStepUs();
const result = {
  train_step_first_us: firstEpochUs,
  train_step_us: median(Array.from({ length: repeats }, epochStepUs)),
  notebook_s: nModels > 0 ? notebookSeconds() : null,
  add_ns: median(Array.from({ length: repeats }, () => perCall(() => a.add(b), 200000) * 1e3)),
  addmm_us: median(Array.from({ length: repeats }, () => perCall(() => torch.addmm(bias, m1, m2), 20000))),
  rss_mb: rssProfile(),
};
process.stdout.write(`${JSON.stringify(result)}\n`);
