// default_collate, after torch/utils/data/_utils/collate.py: tensors are
// stacked, numbers become a tensor (int64 for integers, float64 otherwise,
// as Python's int and float), and arrays and objects are collated field by
// field.
import { stack } from '../../functions';
import { float64, int64, bool } from '../../dtype';
import { tensor } from '../../factories';
import { Tensor } from '../../tensor';

/**
 * What default_collate makes of a batch of T: a Tensor for tensors, numbers,
 * booleans and typed arrays; the strings themselves for strings; a tuple or
 * an object collated field by field. DataLoader<T> yields Collated<T>, so an
 * item [Tensor, number] gives batches [Tensor, Tensor].
 */
export type Collated<T> = T extends Tensor | number | boolean | bigint | ArrayBufferView
  ? Tensor
  : T extends string
    ? string[]
    : T extends readonly unknown[]
      ? { -readonly [K in keyof T]: Collated<T[K]> }
      : T extends object
        ? { [K in keyof T]: Collated<T[K]> }
        : unknown;

export function default_collate<T>(batch: T[]): Collated<T>;
export function default_collate(batch: unknown[]): unknown {
  if (!Array.isArray(batch) || batch.length === 0) throw new TypeError('default_collate: expected a non-empty batch');
  const elem = batch[0];
  if (elem instanceof Tensor) {
    if (!batch.every((b) => b instanceof Tensor)) throw new TypeError('default_collate: a batch mixes Tensors with other values');
    return stack(batch as Tensor[], 0);
  }
  if (typeof elem === 'number') {
    if (!batch.every((b) => typeof b === 'number')) throw new TypeError('default_collate: a batch mixes numbers with other values');
    const nums = batch as number[];
    return tensor(nums, { dtype: nums.every(Number.isInteger) ? int64 : float64 });
  }
  if (typeof elem === 'boolean') return tensor(batch as boolean[], { dtype: bool });
  if (typeof elem === 'bigint') return tensor(batch as bigint[], { dtype: int64 });
  if (typeof elem === 'string') return batch;
  if (ArrayBuffer.isView(elem)) return stack(batch.map((b) => tensor(b as Float32Array)), 0);
  if (Array.isArray(elem)) {
    const n = elem.length;
    if (!batch.every((b) => Array.isArray(b) && b.length === n)) throw new RangeError('each element in list of batch should be of equal size');
    return elem.map((_, k) => default_collate(batch.map((b) => (b as unknown[])[k])));
  }
  if (elem !== null && typeof elem === 'object') {
    return Object.fromEntries(Object.keys(elem).map((key) => [key, default_collate(batch.map((b) => (b as Record<string, unknown>)[key]))]));
  }
  throw new TypeError(`default_collate: batch must contain tensors, numbers, objects or arrays; found ${elem === null ? 'null' : typeof elem}`);
}
