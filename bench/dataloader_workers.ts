// The notebook's epoch through DataLoader with num_workers 0 and 2, beside
// Python's (bench/dataloader_workers.py) in the same run: FashionMNIST,
// ToTensor per item, batches of 32, shuffled; the epoch's loading alone and
// with the training step. Prints seconds and torchts/Python ratios.
//   npx tsx bench/dataloader_workers.ts [rounds]
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

import torch, { nn, optim, type Tensor } from '../lib';
import { DataLoader } from '../lib/utils/data';
import { datasets, transforms } from '../lib/vision';

const rounds = Number(process.argv[2] ?? 1);
const FASHION = '/usr/share/datasets/fashion-mnist';

/** torchvision's layout (root/FashionMNIST/raw, uncompressed) from Debian's dataset-fashion-mnist. */
function fashionRoot(): string {
  const root = path.join(__dirname, 'build', 'fashion-root');
  const raw = path.join(root, 'FashionMNIST', 'raw');
  fs.mkdirSync(raw, { recursive: true });
  for (const name of ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) {
    const target = path.join(raw, name);
    if (!fs.existsSync(target)) fs.writeFileSync(target, zlib.gunzipSync(fs.readFileSync(path.join(FASHION, `${name}.gz`))));
  }
  return root;
}

const root = fashionRoot();
torch.set_num_threads(1);
const train_set = new datasets.FashionMNIST({ root, transform: new transforms.ToTensor() });

const model = () =>
  new nn.Sequential(new nn.Flatten(), new nn.Linear(784, 32), new nn.ReLU(), new nn.Linear(32, 32), new nn.ReLU(), new nn.Linear(32, 32), new nn.ReLU(), new nn.Linear(32, 10));

/** An epoch's seconds, and of them the wait for its first batch (the workers' start). */
function epoch(num_workers: number, train: boolean): [number, number] {
  torch.manual_seed(0);
  const loader = new DataLoader(train_set, { batch_size: 32, shuffle: true, num_workers });
  const m = model();
  const opt = new optim.Adam(m.parameters(), { lr: 0.04 });
  const lossFn = new nn.CrossEntropyLoss();
  const start = process.hrtime.bigint();
  let first = 0n;
  for (const [x, y] of loader) {
    if (first === 0n) first = process.hrtime.bigint();
    if (!train) continue;
    opt.zero_grad();
    (lossFn(m(x), y) as Tensor).backward();
    opt.step();
  }
  return [Number(process.hrtime.bigint() - start) / 1e9, Number(first - start) / 1e9];
}

const keys = ['load_w0', 'train_w0', 'load_w2', 'train_w2', 'first_w2'];
const ours: Record<string, number[]> = {};
const python: Record<string, number[]> = {};
for (let r = 0; r < rounds; r++) {
  for (const workers of [0, 2]) {
    const [load, first] = epoch(workers, false);
    (ours[`load_w${workers}`] ??= []).push(load);
    if (workers > 0) (ours[`first_w${workers}`] ??= []).push(first);
    (ours[`train_w${workers}`] ??= []).push(epoch(workers, true)[0]);
  }
  const py = JSON.parse(execFileSync('/usr/bin/python3', [path.join(__dirname, 'dataloader_workers.py'), root], { encoding: 'utf8' })) as Record<string, number>;
  for (const k of keys) (python[k] ??= []).push(py[k]);
}
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
console.log(`FashionMNIST epoch (60,000 items, ToTensor, batch 32, shuffled), seconds, median of ${rounds} round(s):`);
console.log('                         torchts   Python   ratio');
for (const k of keys) {
  const [a, b] = [median(ours[k]), median(python[k])];
  console.log(`${k.replace('load_w', 'loading only, workers ').replace('train_w', 'with training, workers ').replace('first_w', 'first batch, workers ').padEnd(25)}${a.toFixed(2).padStart(7)}  ${b.toFixed(2).padStart(7)}  ${(a / b).toFixed(2).padStart(5)}x`);
}
