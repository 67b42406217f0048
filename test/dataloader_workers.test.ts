// DataLoader with worker threads (issue 22): the same batches as Python's
// worker processes for the same seed (which items, and what each worker drew
// for them: test/fixtures/dataloader_workers.json, from
// `cd scripts/golden && node ../blas_kernel.js /usr/bin/python3 dataloader_workers.py`),
// the same batches with 0, 1 and 4 workers, and each fault a clear error.
import test from 'ava';

import torch, { type Tensor } from '../lib';
import { DataLoader, TensorDataset, get_worker_info } from '../lib/utils/data';
import * as transforms from '../lib/vision/transforms';
import { fixture } from './_helpers';
import { Faulty, RandomItems, RandomStream, Slow, seedPythonRandomById } from './_worker_datasets';

type Encoded = { values?: number[]; value?: number };
const golden = fixture<{ cases: Record<string, Encoded[][][]> }>('dataloader_workers.json').cases;

/** A batch's parts as plain values, the golden's way: a tensor's values, a number as it is. */
function plain(batch: unknown): unknown[] {
  return (batch as unknown[]).map((part) => (part instanceof torch.Tensor ? (part as Tensor).flatten().tolist() : part));
}

function expected(name: string): unknown[][][] {
  return golden[name].map((epoch) => epoch.map((batch) => batch.map((part) => (part.values !== undefined ? part.values : part.value))));
}

function epochs(make: () => DataLoader<any, any>, n = 2): unknown[][][] {
  torch.manual_seed(0);
  const loader = make();
  const out: unknown[][][] = [];
  for (let e = 0; e < n; e++) out.push([...loader].map(plain));
  return out;
}

test("batches hold the items and the draws of Python's workers, seeded base_seed + id", (t) => {
  t.deepEqual(epochs(() => new DataLoader(new RandomItems(10), { batch_size: 3, shuffle: true, num_workers: 2 })), expected('shuffled'));
  t.deepEqual(
    epochs(() => new DataLoader(new RandomItems(10), { batch_size: 3, shuffle: true, num_workers: 2, persistent_workers: true })),
    expected('persistent'),
  );
  t.deepEqual(epochs(() => new DataLoader(new RandomItems(11), { batch_size: 2, num_workers: 3, prefetch_factor: 1 }), 1), expected('prefetch_1_three_workers'));
  t.deepEqual(epochs(() => new DataLoader(new RandomItems(8), { batch_size: 2, num_workers: 2, worker_init_fn: seedPythonRandomById }), 1), expected('worker_init_fn'));
  t.deepEqual(epochs(() => new DataLoader<any, any>(new RandomItems(5), { batch_size: null, num_workers: 2 }), 1), expected('unbatched'));
});

test("an IterableDataset in workers: each worker's own stream, sharded by get_worker_info() or not, in Python's order", (t) => {
  t.deepEqual(epochs(() => new DataLoader(new RandomStream(10, true), { batch_size: 2, num_workers: 2 }), 1), expected('stream_sharded'));
  t.deepEqual(epochs(() => new DataLoader(new RandomStream(5, false), { batch_size: 2, num_workers: 2 }), 1), expected('stream_unsharded'));
});

test('the loading thread draws what Python draws: its generator moves by the base seed and the shuffle only', (t) => {
  torch.manual_seed(0);
  for (const batch of new DataLoader(new RandomItems(4), { batch_size: 2, shuffle: true, num_workers: 2 })) void batch;
  t.deepEqual(torch.rand(3).tolist(), expected('main_after')[0][0][0]);
  t.is(get_worker_info(), null);
});

test('the same batches with 0, 1 and 4 workers, their tensors in shared memory, and for await too', async (t) => {
  const x = torch.arange(60, { dtype: torch.float32 }).reshape(20, 3);
  const y = torch.arange(20);
  const dataset = new TensorDataset(x, y);
  const read = (num_workers: number) => {
    torch.manual_seed(5);
    return [...new DataLoader(dataset, { batch_size: 3, shuffle: true, drop_last: true, num_workers })];
  };
  const [none, one, four] = [read(0), read(1), read(4)];
  t.is(none.length, 6);
  for (const batches of [one, four]) {
    t.deepEqual(batches.map(([a, b]) => [a.tolist(), b.tolist()]), none.map(([a, b]) => [a.tolist(), b.tolist()]));
    t.true(batches.every(([a, b]) => a.is_shared() && b.is_shared()));
  }
  torch.manual_seed(5);
  const asynchronous: unknown[] = [];
  for await (const [a, b] of new DataLoader(dataset, { batch_size: 3, shuffle: true, drop_last: true, num_workers: 2 })) asynchronous.push([a.tolist(), b.tolist()]);
  t.deepEqual(asynchronous, none.map(([a, b]) => [a.tolist(), b.tolist()]));
  // A transform pipeline of torchvision's crosses too.
  const images = new DataLoader(new TensorDataset(torch.rand(4, 3, 8, 8)), { batch_size: 2, num_workers: 2, collate_fn: (b: Tensor[][]) => b.length });
  t.throws(() => [...images], { instanceOf: TypeError, message: /collate_fn is the function collate_fn, which another thread cannot rebuild/ });
  const normalize = new transforms.Normalize([0.5, 0.5, 0.5], [0.25, 0.25, 0.25]);
  class Normalized extends TensorDataset {}
  t.throws(() => [...new DataLoader(new Normalized(torch.rand(2, 3)), { num_workers: 1 })], {
    instanceOf: TypeError,
    message: /^DataLoader\(num_workers > 0\)\.dataset is an instance of class Normalized, which another thread cannot rebuild: .*torch\.multiprocessing\.register\(Normalized, module\)/,
  });
  t.truthy(normalize);
});

test("a worker's error is raised at its batch's turn, naming the worker; a worker that ends is an error, not a hang", (t) => {
  const bad = new DataLoader(new Faulty(8, 5, -1), { batch_size: 2, num_workers: 2 });
  const seen: number[][] = [];
  const err = t.throws(() => {
    for (const batch of bad) seen.push((batch as Tensor).flatten().tolist() as number[]);
  });
  t.true(err instanceof RangeError);
  t.regex(err!.message, /^Caught RangeError in DataLoader worker 0\.\nOriginal RangeError: item 5 is bad/);
  t.deepEqual(seen, [[0, 1], [2, 3]]);
  const dying = new DataLoader(new Faulty(8, -1, 2), { batch_size: 2, num_workers: 2 });
  t.throws(() => [...dying], { message: /^DataLoader worker 1 exited unexpectedly while loading the batch of indices \[2,3\]$/ });
  t.throws(() => [...new DataLoader(new Slow(2, 3000), { num_workers: 1, timeout: 0.2 })], { message: 'DataLoader timed out after 0.2 seconds' });
});

test('for await leaves the event loop free while workers load', async (t) => {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  try {
    const loader = new DataLoader(new Slow(6, 40), { batch_size: 2, num_workers: 2 });
    const got: unknown[] = [];
    for await (const batch of loader) got.push((batch as Tensor).flatten().tolist());
    t.deepEqual(got, [[0, 1], [2, 3], [4, 5]]);
    // Each batch takes about 80 ms in its worker: the timer ran in between (any tick at all shows the loop was free).
    t.true(ticks > 0, `${ticks} ticks`);
  } finally {
    clearInterval(timer);
  }
});

test("DataLoader's worker options are checked as Python checks them", (t) => {
  const ds = new RandomItems(4);
  t.throws(() => new DataLoader(ds, { num_workers: -1 }), { message: 'num_workers option should be non-negative; use num_workers=0 to disable multiprocessing.' });
  t.throws(() => new DataLoader(ds, { prefetch_factor: 3 }), { message: /prefetch_factor option could only be specified in multiprocessing/ });
  t.throws(() => new DataLoader(ds, { persistent_workers: true }), { message: 'persistent_workers option needs num_workers > 0' });
  t.throws(() => new DataLoader(ds, { num_workers: 1, timeout: -1 }), { message: 'timeout option should be non-negative' });
  // Without CUDA, pin_memory asks for nothing (Python 1.13: pin_memory and torch.cuda.is_available()).
  t.is(new DataLoader(ds, { pin_memory: true }).pin_memory, torch.cuda.is_available());
});
