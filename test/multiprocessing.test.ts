// torch.multiprocessing for worker threads: share() puts tensors in shared
// memory and gives what postMessage can carry, receive() makes them tensors
// again over the same memory, in another thread or this one.
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import test from 'ava';

import torch, { nn, type Tensor } from '../lib';
import type { SharedTensor } from '../lib/multiprocessing';

const lib = path.join(__dirname, '..', 'lib');
const { share, receive } = torch.multiprocessing;

/** Runs source in a worker with workerData; resolves with every message it posted, once it exits with 0. */
function runWorker(source: string, workerData: unknown, onMessage?: (m: unknown, w: Worker) => void): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const w = new Worker(`require('tsx/cjs'); ${source}`, { eval: true, workerData, execArgv: [] });
    const messages: unknown[] = [];
    w.on('message', (m) => {
      messages.push(m);
      onMessage?.(m, w);
    });
    w.on('error', reject);
    w.on('exit', (code) => (code === 0 ? resolve(messages) : reject(new Error(`worker exited with ${code}`))));
  });
}

test('share_memory_ moves the storage in place: the tensor and its views keep their values and see each other', (t) => {
  const x = torch.arange(12, { dtype: torch.float32 }).reshape(3, 4);
  const view = x.t();
  t.false(x.is_shared());
  t.is(x.share_memory_(), x);
  t.true(x.is_shared());
  t.true(view.is_shared());
  t.deepEqual(view.tolist(), torch.arange(12, { dtype: torch.float32 }).reshape(3, 4).t().tolist());
  view.mul_(2);
  t.deepEqual((x.tolist() as number[][])[1], [8, 10, 12, 14]);
  // Once shared, again is a no-op; the storage can no longer be resized (as in Python).
  x.share_memory_();
  t.throws(() => x.resize_(100), { message: /resize storage that is not resizable/ });
  const y = torch.ones(3);
  const m = new nn.Linear(3, 2);
  t.is(m.share_memory(), m);
  t.true(m.weight.is_shared() && m.bias!.is_shared());
  t.false(y.is_shared());
});

test('share() and receive() keep dtype, shape, strides, offset and requires_grad, over the same memory', (t) => {
  const base = torch.arange(24, { dtype: torch.float64 }).reshape(2, 3, 4);
  const tensors: Record<string, Tensor> = {
    view: base.permute(2, 0, 1).select(1, 1),  // base[1] transposed: non-contiguous, with a storage offset
    int64: torch.tensor([[1, -2], [3, 4]], { dtype: torch.int64 }),
    bool: torch.tensor([true, false, true]),
    float16: torch.tensor([0.5, 1.5], { dtype: torch.float16 }),
    bfloat16: torch.tensor([0.25, -3], { dtype: torch.bfloat16 }),
    complex64: torch.complex(torch.tensor([1.5, 2]), torch.tensor([3.5, -4])),
    uint8: torch.tensor([255, 0], { dtype: torch.uint8 }),
    scalar: torch.tensor(7.5),
    empty: torch.zeros(0, 3),
    param: torch.randn(4, { requires_grad: true }),
  };
  const message = share({ tensors, other: 'kept', nested: [{ n: 1 }] });
  const shared = message.tensors.view;
  t.is(shared.__torchts__, 'SharedTensor');
  t.true(shared.buffer instanceof SharedArrayBuffer);
  t.deepEqual(shared.stride, [1, 4]);
  t.is(shared.storage_offset, 12);
  // What postMessage does to it: a clone that keeps the buffer shared.
  const got = receive(structuredClone(message));
  t.is(got.other, 'kept');
  t.deepEqual(got.nested, [{ n: 1 }]);
  for (const [name, original] of Object.entries(tensors)) {
    const r = got.tensors[name];
    t.is(r.dtype, original.dtype, name);
    t.deepEqual([...r.shape], [...original.shape], name);
    t.deepEqual(r.stride(), original.stride(), name);
    t.is(r.storage_offset(), original.storage_offset(), name);
    t.is(r.requires_grad, original.requires_grad, name);
    t.true(r.is_leaf, name);
    t.true(torch.equal(r.detach(), original.detach()), name);
    t.true(r.is_shared(), name);
  }
  // One memory: a write through the received view shows in the original base.
  got.tensors.view.fill_(-1);
  t.deepEqual(base.select(0, 1).tolist(), [[-1, -1, -1, -1], [-1, -1, -1, -1], [-1, -1, -1, -1]]);
  t.deepEqual(base.select(0, 0).flatten().tolist(), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
});

test('share() refuses what cannot cross, naming it; the structure and cycles survive', (t) => {
  const graph = torch.ones(2, { requires_grad: true }).mul(2);
  t.throws(() => share({ loss: graph }), { instanceOf: TypeError, message: /share\(\): a non-leaf tensor that requires grad cannot be shared/ });
  const sparse = torch.eye(3).to_sparse();
  t.throws(() => share(sparse), { instanceOf: TypeError, message: /share\(\): only strided \(dense\) tensors can be shared between threads; got a sparse tensor/ });
  const disposed = torch.ones(2);
  disposed.dispose();
  t.throws(() => share([disposed]), { instanceOf: TypeError, message: /share\(\): a Tensor that was disposed cannot be shared/ });
  // A cycle and a part met twice come back as one.
  const part = { x: torch.ones(1) };
  const cyclic: Record<string, unknown> = { a: part, b: part };
  cyclic.self = cyclic;
  const back = receive(structuredClone(share(cyclic))) as Record<string, any>;
  t.is(back.a, back.b);
  t.is(back.self, back);
});

test('receive() checks a SharedTensor against its buffer before making a tensor of it', (t) => {
  const good = share(torch.arange(6, { dtype: torch.int32 })) as SharedTensor;
  const forge = (change: Partial<Record<keyof SharedTensor, unknown>>) => receive({ ...good, ...change } as SharedTensor);
  t.throws(() => forge({ dtype: 'float128' }), { instanceOf: TypeError, message: /receive\(\): a SharedTensor's dtype must be the name of a torchts dtype, got "float128"/ });
  t.throws(() => forge({ buffer: new ArrayBuffer(24) }), { instanceOf: TypeError, message: /receive\(\): a SharedTensor's buffer must be a SharedArrayBuffer/ });
  t.throws(() => forge({ byteLength: 26 }), { instanceOf: RangeError, message: /whole number of int32 elements, got 26/ });
  t.throws(() => forge({ byteLength: 48 }), { instanceOf: RangeError, message: /receive\(\): 12 elements of Int \(4 bytes each\) from byte offset 0 do not fit in the buffer's 24 bytes/ });
  t.throws(() => forge({ byteOffset: 8 }), { instanceOf: RangeError, message: /do not fit in the buffer's 24 bytes/ });
  t.throws(() => forge({ shape: [7] }), { message: /out of bounds for storage of size 24|setStorage/ });
  t.throws(() => forge({ storage_offset: 4, shape: [3] }), { message: /out of bounds for storage of size 24|setStorage/ });
  t.deepEqual(forge({}).tolist(), [0, 1, 2, 3, 4, 5]);
});

test('a worker reads and writes a tensor the main thread shared, and the main thread sees its writes', async (t) => {
  const x = torch.arange(8, { dtype: torch.float32 }).reshape(2, 4);
  const source = `
    const { workerData, parentPort } = require('worker_threads');
    const torch = require(workerData.lib).default;
    const { x, view } = torch.multiprocessing.receive(workerData.message);
    const seen = x.tolist();
    view.add_(100);                 // the second column, through a view
    parentPort.postMessage({ seen, shared: x.is_shared() });
  `;
  const [reply] = (await runWorker(source, { lib, message: share({ x, view: x.select(1, 1) }) })) as { seen: number[][]; shared: boolean }[];
  t.deepEqual(reply.seen, [[0, 1, 2, 3], [4, 5, 6, 7]]);
  t.true(reply.shared);
  t.deepEqual(x.tolist(), [[0, 101, 2, 3], [4, 105, 6, 7]]);
});

test("a tensor a worker shared outlives the worker, and a batch of them crosses without a copy", async (t) => {
  const source = `
    const { workerData, parentPort } = require('worker_threads');
    const torch = require(workerData.lib).default;
    const g = new torch.Generator().manual_seed(3);
    const batch = { images: torch.rand(4, 1, 8, 8, { generator: g }), labels: torch.randint(0, 10, [4], { generator: g }) };
    parentPort.postMessage(torch.multiprocessing.share(batch));
  `;
  const [message] = await runWorker(source, { lib });
  // The worker has exited and freed its own tensors; the shared memory stays with ours.
  const batch = receive(message as { images: SharedTensor; labels: SharedTensor });
  const g = new torch.Generator().manual_seed(3);
  t.true(torch.equal(batch.images, torch.rand(4, 1, 8, 8, { generator: g })));
  t.true(torch.equal(batch.labels, torch.randint(0, 10, [4], { generator: g })));
  batch.images.mul_(0);
  t.is(batch.images.sum().item(), 0);
});

test("Hogwild as Python's example does it: a worker trains the main thread's shared model in place", async (t) => {
  torch.manual_seed(0);
  const model = new nn.Linear(4, 1);
  const initial = model.state_dict();
  const copy = Object.fromEntries(Object.entries(initial).map(([k, v]) => [k, v.clone()]));
  model.share_memory();
  const source = `
    const { workerData, parentPort } = require('worker_threads');
    const torch = require(workerData.lib).default;
    const { nn, optim } = torch;
    const model = new nn.Linear(4, 1);
    const shared = torch.multiprocessing.receive(workerData.state);
    // The worker's parameters become the shared tensors themselves, as a model unpickled in a child process.
    torch.no_grad(() => { for (const [name, p] of model.named_parameters()) p.data = shared[name]; });
    const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
    const x = torch.arange(32, { dtype: torch.float32 }).reshape(8, 4).div(32);
    const y = x.sum(1, { keepdim: true });
    for (let i = 0; i < 20; i++) {
      opt.zero_grad();
      new nn.MSELoss()(model(x), y).backward();
      opt.step();
    }
  `;
  await runWorker(source, { lib, state: share(model.state_dict()) });
  // The same 20 steps here, from the same start, on a model of our own.
  const reference = new nn.Linear(4, 1);
  reference.load_state_dict(copy);
  const opt = new torch.optim.SGD(reference.parameters(), { lr: 0.1 });
  const x = torch.arange(32, { dtype: torch.float32 }).reshape(8, 4).div(32);
  const y = x.sum(1, { keepdim: true });
  for (let i = 0; i < 20; i++) {
    opt.zero_grad();
    new nn.MSELoss()(reference(x), y).backward();
    opt.step();
  }
  t.false(torch.equal(model.weight.detach(), copy.weight));
  t.deepEqual(model.weight.tolist(), reference.weight.tolist());
  t.deepEqual(model.bias!.tolist(), reference.bias!.tolist());
});
