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
import * as dtypes from '../dtype';
import { dtype } from '../dtype';
import { native } from '../native';
import { Tensor } from '../tensor';

/** A tensor as it crosses postMessage: its shared storage and the view on it. */
export interface SharedTensor {
  readonly __torchts__: 'SharedTensor';
  /** The shared memory the storage lies in. */
  readonly buffer: SharedArrayBuffer;
  /** Where the storage starts in buffer, and its length, in bytes. */
  readonly byteOffset: number;
  readonly byteLength: number;
  /** The dtype's name ('float32', 'int64', ...). */
  readonly dtype: string;
  readonly shape: number[];
  readonly stride: number[];
  /** Where the view starts in the storage, in elements. */
  readonly storage_offset: number;
  readonly requires_grad: boolean;
}

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

const dtypesByName = new Map<string, dtype>(
  Object.values(dtypes)
    .filter((d): d is dtype => d instanceof dtype)
    .map((d) => [d.name, d]),
);

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

/** One tensor as a SharedTensor, its storage moved into shared memory first. */
function shareTensor(t: Tensor): SharedTensor {
  if (native.isDisposed(t)) throw new TypeError('share(): a Tensor that was disposed cannot be shared; it has no memory left');
  // Python's reduce_tensor refuses the same: the graph behind a non-leaf cannot cross.
  if (t.requires_grad && !t.is_leaf) {
    throw new TypeError(
      'share(): a non-leaf tensor that requires grad cannot be shared; its autograd graph stays with this thread. ' +
        'Share t.detach() (and call requires_grad_() on the other side) instead',
    );
  }
  const [buffer, byteOffset] = native.shareMemory(t, 'share()');
  return {
    __torchts__: 'SharedTensor',
    buffer,
    byteOffset,
    byteLength: native.storageNbytes(t),
    dtype: t.dtype.name,
    shape: [...t.shape],
    stride: t.stride(),
    storage_offset: t.storage_offset(),
    requires_grad: t.requires_grad,
  };
}

/** A Tensor over a SharedTensor's memory: the same storage, the same view. */
function receiveTensor(s: SharedTensor): Tensor {
  if (!(s.buffer instanceof SharedArrayBuffer)) throw new TypeError(`receive(): a SharedTensor's buffer must be a SharedArrayBuffer, got ${typeof s.buffer}`);
  const d = dtypesByName.get(s.dtype);
  if (d === undefined) throw new TypeError(`receive(): a SharedTensor's dtype must be the name of a torchts dtype, got ${JSON.stringify(s.dtype)}`);
  if (!Number.isSafeInteger(s.byteLength) || s.byteLength < 0 || s.byteLength % d.itemsize !== 0) {
    throw new RangeError(`receive(): a SharedTensor's byteLength must be a whole number of ${d.name} elements, got ${s.byteLength}`);
  }
  // shareBuffer checks that the storage lies inside the buffer, and as_strided that the view lies inside the storage.
  const storage: Tensor = native.shareBuffer(s.buffer, s.byteOffset, [s.byteLength / d.itemsize], d._code, 'receive()');
  const t = storage.as_strided(s.shape, s.stride, s.storage_offset);
  return s.requires_grad ? t.requires_grad_() : t;
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
