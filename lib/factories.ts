// Tensor creation: torch.tensor from JS data, and the factory functions
// (zeros, ones, arange, rand, ...), each a call of its ATen operator with
// Python's keyword arguments as one options object.
import { PythonArgParser } from './_arg_parser';
import { _C } from './_C';
import { device as Device, type DeviceLike } from './device';
import type { layout } from './layout';
import { aten } from './aten';
import { libtorchAtLeast } from './_libtorch_version';
import { bool as boolDtype, dtype, dtypeCode, dtypeFromCode, float32, float64, get_default_dtype, HAS_WIDE_UNSIGNED, int16, int32, int64, int8, uint16, uint32, uint64, uint8 } from './dtype';
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
  // (PyTorch 2.3's unsigned dtypes, where the libtorch has them)
  ...(HAS_WIDE_UNSIGNED ? ([[Uint16Array, uint16], [Uint32Array, uint32], [BigUint64Array, uint64]] as [new (...a: any[]) => ArrayBufferView, dtype][]) : []),
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
// of an int64): the dtype's range, except that uint8 (and uint16, uint32)
// also take -max..-1, which wrap as two's complement; uint64 takes any int
// from 0 to 2^64 - 1 and refuses a negative one. Floats must lie in the
// dtype's range itself.
const INT_RANGES: Record<string, [bigint, bigint]> = {
  uint8: [0n, 255n],
  int8: [-128n, 127n],
  int16: [-32768n, 32767n],
  int32: [-2147483648n, 2147483647n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint16: [0n, 2n ** 16n - 1n],
  uint32: [0n, 2n ** 32n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
};
/** The unsigned dtypes a negative int wraps into (-max..-1, two's complement), with their modulus; uint64 refuses one. */
const WRAPPING: ReadonlyMap<dtype, number> = new Map([[uint8, 2 ** 8], [uint16, 2 ** 16], [uint32, 2 ** 32]]);
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
/** Python's words for an int outside int64 (2.14's unpacks a long long, and says so). */
const UNPACK_OVERFLOW = libtorchAtLeast(2, 14) ? 'Overflow when unpacking long long' : 'Overflow when unpacking long';

function checkIntegral(value: number | bigint, target: dtype): void {
  const [lo, hi] = INT_RANGES[target.name];
  const overflow = (): never => {
    throw new RangeError(`tensor(): value ${value} cannot be converted to type ${target.name} without overflow`);
  };
  if (typeof value === 'bigint' || Number.isInteger(value)) {
    const v = BigInt(value);
    if (target === uint64) {
      if (v < 0n) throw new RangeError("tensor(): can't convert negative int to unsigned");
      if (v > hi) throw new RangeError(`tensor(): ${UNPACK_OVERFLOW}: ${v} is outside uint64's range`);
      return;
    }
    if (v < INT64_MIN || v > INT64_MAX) throw new RangeError(`tensor(): ${UNPACK_OVERFLOW}: ${v} is outside int64's range`);
    if (v > hi || v < (WRAPPING.has(target) ? -hi : lo)) overflow();
  } else if (target === uint64) {
    // Python stores only an int into uint64 (a float is "an integer is required"); JS's 2.0 is the int 2.
    throw new TypeError(`tensor(): an integer is required for uint64, got ${value}`);
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
export function tensor(data: Nested | Tensor | readonly (Nested | Tensor)[], opts?: TensorOptions & { pin_memory?: boolean }): Tensor;
export function tensor(...args: unknown[]): Tensor {
  const a = TENSOR.parseNamed(args);
  const opts: TensorOptions = { dtype: a.dtype as dtype | null, device: a.device as DeviceLike | null, requires_grad: a.requires_grad as boolean };
  const t = tensorFrom('tensor', a.data as Nested | Tensor, opts);
  return a.pin_memory ? t.pin_memory() : t;
}

const TENSOR = new PythonArgParser(['tensor(Any data, *, ScalarType? dtype=None, Device? device=None, bool pin_memory=False, bool requires_grad=False)']);

/** torch.tensor's conversion, for tensor() and asarray(): always a new tensor of its own memory. */
function tensorFrom(fn: string, data: Nested | Tensor | readonly (Nested | Tensor)[], opts: TensorOptions): Tensor {
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
      throw new RangeError(`${fn}(): too many dimensions: the data nests deeper than MAX_TENSOR_DIMS (${MAX_TENSOR_DIMS})`);
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
      throw new TypeError(`${fn}(): could not convert ${v === null ? 'null' : typeof v} to a number at depth ${level}`);
    }
  };
  // A tensor inside the list is one element, as Python 1.13 reads it (item()).
  const storeTensor = (v: Tensor, level: number): void => {
    if (v.numel() !== 1) {
      throw new TypeError(`${fn}(): only one element tensors can be converted to scalars, got one of shape [${[...v.shape]}] at depth ${level}`);
    }
    inferred = promote(inferred, v.dtype);
    const e = v.toTypedArray()[0];
    if (typeof e === 'bigint') (exact ??= new Map()).set(k, e);
    flat[k++] = Number(e);
  };
  const walk = (v: unknown, level: number): void => {
    if (level === shape.length) return v instanceof Tensor ? storeTensor(v, level) : store(v, level);
    if (!isSequence(v)) throw new TypeError(`${fn}(): expected a sequence at depth ${level}, got ${typeof v === 'number' ? 'a number' : typeof v}`);
    if (v.length !== shape[level]) {
      throw new RangeError(`${fn}(): expected sequence of length ${shape[level]} at dim ${level} (got ${v.length})`);
    }
    for (let i = 0; i < v.length; i++) walk(v[i], level + 1);
  };
  walk(data, 0);
  let target = opts.dtype ?? inferred ?? get_default_dtype();
  // JS cannot tell 1.0 from 1: Python's `tensor([1.0, 2.0], requires_grad=True)`, translated, asks for a float tensor.
  if (!opts.dtype && opts.requires_grad && !target.is_floating_point && !exact) target = get_default_dtype();
  let t: Tensor;
  if (target.name in INT_RANGES) {
    for (let i = 0; i < numel; i++) checkIntegral(exact?.get(i) ?? flat[i], target);
    if (exact && target === uint64) {
      // Exact values up to 2^64 - 1, beyond int64: straight into uint64.
      const ints = new BigUint64Array(numel);
      for (let i = 0; i < numel; i++) ints[i] = exact.get(i) ?? BigInt(Math.trunc(flat[i]));
      t = native.fromBuffer(ints, shape, uint64._code);
    } else if (exact) {
      // Exact int64 values: every element is an integer or truncates to one within range.
      const ints = new BigInt64Array(numel);
      for (let i = 0; i < numel; i++) ints[i] = exact.get(i) ?? BigInt(Math.trunc(flat[i]));
      t = native.fromBuffer(ints, shape, int64._code);
    } else {
      // A negative double cast to an unsigned type is undefined in C++; Python wraps a negative int.
      const modulus = WRAPPING.get(target);
      if (modulus !== undefined) for (let i = 0; i < numel; i++) if (flat[i] < 0) flat[i] = Math.trunc(flat[i]) + modulus;
      t = native.fromBuffer(flat, shape, float64._code);
    }
  } else {
    t = native.fromBuffer(flat, shape, float64._code);
  }
  return finish(convert(t, target, opts), opts);
}

const AS_TENSOR = new PythonArgParser(['as_tensor(Any data, *, ScalarType? dtype=None, Device? device=None)']);

/**
 * torch.as_tensor(data, { dtype, device }): data as a tensor, sharing memory where it can. A tensor already
 * of that dtype and device is returned itself (otherwise converted, as `data.to(dtype, device)`); a
 * TypedArray is shared, as Python shares a NumPy array's memory, when its own dtype is the one asked for
 * and the device is the CPU (otherwise copied); anything else is read as torch.tensor reads it. Autograd
 * sees the conversion of a tensor.
 */
export function as_tensor(data: Nested | Tensor | readonly (Nested | Tensor)[], opts?: { dtype?: dtype | null; device?: DeviceLike | null }): Tensor;
export function as_tensor(...args: unknown[]): Tensor {
  const a = AS_TENSOR.parseNamed(args);
  const d = a.dtype as dtype | null;
  const dev = a.device == null ? null : String(a.device);
  if (a.data instanceof Tensor) return a.data.to({ dtype: d ?? a.data.dtype, device: dev ?? a.data.device });
  const shared = sharedTypedArray(a.data, d, dev);
  return shared ?? tensorFrom('as_tensor', a.data as Nested, { dtype: d, device: dev });
}

/** A TypedArray's memory as a 1-D CPU tensor of its own dtype, when that is what was asked for; else null. */
function sharedTypedArray(data: unknown, d: dtype | null, dev: string | null): Tensor | null {
  const own = typedDtype(data);
  if (own === null || (d !== null && d !== own) || (dev !== null && dev !== 'cpu')) return null;
  const view = data as ArrayBufferView & { length: number };
  return native.shareBuffer(view, 0, [view.length], own._code, 'as_tensor()');
}

const ASARRAY = new PythonArgParser(['asarray(Any obj, *, ScalarType? dtype=None, Device? device=None, bool? copy=None, bool requires_grad=False)']);

/**
 * torch.asarray(obj, { dtype, device, copy, requires_grad }): obj as a tensor, as Python's asarray makes
 * it. A tensor, or a TypedArray (Python's buffer-protocol objects), is shared when nothing has to change
 * and `copy` is not true; `copy: true` always copies, and `copy: false` refuses (with an error) what
 * would need a copy. Nested arrays and numbers are read as torch.tensor reads them. A shared tensor
 * keeps its autograd history; a copy does not (Python's asarray copies with clone().detach()).
 */
export function asarray(obj: Nested | Tensor | readonly (Nested | Tensor)[], opts?: { dtype?: dtype | null; device?: DeviceLike | null; copy?: boolean | null; requires_grad?: boolean }): Tensor;
export function asarray(...args: unknown[]): Tensor {
  const a = ASARRAY.parseNamed(args);
  const d = a.dtype as dtype | null;
  const dev = a.device == null ? null : String(a.device);
  const copy = a.copy as boolean | null;
  const requiresGrad = (t: Tensor) => (a.requires_grad ? t.requires_grad_(true) : t);
  const refuse = (what: string): never => {
    throw new TypeError(`asarray(): can't alias the ${what} with copy=False: its dtype or device must change`);
  };
  if (a.obj instanceof Tensor) {
    const same = (d === null || d === a.obj.dtype) && (dev === null || String(a.obj.device) === String(new Device(dev)));
    if (copy === false && !same) refuse('tensor');
    if (copy !== true && same) return requiresGrad(a.obj);
    return requiresGrad(a.obj.detach().to({ dtype: d ?? a.obj.dtype, device: dev ?? a.obj.device, copy: true }));
  }
  if (copy !== true) {
    const shared = sharedTypedArray(a.obj, d, dev);
    if (shared !== null) return requiresGrad(shared);
    if (copy === false) refuse(typedDtype(a.obj) !== null ? 'TypedArray' : 'data (only a tensor or a TypedArray can be shared)');
  }
  return tensorFrom('asarray', a.obj as Nested, { dtype: d, device: dev, requires_grad: a.requires_grad as boolean });
}

function convert(t: Tensor, target: dtype, opts: TensorOptions): Tensor {
  const dev = deviceArg(opts);
  if (dev !== null && dev !== 'cpu') return _C.to_device(t, dev, target, false, false);
  return t.dtype === target ? t : _C.to_dtype(t, target, false, false);
}

// ----- factories -----
//
// zeros, ones, empty, rand, randn, randperm, eye and the *_like functions are
// generated (lib/_generated/torch_functions.ts): their ATen schemas say all of
// Python's signature, `zeros(2, 3)` and `zeros([2, 3], { dtype })` included.
// They are re-exported here for the modules that make tensors. What follows
// is what Python writes by hand (python_torch_functions_manual.cpp):
// randint, arange, range, linspace, logspace and full.
export {
  zeros, ones, empty, rand, randn, randperm, eye, empty_strided,
  zeros_like, ones_like, empty_like, full_like, rand_like, randn_like, randint_like,
} from './_generated/torch_functions';

/** The keywords every hand-written factory takes after its positionals. */
const FACTORY_KEYWORDS = 'Tensor? out=None, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=False, bool? requires_grad=False';

/** The options object of the hand-written factories: Python's keywords. */
export interface FactoryOptions extends TensorOptions {
  out?: Tensor | null;
  layout?: layout | null;
  pin_memory?: boolean | null;
}

/** Bound keywords as the factory's ATen call takes them: `[dtype, layout, device, pin_memory]`. */
function tensorOptionsArgs(a: Record<string, unknown>): unknown[] {
  return [a.dtype ?? null, a.layout ?? null, a.device == null ? null : String(a.device), a.pin_memory ?? null];
}

/** A factory's result: into `out` when given (Python's out= forms take no dtype or device), then requires_grad. */
function made(a: Record<string, unknown>, t: Tensor): Tensor {
  if (a.requires_grad) t.requires_grad_(true);
  return t;
}

const RANDINT_KEYWORDS = `Generator? generator=None, ${FACTORY_KEYWORDS}`;
const RANDINT = new PythonArgParser([
  `randint(int64_t high, IntArrayRef size, *, ${RANDINT_KEYWORDS})`,
  `randint(int64_t low, int64_t high, IntArrayRef size, *, ${RANDINT_KEYWORDS})`,
]);
const randintOut = aten('randint', 'low_generator_out');

/** torch.randint(high, size) or torch.randint(low, high, size): integers drawn uniformly from [low, high) (low 0 by default), int64 unless `dtype` says otherwise. */
export function randint(high: number, size: readonly number[], opts?: RandomOptions & FactoryOptions): Tensor;
export function randint(low: number, high: number, size: readonly number[], opts?: RandomOptions & FactoryOptions): Tensor;
export function randint(high: number, opts: RandomOptions & FactoryOptions & { size: readonly number[] }): Tensor;
export function randint(low: number, high: number, opts: RandomOptions & FactoryOptions & { size: readonly number[] }): Tensor;
export function randint(...args: unknown[]): Tensor {
  const a = RANDINT.parseNamed(args);
  const low = a.low ?? 0;
  if (a.out != null) return made(a, randintOut(low, a.high, a.size, a.generator, a.out));
  const [d, layout, device, pin_memory] = tensorOptionsArgs(a);
  return made(a, _C.randint(low, a.high, a.size, a.generator, d ?? int64, layout, device, pin_memory));
}

const arangeOut = aten('arange', 'start_out');
const ARANGE = new PythonArgParser([
  `arange(Scalar end, *, ${FACTORY_KEYWORDS})`,
  `arange(Scalar start, Scalar end, *, ${FACTORY_KEYWORDS})`,
  `arange(Scalar start, Scalar end, Scalar step=1, *, ${FACTORY_KEYWORDS})`,
]);

/**
 * torch.arange(end), arange(start, end) or arange(start, end, step=1), keywords last: the 1-D tensor `out_i =
 * start + i * step` for i from 0 while out_i < end (start 0 by default), ceil((end - start) / step)
 * elements; int64 when every bound is an integer (or a bool, which Python's parser takes as a number), the
 * default float dtype otherwise.
 */
export function arange(end: number, opts?: FactoryOptions): Tensor;
export function arange(start: number, end: number, opts?: FactoryOptions): Tensor;
export function arange(start: number, end: number, step: number, opts?: FactoryOptions): Tensor;
export function arange(...args: unknown[]): Tensor {
  const a = ARANGE.parseNamed(args);
  const num = (v: unknown) => (typeof v === 'boolean' ? Number(v) : v);
  const start = a.$signature === 0 ? 0 : num(a.start);
  const end = num(a.end);
  const step = a.$signature === 2 ? num(a.step) : 1;
  if (a.out != null) return made(a, arangeOut(start, end, step, a.out));
  const [d, layout, device, pin_memory] = tensorOptionsArgs(a);
  return made(a, _C.arange(start, end, step, d ?? undefined, layout, device, pin_memory));
}

const RANGE = new PythonArgParser([`range(Scalar start, Scalar end, Scalar step=1, *, ${FACTORY_KEYWORDS})`]);
const rangeStep = aten('range', 'step');
const rangeOut = aten('range', 'out');

/**
 * torch.range(start, end, step=1): the 1-D tensor `out_i = start + i * step` for i from 0 while out_i <= end,
 * floor((end - start) / step) + 1 elements, end included; of the default float dtype unless `dtype` says
 * otherwise. Deprecated in Python in favour of arange, whose end is excluded.
 */
export function range(start: number, end: number, step?: number, opts?: FactoryOptions): Tensor;
export function range(start: number, end: number, opts?: FactoryOptions): Tensor;
export function range(...args: unknown[]): Tensor {
  const a = RANGE.parseNamed(args);
  if (a.out != null) return made(a, rangeOut(a.start, a.end, a.step, a.out));
  const [d, layout, device, pin_memory] = tensorOptionsArgs(a);
  return made(a, rangeStep(a.start, a.end, a.step, d, layout, device, pin_memory));
}

const LINSPACE = new PythonArgParser([`linspace(Scalar start, Scalar end, int64_t steps, *, ${FACTORY_KEYWORDS})`]);
const linspaceOut = aten('linspace', 'out');

/**
 * torch.linspace(start, end, steps): a 1-D tensor of `steps` evenly spaced values from start to end, both
 * included: `out_i = start + i * (end - start) / (steps - 1)`; of the default float dtype unless `dtype` says
 * otherwise.
 */
export function linspace(start: number, end: number, steps: number, opts?: FactoryOptions): Tensor;
export function linspace(opts: FactoryOptions & { start: number; end: number; steps: number }): Tensor;
export function linspace(...args: unknown[]): Tensor {
  const a = LINSPACE.parseNamed(args);
  if (a.out != null) return made(a, linspaceOut(a.start, a.end, a.steps, a.out));
  return made(a, _C.linspace(a.start, a.end, a.steps, ...tensorOptionsArgs(a)));
}

const LOGSPACE = new PythonArgParser([`logspace(Scalar start, Scalar end, int64_t steps, double base=10.0, *, ${FACTORY_KEYWORDS})`]);
const logspaceCall = aten('logspace', '');
const logspaceOut = aten('logspace', 'out');

/**
 * torch.logspace(start, end, steps, base=10.0): `steps` values spaced evenly on a log scale, `out_i =
 * base ** (start + i * (end - start) / (steps - 1))`, from base**start to base**end both included.
 */
export function logspace(start: number, end: number, steps: number, base?: number, opts?: FactoryOptions): Tensor;
export function logspace(start: number, end: number, steps: number, opts?: FactoryOptions & { base?: number }): Tensor;
export function logspace(opts: FactoryOptions & { start: number; end: number; steps: number; base?: number }): Tensor;
export function logspace(...args: unknown[]): Tensor {
  const a = LOGSPACE.parseNamed(args);
  if (a.out != null) return made(a, logspaceOut(a.start, a.end, a.steps, a.base, a.out));
  return made(a, logspaceCall(a.start, a.end, a.steps, a.base, ...tensorOptionsArgs(a)));
}

const FULL = new PythonArgParser([`full(IntArrayRef size, Scalar fill_value, *, ${FACTORY_KEYWORDS})`]);
const fullOut = aten('full', 'out');

/**
 * torch.full(size, fill_value): a tensor of the given shape with every element fill_value. Without a `dtype`,
 * the value decides it: a boolean gives bool, an integer int64, a fraction the default float dtype.
 */
export function full(size: readonly number[], fill_value: number | boolean, opts?: FactoryOptions): Tensor;
export function full(size: readonly number[], opts: FactoryOptions & { fill_value: number | boolean }): Tensor;
export function full(opts: FactoryOptions & { size: readonly number[]; fill_value: number | boolean }): Tensor;
export function full(...args: unknown[]): Tensor {
  const a = FULL.parseNamed(args);
  if (a.out != null) return made(a, fullOut(a.size, a.fill_value, a.out));
  return made(a, _C.full(a.size, a.fill_value, ...tensorOptionsArgs(a)));
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

// ----- sparse tensors (python_torch_functions_manual.cpp's sparse constructors) -----

const SPARSE_KEYWORDS = 'ScalarType? dtype=None, Device? device=None, bool requires_grad=False';
const SPARSE_COO = new PythonArgParser([`sparse_coo_tensor(Any indices, Any values, IntArrayRef? size=None, *, ${SPARSE_KEYWORDS})`]);
const sparseCoo = aten('sparse_coo_tensor', 'indices');
const sparseCooSize = aten('sparse_coo_tensor', 'indices_size');

/** Indices as Python reads them: a tensor as given, anything else through torch.tensor (an int64 tensor for lists of ints). */
function asIndexTensor(v: unknown): Tensor {
  return v instanceof Tensor ? v : tensor(v as Nested);
}

/** Values as Python reads them: a tensor as given, else through torch.tensor with the dtype asked for. */
function asValueTensor(v: unknown, d: dtype | null): Tensor {
  return v instanceof Tensor ? v : tensor(v as Nested, { dtype: d });
}

/**
 * torch.sparse_coo_tensor(indices, values, size=None): a sparse COO tensor whose nonzero elements are
 * `values[k]` at the coordinates `indices[:, k]` (indices: an int64 tensor of shape (sparse_dim, nnz));
 * size, when not given, is the smallest that holds the indices. libtorch checks every index against the
 * size, so an index out of range is an error, never a write outside the tensor.
 */
export function sparse_coo_tensor(indices: Tensor | Nested, values: Tensor | Nested, size?: readonly number[] | null, opts?: TensorOptions): Tensor;
export function sparse_coo_tensor(indices: Tensor | Nested, values: Tensor | Nested, opts?: TensorOptions & { size?: readonly number[] | null }): Tensor;
export function sparse_coo_tensor(...args: unknown[]): Tensor {
  const a = SPARSE_COO.parseNamed(args);
  const d = a.dtype as dtype | null;
  const [i, v] = [asIndexTensor(a.indices), asValueTensor(a.values, d)];
  // Without a dtype, the values' own (Python's constructors take values.options()).
  const options = [d ?? v.dtype, null, a.device == null ? null : String(a.device), null];
  const t = a.size === null ? sparseCoo(i, v, ...options) : sparseCooSize(i, v, a.size, ...options);
  return made(a, t);
}

/** The compressed layouts' constructors: Python's name, its index arguments' names, and ATen's overloads. */
const COMPRESSED: Record<string, [string, string, string]> = {
  sparse_csr_tensor: ['crow_indices', 'col_indices', 'crow_col_value'],
  sparse_csc_tensor: ['ccol_indices', 'row_indices', 'ccol_row_value'],
  sparse_bsr_tensor: ['crow_indices', 'col_indices', 'crow_col_value'],
  sparse_bsc_tensor: ['ccol_indices', 'row_indices', 'ccol_row_value'],
  sparse_compressed_tensor: ['compressed_indices', 'plain_indices', 'comp_plain_value'],
};

const compressedBinders = new Map<string, { parser: PythonArgParser; call: (...a: unknown[]) => Tensor; callSize: (...a: unknown[]) => Tensor }>();

function compressedTensor(name: string, args: unknown[]): Tensor {
  let b = compressedBinders.get(name);
  if (b === undefined) {
    const [first, second, overload] = COMPRESSED[name];
    const layoutKeyword = name === 'sparse_compressed_tensor' ? 'Layout? layout=None, ' : '';
    b = {
      parser: new PythonArgParser([`${name}(Any ${first}, Any ${second}, Any values, IntArrayRef? size=None, *, ScalarType? dtype=None, ${layoutKeyword}Device? device=None, bool requires_grad=False)`]),
      call: aten(name, overload),
      callSize: aten(name, `${overload}_size`),
    };
    compressedBinders.set(name, b);
  }
  const a = b.parser.parseNamed(args);
  const [first, second] = COMPRESSED[name];
  const d = a.dtype as dtype | null;
  const [c, p, v] = [asIndexTensor(a[first]), asIndexTensor(a[second]), asValueTensor(a.values, d)];
  const options = [d ?? v.dtype, a.layout ?? null, a.device == null ? null : String(a.device), null];
  return made(a, a.size === null ? b.call(c, p, v, ...options) : b.callSize(c, p, v, a.size, ...options));
}

type CompressedArgs = [compressed: Tensor | Nested, plain: Tensor | Nested, values: Tensor | Nested, size?: readonly number[] | null, opts?: TensorOptions];

/** torch.sparse_csr_tensor(crow_indices, col_indices, values, size=None): compressed sparse rows; libtorch checks the indices' invariants. */
export function sparse_csr_tensor(...args: CompressedArgs): Tensor {
  return compressedTensor('sparse_csr_tensor', args);
}

/** torch.sparse_csc_tensor(ccol_indices, row_indices, values, size=None): compressed sparse columns. */
export function sparse_csc_tensor(...args: CompressedArgs): Tensor {
  return compressedTensor('sparse_csc_tensor', args);
}

/** torch.sparse_bsr_tensor(crow_indices, col_indices, values, size=None): compressed rows of dense blocks (values: (nnz, blocksize...)). */
export function sparse_bsr_tensor(...args: CompressedArgs): Tensor {
  return compressedTensor('sparse_bsr_tensor', args);
}

/** torch.sparse_bsc_tensor(ccol_indices, row_indices, values, size=None): compressed columns of dense blocks. */
export function sparse_bsc_tensor(...args: CompressedArgs): Tensor {
  return compressedTensor('sparse_bsc_tensor', args);
}

/** torch.sparse_compressed_tensor(compressed_indices, plain_indices, values, size=None, { layout }): any compressed layout, named by `layout`. */
export function sparse_compressed_tensor(...args: [compressed_indices: Tensor | Nested, plain_indices: Tensor | Nested, values: Tensor | Nested, size?: readonly number[] | null, opts?: TensorOptions & { layout?: layout | null }]): Tensor {
  return compressedTensor('sparse_compressed_tensor', args);
}
