// Tensor creation: torch.tensor from JS data, and the factory functions
// (zeros, ones, arange, rand, ...), each a call of its ATen operator with
// Python's keyword arguments as one options object.
import { PythonArgParser } from './_arg_parser';
import { _C } from './_C';
import type { DeviceLike } from './device';
import { aten } from './aten';
import { bool as boolDtype, dtype, dtypeCode, dtypeFromCode, float32, float64, get_default_dtype, int16, int32, int64, int8, uint8 } from './dtype';
import type { Generator } from './generator';
import { native } from './native';
import { checkOptions } from './_options';
import { Tensor } from './tensor';

export interface TensorOptions {
  dtype?: dtype | null;
  device?: DeviceLike | null;
  requires_grad?: boolean;
}

/** Options of the random factories: a Generator of one's own instead of the default one. */
export interface RandomOptions extends TensorOptions {
  generator?: Generator | null;
}

type SizeArgs = (number | readonly number[] | TensorOptions | undefined)[];

// Python's own signatures for randint (python_torch_functions_manual.cpp): size may also come by keyword.
const RANDINT = new PythonArgParser([
  'randint(int64_t high, IntArrayRef size, *, Generator? generator=None, ScalarType? dtype=None, Device? device=None, bool requires_grad=False)',
  'randint(int64_t low, int64_t high, IntArrayRef size, *, Generator? generator=None, ScalarType? dtype=None, Device? device=None, bool requires_grad=False)',
]);

const TENSOR_OPTIONS = { dtype: 'dtype?', device: 'device?', requires_grad: 'bool' } as const;
const RANDOM_OPTIONS = { ...TENSOR_OPTIONS, generator: 'object?' } as const;

function isOptions(v: unknown): v is TensorOptions {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Tensor);
}

/** `zeros(2, 3)`, `zeros([2, 3])` and `zeros([2, 3], { dtype })`, as Python accepts. */
function splitSize(fn: string, args: SizeArgs): [number[], TensorOptions] {
  let opts: TensorOptions = {};
  let dims = args;
  if (dims.length && isOptions(dims[dims.length - 1])) {
    opts = dims[dims.length - 1] as TensorOptions;
    dims = dims.slice(0, -1);
    checkOptions(fn, opts, fn.startsWith('rand') ? RANDOM_OPTIONS : TENSOR_OPTIONS);
  }
  const size = dims.length === 1 && Array.isArray(dims[0]) ? [...(dims[0] as number[])] : (dims as number[]);
  if (!Array.isArray(size)) throw new TypeError(`${fn}(): size must be a list of integers`);
  size.forEach((d, i) => {
    if (typeof d !== 'number' || !Number.isInteger(d)) {
      throw new TypeError(`${fn}(): size[${i}] must be an integer, got ${typeof d === 'number' ? d : typeof d}`);
    }
    if (d < 0) throw new RangeError(`${fn}(): size[${i}] must be non-negative, got ${d}`);
  });
  return [size, opts];
}

function finish(t: Tensor, opts: TensorOptions): Tensor {
  if (opts.requires_grad) t.requires_grad_(true);
  return t;
}

function deviceArg(opts: TensorOptions): string | null {
  return opts.device == null ? null : String(opts.device);
}

// ----- torch.tensor -----

type Nested = number | boolean | bigint | Tensor | Nested[] | ArrayLike<number> | ArrayLike<bigint>;

const TYPED_DTYPES: [new (...a: any[]) => ArrayBufferView, dtype][] = [
  [Float32Array, float32],
  [Float64Array, float64],
  [Int32Array, int32],
  [Int16Array, int16],
  [Int8Array, int8],
  [Uint8Array, uint8],
  [BigInt64Array, int64],
];

function typedDtype(data: unknown): dtype | null {
  for (const [ctor, d] of TYPED_DTYPES) if (data instanceof ctor) return d;
  return null;
}

function isSequence(v: unknown): v is ArrayLike<unknown> {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
}

/**
 * The deepest nesting torch.tensor reads, as Python's torch.tensor refuses a
 * list of more than 128 dimensions ("too many dimensions 'list'"). Beyond it
 * the walk would exhaust the JS stack, and a list that contains itself would
 * never end.
 */
export const MAX_TENSOR_DIMS = 128;

// What Python's int -> integer dtype conversion accepts (c10::checked_convert
// of an int64): the dtype's range, except that uint8 also takes -255..-1, which
// wrap as two's complement. Floats must lie in the dtype's range itself.
const INT_RANGES: Record<string, [bigint, bigint]> = {
  uint8: [0n, 255n],
  int8: [-128n, 127n],
  int16: [-32768n, 32767n],
  int32: [-2147483648n, 2147483647n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
};
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

const promoteTypes = aten('promote_types', '');

const promoted = new Map<number, dtype>();

/** torch.promote_types, remembered: a list alternating ints and floats asks it at every element. */
function promote(a: dtype | null, b: dtype): dtype {
  if (a === null || a === b) return b;
  const key = a._code * 64 + b._code;
  let d = promoted.get(key);
  if (d === undefined) promoted.set(key, (d = dtypeFromCode(promoteTypes(a, b))));
  return d;
}

/**
 * Python's store of one element into an integer dtype: an int must fit int64
 * ("Overflow when unpacking long"), then the dtype; a float (or NaN, or an
 * infinity) must lie in the dtype's range.
 */
function checkIntegral(value: number | bigint, target: dtype): void {
  const [lo, hi] = INT_RANGES[target.name];
  const overflow = (): never => {
    throw new RangeError(`tensor(): value ${value} cannot be converted to type ${target.name} without overflow`);
  };
  if (typeof value === 'bigint' || Number.isInteger(value)) {
    const v = BigInt(value);
    if (v < INT64_MIN || v > INT64_MAX) throw new RangeError(`tensor(): Overflow when unpacking long: ${v} is outside int64's range`);
    if (v > hi || v < (target === uint8 ? -hi : lo)) overflow();
  } else if (!(value >= Number(lo) && value <= Number(hi))) {
    overflow();
  }
}

/**
 * torch.tensor(data, { dtype, device, requires_grad }). JS has one number
 * type, so the dtype is inferred from the values: all integers give int64,
 * any fraction the default float dtype, booleans bool, and one-element
 * tensors in the list their own dtype, promoted together as Python does; requires_grad asks
 * for a float dtype, since only those can require gradients. Values that do
 * not fit an integer dtype are refused, as in Python, not wrapped.
 */
export function tensor(data: Nested | Tensor | readonly (Nested | Tensor)[], opts: TensorOptions = {}): Tensor {
  checkOptions('tensor', opts, TENSOR_OPTIONS);
  if (data instanceof Tensor) return finish(data.detach().to({ dtype: opts.dtype ?? data.dtype, device: opts.device ?? undefined, copy: true }), opts);
  const direct = typedDtype(data);
  if (direct) {
    const view = data as unknown as ArrayBufferView & { length: number };
    let t: Tensor = native.fromBuffer(view, [view.length], direct._code);
    return finish(convert(t, opts.dtype ?? direct, opts), opts);
  }
  const shape: number[] = [];
  let probe: unknown = data;
  while (isSequence(probe)) {
    if (shape.length === MAX_TENSOR_DIMS) {
      throw new RangeError(`tensor(): too many dimensions: the data nests deeper than MAX_TENSOR_DIMS (${MAX_TENSOR_DIMS})`);
    }
    shape.push(probe.length);
    if (probe.length === 0) break;
    probe = probe[0];
  }
  const numel = shape.reduce((a, b) => a * b, 1);
  // Every element as a double; a BigInt (or an int64 tensor's element) also
  // keeps its exact value, which a double cannot hold beyond 2^53.
  const flat = new Float64Array(numel);
  let exact = null as Map<number, bigint> | null; // (a cast: TypeScript does not see the closures below assign it)
  let inferred = null as dtype | null;
  let k = 0;
  const store = (v: unknown, level: number): void => {
    if (typeof v === 'number') {
      inferred = promote(inferred, Number.isInteger(v) ? int64 : get_default_dtype());
      flat[k++] = v;
    } else if (typeof v === 'boolean') {
      inferred = promote(inferred, boolDtype);
      flat[k++] = v ? 1 : 0;
    } else if (typeof v === 'bigint') {
      inferred = promote(inferred, int64);
      (exact ??= new Map()).set(k, v);
      flat[k++] = Number(v);
    } else {
      throw new TypeError(`tensor(): could not convert ${v === null ? 'null' : typeof v} to a number at depth ${level}`);
    }
  };
  // A tensor inside the list is one element, as Python 1.13 reads it (item()).
  const storeTensor = (v: Tensor, level: number): void => {
    if (v.numel() !== 1) {
      throw new TypeError(`tensor(): only one element tensors can be converted to scalars, got one of shape [${[...v.shape]}] at depth ${level}`);
    }
    inferred = promote(inferred, v.dtype);
    const e = v.toTypedArray()[0];
    if (typeof e === 'bigint') (exact ??= new Map()).set(k, e);
    flat[k++] = Number(e);
  };
  const walk = (v: unknown, level: number): void => {
    if (level === shape.length) return v instanceof Tensor ? storeTensor(v, level) : store(v, level);
    if (!isSequence(v)) throw new TypeError(`tensor(): expected a sequence at depth ${level}, got ${typeof v === 'number' ? 'a number' : typeof v}`);
    if (v.length !== shape[level]) {
      throw new RangeError(`tensor(): expected sequence of length ${shape[level]} at dim ${level} (got ${v.length})`);
    }
    for (let i = 0; i < v.length; i++) walk(v[i], level + 1);
  };
  walk(data, 0);
  let target = opts.dtype ?? inferred ?? get_default_dtype();
  if (!opts.dtype && opts.requires_grad && !target.is_floating_point && !exact) target = get_default_dtype();
  let t: Tensor;
  if (target.name in INT_RANGES) {
    for (let i = 0; i < numel; i++) checkIntegral(exact?.get(i) ?? flat[i], target);
    if (exact) {
      // Exact int64 values: every element is an integer or truncates to one within range.
      const ints = new BigInt64Array(numel);
      for (let i = 0; i < numel; i++) ints[i] = exact.get(i) ?? BigInt(Math.trunc(flat[i]));
      t = native.fromBuffer(ints, shape, int64._code);
    } else {
      // A negative double cast to uint8 is undefined in C++; Python wraps a negative int.
      if (target === uint8) for (let i = 0; i < numel; i++) if (flat[i] < 0) flat[i] = Math.trunc(flat[i]) + 256;
      t = native.fromBuffer(flat, shape, float64._code);
    }
  } else {
    t = native.fromBuffer(flat, shape, float64._code);
  }
  return finish(convert(t, target, opts), opts);
}

function convert(t: Tensor, target: dtype, opts: TensorOptions): Tensor {
  const dev = deviceArg(opts);
  if (dev !== null && dev !== 'cpu') return _C.to_device(t, dev, target, false, false);
  return t.dtype === target ? t : _C.to_dtype(t, target, false, false);
}

// ----- factories -----

/**
 * torch.zeros: a tensor of the given shape (`zeros(2, 3)` or `zeros([2, 3])`) filled with 0. Options:
 * `dtype` (the default float dtype when null), `device`, `requires_grad`.
 */
export function zeros(...args: SizeArgs): Tensor {
  const [size, o] = splitSize('zeros', args);
  return finish(_C.zeros(size, o.dtype, null, deviceArg(o)), o);
}

/**
 * torch.ones: a tensor of the given shape (`ones(2, 3)` or `ones([2, 3])`) filled with 1. Options: `dtype`
 * (the default float dtype when null), `device`, `requires_grad`.
 */
export function ones(...args: SizeArgs): Tensor {
  const [size, o] = splitSize('ones', args);
  return finish(_C.ones(size, o.dtype, null, deviceArg(o)), o);
}

/**
 * torch.empty: a tensor of the given shape whose memory is allocated but not initialised, so its elements
 * are whatever the memory held; for buffers about to be overwritten. Options: `dtype` (the default float
 * dtype when null), `device`, `requires_grad`.
 */
export function empty(...args: SizeArgs): Tensor {
  const [size, o] = splitSize('empty', args);
  return finish(_C.empty(size, o.dtype, null, deviceArg(o)), o);
}

/**
 * torch.full: a tensor of the given shape with every element fill_value. Without a `dtype`, the value
 * decides it: a boolean gives bool, an integer int64, a fraction the default float dtype.
 */
export function full(size: readonly number[], fill_value: number | boolean, opts: TensorOptions = {}): Tensor {
  checkOptions('full', opts, TENSOR_OPTIONS);
  const [dims] = splitSize('full', [size]);
  return finish(_C.full(dims, fill_value, opts.dtype, null, deviceArg(opts)), opts);
}

/**
 * torch.rand: a tensor of the given shape filled with numbers drawn uniformly from [0, 1). Options: `dtype`
 * (the default float dtype when null), `device`, `requires_grad`. `generator` picks the random number
 * generator.
 */
export function rand(...args: (number | readonly number[] | RandomOptions | undefined)[]): Tensor {
  const [size, o] = splitSize('rand', args) as [number[], RandomOptions];
  return finish(_C.rand(size, o.generator ?? null, o.dtype, null, deviceArg(o)), o);
}

/**
 * torch.randn: a tensor of the given shape filled with numbers drawn from the standard normal distribution
 * N(0, 1). Options: `dtype` (the default float dtype when null), `device`, `requires_grad`. `generator`
 * picks the random number generator.
 */
export function randn(...args: (number | readonly number[] | RandomOptions | undefined)[]): Tensor {
  const [size, o] = splitSize('randn', args) as [number[], RandomOptions];
  return finish(_C.randn(size, o.generator ?? null, o.dtype, null, deviceArg(o)), o);
}

/** torch.randint(high, size) or torch.randint(low, high, size). */
export function randint(high: number, size: readonly number[], opts?: RandomOptions): Tensor;
export function randint(low: number, high: number, size: readonly number[], opts?: RandomOptions): Tensor;
export function randint(high: number, opts: RandomOptions & { size: readonly number[] }): Tensor;
export function randint(low: number, high: number, opts: RandomOptions & { size: readonly number[] }): Tensor;
export function randint(...args: unknown[]): Tensor {
  const a = RANDINT.parseNamed(args);
  return finish(_C.randint(a.low ?? 0, a.high, a.size, a.generator, a.dtype ?? int64, null, a.device == null ? null : String(a.device)), { requires_grad: a.requires_grad as boolean });
}

/**
 * torch.randperm: a random permutation of the integers 0 to n - 1, as an int64 tensor of shape (n,) unless
 * `dtype` says otherwise.
 */
export function randperm(n: number, opts: RandomOptions = {}): Tensor {
  checkOptions('randperm', opts, RANDOM_OPTIONS);
  return finish(_C.randperm(n, opts.generator ?? null, opts.dtype ?? int64, null, deviceArg(opts)), opts);
}

const arangeOut = aten('arange', 'start_out');
const ARANGE_OPTIONS = '*, Tensor? out=None, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=False, bool? requires_grad=False';
const ARANGE = new PythonArgParser([
  `arange(Scalar end, ${ARANGE_OPTIONS})`,
  `arange(Scalar start, Scalar end, ${ARANGE_OPTIONS})`,
  `arange(Scalar start, Scalar end, Scalar step=1, ${ARANGE_OPTIONS})`,
]);

/**
 * torch.arange(end), arange(start, end) or arange(start, end, step=1), keywords last: the 1-D tensor `out_i =
 * start + i * step` for i from 0 while out_i < end (start 0 by default), ceil((end - start) / step)
 * elements; int64 when every bound is an integer (or a bool, which Python's parser takes as a number), the
 * default float dtype otherwise.
 */
export function arange(end: number, opts?: TensorOptions & { out?: Tensor | null }): Tensor;
export function arange(start: number, end: number, opts?: TensorOptions & { out?: Tensor | null }): Tensor;
export function arange(start: number, end: number, step: number, opts?: TensorOptions & { out?: Tensor | null }): Tensor;
export function arange(...args: unknown[]): Tensor {
  const a = ARANGE.parseNamed(args);
  const num = (v: unknown) => (typeof v === 'boolean' ? Number(v) : v);
  const start = a.$signature === 0 ? 0 : num(a.start);
  const end = num(a.end);
  const step = a.$signature === 2 ? num(a.step) : 1;
  if (a.out != null) return finish(arangeOut(start, end, step, a.out), { requires_grad: a.requires_grad as boolean });
  const t = _C.arange(start, end, step, a.dtype ?? undefined, a.layout ?? null, a.device == null ? null : String(a.device));
  return finish(t, { requires_grad: a.requires_grad as boolean });
}

/**
 * torch.linspace: a 1-D tensor of `steps` evenly spaced values from start to end, both included: `out_i =
 * start + i * (end - start) / (steps - 1)`.
 */
export function linspace(start: number, end: number, steps: number, opts: TensorOptions = {}): Tensor {
  checkOptions('linspace', opts, TENSOR_OPTIONS);
  return finish(_C.linspace(start, end, steps, opts.dtype, null, deviceArg(opts)), opts);
}

/**
 * torch.eye: an n by m matrix (n by n when m is not given) with ones on the main diagonal and zeros
 * elsewhere. Options: `dtype` (the default float dtype when null), `device`, `requires_grad`.
 */
export function eye(n: number, mOrOpts?: number | TensorOptions, opts: TensorOptions = {}): Tensor {
  const m = typeof mOrOpts === 'number' ? mOrOpts : n;
  const o = typeof mOrOpts === 'object' && mOrOpts !== null ? mOrOpts : opts;
  checkOptions('eye', o, TENSOR_OPTIONS);
  return finish(_C.eye(n, m, o.dtype, null, deviceArg(o)), o);
}

// ----- *_like -----

/**
 * torch.zeros_like: a tensor filled with 0, of t's shape, and of its dtype and device unless the options say
 * otherwise.
 */
export function zeros_like(t: Tensor, opts: TensorOptions = {}): Tensor {
  checkOptions('zeros_like', opts, TENSOR_OPTIONS);
  return finish(_C.zeros_like(t, opts.dtype, null, deviceArg(opts)), opts);
}

/**
 * torch.ones_like: a tensor filled with 1, of t's shape, and of its dtype and device unless the options say
 * otherwise.
 */
export function ones_like(t: Tensor, opts: TensorOptions = {}): Tensor {
  checkOptions('ones_like', opts, TENSOR_OPTIONS);
  return finish(_C.ones_like(t, opts.dtype, null, deviceArg(opts)), opts);
}

/**
 * torch.empty_like: an uninitialised tensor (its elements are whatever the memory held), of t's shape, and
 * of its dtype and device unless the options say otherwise.
 */
export function empty_like(t: Tensor, opts: TensorOptions = {}): Tensor {
  checkOptions('empty_like', opts, TENSOR_OPTIONS);
  return finish(_C.empty_like(t, opts.dtype, null, deviceArg(opts)), opts);
}

/**
 * torch.full_like: a tensor with every element fill_value, of t's shape, and of its dtype and device unless
 * the options say otherwise.
 */
export function full_like(t: Tensor, fill_value: number | boolean, opts: TensorOptions = {}): Tensor {
  checkOptions('full_like', opts, TENSOR_OPTIONS);
  return finish(_C.full_like(t, fill_value, opts.dtype, null, deviceArg(opts)), opts);
}

/**
 * torch.rand_like: numbers drawn uniformly from [0, 1), in a tensor of t's shape, and of its dtype and
 * device unless the options say otherwise.
 */
export function rand_like(t: Tensor, opts: TensorOptions = {}): Tensor {
  checkOptions('rand_like', opts, TENSOR_OPTIONS);
  return finish(_C.rand_like(t, opts.dtype, null, deviceArg(opts)), opts);
}

/**
 * torch.randn_like: numbers drawn from the standard normal distribution N(0, 1), in a tensor of t's shape,
 * and of its dtype and device unless the options say otherwise.
 */
export function randn_like(t: Tensor, opts: TensorOptions = {}): Tensor {
  checkOptions('randn_like', opts, TENSOR_OPTIONS);
  return finish(_C.randn_like(t, opts.dtype, null, deviceArg(opts)), opts);
}

/**
 * torch.randint_like(t, high) or (t, low, high): integers drawn uniformly from [low, high) (low 0 by
 * default), in a tensor of t's shape, and of its dtype and device unless the options say otherwise.
 */
export function randint_like(t: Tensor, lowOrHigh: number, high?: number, opts: TensorOptions = {}): Tensor {
  checkOptions('randint_like', opts, TENSOR_OPTIONS);
  const [lo, hi] = high === undefined ? [0, lowOrHigh] : [lowOrHigh, high];
  return finish(_C.randint_like(t, lo, hi, opts.dtype, null, deviceArg(opts)), opts);
}

/** Options of from_typed_array: the dtype its bytes are read as, and whether to copy them. */
export interface FromTypedArrayOptions {
  dtype?: dtype;
  copy?: boolean;
}

/**
 * A tensor of the given shape over a TypedArray's (or DataView's) bytes, read as `dtype` (by default the
 * TypedArray's own: Float32Array float32, BigInt64Array int64, ...); its length in bytes must be the shape's
 * exactly. With `copy: true` (the default) the tensor holds a copy of the bytes, in one memcpy. With
 * `copy: false` it shares them, as Python's `torch.from_numpy(a).reshape(shape)` does: writes through either
 * show in the other, the tensor keeps the memory alive however long it lives, and V8, which already counts
 * that memory, is not charged for it again; what cannot be shared is an error, never a silent copy (see
 * torch.frombuffer for what is refused). A TypedArray is always contiguous, so the tensor is too.
 */
export function from_typed_array(data: ArrayBufferView, shape: readonly number[], opts: FromTypedArrayOptions = {}): Tensor {
  checkOptions('from_typed_array', opts, { dtype: 'dtype?', copy: 'bool' });
  if (!ArrayBuffer.isView(data)) throw new TypeError(`from_typed_array(): argument 'data' must be a TypedArray or a DataView, got ${describe(data)}`);
  const d = opts.dtype ?? typedDtype(data);
  if (!d) throw new TypeError('from_typed_array(): cannot infer a dtype from this TypedArray; pass { dtype }');
  const code = dtypeCode(d, 'from_typed_array()');
  if (opts.copy ?? true) return native.fromBuffer(data, [...shape], code);
  const numel = shape.reduce((a, b) => a * b, 1);
  if (numel * d.itemsize !== data.byteLength) {
    throw new TypeError(
      `from_typed_array(): ${data.byteLength} bytes of data do not fill shape [${shape.join(', ')}] of ${d.name}, which needs ${numel * d.itemsize}`,
    );
  }
  return native.shareBuffer(data, 0, [...shape], code, 'from_typed_array()');
}

/** Options of torch.frombuffer, Python's keywords: dtype is required, as in Python. */
export interface FrombufferOptions {
  dtype: dtype;
  count?: number;
  offset?: number;
  requires_grad?: boolean;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'object') return v.constructor?.name ?? 'an object';
  return typeof v;
}

/**
 * torch.frombuffer(buffer, { dtype, count = -1, offset = 0, requires_grad = false }): a 1-D tensor over the
 * bytes of buffer (an ArrayBuffer, a SharedArrayBuffer, or a TypedArray, DataView or Buffer, whose own bytes
 * count), sharing them as Python's does: `count` elements of `dtype` (all that fit when negative) from byte
 * `offset`, with Python's checks and messages. Writes through the tensor show in the buffer and the other way
 * round; the tensor and every view of it keep the memory alive (a reference to V8's backing store, released
 * wherever libtorch frees the storage, GC included), and V8 is not charged for it twice.
 *
 * It never copies; what cannot be shared is an error naming the argument: a detached ArrayBuffer; a
 * resizable ArrayBuffer (it can shrink under the tensor; a growable SharedArrayBuffer only grows, and is
 * shared); an offset that would misalign the elements for the dtype (Python allows it; libtorch's kernels
 * assume aligned elements). A buffer transferred away after sharing (postMessage's transfer list,
 * structuredClone) keeps its memory for the tensor, which then shares it with the receiver, as a
 * SharedArrayBuffer would be shared. To copy instead, use torch.tensor(typedArray) or
 * torch.from_typed_array(data, shape).
 */
export function frombuffer(buffer: ArrayBufferLike | ArrayBufferView, opts: FrombufferOptions): Tensor {
  if (opts === undefined || opts === null || typeof opts !== 'object' || opts.dtype === undefined) {
    throw new TypeError("frombuffer() missing 1 required keyword argument: 'dtype'");
  }
  checkOptions('frombuffer', opts, { dtype: 'dtype', count: 'int', offset: 'int', requires_grad: 'bool' });
  const isBuffer = buffer instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && buffer instanceof SharedArrayBuffer);
  if (!isBuffer && !ArrayBuffer.isView(buffer)) {
    throw new TypeError(
      `frombuffer(): argument 'buffer' must be an ArrayBuffer, a SharedArrayBuffer, a TypedArray, a DataView or a Buffer, got ${describe(buffer)}`,
    );
  }
  const { dtype: d, count = -1, offset = 0, requires_grad = false } = opts;
  const code = dtypeCode(d, 'frombuffer()');
  const elsize = d.itemsize;
  const len = buffer.byteLength;
  // A detached buffer has length 0: refused by name before Python's message about its length.
  if (len === 0) native.shareBuffer(buffer, 0, [0], code, 'frombuffer()');
  if (!(len > 0 && count !== 0)) throw new RangeError(`frombuffer(): both buffer length (${len}) and count (${count}) must not be 0`);
  if (!(offset >= 0 && offset < len)) {
    throw new RangeError(`frombuffer(): offset (${offset} bytes) must be non-negative and no greater than buffer length (${len} bytes) minus 1`);
  }
  if (!(count > 0 || (len - offset) % elsize === 0)) {
    throw new RangeError(
      `frombuffer(): buffer length (${len - offset} bytes) after offset (${offset} bytes) must be a multiple of element size (${elsize})`,
    );
  }
  const actual = count < 0 ? (len - offset) / elsize : count;
  if (offset + actual * elsize > len) {
    throw new RangeError(
      `frombuffer(): requested buffer length (${actual} * ${elsize} bytes) after offset (${offset} bytes) must not be greater than actual buffer length (${len} bytes)`,
    );
  }
  const t: Tensor = native.shareBuffer(buffer, offset, [actual], code, 'frombuffer()');
  if (requires_grad) {
    try {
      t.requires_grad_(true);
    } catch (e) {
      if (e instanceof Error) e.message = `frombuffer(): ${e.message}`;
      throw e;
    }
  }
  return t;
}
