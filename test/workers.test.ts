// torchts in several worker threads at once: each loads the addon for its
// own environment and computes with its own tensors; a tensor posted to
// another thread is refused when it is posted, with a clear error.
import * as path from 'node:path';
import { MessageChannel, Worker } from 'node:worker_threads';
import test from 'ava';

import torch from '../lib';

const root = path.join(__dirname, '..');

function runWorker(source: string, data: unknown): Promise<any> {
  return new Promise((resolve, reject) => {
    const w = new Worker(`require('tsx/cjs'); ${source}`, { eval: true, workerData: data, execArgv: [] });
    let result: unknown;
    w.on('message', (m) => (result = m));
    w.on('error', reject);
    w.on('exit', (code) => (code === 0 ? resolve(result) : reject(new Error(`worker exited with ${code}`))));
  });
}

const TRAIN = `
  const { workerData, parentPort } = require('worker_threads');
  const torch = require(workerData.lib).default;
  const { nn, optim } = torch;
  // The default generator is one per process; each worker draws from its own.
  const g = new torch.Generator().manual_seed(workerData.seed);
  const x = torch.randn(64, 8, { generator: g });
  const y = x.sum(1, { keepdim: true });
  const model = new nn.Linear(8, 1);
  torch.no_grad(() => { model.weight.copy_(torch.randn(1, 8, { generator: g })); model.bias.zero_(); });
  const opt = new optim.SGD(model.parameters(), { lr: 0.05 });
  let loss;
  for (let i = 0; i < 300; i++) {
    opt.zero_grad();
    loss = new nn.MSELoss()(model(x), y);
    loss.backward();
    opt.step();
  }
  parentPort.postMessage({ loss: loss.item(), weight: model.weight.tolist() });
`;

test('four workers train at once, each getting exactly what the main thread gets', async (t) => {
  const lib = path.join(root, 'lib');
  const results = await Promise.all([1, 2, 3, 4].map((seed) => runWorker(TRAIN, { lib, seed })));
  for (const [k, seed] of [1, 2, 3, 4].entries()) {
    const g = new torch.Generator().manual_seed(seed);
    const x = torch.randn(64, 8, { generator: g });
    const y = x.sum(1, { keepdim: true });
    const model = new torch.nn.Linear(8, 1);
    torch.no_grad(() => {
      model.weight.copy_(torch.randn(1, 8, { generator: g }));
      model.bias!.zero_();
    });
    const opt = new torch.optim.SGD(model.parameters(), { lr: 0.05 });
    let loss = torch.zeros(1);
    for (let i = 0; i < 300; i++) {
      opt.zero_grad();
      loss = new torch.nn.MSELoss()(model(x), y);
      loss.backward();
      opt.step();
    }
    t.is(results[k].loss, loss.item(), `worker ${seed} loss`);
    t.deepEqual(results[k].weight, model.weight.tolist(), `worker ${seed} weights`);
  }
});

test('posting a tensor to another thread is a clear error, not a crash', async (t) => {
  const source = `
    const { workerData, parentPort } = require('worker_threads');
    const torch = require(workerData.lib).default;
    try { torch.ones(2).add(workerData.tensor); parentPort.postMessage('no error'); }
    catch (e) { parentPort.postMessage(e.constructor.name + ': ' + e.message); }
  `;
  let posted: unknown;
  try {
    posted = await runWorker(source, { lib: path.join(root, 'lib'), tensor: torch.ones(2) });
  } catch (err) {
    posted = `could not post: ${(err as Error).message}`;
  }
  // The same DataCloneError on every Node: Node 20 refuses an object with
  // internal fields by itself; Node 22 and later cloned it as {} (the worker
  // then failed only on use) until lib/native.ts marked tensors uncloneable.
  t.regex(String(posted), /^could not post: Cannot (clone|transfer) object of unsupported type\.$/);
});

test('a tensor is refused wherever structured clone meets it, and still works after', (t) => {
  const tensor = torch.tensor([1, 2]);
  const doubled = tensor.mul(2);  // made by an op call, as most tensors are
  const { port1, port2 } = new MessageChannel();
  try {
    for (const value of [tensor, doubled, { batch: [doubled] }]) {
      // A DOMException, which ava counts as an error only when told to.
      const err = t.throws(() => port1.postMessage(value), { any: true }) as Error | undefined;
      t.is(err!.name, 'DataCloneError');
      t.regex(err!.message, /Cannot (clone|transfer) object of unsupported type/);
      t.throws(() => structuredClone(value), { any: true, name: 'DataCloneError' });
    }
  } finally {
    port1.close();
    port2.close();
  }
  t.deepEqual(tensor.add(doubled).tolist(), [3, 6]);
  // What can cross: the numbers, or the bytes of a typed array.
  t.deepEqual(structuredClone(tensor.tolist()), [1, 2]);
});

test('workers that exit free their tensors and leave the main thread working', async (t) => {
  const source = `
    const { workerData, parentPort } = require('worker_threads');
    const torch = require(workerData.lib).default;
    const keep = [];
    for (let i = 0; i < 20; i++) keep.push(torch.ones(1 << 18));
    parentPort.postMessage(keep.length);
  `;
  // Two workers first: a worker's own set-up (its isolate, the TypeScript
  // loader, a malloc arena for its thread) costs memory that the next one
  // reuses, more of it on newer Nodes; what is measured is what stays after.
  for (let round = 0; round < 2; round++) await runWorker(source, { lib: path.join(root, 'lib') });
  const before = process.memoryUsage().rss;
  for (let round = 0; round < 5; round++) await runWorker(source, { lib: path.join(root, 'lib') });
  const grownMb = (process.memoryUsage().rss - before) / 2 ** 20;
  // Each worker held 20 MB of tensors; five of them leaked would be 100 MB.
  t.true(grownMb < 60, `RSS grew ${grownMb.toFixed(0)} MB over five workers`);
  t.deepEqual(torch.ones(2).add(1).tolist(), [2, 2]);
});

test("libtorch's warnings raised in a worker arrive as that worker's UserWarnings, not as lines on stderr", async (t) => {
  const source = `
    const { workerData, parentPort } = require('worker_threads');
    const torch = require(workerData.lib).default;
    const seen = [];
    process.on('warning', (w) => seen.push(w.name + ': ' + w.message));
    for (let i = 0; i < 3; i++) torch.ops.aten.add.out(torch.ones(5), torch.ones(5), { out: torch.zeros(1) });
    setImmediate(() => parentPort.postMessage(seen));
  `;
  // libtorch's own handler writes to the process's stderr, which a worker's
  // stream does not see: what shows the handler is the warning arriving.
  const seen: string[] = await runWorker(source, { lib: path.join(root, 'lib') });
  const resized = seen.filter((m) => /^UserWarning: .*output with one or more elements was resized .* \[5\]/.test(m));
  t.is(resized.length, 1, JSON.stringify(seen));
});
