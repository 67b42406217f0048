// Datasets for test/dataloader_workers.test.ts, in a module of their own and
// registered with it, so that DataLoader's worker threads can import them:
// the twins of scripts/golden/dataloader_workers.py's.
import torch, { type Tensor } from '../lib';
import * as pyrandom from '../lib/python/random';
import { Dataset, IterableDataset, get_worker_info } from '../lib/utils/data';

/** The worker's id and its seed (modulo a prime, to stay a small int), or -1 and 0 on the loading thread. */
function workerMark(): [number, number] {
  const info = get_worker_info();
  return info === null ? [-1, 0] : [info.id, Number(info.seed % 1000003n)];
}

/** Item i: i plus a torch.rand draw, a Python-random draw, and who drew them. */
export class RandomItems extends Dataset<[Tensor, number, number, number]> {
  constructor(readonly n: number) {
    super();
  }

  get length(): number {
    return this.n;
  }

  getitem(i: number): [Tensor, number, number, number] {
    const [id, seed] = workerMark();
    return [torch.tensor(i, { dtype: torch.float32 }).add(torch.rand([])), pyrandom.random(), id, seed];
  }
}

/** 0..n-1, each with a torch.rand draw; with shard, each worker takes every num_workers-th item. */
export class RandomStream extends IterableDataset<[Tensor, number]> {
  constructor(
    readonly n: number,
    readonly shard: boolean,
  ) {
    super();
  }

  *[Symbol.iterator](): Iterator<[Tensor, number]> {
    const info = get_worker_info();
    const [start, step] = info === null || !this.shard ? [0, 1] : [info.id, info.num_workers];
    for (let i = start; i < this.n; i += step) yield [torch.tensor(i, { dtype: torch.float32 }).add(torch.rand([])), workerMark()[0]];
  }
}

/** Items that fail: index `bad` throws, and index `exit` ends the worker thread. */
export class Faulty extends Dataset<Tensor> {
  constructor(
    readonly n: number,
    readonly bad: number,
    readonly exit: number,
  ) {
    super();
  }

  get length(): number {
    return this.n;
  }

  getitem(i: number): Tensor {
    if (i === this.bad) throw new RangeError(`item ${i} is bad`);
    if (i === this.exit) process.exit(3);
    return torch.tensor([i]);
  }
}

/** Items that take their time: each waits ms milliseconds (the loading thread's event loop is what is measured). */
export class Slow extends Dataset<Tensor> {
  constructor(
    readonly n: number,
    readonly ms: number,
  ) {
    super();
  }

  get length(): number {
    return this.n;
  }

  getitem(i: number): Tensor {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, this.ms);
    return torch.tensor([i]);
  }
}

export function seedPythonRandomById(workerId: number): void {
  pyrandom.seed(7 * workerId);
}

for (const target of [RandomItems, RandomStream, Faulty, Slow]) torch.multiprocessing.register(target, __filename);
torch.multiprocessing.register(seedPythonRandomById, __filename);
