// The DistributedDataParallel modules whose last forward prepared their
// Reducer for a backward (lib/nn/parallel/distributed.ts). backward() and
// backward_async() consult them first, without importing nn: a backward
// drives their Reducers' all-reduces through autograd hooks, so where it may
// run (and on which thread) depends on their process groups.
import { native } from '../native';

/** A Reducer waiting for the backward of the forward that prepared it. */
export interface PreparedReducer {
  /** The native Reducer, kept alive while a worker-thread backward runs its hooks. */
  readonly reducerHandle: object;
  /** Its process group's native handle. */
  readonly groupHandle: object;
  /**
   * Whether work may be queued on the group's worker (a checked group's
   * collectives run there in call order, and DDP's own work): a backward on
   * this thread must let it reach Gloo first.
   */
  readonly workerBusy: boolean;
  /** Throws, naming `where`, where this backward may not run now. */
  checkBackward(where: string): void;
  /** What a worker-thread backward writes: the parameters and their gradients. */
  touched(): object[];
  /** Told of a worker-thread backward, which settles with `settled`. */
  backwardStarted(settled: Promise<unknown>): void;
  /** The error of `where` as this Reducer's group explains it (a peer that failed, say). */
  explain(where: string, e: Error): Error;
}

const prepared = new Set<PreparedReducer>();

/** A synchronized forward ran: its Reducer waits for a backward. */
export function prepareReducer(r: PreparedReducer): void {
  prepared.add(r);
}

/**
 * The Reducers the coming backward drives, checked and no longer waiting;
 * one that refuses (its group destroyed) is dropped as it throws, so that
 * the next backward runs.
 */
export function takePreparedReducers(where: string): PreparedReducer[] {
  if (prepared.size === 0) return [];
  const all = [...prepared];
  for (const r of all) {
    try {
      r.checkBackward(where);
    } catch (e) {
      prepared.delete(r);
      throw e;
    }
  }
  prepared.clear();
  return all;
}

/**
 * backward() on this thread. Where a prepared Reducer's group may have work
 * queued on its worker, the worker is first held idle once it has run: the
 * Reducer's all-reduces then reach Gloo after it on every rank.
 */
export function runBackward(where: string, tensors: object[], grads: (object | null)[], retain: boolean | null, create: boolean, inputs: object[] | null): void {
  const reducers = takePreparedReducers(where);
  const holds: object[] = [];
  try {
    for (const r of reducers) {
      if (!r.workerBusy) continue;
      holds.push(native.ddpHoldWorker(r.groupHandle));
    }
    native.backward(tensors, grads, retain, create, inputs);
  } catch (e) {
    throw reducers.length > 0 && e instanceof Error ? reducers[0].explain(where, e) : e;
  } finally {
    for (const hold of holds) native.ddpReleaseWorker(hold);
  }
}

/**
 * backward() on a worker thread; resolves once done. With a prepared
 * Reducer it runs on its group's worker (after what is queued there), and
 * the parameters and gradients it writes are marked in flight until then.
 */
export function runBackwardAsync(where: string, tensors: object[], grads: (object | null)[], retain: boolean | null, create: boolean, inputs: object[] | null): Promise<void> {
  if (typeof native.backwardAsync !== 'function') {
    return Promise.reject(new Error(`${where}: this build of torchts has no worker-thread backward (it was built without the gloo headers: install libgloo-dev and rebuild)`));
  }
  const reducers = takePreparedReducers(where);
  const groups = new Set(reducers.map((r) => r.groupHandle));
  if (groups.size > 1) {
    return Promise.reject(new Error(`${where}: this backward drives DistributedDataParallel modules of ${groups.size} process groups; backward_async runs one group's at a time (call backward() instead)`));
  }
  const touched = reducers.flatMap((r) => r.touched());
  const settled = native.backwardAsync(tensors, grads, retain, create, inputs, reducers.length > 0 ? reducers[0].groupHandle : null, touched, reducers.map((r) => r.reducerHandle));
  for (const r of reducers) r.backwardStarted(settled);
  return reducers.length === 0 ? settled : settled.catch((e: Error) => Promise.reject(reducers[0].explain(where, e)));
}
