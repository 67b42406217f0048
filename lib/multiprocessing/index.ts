// torch.multiprocessing for worker threads: tensors handed from one thread to
// another through shared memory, as Python's torch.multiprocessing hands them
// from one process to another (torch/multiprocessing/reductions.py).
//
// A Tensor cannot itself cross postMessage: it is a handle on native memory,
// which the structured clone refuses (a DataCloneError). share(value) moves
// every tensor in value into shared memory (share_memory_(): one copy the
// first time, none after) and puts in its place a SharedTensor, a plain
// object holding the SharedArrayBuffer and the view on it, which postMessage
// clones without copying the buffer. receive(value), on the other side, makes
// each SharedTensor a Tensor over that same memory.
//
// Nothing is moved away from the sender: its tensor stays valid, and both
// threads read and write one storage, as Python's processes do with a shared
// tensor. Ordering their reads and writes is the program's to do, as in
// Python; each thread's tensor keeps the memory alive, whichever ends first.
import { Tensor } from '../tensor';
import { receiveTensor, shareTensor, type SharedTensor } from './_shared_tensor';

export type { SharedTensor } from './_shared_tensor';
export { register } from './reduction';

/** The value with each tensor in it as a SharedTensor: what share() gives for a value of type T. */
export type Shared<T> = T extends Tensor
  ? SharedTensor
  : T extends readonly unknown[]
    ? { [K in keyof T]: Shared<T[K]> }
    : T extends Map<infer K, infer V>
      ? Map<K, Shared<V>>
      : T extends object
        ? { [K in keyof T]: Shared<T[K]> }
        : T;

/** The value with each SharedTensor in it as a Tensor: what receive() gives. */
export type Received<T> = T extends SharedTensor
  ? Tensor
  : T extends readonly unknown[]
    ? { [K in keyof T]: Received<T[K]> }
    : T extends Map<infer K, infer V>
      ? Map<K, Received<V>>
      : T extends object
        ? { [K in keyof T]: Received<T[K]> }
        : T;

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function isSharedTensor(v: unknown): v is SharedTensor {
  return typeof v === 'object' && v !== null && (v as { __torchts__?: unknown }).__torchts__ === 'SharedTensor';
}

/**
 * Copies the containers of value (arrays, plain objects, Maps: what a batch
 * or a state_dict is made of), with leaf(x) in place of each other value;
 * a container met twice is copied once, so shared parts and cycles survive.
 */
function mapLeaves(value: unknown, leaf: (v: unknown) => unknown, seen = new Map<object, unknown>()): unknown {
  const mapped = leaf(value);
  if (mapped !== value || typeof value !== 'object' || value === null) return mapped;
  const known = seen.get(value);
  if (known !== undefined) return known;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    for (const item of value) out.push(mapLeaves(item, leaf, seen));
    return out;
  }
  if (value instanceof Map) {
    const out = new Map<unknown, unknown>();
    seen.set(value, out);
    for (const [k, v] of value) out.set(k, mapLeaves(v, leaf, seen));
    return out;
  }
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = Object.create(Object.getPrototypeOf(value));
    seen.set(value, out);
    for (const [k, v] of Object.entries(value)) out[k] = mapLeaves(v, leaf, seen);
    return out;
  }
  return value;
}

/**
 * value with every Tensor in it (in arrays, plain objects and Maps, however
 * deep) moved into shared memory and replaced by a SharedTensor, ready for
 * postMessage: `port.postMessage(torch.multiprocessing.share(batch))`.
 * Python's `queue.put(batch)` on a torch.multiprocessing queue. The tensors
 * stay valid here and share their memory with what the other thread
 * receives. CPU, dense tensors only; a non-leaf that requires grad is refused.
 */
export function share<T>(value: T): Shared<T> {
  return mapLeaves(value, (v) => (v instanceof Tensor ? shareTensor(v) : v)) as Shared<T>;
}

/**
 * value (as a message from another thread gives it) with every SharedTensor
 * in it made a Tensor over the same shared memory: the other side of share().
 */
export function receive<T>(value: T): Received<T> {
  return mapLeaves(value, (v) => (isSharedTensor(v) ? receiveTensor(v) : v)) as Received<T>;
}

export { remote, Remote, type MethodOf } from './remote';
