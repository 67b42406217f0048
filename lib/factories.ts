// Tensor creation: torch.tensor from JS data, and the factory functions
// (zeros, ones, arange, rand, ...), each a call of its ATen operator with
// Python's keyword arguments as one options object.
import { _C } from './_C';
import type { DeviceLike } from './device';
import { bool as boolDtype, dtype, dtypeCode, float32, float64, get_default_dtype, int16, int32, int64, int8, uint8 } from './dtype';
import type { Generator } from './generator';
import { native } from './native';
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

type Nested = number | boolean | bigint | Nested[] | ArrayLike<number> | ArrayLike<bigint>;

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
 * torch.tensor(data, { dtype, device, requires_grad }). JS has one number
 * type, so the dtype is inferred from the values: all integers give int64,
 * any fraction the default float dtype, booleans bool; requires_grad asks
 * for a float dtype, since only those can require gradients.
 */
export function tensor(data: Nested | Tensor, opts: TensorOptions = {}): Tensor {
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
    shape.push(probe.length);
    if (probe.length === 0) break;
    probe = probe[0];
  }
  const numel = shape.reduce((a, b) => a * b, 1);
  const flat = new Float64Array(numel);
  let bigints: BigInt64Array | null = null;
  let sawBool = false;
  let sawNumber = false;
  let sawFraction = false;
  let k = 0;
  const walk = (v: unknown, level: number): void => {
    if (level === shape.length) {
      if (typeof v === 'number') {
        sawNumber = true;
        if (!Number.isInteger(v)) sawFraction = true;
        flat[k++] = v;
      } else if (typeof v === 'boolean') {
        sawBool = true;
        flat[k++] = v ? 1 : 0;
      } else if (typeof v === 'bigint') {
        bigints ??= new BigInt64Array(numel);
        bigints[k] = v;
        flat[k++] = Number(v);
      } else {
        throw new TypeError(`tensor(): could not convert ${v === null ? 'null' : typeof v} to a number at depth ${level}`);
      }
      return;
    }
    if (!isSequence(v)) throw new TypeError(`tensor(): expected a sequence at depth ${level}, got ${typeof v === 'number' ? 'a number' : typeof v}`);
    if (v.length !== shape[level]) {
      throw new RangeError(`tensor(): expected sequence of length ${shape[level]} at dim ${level} (got ${v.length})`);
    }
    for (let i = 0; i < v.length; i++) walk(v[i], level + 1);
  };
  walk(data, 0);
  if (sawBool && (sawNumber || bigints)) throw new TypeError('tensor(): cannot mix booleans and numbers');
  const inferred = sawBool
    ? boolDtype
    : sawFraction || (opts.requires_grad && !bigints) || numel === 0
      ? get_default_dtype()
      : int64;
  const target = opts.dtype ?? inferred;
  let t: Tensor = bigints ? native.fromBuffer(bigints, shape, int64._code) : native.fromBuffer(flat, shape, float64._code);
  return finish(convert(t, target, opts), opts);
}

function convert(t: Tensor, target: dtype, opts: TensorOptions): Tensor {
  const dev = deviceArg(opts);
  if (dev !== null && dev !== 'cpu') return _C.to_device(t, dev, target, false, false);
  return t.dtype === target ? t : _C.to_dtype(t, target, false, false);
}

// ----- factories -----

export function zeros(...args: SizeArgs): Tensor {
  const [size, o] = splitSize('zeros', args);
  return finish(_C.zeros(size, o.dtype, null, deviceArg(o)), o);
}

export function ones(...args: SizeArgs): Tensor {
  const [size, o] = splitSize('ones', args);
  return finish(_C.ones(size, o.dtype, null, deviceArg(o)), o);
}

export function empty(...args: SizeArgs): Tensor {
  const [size, o] = splitSize('empty', args);
  return finish(_C.empty(size, o.dtype, null, deviceArg(o)), o);
}

export function full(size: readonly number[], fill_value: number | boolean, opts: TensorOptions = {}): Tensor {
  const [dims] = splitSize('full', [size]);
  return finish(_C.full(dims, fill_value, opts.dtype, null, deviceArg(opts)), opts);
}

export function rand(...args: (number | readonly number[] | RandomOptions | undefined)[]): Tensor {
  const [size, o] = splitSize('rand', args) as [number[], RandomOptions];
  return finish(_C.rand(size, o.generator ?? null, o.dtype, null, deviceArg(o)), o);
}

export function randn(...args: (number | readonly number[] | RandomOptions | undefined)[]): Tensor {
  const [size, o] = splitSize('randn', args) as [number[], RandomOptions];
  return finish(_C.randn(size, o.generator ?? null, o.dtype, null, deviceArg(o)), o);
}

/** torch.randint(high, size) or torch.randint(low, high, size). */
export function randint(lowOrHigh: number, highOrSize: number | readonly number[], sizeOrOpts?: readonly number[] | RandomOptions, opts?: RandomOptions): Tensor {
  let low = 0;
  let high: number;
  let size: readonly number[];
  let o: RandomOptions;
  if (Array.isArray(highOrSize)) {
    high = lowOrHigh;
    size = highOrSize;
    o = (sizeOrOpts as RandomOptions) ?? {};
  } else {
    low = lowOrHigh;
    high = highOrSize as number;
    size = sizeOrOpts as readonly number[];
    o = opts ?? {};
  }
  const [dims] = splitSize('randint', [size]);
  return finish(_C.randint(low, high, dims, o.generator ?? null, o.dtype ?? int64, null, deviceArg(o)), o);
}

export function randperm(n: number, opts: RandomOptions = {}): Tensor {
  return finish(_C.randperm(n, opts.generator ?? null, opts.dtype ?? int64, null, deviceArg(opts)), opts);
}

/** torch.arange(end), arange(start, end) or arange(start, end, step), with options last. */
export function arange(...args: (number | TensorOptions)[]): Tensor {
  const o = isOptions(args[args.length - 1]) ? (args.pop() as TensorOptions) : {};
  const nums = args as number[];
  nums.forEach((v, i) => {
    if (typeof v !== 'number') throw new TypeError(`arange(): argument ${i} must be a number, got ${typeof v}`);
  });
  const [start, end, step] = nums.length === 1 ? [0, nums[0], 1] : [nums[0], nums[1], nums[2] ?? 1];
  if (nums.length === 0 || nums.length > 3) throw new TypeError('arange(): expected end, (start, end) or (start, end, step)');
  return finish(_C.arange(start, end, step, o.dtype, null, deviceArg(o)), o);
}

export function linspace(start: number, end: number, steps: number, opts: TensorOptions = {}): Tensor {
  return finish(_C.linspace(start, end, steps, opts.dtype, null, deviceArg(opts)), opts);
}

export function eye(n: number, mOrOpts?: number | TensorOptions, opts: TensorOptions = {}): Tensor {
  const m = typeof mOrOpts === 'number' ? mOrOpts : n;
  const o = typeof mOrOpts === 'object' && mOrOpts !== null ? mOrOpts : opts;
  return finish(_C.eye(n, m, o.dtype, null, deviceArg(o)), o);
}

// ----- *_like -----

export function zeros_like(t: Tensor, opts: TensorOptions = {}): Tensor {
  return finish(_C.zeros_like(t, opts.dtype, null, deviceArg(opts)), opts);
}

export function ones_like(t: Tensor, opts: TensorOptions = {}): Tensor {
  return finish(_C.ones_like(t, opts.dtype, null, deviceArg(opts)), opts);
}

export function empty_like(t: Tensor, opts: TensorOptions = {}): Tensor {
  return finish(_C.empty_like(t, opts.dtype, null, deviceArg(opts)), opts);
}

export function full_like(t: Tensor, fill_value: number | boolean, opts: TensorOptions = {}): Tensor {
  return finish(_C.full_like(t, fill_value, opts.dtype, null, deviceArg(opts)), opts);
}

export function rand_like(t: Tensor, opts: TensorOptions = {}): Tensor {
  return finish(_C.rand_like(t, opts.dtype, null, deviceArg(opts)), opts);
}

export function randn_like(t: Tensor, opts: TensorOptions = {}): Tensor {
  return finish(_C.randn_like(t, opts.dtype, null, deviceArg(opts)), opts);
}

export function randint_like(t: Tensor, lowOrHigh: number, high?: number, opts: TensorOptions = {}): Tensor {
  const [lo, hi] = high === undefined ? [0, lowOrHigh] : [lowOrHigh, high];
  return finish(_C.randint_like(t, lo, hi, opts.dtype, null, deviceArg(opts)), opts);
}

/** A tensor over a copy of a TypedArray's bytes with the given shape (one copy, no JS loop). */
export function from_typed_array(data: ArrayBufferView, shape: readonly number[], opts: { dtype?: dtype } = {}): Tensor {
  const d = opts.dtype ?? typedDtype(data);
  if (!d) throw new TypeError('from_typed_array(): cannot infer a dtype from this TypedArray; pass { dtype }');
  return native.fromBuffer(data, [...shape], dtypeCode(d, 'from_typed_array()'));
}
