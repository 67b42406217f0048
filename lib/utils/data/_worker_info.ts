// Python's torch.utils.data.get_worker_info(): which DataLoader worker this
// thread is, set once by the worker loop (_worker.ts) before the dataset is
// first used, null in every other thread.
import { inspect } from 'node:util';

/** Python's WorkerInfo: this worker's id, how many there are, its seed, and its own copy of the dataset. */
export class WorkerInfo {
  constructor(
    readonly id: number,
    readonly num_workers: number,
    /** base_seed + id, which seeded this thread's torch and Python-random generators. */
    readonly seed: bigint,
    readonly dataset: unknown,
  ) {
    Object.freeze(this);
  }

  toString(): string {
    return `WorkerInfo(id=${this.id}, num_workers=${this.num_workers}, seed=${this.seed}, dataset=${String(this.dataset)})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

let current: WorkerInfo | null = null;

/**
 * Python's get_worker_info(): in a DataLoader worker thread, that worker's
 * WorkerInfo (its dataset is the worker's own copy, on which a dataset can
 * shard an IterableDataset's stream); null in the thread that iterates the
 * loader.
 */
export function get_worker_info(): WorkerInfo | null {
  return current;
}

/** For the worker loop only. */
export function _setWorkerInfo(info: WorkerInfo): void {
  if (current !== null) throw new Error('_setWorkerInfo: this thread is already a DataLoader worker');
  current = info;
}
