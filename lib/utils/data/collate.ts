// default_collate and default_convert, after torch/utils/data/_utils/collate.py.
// default_collate stacks tensors, makes numbers a tensor (int64 for
// integers, float64 otherwise, as Python's int and float), booleans a bool
// tensor, keeps strings as a list, and collates arrays (Python's lists and
// tuples) and objects (Python's dicts; a Map stays a Map) field by field.
// default_convert, what DataLoader applies to each item when batch_size is
// null, only turns typed arrays (Python's NumPy arrays) into tensors.
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
    : T extends Map<infer K, infer V>
      ? Map<K, Collated<V>>
      : T extends readonly unknown[]
        ? { -readonly [K in keyof T]: Collated<T[K]> }
        : T extends object
          ? { [K in keyof T]: Collated<T[K]> }
          : unknown;

/** Python's type(x) in default_collate's messages. */
function pythonType(v: unknown): string {
  if (v === null || v === undefined) return "<class 'NoneType'>";
  if (typeof v === 'function') return "<class 'function'>";
  if (typeof v === 'symbol') return "<class 'symbol'>";
  if (typeof v === 'object') return `<class '${(v as object).constructor?.name ?? 'object'}'>`;
  return `<class '${typeof v}'>`;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

/** A batch's elements all of one kind: Python fails inside torch.tensor or torch.stack on a mixed batch, with a TypeError. */
function checkSame(batch: unknown[], ok: (b: unknown) => boolean, what: string): void {
  const i = batch.findIndex((b) => !ok(b));
  if (i >= 0) throw new TypeError(`default_collate: element ${i} of the batch is ${pythonType(batch[i])} where element 0 is ${what}`);
}

export function default_collate<T>(batch: T[]): Collated<T>;
export function default_collate(batch: unknown[]): unknown {
  if (!Array.isArray(batch)) throw new TypeError(`default_collate: batch must be a list of samples, not ${pythonType(batch)}`);
  if (batch.length === 0) throw new RangeError('default_collate: the batch is empty (Python: list index out of range)');
  const elem = batch[0];
  if (elem instanceof Tensor) {
    checkSame(batch, (b) => b instanceof Tensor, 'a Tensor');
    return stack(batch as Tensor[], 0);
  }
  if (typeof elem === 'number') {
    checkSame(batch, (b) => typeof b === 'number', 'a number');
    const nums = batch as number[];
    return tensor(nums, { dtype: nums.every(Number.isInteger) ? int64 : float64 });
  }
  if (typeof elem === 'boolean') {
    checkSame(batch, (b) => typeof b === 'boolean', 'a bool');
    return tensor(batch as boolean[], { dtype: bool });
  }
  if (typeof elem === 'bigint') {
    checkSame(batch, (b) => typeof b === 'bigint', 'a bigint');
    return tensor(batch as bigint[], { dtype: int64 });
  }
  if (typeof elem === 'string') return batch;
  if (ArrayBuffer.isView(elem)) {
    checkSame(batch, (b) => ArrayBuffer.isView(b), 'a typed array');
    return stack(batch.map((b) => tensor(b as Float32Array)), 0);
  }
  if (elem instanceof Map) {
    return new Map([...elem.keys()].map((key) => [key, default_collate(batch.map((b) => fieldOf(b, key)))]));
  }
  if (isPlainObject(elem)) {
    return Object.fromEntries(Object.keys(elem).map((key) => [key, default_collate(batch.map((b) => fieldOf(b, key)))]));
  }
  if (Array.isArray(elem)) {
    const n = elem.length;
    if (!batch.every((b) => Array.isArray(b) && b.length === n)) throw new RangeError('each element in list of batch should be of equal size');
    return elem.map((_, k) => default_collate(batch.map((b) => (b as unknown[])[k])));
  }
  throw new TypeError(`default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found ${pythonType(elem)}`);
}

/** d[key] for a dict-like element of the batch; Python's KeyError where it lacks the key. */
function fieldOf(b: unknown, key: unknown): unknown {
  if (b instanceof Map) {
    if (!b.has(key)) throw new RangeError(`default_collate: an element of the batch has no key ${String(key)} (Python's KeyError)`);
    return b.get(key);
  }
  if (!isPlainObject(b)) throw new TypeError(`default_collate: element 0 of the batch is a dict but another is ${pythonType(b)}`);
  if (!(String(key) in b)) throw new RangeError(`default_collate: an element of the batch has no key '${String(key)}' (Python's KeyError)`);
  return b[String(key)];
}

/**
 * Python's default_convert(data): what DataLoader applies to each item when
 * batch_size is null. Tensors and plain values pass unchanged, typed arrays
 * (Python's NumPy arrays) become tensors, and arrays, Maps and objects are
 * converted element by element.
 */
export function default_convert(data: unknown): unknown {
  if (data instanceof Tensor) return data;
  if (ArrayBuffer.isView(data) && !(data instanceof DataView)) return tensor(data as Float32Array);
  if (data instanceof Map) return new Map([...data].map(([k, v]) => [k, default_convert(v)]));
  if (isPlainObject(data)) return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, default_convert(v)]));
  if (Array.isArray(data)) return data.map(default_convert);
  return data;
}
