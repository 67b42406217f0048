// DataLoader's batches from worker threads: Python's
// _MultiProcessingDataLoaderIter (torch/utils/data/dataloader.py) with
// worker_threads in place of processes.
//
// Each worker gets its own copy of the dataset, collate_fn and
// worker_init_fn (multiprocessing/reduction.ts) and a MessagePort. Index
// lists go to the workers in turn, prefetch_factor per worker ahead of the
// batch being read; batches come back with their tensors in shared memory
// and are handed out in the sampler's order, whatever order they arrive in.
// An error in a worker is raised at its batch's turn, naming the worker.
//
// A synchronous `for...of` over the loader waits for the next batch with
// Atomics.wait on a counter the workers bump (the batches of other workers
// keep loading meanwhile), reading the ports with receiveMessageOnPort; a
// `for await` waits with Atomics.waitAsync and leaves the event loop free.
import { MessageChannel, receiveMessageOnPort, type Worker, type MessagePort } from 'node:worker_threads';

import { dumps, loads } from '../../multiprocessing/reduction';
import { startWorker } from '../../multiprocessing/_spawn';
import { errorClass } from '../../multiprocessing/_errors';
import type { WorkerAnswer, WorkerStart, WorkerTask } from './_worker_loop';

/** What the loader gives its workers and how it reads them. */
export interface WorkerPoolOptions {
  readonly dataset: unknown;
  readonly collate_fn: unknown;
  readonly worker_init_fn: unknown;
  readonly auto_collation: boolean;
  readonly batch_size: number | null;
  readonly drop_last: boolean;
  readonly default_collate: boolean;
  readonly num_workers: number;
  readonly prefetch_factor: number;
  /** Seconds to wait for a batch before giving up; 0 waits for ever (Python's timeout). */
  readonly timeout: number;
  readonly base_seed: bigint;
}

/** Atomics.waitAsync (ES2024, in every supported Node), which this project's TypeScript lib predates. */
interface AtomicsWaitAsync {
  waitAsync(array: Int32Array, index: number, value: number, timeout: number): { async: false; value: string } | { async: true; value: Promise<string> };
}

// Python checks that its workers are alive every MP_STATUS_CHECK_INTERVAL (5 s); a worker that ends says so itself here.
const WAIT_SLICE_MS = 1000;

/** A worker's first act, in plain JS: however it ends, it marks itself ended and wakes the loader. */
const MARK_EXIT =
  "const { workerData: w } = require('node:worker_threads');" +
  "process.on('exit', () => { Atomics.store(w.signal, 1 + w.id, 1); Atomics.add(w.signal, 0, 1); Atomics.notify(w.signal, 0); });";

/** The worker threads of one DataLoader iterator (or of a loader with persistent_workers), and the batches they owe. */
export class WorkerPool {
  private readonly workers: Worker[] = [];
  private readonly ports: MessagePort[] = [];
  private readonly signal: Int32Array;
  private epoch = 0;
  /** Which workers still have batches this epoch (an IterableDataset's worker stops at the end of its stream). */
  private active: boolean[];
  private next_worker = 0;
  /** The batch's index in this epoch that is sent next, and that is handed out next. */
  private send_idx = 0;
  private rcvd_idx = 0;
  /** Batches sent and not yet handed out: the worker each went to, and its answer once there. */
  private readonly tasks = new Map<number, { worker: number; indices: number | number[] | null; answer?: WorkerAnswer }>();
  private indexIterator: Iterator<number | number[]> | null = null;
  private shut = false;

  constructor(private readonly options: WorkerPoolOptions) {
    const { num_workers } = options;
    this.signal = new Int32Array(new SharedArrayBuffer(4 * (1 + num_workers)));
    this.active = new Array<boolean>(num_workers).fill(true);
    const pickled = dumps(
      {
        dataset: options.dataset,
        collate_fn: options.collate_fn,
        worker_init_fn: options.worker_init_fn,
        auto_collation: options.auto_collation,
        batch_size: options.batch_size,
        drop_last: options.drop_last,
        default_collate: options.default_collate,
      },
      'DataLoader(num_workers > 0)',
    );
    for (let id = 0; id < num_workers; id++) {
      const { port1, port2 } = new MessageChannel();
      const start: WorkerStart = { port: port2, signal: this.signal, id, num_workers, base_seed: options.base_seed, pickled };
      const worker = startWorker(__filename, '_worker', start, [port2], MARK_EXIT);
      // Neither keeps the process alive: a loader left half-read must not hang the program's exit.
      worker.unref();
      port1.unref();
      worker.on('error', () => Atomics.store(this.signal, 1 + id, 1));
      this.workers.push(worker);
      this.ports.push(port1);
    }
  }

  /** Starts an epoch: the sampler's batches of indices (null entries for a stream), prefetch_factor per worker sent ahead. */
  startEpoch(indices: Iterable<number | number[]> | null): void {
    if (this.shut) throw new Error('DataLoader: its workers were shut down');
    if (this.epoch > 0) {
      // A persistent worker starts its stream again; answers of the epoch before are dropped when they come.
      for (const port of this.ports) port.postMessage({ type: 'reset', epoch: this.epoch + 1 } satisfies WorkerTask);
    }
    this.epoch++;
    this.tasks.clear();
    this.send_idx = 0;
    this.rcvd_idx = 0;
    this.next_worker = 0;
    this.active.fill(true);
    this.indexIterator = indices === null ? null : indices[Symbol.iterator]();
    for (let i = 0; i < this.options.prefetch_factor * this.options.num_workers; i++) this.tryPutIndex();
  }

  /** Python's _try_put_index: the next batch's indices to the next worker with batches left. */
  private tryPutIndex(): void {
    let indices: number | number[] | null = null;
    if (this.indexIterator !== null) {
      const r = this.indexIterator.next();
      if (r.done) return;
      indices = r.value;
    }
    const n = this.options.num_workers;
    for (let k = 0; k < n; k++) {
      const worker = (this.next_worker + k) % n;
      if (!this.active[worker]) continue;
      this.next_worker = (worker + 1) % n;
      const task = this.send_idx++;
      this.tasks.set(task, { worker, indices });
      this.ports[worker].postMessage({ type: 'fetch', epoch: this.epoch, task, indices } satisfies WorkerTask);
      return;
    }
  }

  /** Takes every answer waiting on the ports; whether there was any. */
  private drain(): boolean {
    let any = false;
    for (const port of this.ports) {
      for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) {
        const a = m.message as WorkerAnswer;
        any = true;
        if (a.epoch !== this.epoch) continue;
        if ('end' in a) {
          // Python's _IterableDatasetStopIteration: that worker's stream is over, whenever it says so;
          // the batches it was sent are dropped and the others go on.
          this.tasks.delete(a.task);
          this.active[a.worker] = false;
          this.tryPutIndex();
          continue;
        }
        const t = this.tasks.get(a.task);
        if (t !== undefined) t.answer = a;
      }
    }
    return any;
  }

  /** The next batch's answer if it is here; 'done' when the epoch has no more; null to wait. */
  private poll(): WorkerAnswer | 'done' | null {
    {
      this.drain();
      // Skip what a finished worker was sent (Python's loop over _task_info).
      while (this.rcvd_idx < this.send_idx) {
        const t = this.tasks.get(this.rcvd_idx);
        if (t !== undefined && (t.answer !== undefined || this.active[t.worker])) break;
        this.tasks.delete(this.rcvd_idx);
        this.rcvd_idx++;
      }
      if (this.rcvd_idx >= this.send_idx) return 'done';
      const t = this.tasks.get(this.rcvd_idx)!;
      if (t.answer === undefined) {
        if (Atomics.load(this.signal, 1 + t.worker) !== 0) {
          this.shutdown();
          const what = t.indices === null ? 'the next batch of its stream' : `the batch of indices ${JSON.stringify(t.indices)}`;
          throw new Error(`DataLoader worker ${t.worker} exited unexpectedly while loading ${what}`);
        }
        return null;
      }
      this.tasks.delete(this.rcvd_idx);
      this.rcvd_idx++;
      this.tryPutIndex();
      return t.answer;
    }
  }

  /** The batch an answer carries, or its worker's error raised as Python re-raises it. */
  private take(a: WorkerAnswer): unknown {
    if ('error' in a) {
      // As Python's, the message itself carries the worker's traceback.
      const { name, stack } = a.error;
      throw new (errorClass(name))(`Caught ${name} in DataLoader worker ${a.worker}.\nOriginal ${stack}`);
    }
    return 'batch' in a ? loads(a.batch) : undefined;
  }

  private timedOut(started: number): boolean {
    return this.options.timeout > 0 && Date.now() - started > this.options.timeout * 1000;
  }

  private timeoutError(): Error {
    this.shutdown();
    return new Error(`DataLoader timed out after ${this.options.timeout} seconds`);
  }

  private sliceMs(started: number): number {
    if (this.options.timeout <= 0) return WAIT_SLICE_MS;
    return Math.max(1, Math.min(WAIT_SLICE_MS, started + this.options.timeout * 1000 - Date.now()));
  }

  /**
   * The next batch if it is here (or the end of the epoch); else the value of
   * the workers' counter to wait on, read before looking, so that an answer
   * posted in between is not waited for.
   */
  private attempt(started: number): IteratorResult<unknown> | number {
    const seen = Atomics.load(this.signal, 0);
    const r = this.poll();
    if (r === 'done') return { done: true, value: undefined };
    if (r !== null) return { done: false, value: this.take(r) };
    if (this.timedOut(started)) throw this.timeoutError();
    return seen;
  }

  /** The next batch, waiting on this thread (Atomics.wait); done at the end of the epoch. */
  next(): IteratorResult<unknown> {
    const started = Date.now();
    for (;;) {
      const r = this.attempt(started);
      if (typeof r !== 'number') return r;
      Atomics.wait(this.signal, 0, r, this.sliceMs(started));
    }
  }

  /** The next batch, waiting without blocking the event loop (Atomics.waitAsync). */
  async nextAsync(): Promise<IteratorResult<unknown>> {
    const started = Date.now();
    for (;;) {
      const r = this.attempt(started);
      if (typeof r !== 'number') return r;
      const w = (Atomics as unknown as AtomicsWaitAsync).waitAsync(this.signal, 0, r, this.sliceMs(started));
      if (!w.async) continue;
      // A pending waitAsync does not keep Node running; the workers do, while a batch is awaited.
      for (const worker of this.workers) worker.ref();
      try {
        await w.value;
      } finally {
        for (const worker of this.workers) worker.unref();
      }
    }
  }

  /** Ends the workers (Python's _shutdown_workers); the pool cannot be used after. */
  shutdown(): void {
    if (this.shut) return;
    this.shut = true;
    for (const port of this.ports) {
      port.postMessage({ type: 'stop' } satisfies WorkerTask);
      port.close();
    }
    for (const worker of this.workers) void worker.terminate();
  }
}
