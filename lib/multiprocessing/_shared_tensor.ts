// One tensor as it crosses postMessage (torch.multiprocessing's share() and
// DataLoader's workers): its storage in shared memory, and the view on it.
import * as dtypes from '../dtype';
import { dtype, dtypeFromCode } from '../dtype';
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

const dtypesByName = new Map<string, dtype>(
  Object.values(dtypes)
    .filter((d): d is dtype => d instanceof dtype)
    .map((d) => [d.name, d]),
);

/**
 * One tensor as a SharedTensor, its storage moved into shared memory first.
 * Its metadata comes from that one native call, which also answers for a
 * tensor already in shared memory that a call on another thread is using
 * (a remote call's argument, passed twice).
 */
export function shareTensor(t: Tensor, at = 'share()'): SharedTensor {
  if (native.isDisposed(t)) throw new TypeError(`${at}: a Tensor that was disposed cannot be shared; it has no memory left`);
  const [buffer, byteOffset, byteLength, code, shape, stride, storage_offset, requires_grad, is_leaf] = native.shareMemory(t, at);
  // Python's reduce_tensor refuses the same: the graph behind a non-leaf cannot cross.
  if (requires_grad && !is_leaf) {
    throw new TypeError(
      `${at}: a non-leaf tensor that requires grad cannot be shared; its autograd graph stays with this thread. ` +
        'Share t.detach() (and call requires_grad_() on the other side) instead',
    );
  }
  return { __torchts__: 'SharedTensor', buffer, byteOffset, byteLength, dtype: dtypeFromCode(code).name, shape, stride, storage_offset, requires_grad };
}

/** A Tensor over a SharedTensor's memory: the same storage, the same view. */
export function receiveTensor(s: SharedTensor): Tensor {
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

