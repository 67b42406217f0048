// torch.Tensor. Instances are made by the native layer (a Node-API wrap around
// an at::Tensor); this class supplies their methods, each one line naming its
// ATen operator, as PyTorch's own Tensor methods do.
import { inspect } from 'node:util';

import { _C } from './_C';
import { describeValue } from './_describe';
import { aten } from './aten';
import { ops } from './ops';
import { device, type DeviceLike } from './device';
import type { Generator } from './generator';
import * as dtypes from './dtype';
import { dtype, dtypeFromCode, float32, float64, int64, bool as boolDtype } from './dtype';
import { native } from './native';
import { Size } from './size';
import { layoutFromCode, memoryFormatFromCode, sparse_coo, sparse_csr, _mkldnn, type layout, type memory_format } from './layout';
import { tensorRepr } from './_tensor_str';
import { indexTensor, setIndex, type Index, type SetValue } from './indexing';
import { tensor as tensorOf } from './factories';
import { checkOptions, type OptionSpec } from './_options';
import { unique, unique_consecutive, tensorLu, tensorNorm, tensorSplit, tensorStft, type StftOptions, type UniqueOptions, type UniqueConsecutiveOptions } from './functional';
import { PYTHON_DEF, registerTensorClass, PythonArgParser } from './_arg_parser';
import { registerHook, type GradHook, type RemovableHandle } from './autograd/hooks';
import { runBackward, runBackwardAsync } from './autograd/_prepared_reducers';
import { installGeneratedMethods } from './_generated/tensor_methods';
import { binding } from './_dispatch';

export type Scalar = number | boolean | bigint;
export type TensorOrScalar = Tensor | Scalar;
export type Dims = number | number[];
/** What tolist() gives: a number, or arrays of them nested as deep as the tensor has dimensions. */
export type NestedNumbers = number | NestedNumbers[];

export interface ReduceOptions {
  keepdim?: boolean;
  dtype?: dtype;
}

export interface ToOptions {
  dtype?: dtype;
  device?: DeviceLike;
  non_blocking?: boolean;
  copy?: boolean;
  memory_format?: memory_format | null;
}

export interface BackwardOptions {
  gradient?: Tensor | null;
  retain_graph?: boolean | null;
  create_graph?: boolean;
  inputs?: Tensor[] | Tensor | null;
}

/** Python's torch.autograd graph node, as `tensor.grad_fn` shows it. */
export class Node {
  constructor(private readonly _name: string) {}
  name(): string {
    return this._name;
  }
  toString(): string {
    return `<${this._name} object>`;
  }
  [inspect.custom](): string {
    return this.toString();
  }
}

// The hand-written methods bind as Python's hand-written ones do (python_variable_methods.cpp).
const TO = new PythonArgParser([
  'to(Device device=None, ScalarType dtype=None, bool non_blocking=False, bool copy=False, *, MemoryFormat? memory_format=None)',
  'to(ScalarType dtype, bool non_blocking=False, bool copy=False, *, MemoryFormat? memory_format=None)',
  'to(Tensor tensor, bool non_blocking=False, bool copy=False, *, MemoryFormat? memory_format=None)',
]);
const SIZE = new PythonArgParser(['size()', 'size(int64_t dim)']);
const STRIDE = new PythonArgParser(['stride()', 'stride(int64_t dim)']);
const TYPE = new PythonArgParser(['type(ScalarType? dtype=None, bool non_blocking=False)', 'type(c10::string_view dtype, bool non_blocking=False)']);
const NONZERO = new PythonArgParser(['nonzero(*, bool as_tuple=False)']);
const SET = new PythonArgParser(['set_()', 'set_(Tensor source)', 'set_(Tensor source, int64_t storage_offset, IntArrayRef size, IntArrayRef? stride=None)']);
const NEW_TENSOR = new PythonArgParser(['new_tensor(Any data, *, ScalarType? dtype=None, Device? device=None, bool requires_grad=False)']);

/** apply_, map_ and map2_: a JS callable over the elements of a CPU tensor and of others broadcast to it, written back in place. */
function mapElements(self: Tensor, fn: string, callable: (...xs: number[]) => number | boolean, others: Tensor[]): Tensor {
  if (typeof callable !== 'function') throw new TypeError(`${fn}(): argument 'callable' must be a function, got ${describeValue(callable)}`);
  for (const [i, o] of others.entries()) {
    if (!(o instanceof Tensor)) throw new TypeError(`${fn}(): argument ${i + 1} must be a Tensor, got ${describeValue(o)}`);
  }
  if (!self.is_cpu) throw new TypeError(`${fn}() is only implemented on CPU tensors`);
  if (self.requires_grad) throw new TypeError(`Can't call ${fn}() on Variable that requires grad. Use var.detach().${fn}() instead.`);
  const shape = [...self.shape];
  const read = (t: Tensor) => {
    const flat = t.expand(shape).contiguous().toTypedArray();
    return (i: number) => Number(flat[i]);
  };
  const mine = read(self);
  const theirs = others.map(read);
  const n = self.numel();
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = Number(callable(mine(i), ...theirs.map((r) => r(i))));
  const values = native.fromBuffer(out, shape, float64._code) as Tensor;
  self.copy_(values);
  return self;
}
const CPU = new PythonArgParser(['cpu(*, MemoryFormat? memory_format=None)']);
const MATRIX_H = aten('matrix_H', '');
const MATRIX_T = aten('mT', '');
const MATRIX_MH = aten('mH', '');
const REAL = aten('real', '');
const IMAG = aten('imag', '');
const CUDA = new PythonArgParser(['cuda(Any device=None, bool non_blocking=False, *, MemoryFormat? memory_format=None)']);

/** The options of the dtype casts (float(), long(), ...): Python's memory_format keyword. */
export interface CastOptions {
  memory_format?: memory_format | null;
}

const castParsers = new Map<string, PythonArgParser>();

/** x.float({ memory_format }) and its kin: bound by `name(*, MemoryFormat? memory_format=None)`, then to(). */
function castTo(self: Tensor, target: dtype, name: string, args: unknown[]): Tensor {
  let parser = castParsers.get(name);
  if (parser === undefined) castParsers.set(name, (parser = new PythonArgParser([`${name}(*, MemoryFormat? memory_format=None)`])));
  // (the binder gives a memory format as its code)
  const { memory_format } = parser.parseNamed(args) as unknown as { memory_format: number | null };
  return self.to(target, { memory_format: memory_format === null ? null : memoryFormatFromCode(memory_format) });
}

/** Python's legacy tensor type names (`torch.FloatTensor`), by dtype. */
const LEGACY_TYPE_NAMES = new Map<dtype, string>([
  [float32, 'FloatTensor'], [float64, 'DoubleTensor'], [dtypes.float16, 'HalfTensor'], [dtypes.bfloat16, 'BFloat16Tensor'],
  [dtypes.uint8, 'ByteTensor'], [dtypes.int8, 'CharTensor'], [dtypes.int16, 'ShortTensor'], [dtypes.int32, 'IntTensor'],
  [int64, 'LongTensor'], [boolDtype, 'BoolTensor'], [dtypes.complex64, 'ComplexFloatTensor'], [dtypes.complex128, 'ComplexDoubleTensor'],
  [dtypes.uint16, 'UInt16Tensor'], [dtypes.uint32, 'UInt32Tensor'], [dtypes.uint64, 'UInt64Tensor'],
]);

function dtypeOfLegacyName(name: string): dtype {
  const bare = name.replace(/^torch\.(cuda\.)?/, '');
  for (const [d, legacy] of LEGACY_TYPE_NAMES) if (legacy === bare) return d;
  throw new TypeError(`type(): invalid type: '${name}'`);
}

/** A dim in [-n, n) as an index, or Python's RangeError naming the range. */
function wrapDim(dim: number, n: number): number {
  const d = dim < 0 ? dim + n : dim;
  if (d < 0 || d >= n) throw new RangeError(`Dimension out of range (expected to be in range of [${-n}, ${n - 1}], but got ${dim})`);
  return d;
}
const BACKWARD_OPTIONS = { gradient: 'Tensor?', retain_graph: 'bool?', create_graph: 'bool', inputs: 'Tensor|Tensor[]?' } as const;

// Tensor.backward's and backward_async's arguments: (gradient, options) or (options).
function backwardArgs(
  where: string,
  gradientOrOptions: Tensor | BackwardOptions | null | undefined,
  options: BackwardOptions,
): [Tensor | null, boolean | null, boolean, Tensor[] | null] {
  // A number is not a gradient: Python refuses y.backward(2) ('int' object is not iterable); spreading it dropped it.
  if (gradientOrOptions != null && !(gradientOrOptions instanceof Tensor) && (typeof gradientOrOptions !== 'object' || Array.isArray(gradientOrOptions))) {
    throw new TypeError(`${where}(): gradient must be a Tensor or null, got ${typeof gradientOrOptions}`);
  }
  if (!(gradientOrOptions instanceof Tensor)) checkOptions(where, gradientOrOptions, BACKWARD_OPTIONS, PYTHON_DEF);
  checkOptions(where, options, BACKWARD_OPTIONS, PYTHON_DEF);
  const opts = gradientOrOptions instanceof Tensor ? { ...options, gradient: gradientOrOptions } : { ...(gradientOrOptions ?? {}), ...options };
  if (opts.gradient != null && !(opts.gradient instanceof Tensor)) {
    throw new TypeError(`${where}(): gradient must be a Tensor or null, got ${typeof opts.gradient}`);
  }
  const inputs = opts.inputs == null ? null : opts.inputs instanceof Tensor ? [opts.inputs] : opts.inputs;
  // libtorch's engine reads an empty list as "every leaf"; Python refuses it.
  if (inputs !== null && inputs.length === 0) throw new RangeError(`${where}(): 'inputs' argument to backward() cannot be empty.`);
  return [opts.gradient ?? null, opts.retain_graph ?? null, opts.create_graph ?? false, inputs];
}


const MAX_SAFE_BIGINT = BigInt(Number.MAX_SAFE_INTEGER);

function inexactInt64(fn: string, value: bigint, unsigned = false): RangeError {
  return new RangeError(
    `${fn}(): the ${unsigned ? 'uint64' : 'int64'} value ${value} is beyond Number.MAX_SAFE_INTEGER and has no exact JS number; ` +
      `read it exactly as a BigInt with toTypedArray(), which gives a ${unsigned ? 'BigUint64Array' : 'BigInt64Array'}`,
  );
}

function sizeArgs(args: readonly (number | readonly number[])[]): number[] {
  if (args.length === 1 && Array.isArray(args[0])) return [...(args[0] as number[])];
  return args as number[];
}

/** A generated Tensor method's binding, called on self with a call's arguments. */
function generatedMethod(name: string): (self: Tensor, args: readonly unknown[]) => any {
  let b: ReturnType<typeof binding> | undefined;
  return (self, args) => (b ??= binding('tensor', name)).call(self, args);
}

// The generated bindings of the methods whose common calls take a fast path here.
const SUM_METHOD = generatedMethod('sum');
const MEAN_METHOD = generatedMethod('mean');
/** A plain object, Python's keywords, which the fast paths leave to the binder. */
function isKeywords(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/**
 * The arguments a call gave, for a fast path's method to hand to the binder: its
 * parameters, without those left undefined at the end.
 *
 * The methods below take their common calls (that many positionals, no keywords)
 * straight to their operator; any other call is bound by Python's rules. They tell
 * the two apart by two parameters more than Python's positionals (`options`, for
 * keywords, and `extra`), never by `arguments`: in V8 any use of `arguments`, even
 * its length, cost a.add(b) about 30 ns a call (1,370 against 1,340 ns, CPU time),
 * and `[...arguments]` also built the object on every call (56 bytes more per
 * a.add(b), heapUsed over 10,000 calls). A JS call that leaves two of those
 * parameters undefined and gives yet more is the one such a method cannot see.
 */
function given(...args: unknown[]): unknown[] {
  let n = args.length;
  while (n > 0 && args[n - 1] === undefined) n--;
  args.length = n;
  return args;
}
const ADD_METHOD = generatedMethod('add');
const ADD_INPLACE_METHOD = generatedMethod('add_');
const SUB_METHOD = generatedMethod('sub');
const SUB_INPLACE_METHOD = generatedMethod('sub_');
const MUL_METHOD = generatedMethod('mul');
const MUL_INPLACE_METHOD = generatedMethod('mul_');
const DIV_METHOD = generatedMethod('div');
const DIV_INPLACE_METHOD = generatedMethod('div_');
const REMAINDER_METHOD = generatedMethod('remainder');
const FLOOR_DIVIDE_METHOD = generatedMethod('floor_divide');
const BMM_METHOD = generatedMethod('bmm');
const DOT_METHOD = generatedMethod('dot');
const MAXIMUM_METHOD = generatedMethod('maximum');
const MINIMUM_METHOD = generatedMethod('minimum');
const EQ_METHOD = generatedMethod('eq');
const NE_METHOD = generatedMethod('ne');
const LT_METHOD = generatedMethod('lt');
const LE_METHOD = generatedMethod('le');
const GT_METHOD = generatedMethod('gt');
const GE_METHOD = generatedMethod('ge');
const LOGICAL_AND_METHOD = generatedMethod('logical_and');
const LOGICAL_OR_METHOD = generatedMethod('logical_or');
const EQUAL_METHOD = generatedMethod('equal');
const POW_INPLACE_METHOD = generatedMethod('pow_');
const FILL_INPLACE_METHOD = generatedMethod('fill_');
const VIEW_AS_METHOD = generatedMethod('view_as');
const EXPAND_AS_METHOD = generatedMethod('expand_as');
const MASKED_SELECT_METHOD = generatedMethod('masked_select');
const ALLCLOSE_METHOD = generatedMethod('allclose');
const NEG_METHOD = generatedMethod('neg');
const ABS_METHOD = generatedMethod('abs');
const EXP_METHOD = generatedMethod('exp');
const LOG_METHOD = generatedMethod('log');
const SQRT_METHOD = generatedMethod('sqrt');
const SQRT_INPLACE_METHOD = generatedMethod('sqrt_');
const RSQRT_METHOD = generatedMethod('rsqrt');
const SIN_METHOD = generatedMethod('sin');
const COS_METHOD = generatedMethod('cos');
const FLOOR_METHOD = generatedMethod('floor');
const CEIL_METHOD = generatedMethod('ceil');
const SIGN_METHOD = generatedMethod('sign');
const RECIPROCAL_METHOD = generatedMethod('reciprocal');
const RELU_METHOD = generatedMethod('relu');
const RELU_INPLACE_METHOD = generatedMethod('relu_');
const SIGMOID_METHOD = generatedMethod('sigmoid');
const TANH_METHOD = generatedMethod('tanh');
const LOGICAL_NOT_METHOD = generatedMethod('logical_not');
const ISFINITE_METHOD = generatedMethod('isfinite');
const ISNAN_METHOD = generatedMethod('isnan');
const ISINF_METHOD = generatedMethod('isinf');
const T_METHOD = generatedMethod('t');
const ZERO_INPLACE_METHOD = generatedMethod('zero_');
const CLONE_METHOD = generatedMethod('clone');
const LERP_INPLACE_METHOD = generatedMethod('lerp_');
const ADDCMUL_INPLACE_METHOD = generatedMethod('addcmul_');
const ADDCDIV_INPLACE_METHOD = generatedMethod('addcdiv_');
const TRANSPOSE_METHOD = generatedMethod('transpose');
const SELECT_METHOD = generatedMethod('select');
const INDEX_SELECT_METHOD = generatedMethod('index_select');
const GATHER_METHOD = generatedMethod('gather');
const CHUNK_METHOD = generatedMethod('chunk');
const UNFLATTEN_METHOD = generatedMethod('unflatten');
const UNBIND_METHOD = generatedMethod('unbind');
const SQUEEZE_METHOD = generatedMethod('squeeze');

export class Tensor {
  /** Tensors come from factories (torch.tensor, torch.zeros, ...) and ops, never from `new`. */
  constructor() {
    throw new TypeError('Tensor cannot be constructed directly; use torch.tensor(), torch.zeros() or another factory');
  }

  // ----- identity and metadata -----

  /** The size of each dimension, as a torch.Size (an array of numbers); the same as size(). */
  get shape(): Size {
    return Size.fromDims(native.shape(this));
  }

  /**
   * With no argument, the size of each dimension as a torch.Size; size(dim) gives the size of one dimension,
   * a negative dim counting from the last.
   */
  size(): Size;
  size(dim: number): number;
  size(...args: unknown[]): Size | number {
    const [dim] = SIZE.parse(args).values as [number | undefined];
    const dims = native.shape(this);
    return dim === undefined ? Size.fromDims(dims) : dims[wrapDim(dim, dims.length)];
  }

  /**
   * The strides: how many elements to step in storage to move by one along each dimension. stride(dim) gives
   * the stride of one dimension, a negative dim counting from the last.
   */
  stride(): number[];
  stride(dim: number): number;
  stride(...args: unknown[]): number[] | number {
    const [dim] = STRIDE.parse(args).values as [number | undefined];
    const s = native.strides(this);
    return dim === undefined ? s : s[wrapDim(dim, s.length)];
  }

  /** The data type of the elements (torch.float32, torch.int64, ...). */
  get dtype(): dtype {
    return dtypeFromCode(native.scalarType(this));
  }

  /** The device the data lives on, as a torch.device (`cpu`, `cuda:0`). */
  get device(): device {
    return new device(native.device(this));
  }

  /** Whether the data lives on a CUDA GPU. */
  get is_cuda(): boolean {
    return native.device(this).startsWith('cuda');
  }

  /** The number of dimensions; the same as dim(). */
  get ndim(): number {
    return native.dim(this);
  }

  /** The number of dimensions: 0 for a scalar tensor, 1 for a vector, 2 for a matrix, and so on. */
  dim(): number {
    return native.dim(this);
  }

  /** The total number of elements: the product of the sizes of all dimensions (1 for a 0-d tensor). */
  numel(): number {
    return native.numel(this);
  }

  /** The number of elements, as numel() (Python's older name). */
  nelement(): number {
    return native.numel(this);
  }

  /** The number of dimensions, as dim() (Python's older name). */
  ndimension(): number {
    return native.dim(this);
  }

  /** Where this view starts in its storage, in elements. */
  storage_offset(): number {
    return native.storageOffset(this);
  }

  /** The index of the CUDA device the data is on, or -1 for the CPU (Python's get_device()). */
  get_device(): number {
    const where = native.device(this);
    if (!where.startsWith('cuda')) return -1;
    const colon = where.indexOf(':');
    return colon < 0 ? 0 : Number(where.slice(colon + 1));
  }

  /** The address of the first element, as Python's data_ptr(): views of one storage differ by their offset. */
  data_ptr(): number {
    return native.dataPtr(this);
  }

  /** The size of one element in bytes (4 for float32, 8 for int64, 1 for bool). */
  element_size(): number {
    return this.dtype.itemsize;
  }

  /** Whether the dtype is a floating point type (float16, bfloat16, float32 or float64). */
  is_floating_point(): boolean {
    return this.dtype.is_floating_point;
  }

  /**
   * Whether the elements lie in storage in row-major (C) order with no gaps, so that a view of another shape
   * can be taken without a copy.
   */
  is_contiguous(): boolean {
    return native.isContiguous(this);
  }

  /**
   * Python's share_memory_(): moves this tensor's storage, in place, into a SharedArrayBuffer, so that
   * torch.multiprocessing.share() hands it to another worker thread without a copy and both threads read
   * and write the same memory. Every view of the storage moves with it; the storage can no longer be
   * resized. A no-op when the storage is shared already. CPU, dense tensors only.
   */
  share_memory_(): this {
    native.shareMemory(this, 'share_memory_()');
    return this;
  }

  /** Whether this tensor's storage lies in shared memory (a SharedArrayBuffer), Python's is_shared(). */
  is_shared(): boolean {
    return native.isShared(this);
  }

  // ----- data out -----

  /**
   * The value of a one-element tensor as a JS number, as Python's item().
   *
   * A bool tensor gives a boolean, as Python gives a bool. It is typed
   * `number` all the same: Python's bool is an int (True + 1 == 2), so its
   * stubs type item() as a number, and a JS boolean acts as 0 or 1 the same
   * way in arithmetic, `==` and `if`. A tensor's type does not carry its
   * dtype, so `number | boolean` would make every `losses.push(loss.item())`
   * narrow a value that is a number for every non-bool tensor. Read a bool
   * item as a truth value (`if (mask.any().item())`), not with `=== 1`.
   *
   * An int64 value beyond Number.MAX_SAFE_INTEGER is refused rather than
   * rounded: a BigInt here would make the result's type depend on its value,
   * so the exact value is read through toTypedArray() (a BigInt64Array).
   */
  item(): number {
    if (this.dtype === dtypes.uint64) {
      // (libtorch's Scalar of a uint64 above int64's range does not cross as an int: read the bytes)
      const u = this.toTypedArray()[0] as bigint;
      if (u > MAX_SAFE_BIGINT) throw inexactInt64('item', u, true);
      return Number(u);
    }
    const v = _C.item(this);
    if (typeof v === 'number' && !Number.isSafeInteger(v) && this.dtype === int64 && Number.isFinite(v)) {
      throw inexactInt64('item', this.toTypedArray()[0] as bigint);
    }
    return v as number;
  }

  /**
   * Python's set_(): this tensor made empty; set_(source): this tensor made a view of all of source's memory,
   * with source's sizes and strides; set_(source, storage_offset, size, stride=None): a view of source's
   * memory from storage_offset (in elements) with those sizes and strides (contiguous ones by default).
   * Checked against the memory first: a view reaching outside source's storage is an error, not a read
   * beyond it. (Python also takes a Storage; torchts has no Storage objects: pass a tensor over it.)
   */
  set_(): this;
  set_(source: Tensor): this;
  set_(source: Tensor, storage_offset: number, size: readonly number[], stride?: readonly number[] | null): this;
  set_(...args: unknown[]): this {
    const { index, values } = SET.parse(args);
    // Through torch.ops, whose guards check the view against the storage (op_guards.ts).
    if (index === 0) ops.aten.set_.default(this);
    else if (index === 1) ops.aten.set_.source_Tensor(this, values[0]);
    else ops.aten.set_.source_Tensor_storage_offset(this, values[0], values[1], values[2], values[3] ?? []);
    return this;
  }

  /**
   * Python's new_tensor(data, *, dtype=None, device=None, requires_grad=False): a new tensor of data (copied,
   * read as torch.tensor reads it), of this tensor's dtype and device unless the options say otherwise.
   */
  new_tensor(data: NestedNumbers | Tensor | ArrayLike<number>, options?: { dtype?: dtype | null; device?: DeviceLike | null; requires_grad?: boolean }): Tensor;
  new_tensor(...args: unknown[]): Tensor {
    const a = NEW_TENSOR.parseNamed(args);
    // (factories.ts imports this module: its functions are there by the time a method runs, as indexing.ts relies on too)
    return tensorOf(a.data as NestedNumbers, { dtype: (a.dtype ?? this.dtype) as dtype, device: (a.device ?? this.device) as DeviceLike, requires_grad: a.requires_grad as boolean });
  }

  /**
   * Python's apply_(callable): replaces every element x with callable(x), in place, one call per element in
   * memory order; CPU tensors only, and not one that requires grad. For code whose speed does not matter.
   */
  apply_(callable: (x: number) => number | boolean): this {
    mapElements(this, 'apply_', callable, []);
    return this;
  }

  /** Python's map_(tensor, callable): self[i] = callable(self[i], tensor[i]), tensor broadcast to this tensor's shape. */
  map_(other: Tensor, callable: (x: number, y: number) => number | boolean): this {
    mapElements(this, 'map_', callable, [other]);
    return this;
  }

  /** Python's map2_(x, y, callable): self[i] = callable(self[i], x[i], y[i]), x and y broadcast to this tensor's shape. */
  map2_(x: Tensor, y: Tensor, callable: (a: number, b: number, c: number) => number | boolean): this {
    mapElements(this, 'map2_', callable, [x, y]);
    return this;
  }

  /**
   * The elements as nested JS arrays, as Python's tolist(): a number for a
   * 0-d tensor, number[] for 1-d, number[][] for 2-d, and so on (int64 as
   * numbers; bool as booleans, typed number for the reason item() gives). An
   * int64 element beyond Number.MAX_SAFE_INTEGER is refused, as in item().
   */
  tolist(): NestedNumbers {
    const flat = this.toTypedArray();
    const dims = native.shape(this);
    const isBool = this.dtype === boolDtype;
    const read = (i: number): number | boolean => {
      const v = flat[i];
      if (typeof v === 'bigint') {
        if (v > MAX_SAFE_BIGINT || v < -MAX_SAFE_BIGINT) throw inexactInt64('tolist', v, flat instanceof BigUint64Array);
        return Number(v);
      }
      return isBool ? v !== 0 : v;
    };
    // A bool element stays a boolean (typed number: see item()).
    if (dims.length === 0) return read(0) as number;
    let offset = 0;
    const build = (level: number): NestedNumbers[] => {
      const out = new Array(dims[level]);
      for (let i = 0; i < dims[level]; i++) out[i] = level === dims.length - 1 ? read(offset++) : build(level + 1);
      return out;
    };
    return build(0);
  }

  /**
   * The elements in row-major order as a TypedArray of the matching type (one
   * copy). float16 and bfloat16 come out as Float32Array, bool as Uint8Array.
   */
  toTypedArray(): Float32Array | Float64Array | Int32Array | Int16Array | Int8Array | Uint8Array | BigInt64Array | Uint16Array | Uint32Array | BigUint64Array {
    const d = this.dtype;
    if (d === dtypeFromCode(5) || d === dtypeFromCode(15)) return this.to(float32).toTypedArray();
    const buf = native.toBuffer(this);
    switch (d.name) {
      case 'float32': return new Float32Array(buf);
      case 'float64': return new Float64Array(buf);
      case 'int64': return new BigInt64Array(buf);
      case 'int32': return new Int32Array(buf);
      case 'int16': return new Int16Array(buf);
      case 'int8': return new Int8Array(buf);
      case 'uint16': return new Uint16Array(buf);
      case 'uint32': return new Uint32Array(buf);
      case 'uint64': return new BigUint64Array(buf);
      case 'uint8':
      case 'bool': return new Uint8Array(buf);
      default: throw new TypeError(`toTypedArray: no TypedArray holds ${String(d)}`);
    }
  }

  // ----- memory -----

  /** Frees the native memory now; later use is an error, a second dispose does nothing. */
  dispose(): void {
    native.dispose(this);
  }

  /** Frees the native memory when a `using` declaration goes out of scope; the same as dispose(). */
  [Symbol.dispose](): void {
    native.dispose(this);
  }

  /** Whether dispose() has freed this tensor's native memory (a disposed tensor cannot be used). */
  get is_disposed(): boolean {
    return native.isDisposed(this);
  }

  // ----- printing -----

  /**
   * The tensor as Python prints it: `tensor([1., 2.])`, with dtype, device and grad_fn when they are not the
   * defaults.
   */
  toString(): string {
    return tensorRepr(this);
  }

  /**
   * What console.log and util.inspect show: the same text as toString(), or `tensor(<disposed>)` once
   * disposed.
   */
  [inspect.custom](): string {
    return native.isDisposed(this) ? 'tensor(<disposed>)' : tensorRepr(this);
  }

  // ----- autograd -----

  /**
   * Whether autograd records operations on this tensor, so that backward() computes a gradient for it.
   * Setting it is allowed only on leaf tensors (those not made by a recorded operation).
   */
  get requires_grad(): boolean {
    return native.requiresGrad(this);
  }

  set requires_grad(flag: boolean) {
    native.setRequiresGrad(this, flag);
  }

  /**
   * Sets requires_grad in place (true by default) and returns this tensor; the usual way to ask for the
   * gradient of a tensor made by a factory.
   */
  requires_grad_(requires_grad = true): this {
    native.setRequiresGrad(this, requires_grad);
    return this;
  }

  /**
   * Whether this tensor is a leaf of the autograd graph: one made by the user rather than by a recorded
   * operation, or one that does not require grad. Only leaves get `.grad` filled by backward().
   */
  get is_leaf(): boolean {
    return native.isLeaf(this);
  }

  /**
   * Python's `t._version`: how many times this tensor's memory was written in place, counted per storage, so a
   * write through a view (`t.index(0).add_(1)`) counts for its base too. Autograd compares it with the count at
   * the time it saved a tensor, to refuse a backward through a value changed since.
   */
  get _version(): number {
    return Number(_C._version(this));
  }

  /**
   * The gradient that backward() accumulated into this tensor, of the same shape; null until then, and for
   * non-leaf tensors unless retain_grad() was called. Assigning replaces it (null clears it).
   */
  get grad(): Tensor | null {
    return native.grad(this);
  }

  set grad(g: Tensor | null) {
    native.setGrad(this, g);
  }

  /**
   * The autograd node that made this tensor (such as `AddBackward0`), whose backward computes the gradient
   * of its inputs; null for a leaf or for a tensor made without grad.
   */
  get grad_fn(): Node | null {
    const name = native.gradFn(this);
    return name === null ? null : new Node(name);
  }

  /**
   * Python's register_hook: hook(grad) runs when this tensor's gradient is
   * computed, and may return a tensor to use instead. remove() on the handle
   * unregisters it.
   */
  register_hook(hook: GradHook): RemovableHandle {
    return registerHook(this, hook);
  }

  /**
   * Asks backward() to fill `.grad` for this non-leaf tensor too, which it otherwise skips to save memory.
   * Does nothing on a leaf.
   */
  retain_grad(): void {
    native.retainGrad(this);
  }

  /** Whether retain_grad() was called on this non-leaf tensor, so that backward() fills its `.grad`. */
  get retains_grad(): boolean {
    return native.retainsGrad(this);
  }

  /**
   * Computes the gradient of this tensor with respect to the graph's leaves by the chain rule and
   * accumulates it into their `.grad`. A tensor of more than one element needs `gradient` (dL/dself, of this
   * shape); `retain_graph` keeps the graph for a second backward, `create_graph` records the backward itself
   * for higher-order gradients, and `inputs` limits which leaves get gradients.
   */
  backward(gradientOrOptions?: Tensor | BackwardOptions | null, options: BackwardOptions = {}): void {
    const [gradient, retain, create, inputs] = backwardArgs('backward', gradientOrOptions, options);
    runBackward('backward()', [this], [gradient], retain, create, inputs);
  }

  /**
   * backward() on a worker thread, so that the event loop runs meanwhile (torchts's own; Python's blocks):
   * resolves once the gradients are in `.grad`. After a DistributedDataParallel module's forward, its
   * gradient all-reduces run there too. Until it settles, this tensor, the DDP module's parameters and their
   * gradients are the worker's (an op on one throws). Hooks and autograd Functions written in JS cannot run
   * off the JS thread: a graph with one rejects (use backward() for it).
   */
  backward_async(gradientOrOptions?: Tensor | BackwardOptions | null, options: BackwardOptions = {}): Promise<void> {
    try {
      const [gradient, retain, create, inputs] = backwardArgs('backward_async', gradientOrOptions, options);
      return runBackwardAsync('backward_async()', [this], [gradient], retain, create, inputs);
    } catch (e) {
      return Promise.reject(e);
    }
  }



  /**
   * A new tensor sharing this one's storage but cut from the autograd graph: it never requires grad, and
   * writing into either changes both.
   */
  detach(): Tensor {
    return _C.detach(this);
  }

  /**
   * Cuts this tensor from the autograd graph in place (making it a leaf that does not require grad) and
   * returns it.
   */
  detach_(): this {
    return _C.detach_(this);
  }

  /**
   * Python's `.data`: the same storage with no autograd history and, unlike
   * detach(), a version counter of its own, so that autograd does not see
   * writes through it (`p.data.add_(u)` in a hand-written update).
   */
  get data(): Tensor {
    return native.variableData(this);
  }

  /** Python's `t.data = other`: this tensor takes other's storage, shape and dtype, and keeps its identity. */
  set data(data: Tensor) {
    if (!(data instanceof Tensor)) {
      throw new TypeError(`data: Variable data has to be a tensor, but got ${data === null ? 'null' : typeof data}`);
    }
    native.setData(this, data);
  }

  // ----- conversion -----

  /**
   * This tensor converted to another dtype and/or device: `to(dtype)`, `to(device, dtype?)`, `to(other)`
   * (other's dtype and device) or `to({ dtype, device, copy })`. Returns this tensor itself when nothing
   * changes, unless `copy` is true.
   */
  to(target: dtype | DeviceLike | Tensor | ToOptions, dtypeOrOptions?: dtype | ToOptions, options?: ToOptions): Tensor;
  to(...args: unknown[]): Tensor {
    // to(its own dtype) and to(its own device) change nothing and return this tensor, as Python's do; they
    // are common (clip_grad_norm_ asks once per parameter) and need no binding.
    if (args.length === 1) {
      const a = args[0];
      if (a === this.dtype) return this;
      if ((typeof a === 'string' || a instanceof device) && String(a) === native.device(this)) return this;
    }
    const { index, values } = TO.parse(args);
    if (index === 2) {
      const [other, non_blocking, copy, memory_format] = values;
      return _C.to_other(this, other, non_blocking, copy, memory_format);
    }
    const [target, d, non_blocking, copy, memory_format] = index === 0 ? values : [undefined, ...values];
    if (target != null) return _C.to_device(this, String(target), d ?? this.dtype, non_blocking, copy, memory_format);
    if (d != null) return _C.to_dtype(this, d, non_blocking, copy, memory_format);
    // Python's to() with neither: a copy when asked for one (or for another memory format), else this tensor.
    return copy === true || memory_format != null ? _C.to_dtype(this, this.dtype, non_blocking, copy, memory_format) : this;
  }

  /**
   * A copy in CPU memory, or this tensor itself when it is already there (and in the memory format asked
   * for). Python's cpu(*, memory_format=torch.preserve_format).
   */
  cpu(options?: { memory_format?: memory_format | null }): Tensor;
  cpu(...args: unknown[]): Tensor {
    if (args.length === 0) return this.to('cpu');
    const { memory_format } = CPU.parseNamed(args) as unknown as { memory_format: number | null };
    return this.to('cpu', { memory_format: memory_format === null ? null : memoryFormatFromCode(memory_format) });
  }

  /**
   * A copy in the memory of a CUDA GPU (the current one, or the one named), or this tensor itself when it
   * is already there. Python's cuda(device=None, non_blocking=False, *, memory_format=torch.preserve_format).
   */
  cuda(device?: DeviceLike | null, non_blocking?: boolean, options?: { memory_format?: memory_format | null }): Tensor;
  cuda(options: { device?: DeviceLike | null; non_blocking?: boolean; memory_format?: memory_format | null }): Tensor;
  cuda(...args: unknown[]): Tensor {
    const { device: d, non_blocking, memory_format: code } = CUDA.parseNamed(args) as unknown as { device: DeviceLike | number | null; non_blocking: boolean; memory_format: number | null };
    const memory_format = code === null ? null : memoryFormatFromCode(code);
    // Python's cuda(1) is cuda:1: an int names the GPU.
    const target = d === null ? 'cuda' : typeof d === 'number' ? `cuda:${d}` : String(d);
    if (!target.startsWith('cuda')) throw new RangeError(`cuda(): argument 'device' must be a CUDA device, got ${target}`);
    return this.to(target, { non_blocking, memory_format });
  }

  /**
   * This tensor converted to dtype d, as to(d); Python's type() also takes a type name, this one only a
   * dtype.
   */
  type(): string;
  type(dtype: dtype | string, non_blocking?: boolean): Tensor;
  type(...args: unknown[]): string | Tensor {
    const { dtype: d, non_blocking } = TYPE.parseNamed(args) as unknown as { dtype: dtype | string | null; non_blocking: boolean };
    const prefix = this.is_cuda ? 'torch.cuda.' : 'torch.';
    if (d === null) return prefix + LEGACY_TYPE_NAMES.get(this.dtype)!;
    const target = typeof d === 'string' ? dtypeOfLegacyName(d) : d;
    return this.to(target, { non_blocking });
  }

  // The dtype casts: Python's float(memory_format=torch.preserve_format) and its kin, each to(dtype)
  // under another name. Floats become integers truncated toward zero; nonzero elements become true.

  /** This tensor as float32, as `to(torch.float32)`; this tensor itself when it already is (and in the memory format asked for). */
  float(options?: CastOptions): Tensor;
  float(options?: unknown, extra?: unknown): Tensor {
    return options === undefined && extra === undefined ? this.to(float32) : castTo(this, float32, 'float', given(options, extra));
  }

  /** This tensor as float64, as `to(torch.float64)`; this tensor itself when it already is (and in the memory format asked for). */
  double(options?: CastOptions): Tensor;
  double(options?: unknown, extra?: unknown): Tensor {
    return options === undefined && extra === undefined ? this.to(float64) : castTo(this, float64, 'double', given(options, extra));
  }

  /** This tensor as float16, as `to(torch.float16)`; this tensor itself when it already is (and in the memory format asked for). */
  half(options?: CastOptions): Tensor;
  half(options?: unknown, extra?: unknown): Tensor {
    return options === undefined && extra === undefined ? this.to(dtypes.float16) : castTo(this, dtypes.float16, 'half', given(options, extra));
  }

  /** This tensor as bfloat16, as `to(torch.bfloat16)`; this tensor itself when it already is (and in the memory format asked for). */
  bfloat16(options?: CastOptions): Tensor;
  bfloat16(options?: unknown, extra?: unknown): Tensor {
    return options === undefined && extra === undefined ? this.to(dtypes.bfloat16) : castTo(this, dtypes.bfloat16, 'bfloat16', given(options, extra));
  }

  /** This tensor as int64, as `to(torch.int64)`; this tensor itself when it already is (and in the memory format asked for). */
  long(options?: CastOptions): Tensor;
  long(options?: unknown, extra?: unknown): Tensor {
    return options === undefined && extra === undefined ? this.to(int64) : castTo(this, int64, 'long', given(options, extra));
  }

  /** This tensor as int32, as `to(torch.int32)`; this tensor itself when it already is (and in the memory format asked for). */
  int(options?: CastOptions): Tensor;
  int(options?: unknown, extra?: unknown): Tensor {
    return options === undefined && extra === undefined ? this.to(dtypes.int32) : castTo(this, dtypes.int32, 'int', given(options, extra));
  }

  /** This tensor as int16, as `to(torch.int16)`; this tensor itself when it already is (and in the memory format asked for). */
  short(options?: CastOptions): Tensor;
  short(options?: unknown, extra?: unknown): Tensor {
    return options === undefined && extra === undefined ? this.to(dtypes.int16) : castTo(this, dtypes.int16, 'short', given(options, extra));
  }

  /** This tensor as int8, as `to(torch.int8)`; this tensor itself when it already is (and in the memory format asked for). */
  char(options?: CastOptions): Tensor;
  char(options?: unknown, extra?: unknown): Tensor {
    return options === undefined && extra === undefined ? this.to(dtypes.int8) : castTo(this, dtypes.int8, 'char', given(options, extra));
  }

  /** This tensor as uint8, as `to(torch.uint8)`; this tensor itself when it already is (and in the memory format asked for). */
  byte(options?: CastOptions): Tensor;
  byte(options?: unknown, extra?: unknown): Tensor {
    return options === undefined && extra === undefined ? this.to(dtypes.uint8) : castTo(this, dtypes.uint8, 'byte', given(options, extra));
  }

  /** This tensor as bool, as `to(torch.bool)`; this tensor itself when it already is (and in the memory format asked for). */
  bool(options?: CastOptions): Tensor;
  bool(options?: unknown, extra?: unknown): Tensor {
    return options === undefined && extra === undefined ? this.to(boolDtype) : castTo(this, boolDtype, 'bool', given(options, extra));
  }

  /** This tensor as complex64, as `to(torch.complex64)`; this tensor itself when it already is (and in the memory format asked for). */
  cfloat(options?: CastOptions): Tensor;
  cfloat(options?: unknown, extra?: unknown): Tensor {
    return options === undefined && extra === undefined ? this.to(dtypes.complex64) : castTo(this, dtypes.complex64, 'cfloat', given(options, extra));
  }

  /** This tensor as complex128, as `to(torch.complex128)`; this tensor itself when it already is (and in the memory format asked for). */
  cdouble(options?: CastOptions): Tensor;
  cdouble(options?: unknown, extra?: unknown): Tensor {
    return options === undefined && extra === undefined ? this.to(dtypes.complex128) : castTo(this, dtypes.complex128, 'cdouble', given(options, extra));
  }

  /**
   * A copy with its own storage, of the same shape, dtype and device (and the same strides when dense).
   * Autograd sees it: the gradient of the clone flows back to this tensor.
   */
  clone(): Tensor;
  clone(options?: unknown, extra?: unknown): Tensor {
    if (options !== undefined || extra !== undefined) return CLONE_METHOD(this, given(options, extra));
    return _C.clone(this);
  }

  /**
   * This tensor with its elements in row-major order in storage: itself when is_contiguous(), otherwise a
   * copy.
   */
  contiguous(): Tensor {
    return _C.contiguous(this);
  }

  // ----- arithmetic -----

  /**
   * Elementwise sum `out_i = self_i + alpha * other_i` (alpha defaults to 1); Python's `self + other`.
   * Broadcasts self and other to a common shape and promotes their dtypes.
   */
  add(other: TensorOrScalar, options?: { alpha?: number }): Tensor;
  add(other: TensorOrScalar, options?: unknown, extra?: unknown): Tensor {
    if (options !== undefined || extra !== undefined || isKeywords(other)) return ADD_METHOD(this, given(other, options, extra));
    return _C.add(this, other, undefined);
  }

  /**
   * Adds `alpha * other` to this tensor in place (`self_i += alpha * other_i`) and returns it; other must
   * broadcast to this tensor's shape. Python's `self += other`.
   */
  add_(other: TensorOrScalar, options?: { alpha?: number }): this;
  add_(other: TensorOrScalar, options?: unknown, extra?: unknown): this {
    if (options !== undefined || extra !== undefined || isKeywords(other)) return ADD_INPLACE_METHOD(this, given(other, options, extra));
    return _C.add_(this, other, undefined);
  }

  /**
   * Elementwise difference `out_i = self_i - alpha * other_i` (alpha defaults to 1); Python's `self -
   * other`. Broadcasts self and other to a common shape and promotes their dtypes.
   */
  sub(other: TensorOrScalar, options?: { alpha?: number }): Tensor;
  sub(other: TensorOrScalar, options?: unknown, extra?: unknown): Tensor {
    if (options !== undefined || extra !== undefined || isKeywords(other)) return SUB_METHOD(this, given(other, options, extra));
    return _C.sub(this, other, undefined);
  }

  /**
   * Subtracts `alpha * other` from this tensor in place (`self_i -= alpha * other_i`) and returns it;
   * Python's `self -= other`.
   */
  sub_(other: TensorOrScalar, options?: { alpha?: number }): this;
  sub_(other: TensorOrScalar, options?: unknown, extra?: unknown): this {
    if (options !== undefined || extra !== undefined || isKeywords(other)) return SUB_INPLACE_METHOD(this, given(other, options, extra));
    return _C.sub_(this, other, undefined);
  }

  /**
   * Elementwise product `out_i = self_i * other_i`; Python's `self * other`. Broadcasts self and other to a
   * common shape and promotes their dtypes.
   */
  mul(other: TensorOrScalar): Tensor;
  mul(other: TensorOrScalar, options?: unknown, extra?: unknown): Tensor {
    if (options !== undefined || extra !== undefined || isKeywords(other)) return MUL_METHOD(this, given(other, options, extra));
    return _C.mul(this, other);
  }

  /**
   * Multiplies this tensor by other in place (`self_i *= other_i`) and returns it; Python's `self *= other`.
   */
  mul_(other: TensorOrScalar): this;
  mul_(other: TensorOrScalar, options?: unknown, extra?: unknown): this {
    if (options !== undefined || extra !== undefined || isKeywords(other)) return MUL_INPLACE_METHOD(this, given(other, options, extra));
    return _C.mul_(this, other);
  }

  /**
   * Elementwise true division `out_i = self_i / other_i`, giving floats even for integer inputs; Python's
   * `self / other`. `rounding_mode: 'trunc'` rounds the quotient toward zero, `'floor'` rounds it down
   * (Python's `//`). Broadcasts self and other to a common shape and promotes their dtypes.
   */
  div(other: TensorOrScalar, options?: { rounding_mode?: 'trunc' | 'floor' | null }): Tensor;
  div(other: TensorOrScalar, options?: unknown, extra?: unknown): Tensor {
    if (options !== undefined || extra !== undefined || isKeywords(other)) return DIV_METHOD(this, given(other, options, extra));
    return _C.div(this, other);
  }

  /**
   * Divides this tensor by other in place (`self_i /= other_i`, true division) and returns it; Python's
   * `self /= other`.
   */
  div_(other: TensorOrScalar): this;
  div_(other: TensorOrScalar, options?: unknown, extra?: unknown): this {
    if (options !== undefined || extra !== undefined || isKeywords(other)) return DIV_INPLACE_METHOD(this, given(other, options, extra));
    return _C.div_(this, other);
  }

  /**
   * Elementwise remainder with the sign of the divisor, `out_i = self_i - floor(self_i / other_i) *
   * other_i`, as Python's `self % other`. Broadcasts self and other to a common shape and promotes their
   * dtypes.
   */
  remainder(other: TensorOrScalar): Tensor;
  remainder(other: TensorOrScalar, options?: unknown, extra?: unknown): Tensor {
    if (options !== undefined || extra !== undefined || isKeywords(other)) return REMAINDER_METHOD(this, given(other, options, extra));
    return _C.remainder(this, other);
  }

  /**
   * Elementwise division rounded down, `out_i = floor(self_i / other_i)`, as Python's `self // other`.
   * Broadcasts self and other to a common shape and promotes their dtypes.
   */
  floor_divide(other: TensorOrScalar): Tensor;
  floor_divide(other: TensorOrScalar, options?: unknown, extra?: unknown): Tensor {
    if (options !== undefined || extra !== undefined || isKeywords(other)) return FLOOR_DIVIDE_METHOD(this, given(other, options, extra));
    return _C.floor_divide(this, other);
  }


  /**
   * Batched matrix product of two 3-D tensors: (b, n, m) and (b, m, p) give (b, n, p), one mm() per batch
   * entry. Does not broadcast; see matmul().
   */
  bmm(other: Tensor): Tensor;
  bmm(other: Tensor, options?: unknown, extra?: unknown): Tensor {
    if (options !== undefined || extra !== undefined || isKeywords(other)) return BMM_METHOD(this, given(other, options, extra));
    return _C.bmm(this, other);
  }

  /**
   * Dot product of two 1-D tensors of the same length, `sum_i self_i * other_i`, as a 0-d tensor. Does not
   * broadcast.
   */
  dot(other: Tensor): Tensor;
  dot(other: Tensor, options?: unknown, extra?: unknown): Tensor {
    if (options !== undefined || extra !== undefined || isKeywords(other)) return DOT_METHOD(this, given(other, options, extra));
    return _C.dot(this, other);
  }

  /**
   * Raises this tensor to exponent in place (`self_i = self_i ** exponent_i`) and returns it; Python's `self
   * **= exponent`.
   */
  pow_(exponent: TensorOrScalar): this;
  pow_(exponent: TensorOrScalar, options?: unknown, extra?: unknown): this {
    if (options !== undefined || extra !== undefined || isKeywords(exponent)) return POW_INPLACE_METHOD(this, given(exponent, options, extra));
    return _C.pow_(this, exponent);
  }

  /** Elementwise negation `out_i = -self_i`; Python's `-self`. */
  neg(): Tensor;
  neg(options?: unknown, extra?: unknown): Tensor {
    if (options !== undefined || extra !== undefined) return NEG_METHOD(this, given(options, extra));
    return _C.neg(this);
  }

  /** Elementwise absolute value `out_i = |self_i|`; Python's `abs(self)`. */
  abs(): Tensor;
  abs(options?: unknown, extra?: unknown): Tensor {
    if (options !== undefined || extra !== undefined) return ABS_METHOD(this, given(options, extra));
    return _C.abs(this);
  }

  /** Elementwise exponential `out_i = e ** self_i`. */
  exp(): Tensor;
  exp(options?: unknown, extra?: unknown): Tensor {
    if (options !== undefined || extra !== undefined) return EXP_METHOD(this, given(options, extra));
    return _C.exp(this);
  }

  /** Elementwise natural logarithm `out_i = ln(self_i)`: -inf at 0, NaN for negative inputs. */
  log(): Tensor;
  log(options?: unknown, extra?: unknown): Tensor {
    if (options !== undefined || extra !== undefined) return LOG_METHOD(this, given(options, extra));
    return _C.log(this);
  }

  /** Elementwise square root `out_i = sqrt(self_i)`: NaN for negative inputs. */
  sqrt(): Tensor;
  sqrt(options?: unknown, extra?: unknown): Tensor {
    if (options !== undefined || extra !== undefined) return SQRT_METHOD(this, given(options, extra));
    return _C.sqrt(this);
  }

  /** Replaces each element by its square root in place (`self_i = sqrt(self_i)`) and returns this tensor. */
  sqrt_(): this;
  sqrt_(options?: unknown, extra?: unknown): this {
    if (options !== undefined || extra !== undefined) return SQRT_INPLACE_METHOD(this, given(options, extra));
    return _C.sqrt_(this);
  }

  /**
   * Elementwise reciprocal of the square root, `out_i = 1 / sqrt(self_i)`: inf at 0, NaN for negative
   * inputs.
   */
  rsqrt(): Tensor;
  rsqrt(options?: unknown, extra?: unknown): Tensor {
    if (options !== undefined || extra !== undefined) return RSQRT_METHOD(this, given(options, extra));
    return _C.rsqrt(this);
  }

  /** Elementwise sine `out_i = sin(self_i)`, self in radians. */
  sin(): Tensor;
  sin(options?: unknown, extra?: unknown): Tensor {
    if (options !== undefined || extra !== undefined) return SIN_METHOD(this, given(options, extra));
    return _C.sin(this);
  }

  /** Elementwise cosine `out_i = cos(self_i)`, self in radians. */
  cos(): Tensor;
  cos(options?: unknown, extra?: unknown): Tensor {
    if (options !== undefined || extra !== undefined) return COS_METHOD(this, given(options, extra));
    return _C.cos(this);
  }

  /**
   * Elementwise floor: the largest integer not greater than each element, `out_i = floor(self_i)`, in the
   * same dtype.
   */
  floor(): Tensor;
  floor(options?: unknown, extra?: unknown): Tensor {
    if (options !== undefined || extra !== undefined) return FLOOR_METHOD(this, given(options, extra));
    return _C.floor(this);
  }

  /**
   * Elementwise ceiling: the smallest integer not less than each element, `out_i = ceil(self_i)`, in the
   * same dtype.
   */
  ceil(): Tensor;
  ceil(options?: unknown, extra?: unknown): Tensor {
    if (options !== undefined || extra !== undefined) return CEIL_METHOD(this, given(options, extra));
    return _C.ceil(this);
  }

  /** Elementwise sign: -1 for negative elements, 0 for zero, 1 for positive, in the same dtype. */
  sign(): Tensor;
  sign(options?: unknown, extra?: unknown): Tensor {
    if (options !== undefined || extra !== undefined) return SIGN_METHOD(this, given(options, extra));
    return _C.sign(this);
  }

  /** Elementwise reciprocal `out_i = 1 / self_i` (integer inputs give floats). */
  reciprocal(): Tensor;
  reciprocal(options?: unknown, extra?: unknown): Tensor {
    if (options !== undefined || extra !== undefined) return RECIPROCAL_METHOD(this, given(options, extra));
    return _C.reciprocal(this);
  }

  /** Rectified linear unit, elementwise `out_i = max(0, self_i)`. */
  relu(): Tensor;
  relu(options?: unknown, extra?: unknown): Tensor {
    if (options !== undefined || extra !== undefined) return RELU_METHOD(this, given(options, extra));
    return _C.relu(this);
  }

  /** Applies relu in place (`self_i = max(0, self_i)`) and returns this tensor. */
  relu_(): this;
  relu_(options?: unknown, extra?: unknown): this {
    if (options !== undefined || extra !== undefined) return RELU_INPLACE_METHOD(this, given(options, extra));
    return _C.relu_(this);
  }

  /** Logistic sigmoid, elementwise `out_i = 1 / (1 + exp(-self_i))`, each value in (0, 1). */
  sigmoid(): Tensor;
  sigmoid(options?: unknown, extra?: unknown): Tensor {
    if (options !== undefined || extra !== undefined) return SIGMOID_METHOD(this, given(options, extra));
    return _C.sigmoid(this);
  }

  /**
   * Elementwise hyperbolic tangent `out_i = (exp(self_i) - exp(-self_i)) / (exp(self_i) + exp(-self_i))`,
   * each value in (-1, 1).
   */
  tanh(): Tensor;
  tanh(options?: unknown, extra?: unknown): Tensor {
    if (options !== undefined || extra !== undefined) return TANH_METHOD(this, given(options, extra));
    return _C.tanh(this);
  }

  /**
   * Elementwise maximum `out_i = max(self_i, other_i)`; a NaN in either gives NaN. Broadcasts self and other
   * to a common shape and promotes their dtypes.
   */
  maximum(other: Tensor): Tensor;
  maximum(other: Tensor, options?: unknown, extra?: unknown): Tensor {
    if (options !== undefined || extra !== undefined || isKeywords(other)) return MAXIMUM_METHOD(this, given(other, options, extra));
    return _C.maximum(this, other);
  }

  /**
   * Elementwise minimum `out_i = min(self_i, other_i)`; a NaN in either gives NaN. Broadcasts self and other
   * to a common shape and promotes their dtypes.
   */
  minimum(other: Tensor): Tensor;
  minimum(other: Tensor, options?: unknown, extra?: unknown): Tensor {
    if (options !== undefined || extra !== undefined || isKeywords(other)) return MINIMUM_METHOD(this, given(other, options, extra));
    return _C.minimum(this, other);
  }

  /**
   * Linear interpolation toward end in place, `self_i = self_i + weight * (end_i - self_i)`, and returns
   * this tensor.
   */
  lerp_(end: Tensor, weight: number): this;
  lerp_(end: Tensor, weight: number, options?: unknown, extra?: unknown): this {
    if (options !== undefined || extra !== undefined || isKeywords(end) || isKeywords(weight)) return LERP_INPLACE_METHOD(this, given(end, weight, options, extra));
    return _C.lerp_(this, end, weight);
  }

  /**
   * Adds the scaled elementwise product of tensor1 and tensor2 in place, `self_i += value * tensor1_i *
   * tensor2_i` (value defaults to 1), and returns this tensor.
   */
  addcmul_(tensor1: Tensor, tensor2: Tensor, options?: { value?: number }): this;
  addcmul_(tensor1: Tensor, tensor2: Tensor, options?: unknown, extra?: unknown): this {
    if (options !== undefined || extra !== undefined || isKeywords(tensor1) || isKeywords(tensor2)) return ADDCMUL_INPLACE_METHOD(this, given(tensor1, tensor2, options, extra));
    return _C.addcmul_(this, tensor1, tensor2, undefined);
  }

  /**
   * Adds the scaled elementwise quotient of tensor1 by tensor2 in place, `self_i += value * tensor1_i /
   * tensor2_i` (value defaults to 1), and returns this tensor.
   */
  addcdiv_(tensor1: Tensor, tensor2: Tensor, options?: { value?: number }): this;
  addcdiv_(tensor1: Tensor, tensor2: Tensor, options?: unknown, extra?: unknown): this {
    if (options !== undefined || extra !== undefined || isKeywords(tensor1) || isKeywords(tensor2)) return ADDCDIV_INPLACE_METHOD(this, given(tensor1, tensor2, options, extra));
    return _C.addcdiv_(this, tensor1, tensor2, undefined);
  }

  // ----- comparison -----

  /**
   * Elementwise `self_i == other_i` as a bool tensor; Python's `self == other`. Broadcasts self and other to
   * a common shape and promotes their dtypes.
   */
  eq(other: TensorOrScalar): Tensor;
  eq(other: TensorOrScalar, options?: unknown, extra?: unknown): Tensor {
    if (options !== undefined || extra !== undefined || isKeywords(other)) return EQ_METHOD(this, given(other, options, extra));
    return _C.eq(this, other);
  }

  /**
   * Elementwise `self_i != other_i` as a bool tensor; Python's `self != other`. Broadcasts self and other to
   * a common shape and promotes their dtypes.
   */
  ne(other: TensorOrScalar): Tensor;
  ne(other: TensorOrScalar, options?: unknown, extra?: unknown): Tensor {
    if (options !== undefined || extra !== undefined || isKeywords(other)) return NE_METHOD(this, given(other, options, extra));
    return _C.ne(this, other);
  }

  /**
   * Elementwise `self_i < other_i` as a bool tensor; Python's `self < other`. Broadcasts self and other to a
   * common shape and promotes their dtypes.
   */
  lt(other: TensorOrScalar): Tensor;
  lt(other: TensorOrScalar, options?: unknown, extra?: unknown): Tensor {
    if (options !== undefined || extra !== undefined || isKeywords(other)) return LT_METHOD(this, given(other, options, extra));
    return _C.lt(this, other);
  }

  /**
   * Elementwise `self_i <= other_i` as a bool tensor; Python's `self <= other`. Broadcasts self and other to
   * a common shape and promotes their dtypes.
   */
  le(other: TensorOrScalar): Tensor;
  le(other: TensorOrScalar, options?: unknown, extra?: unknown): Tensor {
    if (options !== undefined || extra !== undefined || isKeywords(other)) return LE_METHOD(this, given(other, options, extra));
    return _C.le(this, other);
  }

  /**
   * Elementwise `self_i > other_i` as a bool tensor; Python's `self > other`. Broadcasts self and other to a
   * common shape and promotes their dtypes.
   */
  gt(other: TensorOrScalar): Tensor;
  gt(other: TensorOrScalar, options?: unknown, extra?: unknown): Tensor {
    if (options !== undefined || extra !== undefined || isKeywords(other)) return GT_METHOD(this, given(other, options, extra));
    return _C.gt(this, other);
  }

  /**
   * Elementwise `self_i >= other_i` as a bool tensor; Python's `self >= other`. Broadcasts self and other to
   * a common shape and promotes their dtypes.
   */
  ge(other: TensorOrScalar): Tensor;
  ge(other: TensorOrScalar, options?: unknown, extra?: unknown): Tensor {
    if (options !== undefined || extra !== undefined || isKeywords(other)) return GE_METHOD(this, given(other, options, extra));
    return _C.ge(this, other);
  }

  /**
   * Elementwise logical AND as a bool tensor, a nonzero element counting as true. Broadcasts self and other
   * to a common shape.
   */
  logical_and(other: Tensor): Tensor;
  logical_and(other: Tensor, options?: unknown, extra?: unknown): Tensor {
    if (options !== undefined || extra !== undefined || isKeywords(other)) return LOGICAL_AND_METHOD(this, given(other, options, extra));
    return _C.logical_and(this, other);
  }

  /**
   * Elementwise logical OR as a bool tensor, a nonzero element counting as true. Broadcasts self and other
   * to a common shape.
   */
  logical_or(other: Tensor): Tensor;
  logical_or(other: Tensor, options?: unknown, extra?: unknown): Tensor {
    if (options !== undefined || extra !== undefined || isKeywords(other)) return LOGICAL_OR_METHOD(this, given(other, options, extra));
    return _C.logical_or(this, other);
  }

  /** Elementwise logical NOT as a bool tensor: true where an element is zero. */
  logical_not(): Tensor;
  logical_not(options?: unknown, extra?: unknown): Tensor {
    if (options !== undefined || extra !== undefined) return LOGICAL_NOT_METHOD(this, given(options, extra));
    return _C.logical_not(this);
  }

  /** A bool tensor, true where an element is neither infinite nor NaN (always true for integers). */
  isfinite(): Tensor;
  isfinite(options?: unknown, extra?: unknown): Tensor {
    if (options !== undefined || extra !== undefined) return ISFINITE_METHOD(this, given(options, extra));
    return _C.isfinite(this);
  }

  /** A bool tensor, true where an element is NaN. */
  isnan(): Tensor;
  isnan(options?: unknown, extra?: unknown): Tensor {
    if (options !== undefined || extra !== undefined) return ISNAN_METHOD(this, given(options, extra));
    return _C.isnan(this);
  }

  /** A bool tensor, true where an element is +inf or -inf. */
  isinf(): Tensor;
  isinf(options?: unknown, extra?: unknown): Tensor {
    if (options !== undefined || extra !== undefined) return ISINF_METHOD(this, given(options, extra));
    return _C.isinf(this);
  }

  /** Whether self and other have the same shape and the same elements, as a JS boolean (no broadcasting). */
  equal(other: Tensor): boolean;
  equal(other: Tensor, options?: unknown, extra?: unknown): boolean {
    if (options !== undefined || extra !== undefined || isKeywords(other)) return EQUAL_METHOD(this, given(other, options, extra));
    return _C.equal(this, other);
  }

  /**
   * Whether every element satisfies `|self_i - other_i| <= atol + rtol * |other_i|` (rtol 1e-5 and atol 1e-8
   * by default), as a JS boolean; NaNs count as equal only with `equal_nan`. Broadcasts.
   */
  allclose(other: Tensor, options?: { rtol?: number; atol?: number; equal_nan?: boolean }): boolean;
  allclose(other: Tensor, options?: unknown, extra?: unknown): boolean {
    if (options !== undefined || extra !== undefined || isKeywords(other)) return ALLCLOSE_METHOD(this, given(other, options, extra));
    return _C.allclose(this, other, undefined, undefined, undefined);
  }

  // ----- reductions -----

  /**
   * Sum of the elements: of all of them as a 0-d tensor, or along `dim` (a number or a list) when given,
   * `out = sum_i self_i`. `keepdim: true` keeps each reduced dimension with size 1 instead of removing it.
   * `dtype` casts the input first; integer and bool inputs sum as int64 by default.
   */
  sum(options?: ReduceOptions & { dim?: Dims | null }): Tensor;
  sum(dim: Dims | null, keepdim?: boolean, options?: { dtype?: dtype | null }): Tensor;
  sum(dim: Dims | null, options: ReduceOptions): Tensor;
  sum(...args: unknown[]): Tensor {
    // The training loop's calls, `sum()` and `sum(dim)`, skip the binder; every other form is Python's, bound by it.
    if (args.length === 0) return _C.sum(this, undefined);
    const dim = args[0];
    if (args.length === 1 && (typeof dim === 'number' || Array.isArray(dim))) return _C.sum_dim(this, dim, false, undefined);
    return SUM_METHOD(this, args);
  }

  /**
   * Arithmetic mean `out = (1 / N) * sum_i self_i`: of all elements as a 0-d tensor, or along `dim` (a
   * number or a list), N being the number of elements reduced. Needs a floating point input or `dtype`.
   * `keepdim: true` keeps each reduced dimension with size 1 instead of removing it.
   */
  mean(options?: ReduceOptions & { dim?: Dims | null }): Tensor;
  mean(dim: Dims | null, keepdim?: boolean, options?: { dtype?: dtype | null }): Tensor;
  mean(dim: Dims | null, options: ReduceOptions): Tensor;
  mean(...args: unknown[]): Tensor {
    // The training loop's calls, `mean()` and `mean(dim)`, skip the binder; every other form is Python's, bound by it.
    if (args.length === 0) return _C.mean(this, undefined);
    const dim = args[0];
    if (args.length === 1 && (typeof dim === 'number' || Array.isArray(dim))) return _C.mean_dim(this, dim, false, undefined);
    return MEAN_METHOD(this, args);
  }




  /**
   * Python's Tensor.norm(p='fro', dim=None, keepdim=False, dtype=None): torch.norm(this, ...), the vector
   * p-norm `(sum_i |self_i|^p)^(1/p)` for a number p, the Frobenius norm `sqrt(sum_ij |self_ij|^2)` for 'fro'
   * and the nuclear norm (the sum of the singular values) for 'nuc', over dim (all dimensions when null);
   * see lib/functional.ts.
   */
  norm(p?: number | 'fro' | 'nuc' | null, dim?: Dims | null, keepdim?: boolean, options?: { dtype?: dtype | null }): Tensor;
  norm(p: number | 'fro' | 'nuc' | null, dim: Dims | null, options: { keepdim?: boolean; dtype?: dtype | null }): Tensor;
  norm(p: number | 'fro' | 'nuc' | null, options: { dim?: Dims | null; keepdim?: boolean; dtype?: dtype | null }): Tensor;
  norm(options: { p?: number | 'fro' | 'nuc' | null; dim?: Dims | null; keepdim?: boolean; dtype?: dtype | null }): Tensor;
  norm(...args: unknown[]): Tensor {
    return tensorNorm(this, args);
  }

  // ----- shape -----

  /**
   * The same elements in row-major order with a new shape of the same number of elements, given as numbers
   * or one array; one size may be -1, inferred from the others. A view of this tensor's storage when the
   * strides allow it, otherwise a copy.
   */
  reshape(...shape: (number | readonly number[])[]): Tensor {
    return _C.reshape(this, sizeArgs(shape));
  }

  /**
   * A view of the same storage with a new shape of the same number of elements (one size may be -1); unlike
   * reshape() it never copies, and fails when the strides do not allow it. `view(dtype)` reinterprets the
   * bytes as another dtype, scaling the last dimension by the ratio of the element sizes.
   */
  view(...shape: (number | readonly number[] | dtype)[]): Tensor {
    if (shape.length === 1 && shape[0] instanceof dtype) return _C.view_dtype(this, shape[0]);
    return _C.view(this, sizeArgs(shape as (number | number[])[]));
  }

  /** A view of this tensor with other's shape, as `view(other.shape)`. */
  view_as(other: Tensor): Tensor;
  view_as(other: Tensor, options?: unknown, extra?: unknown): Tensor {
    if (options !== undefined || extra !== undefined || isKeywords(other)) return VIEW_AS_METHOD(this, given(other, options, extra));
    return _C.view(this, native.shape(other));
  }

  /**
   * Splits dimension dim into the sizes given, whose product must be its size (one may be -1): (2, 12)
   * unflattened at dim 1 into [3, 4] gives (2, 3, 4).
   */
  unflatten(dim: number, sizes: number[]): Tensor;
  unflatten(dim: number, sizes: number[], options?: unknown, extra?: unknown): Tensor {
    if (options !== undefined || extra !== undefined || isKeywords(dim) || isKeywords(sizes)) return UNFLATTEN_METHOD(this, given(dim, sizes, options, extra));
    return _C.unflatten(this, dim, sizes);
  }

  /**
   * A view without the dimensions of size 1: all of them, or only dim when given (left as is when its size
   * is not 1). (1, 3, 1) squeezes to (3,).
   */
  squeeze(dim?: number): Tensor;
  squeeze(dim?: number, options?: unknown, extra?: unknown): Tensor {
    if (options !== undefined || extra !== undefined || isKeywords(dim)) return SQUEEZE_METHOD(this, given(dim, options, extra));
    return dim === undefined ? _C.squeeze(this) : _C.squeeze_dim(this, dim);
  }

  /**
   * A view with the dimensions reordered: dimension i of the result is dimension dims[i] of this tensor, so
   * (2, 3, 4) permuted by (2, 0, 1) gives (4, 2, 3).
   */
  permute(...dims: (number | readonly number[])[]): Tensor {
    return _C.permute(this, sizeArgs(dims));
  }

  /** A view with dimensions dim0 and dim1 swapped: (2, 3, 4) transposed over 0 and 2 gives (4, 3, 2). */
  transpose(dim0: number, dim1: number): Tensor;
  transpose(dim0: number, dim1: number, options?: unknown, extra?: unknown): Tensor {
    if (options !== undefined || extra !== undefined || isKeywords(dim0) || isKeywords(dim1)) return TRANSPOSE_METHOD(this, given(dim0, dim1, options, extra));
    return _C.transpose(this, dim0, dim1);
  }

  /**
   * Transpose of a matrix, a view with its two dimensions swapped ((n, m) gives (m, n)); a 0-d or 1-D tensor
   * is returned as it is.
   */
  t(): Tensor;
  t(options?: unknown, extra?: unknown): Tensor {
    if (options !== undefined || extra !== undefined) return T_METHOD(this, given(options, extra));
    return _C.t(this);
  }

  /**
   * A view with the order of all dimensions reversed: (2, 3, 4) gives (4, 3, 2); for a matrix, its
   * transpose.
   */
  get T(): Tensor {
    return _C.permute(this, [...Array(this.ndim).keys()].reverse());
  }

  /** The conjugate transpose of a matrix (Python's `x.H`; x must be 2-D): `x.transpose(0, 1).conj()`, a view. */
  get H(): Tensor {
    return MATRIX_H(this);
  }

  /** A view transposing the last two dimensions, a batch of matrices each transposed: `x.transpose(-2, -1)`. */
  get mT(): Tensor {
    return MATRIX_T(this);
  }

  /** The conjugate transpose of the last two dimensions, a view: `x.mT.conj()`. */
  get mH(): Tensor {
    return MATRIX_MH(this);
  }

  /** The real parts of a complex tensor, as a view (Python's `x.real`); a real tensor is its own real part. */
  get real(): Tensor {
    return REAL(this);
  }

  /** Python's `x.real = v`: copies v into the real parts. */
  set real(value: TensorOrScalar) {
    const part = REAL(this);
    if (value instanceof Tensor) part.copy_(value);
    else part.fill_(value);
  }

  /** The imaginary parts of a complex tensor, as a view (Python's `x.imag`); a real tensor has none, and says so. */
  get imag(): Tensor {
    return IMAG(this);
  }

  /** Python's `x.imag = v`: copies v into the imaginary parts. */
  set imag(value: TensorOrScalar) {
    const part = IMAG(this);
    if (value instanceof Tensor) part.copy_(value);
    else part.fill_(value);
  }

  // ----- what kind of tensor this is (python_variable.cpp's properties) -----

  /** The memory layout: torch.strided for a dense tensor, else its sparse format (torch.sparse_coo, torch.sparse_csr, ...). */
  get layout(): layout {
    return layoutFromCode(native.layout(this));
  }

  /** Whether this is a sparse COO tensor. */
  get is_sparse(): boolean {
    return native.layout(this) === sparse_coo._code;
  }

  /** Whether this is a sparse CSR tensor. */
  get is_sparse_csr(): boolean {
    return native.layout(this) === sparse_csr._code;
  }

  /** Whether this is an MKL-DNN tensor. */
  get is_mkldnn(): boolean {
    return native.layout(this) === _mkldnn._code;
  }

  /** Whether the data is in CPU memory. */
  get is_cpu(): boolean {
    return native.device(this).startsWith('cpu');
  }

  /** Whether this is a meta tensor: a shape and dtype with no data. */
  get is_meta(): boolean {
    return native.device(this) === 'meta';
  }

  /** Whether the dtype is a quantized one (qint8, quint8, qint32, quint4x2). */
  get is_quantized(): boolean {
    return this.dtype.name.startsWith('q');
  }

  /** Whether the data lives on an Apple MPS device (libtorch as Debian builds it has none). */
  get is_mps(): boolean {
    return native.device(this).startsWith('mps');
  }

  /** Whether the data lives on an Intel XPU device (libtorch as Debian builds it has none). */
  get is_xpu(): boolean {
    return native.device(this).startsWith('xpu');
  }

  /** Whether the data lives on a Graphcore IPU device (libtorch as Debian builds it has none). */
  get is_ipu(): boolean {
    return native.device(this).startsWith('ipu');
  }

  /** Whether the data lives on an ONNX Runtime (ORT) device (libtorch as Debian builds it has none). */
  get is_ort(): boolean {
    return native.device(this).startsWith('ort');
  }

  /** Whether the data lives on a Vulkan device (libtorch as Debian builds it has none). */
  get is_vulkan(): boolean {
    return native.device(this).startsWith('vulkan');
  }

  /**
   * A view broadcasting dimensions of size 1 to the sizes given, without copying (the expanded dimension
   * gets stride 0); -1 keeps a size, and new leading dimensions may be added: (3, 1) expanded to (2, 3, 4)
   * gives (2, 3, 4). Several elements share one memory location, so do not write into it.
   */
  expand(...sizes: (number | readonly number[])[]): Tensor {
    return _C.expand(this, sizeArgs(sizes));
  }

  /** This tensor expanded to other's shape, as `expand(other.shape)`. */
  expand_as(other: Tensor): Tensor;
  expand_as(other: Tensor, options?: unknown, extra?: unknown): Tensor {
    if (options !== undefined || extra !== undefined || isKeywords(other)) return EXPAND_AS_METHOD(this, given(other, options, extra));
    return _C.expand_as(this, other);
  }

  /**
   * This tensor tiled: copies it sizes[i] times along dimension i, so (2, 3) repeated by (2, 1, 2) gives (2,
   * 2, 6). There must be at least as many sizes as dimensions; extra ones add leading dimensions. Always
   * copies.
   */
  repeat(...sizes: (number | readonly number[])[]): Tensor {
    return _C.repeat(this, sizeArgs(sizes));
  }

  /**
   * At most `chunks` views of consecutive pieces along dim (0 by default), each of size ceil(size / chunks)
   * but the last; fewer pieces when the size does not allow that many.
   */
  chunk(chunks: number, dim?: number): Tensor[];
  chunk(chunks: number, dim?: number, options?: unknown, extra?: unknown): Tensor[] {
    if (options !== undefined || extra !== undefined || isKeywords(chunks) || isKeywords(dim)) return CHUNK_METHOD(this, given(chunks, dim, options, extra));
    return _C.chunk(this, chunks, dim ?? 0);
  }

  /**
   * The slices along dim (0 by default), each a view with dim removed: (3, 4) unbinds into three tensors of
   * shape (4,).
   */
  unbind(dim?: number): Tensor[];
  unbind(dim?: number, options?: unknown, extra?: unknown): Tensor[] {
    if (options !== undefined || extra !== undefined || isKeywords(dim)) return UNBIND_METHOD(this, given(dim, options, extra));
    return _C.unbind(this, dim ?? 0);
  }

  // ----- indexing -----

  /**
   * The slice at position index along dim, a view with dim removed: `select(1, i)` is Python's `t[:, i]`. A
   * negative index counts from the end.
   */
  select(dim: number, index: number): Tensor;
  select(dim: number, index: number, options?: unknown, extra?: unknown): Tensor {
    if (options !== undefined || extra !== undefined || isKeywords(dim) || isKeywords(index)) return SELECT_METHOD(this, given(dim, index, options, extra));
    return _C.select(this, dim, index);
  }


  /** aten::slice: elements start, start+step, ... before end along dim. */
  slice(dim = 0, start?: number | null, end?: number | null, step = 1): Tensor {
    return _C.slice(this, dim, start ?? null, end ?? null, step);
  }

  /**
   * A copy holding the entries at the positions in index (a 1-D int64 or int32 tensor) along dim, in that
   * order; the result's size at dim is the length of index.
   */
  index_select(dim: number, index: Tensor): Tensor;
  index_select(dim: number, index: Tensor, options?: unknown, extra?: unknown): Tensor {
    if (options !== undefined || extra !== undefined || isKeywords(dim) || isKeywords(index)) return INDEX_SELECT_METHOD(this, given(dim, index, options, extra));
    return _C.index_select(this, dim, index);
  }

  /**
   * Python's `t[...]`: numbers select, `slice(start, end, step)` slices,
   * `null` adds a dimension, `'...'` skips dimensions, and a bool or long
   * Tensor indexes by mask or by position. `t.index(0, slice(1, 3))` is `t[0, 1:3]`.
   */
  index(...indices: Index[]): Tensor {
    return indexTensor(this, indices);
  }

  /**
   * Python's `t[indices] = value`: `t.setitem(0, slice(1, 3), v)` is `t[0, 1:3] = v`. The indices are those of
   * index(), one argument each, and the value comes last: a Tensor, broadcast to the indexed shape, or a
   * number, converted to this tensor's dtype as Python converts it (3.7 into int64 is 3; 300 into uint8 is an
   * error). As in Python, indices that are only numbers, slices, `null`, `'...'` and `true` write into the view
   * they select (a copy_ or fill_ that autograd records as CopySlices), and tensor or list indices write
   * through `index_put_` (IndexPutBackward), which needs the value's dtype to be this tensor's. Writes are in
   * place and bump `_version`; on a leaf that requires grad they are refused as in Python. Returns this tensor.
   *
   * (Python has no method name for `__setitem__`; this one is named after it, and takes its indices as
   * index() does, so `t.setitem([0, 2], v)` is `t[[0, 2]] = v`.)
   */
  setitem(...args: [...indices: Index[], value: SetValue]): this {
    if (args.length === 0) throw new TypeError('setitem(): missing the value to assign (the last argument)');
    setIndex(this, args.slice(0, -1) as Index[], args[args.length - 1]);
    return this;
  }

  /**
   * A new 1-D tensor of the elements where mask (a bool tensor broadcast to this shape) is true, in
   * row-major order; Python's `t[mask]`.
   */
  masked_select(mask: Tensor): Tensor;
  masked_select(mask: Tensor, options?: unknown, extra?: unknown): Tensor {
    if (options !== undefined || extra !== undefined || isKeywords(mask)) return MASKED_SELECT_METHOD(this, given(mask, options, extra));
    return _C.masked_select(this, mask);
  }



  /**
   * Values picked along dim at the positions in index, which has as many dimensions as this tensor: for dim
   * 1, `out[i][j][k] = self[i][index[i][j][k]][k]`. The result has index's shape.
   */
  gather(dim: number, index: Tensor): Tensor;
  gather(dim: number, index: Tensor, options?: unknown, extra?: unknown): Tensor {
    if (options !== undefined || extra !== undefined || isKeywords(dim) || isKeywords(index)) return GATHER_METHOD(this, given(dim, index, options, extra));
    return _C.gather(this, dim, index);
  }

  /**
   * The positions of the nonzero elements as an int64 tensor of shape (count, ndim), one row of indices per
   * element in row-major order.
   */
  nonzero(options?: { as_tuple?: false }): Tensor;
  nonzero(options: { as_tuple: true }): Tensor[];
  nonzero(...args: unknown[]): Tensor | Tensor[] {
    const { as_tuple } = NONZERO.parseNamed(args);
    return as_tuple ? _C.nonzero_numpy(this) : _C.nonzero(this);
  }

  /** Python's Tensor.unique: torch.unique(this, ...); see lib/functional.ts. */
  unique(options?: UniqueOptions & { return_inverse?: false; return_counts?: false }): Tensor;
  unique(options: UniqueOptions): Tensor[];
  unique(...args: unknown[]): Tensor | Tensor[] {
    return (unique as (...a: unknown[]) => Tensor | Tensor[])(this, ...args);
  }

  /** Python's Tensor.unique_consecutive: torch.unique_consecutive(this, ...); see lib/functional.ts. */
  unique_consecutive(options?: UniqueConsecutiveOptions & { return_inverse?: false; return_counts?: false }): Tensor;
  unique_consecutive(options: UniqueConsecutiveOptions): Tensor[];
  unique_consecutive(...args: unknown[]): Tensor | Tensor[] {
    return (unique_consecutive as (...a: unknown[]) => Tensor | Tensor[])(this, ...args);
  }

  /**
   * Python's Tensor.split(split_size, dim=0), as torch/_tensor.py: views of consecutive pieces along dim, of
   * split_size each (the last smaller when it does not divide the size) for an int, of the sizes given for a
   * list; see lib/functional.ts.
   */
  split(split_size: number | readonly number[] | Tensor, dim?: number): Tensor[];
  split(split_size: number | readonly number[] | Tensor, options: { dim?: number }): Tensor[];
  split(options: { split_size: number | readonly number[] | Tensor; dim?: number }): Tensor[];
  split(...args: unknown[]): Tensor[] {
    return tensorSplit(this, args);
  }

  /**
   * Python's Tensor.stft(n_fft, hop_length=None, win_length=None, window=None, center=True,
   * pad_mode='reflect', normalized=False, onesided=None, return_complex=None): torch.stft(this, ...), the
   * short-time Fourier transform; see lib/functional.ts.
   */
  stft(n_fft: number, options?: StftOptions): Tensor;
  stft(n_fft: number, hop_length?: number | null, win_length?: number | null, window?: Tensor | null, center?: boolean, pad_mode?: string, normalized?: boolean, onesided?: boolean | null, return_complex?: boolean | null): Tensor;
  stft(options: StftOptions & { n_fft: number }): Tensor;
  stft(...args: unknown[]): Tensor {
    return tensorStft(this, args);
  }

  /**
   * Python's Tensor.lu(pivot=True, get_infos=False), as torch/_tensor.py: the LU factorisation `P A = L U`
   * packed as [LU, pivots], with infos too when get_infos; see torch.lu in lib/functional.ts.
   */
  lu(pivot?: boolean, get_infos?: false): [Tensor, Tensor];
  lu(pivot: boolean, get_infos: true): [Tensor, Tensor, Tensor];
  lu(options: { pivot?: boolean; get_infos: true }): [Tensor, Tensor, Tensor];
  lu(options?: { pivot?: boolean; get_infos?: false }): [Tensor, Tensor];
  lu(...args: unknown[]): Tensor[] {
    return tensorLu(this, args);
  }

  /**
   * Iterates over the first dimension, yielding `select(0, i)` for each i, as Python's `for row in t`; a 0-d
   * tensor cannot be iterated.
   */
  *[Symbol.iterator](): IterableIterator<Tensor> {
    if (this.ndim === 0) throw new TypeError('iteration over a 0-d tensor');
    const n = this.size(0);
    for (let i = 0; i < n; i++) yield _C.select(this, 0, i);
  }

  // ----- in place -----

  /** Fills this tensor with zeros in place and returns it. */
  zero_(): this;
  zero_(options?: unknown, extra?: unknown): this {
    if (options !== undefined || extra !== undefined) return ZERO_INPLACE_METHOD(this, given(options, extra));
    return _C.zero_(this);
  }

  /** Fills this tensor with value in place (converted to its dtype) and returns it. */
  fill_(value: Scalar): this;
  fill_(value: Scalar, options?: unknown, extra?: unknown): this {
    if (options !== undefined || extra !== undefined || isKeywords(value)) return FILL_INPLACE_METHOD(this, given(value, options, extra));
    return _C.fill_(this, value);
  }

  /**
   * Fills this tensor in place with numbers drawn uniformly from [from, to) ([0, 1) by default) and returns
   * it. `generator` picks the random number generator (the default one when null).
   */
  uniform_(from = 0, to = 1, { generator = null }: { generator?: Generator | null } = {}): this {
    return _C.uniform_(this, from, to, generator);
  }

  /**
   * Fills this tensor in place with numbers drawn from the normal distribution N(mean, std^2) (mean 0, std 1
   * by default) and returns it. `generator` picks the random number generator (the default one when null).
   */
  normal_(mean = 0, std = 1, { generator = null }: { generator?: Generator | null } = {}): this {
    return _C.normal_(this, mean, std, generator);
  }

  /**
   * Fills this tensor in place with 1 with probability p and 0 otherwise, independently for each element (p
   * 0.5 by default), and returns it. `generator` picks the random number generator (the default one when
   * null).
   */
  bernoulli_(p = 0.5, { generator = null }: { generator?: Generator | null } = {}): this {
    return _C.bernoulli_(this, p, generator);
  }

  /** Python's random_(): integers drawn uniformly over the dtype's range (or [0, 2^mantissa] for floats). */
  random_({ generator = null }: { generator?: Generator | null } = {}): this {
    return _C.random_(this, generator);
  }

  /**
   * Copies the elements of src into this tensor in place and returns it: src is broadcast to this tensor's
   * shape and converted to its dtype and device. Autograd records the copy.
   */
  copy_(src: Tensor, non_blocking = false): this {
    return _C.copy_(this, src, non_blocking);
  }
}

// The native class's instances take their methods from Tensor.prototype, so
// `t instanceof Tensor` holds for every tensor the addon makes.
Object.setPrototypeOf(native.Tensor.prototype, Tensor.prototype);
registerTensorClass(Tensor);

// Every other method Python's Tensor has, generated from ATen's schemas.
installGeneratedMethods(Tensor.prototype);
