// One DataLoader worker thread: Python's _worker_loop
// (torch/utils/data/_utils/worker.py). It rebuilds the dataset, collate_fn
// and worker_init_fn sent to it, seeds torch and Python's random with
// base_seed + its id, runs worker_init_fn, then answers each task from the
// loader: the batch for a list of indices (a map-style dataset), or the next
// batch of its own copy of the stream (an IterableDataset). A batch goes back
// with its tensors in shared memory; an error goes back as its name, message
// and stack, for the loader to raise at that batch's turn. After each answer
// the shared counter is bumped and the loader woken (it may be waiting in
// Atomics.wait, its event loop blocked).
import { workerData, type MessagePort } from 'node:worker_threads';

import { dumps, importModules, loads, type Pickled } from '../../multiprocessing/reduction';
import { describeError, type DescribedError } from '../../multiprocessing/_errors';
import { seed as seedPythonRandom } from '../../python/random';
import { manual_seed } from '../../random';
import { isIterableDataset, type Dataset, type IterableDataset } from './dataset';
import { WorkerInfo, _setWorkerInfo } from './_worker_info';

/** What the loader starts a worker with. */
export interface WorkerStart {
  readonly port: MessagePort;
  /** [0]: answers posted by all workers so far; [1 + id]: 1 once worker id has exited. */
  readonly signal: Int32Array;
  readonly id: number;
  readonly num_workers: number;
  readonly base_seed: bigint;
  readonly pickled: Pickled;
}

/** What the loader sends: a batch to fetch, a new epoch for a persistent worker, or the end. */
export type WorkerTask =
  | { readonly type: 'fetch'; readonly epoch: number; readonly task: number; readonly indices: number | number[] | null }
  | { readonly type: 'reset'; readonly epoch: number }
  | { readonly type: 'stop' };

/** What a worker answers. */
export type WorkerAnswer =
  | { readonly epoch: number; readonly task: number; readonly worker: number; readonly batch: Pickled }
  | { readonly epoch: number; readonly task: number; readonly worker: number; readonly end: true }
  | { readonly epoch: number; readonly task: number; readonly worker: number; readonly error: DescribedError };

interface Loaded {
  dataset: Dataset<unknown> | IterableDataset<unknown>;
  collate_fn: (batch: unknown) => unknown;
  worker_init_fn: ((id: number) => void) | null;
  auto_collation: boolean;
  batch_size: number | null;
  drop_last: boolean;
  default_collate: boolean;
}

async function run(start: WorkerStart): Promise<void> {
  const { port, signal, id } = start;
  const notify = () => {
    Atomics.add(signal, 0, 1);
    Atomics.notify(signal, 0);
  };
  let loaded: Loaded | null = null;
  // Python keeps an exception from set-up (or worker_init_fn) and answers the first task with it.
  let initError: unknown = null;
  try {
    await importModules(start.pickled.modules);
    loaded = loads(start.pickled) as Loaded;
    const seed = start.base_seed + BigInt(id);
    seedPythonRandom(seed);
    manual_seed(seed);
    _setWorkerInfo(new WorkerInfo(id, start.num_workers, seed, loaded.dataset));
    loaded.worker_init_fn?.(id);
  } catch (err) {
    initError = err;
  }
  let stream: Iterator<unknown> | null = null;
  const answer = (a: WorkerAnswer) => {
    port.postMessage(a);
    notify();
  };
  /** Python's _IterableDatasetFetcher: batch_size items of this worker's stream, collated; null once it has ended. */
  const nextOfStream = (l: Loaded): { value: unknown } | null => {
    stream ??= (l.dataset as IterableDataset<unknown>)[Symbol.iterator]();
    if (!l.auto_collation) {
      const r = stream.next();
      return r.done ? null : { value: l.collate_fn(r.value) };
    }
    const items: unknown[] = [];
    while (items.length < l.batch_size!) {
      const r = stream.next();
      if (r.done) break;
      items.push(r.value);
    }
    if (items.length === 0 || (l.drop_last && items.length < l.batch_size!)) return null;
    return { value: l.collate_fn(items) };
  };
  /** Python's _MapDatasetFetcher: the items at indices, collated (or the one item, converted). */
  const fetch = (l: Loaded, indices: number | number[]): unknown => {
    const dataset = l.dataset as Dataset<unknown>;
    if (!Array.isArray(indices)) return l.collate_fn(dataset.getitem(indices));
    const whole = l.default_collate && typeof dataset.getbatch === 'function' ? dataset.getbatch(indices) : undefined;
    return whole !== undefined ? whole : l.collate_fn(indices.map((i) => dataset.getitem(i)));
  };
  port.on('message', (task: WorkerTask) => {
    if (task.type === 'stop') {
      port.close();
      return;
    }
    if (task.type === 'reset') {
      stream = null;
      return;
    }
    const { epoch, task: n } = task;
    try {
      if (initError !== null || loaded === null) {
        const err = initError;
        initError = null;
        throw err;
      }
      if (isIterableDataset(loaded.dataset)) {
        const next = nextOfStream(loaded);
        if (next === null) answer({ epoch, task: n, worker: id, end: true });
        else answer({ epoch, task: n, worker: id, batch: dumps(next.value, 'the batch') });
        return;
      }
      answer({ epoch, task: n, worker: id, batch: dumps(fetch(loaded, task.indices!), 'the batch') });
    } catch (err) {
      answer({ epoch, task: n, worker: id, error: describeError(err) });
    }
  });
}

void run(workerData as WorkerStart);
