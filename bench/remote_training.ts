// Training off the event loop (torch.multiprocessing.remote): the notebook's
// model (784-32-10, Adam lr 0.04, batch 32) for one epoch of Fashion-MNIST
// held as one tensor, three ways: on the main thread, a step per call to a
// worker thread (`await r.call('step', x, y)`), and the whole epoch in one
// call. For each: the epoch's seconds and the event loop's lag meanwhile (a
// 10 ms timer's lateness: p50, p99, max). Then the cost of a call alone (a
// method that does nothing), and a batch-of-one forward here and on the
// worker, and this process's RSS over 30,000 such calls. The three epochs
// start from the same seed and must end with the same weights. Prints one table.
//   npx tsx bench/remote_training.ts
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

import torch, { nn, optim, type Tensor } from '../lib';
import { remote } from '../lib/multiprocessing';
import { NotebookTrainer } from './_remote_trainer';

const FASHION = '/usr/share/datasets/fashion-mnist';
const BATCH = 32;

/** Fashion-MNIST's training images as [60000, 784] floats in [0, 1] and its labels. */
function fashion(): [Tensor, Tensor] {
  const read = (name: string, header: number) => zlib.gunzipSync(fs.readFileSync(path.join(FASHION, `${name}.gz`))).subarray(header);
  const images = torch.from_typed_array(new Uint8Array(read('train-images-idx3-ubyte', 16)), [60000, 784]).to(torch.float32).div(255);
  const labels = torch.from_typed_array(new Uint8Array(read('train-labels-idx1-ubyte', 8)), [60000]).to(torch.int64);
  return [images, labels];
}

/** The event loop's lateness, sampled by a timer every 10 ms, while fn runs. */
async function withLag<T>(fn: () => T | Promise<T>): Promise<{ value: T; seconds: number; lag: number[] }> {
  const lag: number[] = [];
  let expected = performance.now() + 10;
  const timer = setInterval(() => {
    const now = performance.now();
    lag.push(Math.max(0, now - expected));
    expected = now + 10;
  }, 10);
  const start = performance.now();
  const value = await fn();
  const seconds = (performance.now() - start) / 1000;
  // The sample of a loop that was blocked to the end comes after.
  await new Promise((r) => setTimeout(r, 20));
  clearInterval(timer);
  return { value, seconds, lag };
}

function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

function trainer(): NotebookTrainer {
  torch.manual_seed(0);
  const model = new nn.Sequential(new nn.Flatten(), new nn.Linear(784, 32), new nn.ReLU(), new nn.Linear(32, 10));
  return new NotebookTrainer(model, new optim.Adam(model.parameters(), { lr: 0.04 }));
}

const weightsOf = (t: NotebookTrainer) => torch.cat([...t.model.parameters()].map((p) => p.detach().reshape(-1)));

async function main(): Promise<void> {
  torch.set_num_threads(1);
  const [images, labels] = fashion();
  const n = images.shape[0];
  // The data set's first trip to a worker moves it into shared memory (one copy of 188 MB); done here, it is timed apart.
  let start = performance.now();
  images.share_memory_();
  labels.share_memory_();
  const shareMs = performance.now() - start;
  const rows: [string, { seconds: number; lag: number[] }][] = [];

  const here = trainer();
  const onMain = await withLag(() => here.epoch(images, labels, BATCH));
  rows.push(['main thread', onMain]);

  const stepped = trainer();
  const r1 = await remote(stepped);
  const perStep = await withLag(async () => {
    for (let i = 0; i < n; i += BATCH) await r1.call('step', images.narrow(0, i, Math.min(BATCH, n - i)), labels.narrow(0, i, Math.min(BATCH, n - i)));
  });
  rows.push(['worker, a call per step', perStep]);

  const whole = trainer();
  const r2 = await remote(whole);
  const oneCall = await withLag(() => r2.call('epoch', images, labels, BATCH));
  rows.push(['worker, one call per epoch', oneCall]);

  const same = weightsOf(here).equal(weightsOf(stepped)) && weightsOf(here).equal(weightsOf(whole));

  // A call's own cost: sequential awaits of a method that does nothing.
  const calls = 2000;
  for (let i = 0; i < 200; i++) await r2.call('noop');
  start = performance.now();
  for (let i = 0; i < calls; i++) await r2.call('noop');
  const callUs = ((performance.now() - start) * 1000) / calls;
  const x = images.narrow(0, 0, 1);
  const forwardHere = () => torch.no_grad(() => whole.model(x));
  for (let i = 0; i < 200; i++) forwardHere();
  start = performance.now();
  for (let i = 0; i < calls; i++) forwardHere();
  const hereUs = ((performance.now() - start) * 1000) / calls;
  start = performance.now();
  for (let i = 0; i < calls; i++) {
    const g = torch.no_grad();
    const p = r2.call('predict', x);
    g.exit();
    await p;
  }
  const remoteUs = ((performance.now() - start) * 1000) / calls;
  // Memory over many calls that dispose nothing (each shares an input and gets an output back): flat, or a leak.
  const rss: [number, number][] = [];
  for (let i = 1; i <= 30000; i++) {
    const g = torch.no_grad();
    const p = r2.call('predict', x.clone());
    g.exit();
    await p;
    if (i === 3000 || i % 10000 === 0) rss.push([i, process.memoryUsage().rss / 2 ** 20]);
  }
  await r1.close();
  await r2.close();

  console.log(`one epoch of Fashion-MNIST (${n / BATCH} steps of ${BATCH}), 784-32-10, Adam; event-loop lag from a 10 ms timer`);
  console.log('way                              epoch s   lag p50 ms   lag p99 ms   lag max ms   samples');
  for (const [name, r] of rows) {
    const f = (v: number) => v.toFixed(1).padStart(11);
    console.log(`${name.padEnd(30)} ${r.seconds.toFixed(2).padStart(9)} ${f(quantile(r.lag, 0.5))}  ${f(quantile(r.lag, 0.99))}  ${f(Math.max(...r.lag))}  ${String(r.lag.length).padStart(8)}`);
  }
  console.log(`the three end with the same weights: ${same}`);
  console.log(`moving the data set into shared memory first (share_memory_, 188 MB): ${shareMs.toFixed(0)} ms`);
  console.log(`a call that does nothing: ${callUs.toFixed(1)} us round trip`);
  console.log(`forward of one image: ${hereUs.toFixed(1)} us here, ${remoteUs.toFixed(1)} us on the worker (round trip)`);
  console.log(`RSS over forward calls on the worker, disposing nothing: ${rss.map(([i, mb]) => `${mb.toFixed(0)} MB after ${i}`).join(', ')}`);
  if (!same) process.exitCode = 1;
}

void main();
