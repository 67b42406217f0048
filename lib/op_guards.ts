// Preconditions of libtorch 1.13 kernels that the kernels assume and do not
// check. Called with arguments that break them, these operators read out of
// bounds or divide by zero and kill the process, under Python too. Almost all
// are internal operators (a leading underscore, or the backward of another
// operator) that PyTorch's public functions only call with checked
// arguments; `torch.ops.aten` reaches them directly, so it checks first.
// Each entry was found by the fuzzer (test/hardening/fuzz.ts) and has its
// crashing call kept in test/hardening/fuzz_crashes.json.
import { aten } from './aten';
import { dtypeFromCode } from './dtype';
import { native } from './native';

/** Throws a clear error when `args` (positional, keywords already placed) would crash the kernel. */
export type OpGuard = (args: readonly unknown[], op: string) => void;

class Arg {
  constructor(
    private readonly op: string,
    private readonly name: string,
    private readonly value: unknown,
  ) {}

  /** The shape of a Tensor argument, [] for a number (which becomes a 0-dim tensor), or undefined when the op call itself will refuse the value. */
  get shape(): number[] | undefined {
    const v = this.value;
    if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return [];
    if (native.isTensor(v) && !native.isDisposed(v as any)) return native.shape(v as any);
    return undefined;
  }

  /** The value of an int argument, or undefined when the op call will refuse it or use the default. */
  get int(): number | undefined {
    const v = this.value;
    if (typeof v === 'boolean') return Number(v);
    if (typeof v === 'bigint') return Number(v);
    return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
  }

  /** The dtype code of a Tensor argument (libtorch's ScalarType), or undefined. */
  get dtypeCode(): number | undefined {
    const v = this.value;
    return native.isTensor(v) && !native.isDisposed(v as any) ? native.scalarType(v as any) : undefined;
  }

  get list(): unknown[] | undefined {
    return Array.isArray(this.value) ? this.value : undefined;
  }

  nonNegative(): void {
    const n = this.int;
    if (n !== undefined && n < 0) this.fail(`must not be negative, got ${n}`);
  }

  fail(problem: string): never {
    throw new RangeError(`${this.op}: argument '${this.name}' ${problem}`);
  }
}

function arg(args: readonly unknown[], op: string, index: number, name: string): Arg {
  return new Arg(op, name, args[index]);
}

const numel = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** A Tensor[] argument the kernel indexes at [0] without looking. */
const nonEmptyList =
  (index: number, name: string): OpGuard =>
  (args, op) => {
    const list = arg(args, op, index, name);
    if (list.list?.length === 0) list.fail('must hold at least one tensor');
  };

const shown = (shape: number[]) => `[${shape.join(', ')}]`;

/**
 * The differentiable RNN cell backwards take gates [batch, k * hidden] and
 * states [batch, hidden] and chunk them without checking; `states` names the
 * state arguments (the optional ones may be null).
 */
const cellBackward =
  (gates: number, gateArgs: [number, string][], stateArgs: [number, string][], biasArgs: [number, string][]): OpGuard =>
  (args, op) => {
    const first = arg(args, op, gateArgs[0][0], gateArgs[0][1]);
    const gs = first.shape;
    if (!gs) return;
    if (gs.length !== 2 || gs[1] % gates !== 0) {
      first.fail(`must have shape [batch, ${gates} * hidden], got ${shown(gs)}`);
    }
    const expect = (list: [number, string][], shape: number[]) => {
      for (const [index, name] of list) {
        const a = arg(args, op, index, name);
        const s = a.shape;
        if (s && s.join() !== shape.join()) a.fail(`must have shape ${shown(shape)}, got ${shown(s)}`);
      }
    };
    expect(gateArgs, gs);
    expect(stateArgs, [gs[0], gs[1] / gates]);
    expect(biasArgs, [gs[1]]);
  };

/**
 * The fused weight-norm kernel (taken for dim 0 or the last dim, as given:
 * other dims fail cleanly or take a composite path) divides by the number of
 * slices of v along dim and reads one g for each.
 */
const weightNorm: OpGuard = (args, op) => {
  const v = arg(args, op, 0, 'v');
  const g = arg(args, op, 1, 'g');
  const vs = v.shape;
  const gs = g.shape;
  const dim = arg(args, op, 2, 'dim').int ?? 0;
  if (!vs || !gs || vs.length === 0 || (dim !== 0 && dim !== vs.length - 1)) return;
  if (vs[dim] === 0) v.fail(`must not be empty along dim ${dim}, got shape ${shown(vs)}`);
  if (numel(gs) !== vs[dim]) g.fail(`must have one element per slice of 'v' along dim ${dim} (${vs[dim]}), got shape ${shown(gs)}`);
};

/** libtorch's histogramdd takes its dimension count from `bins` and reads self's last dim that many times. */
const histogramddBins: OpGuard = (args, op) => {
  const self = arg(args, op, 0, 'self');
  const bins = arg(args, op, 1, 'bins');
  const ss = self.shape;
  const list = bins.list;
  if (!ss || !list || ss.length === 0) return;
  const n = ss[ss.length - 1];
  if (list.length !== n) bins.fail(`must give one bin count per dimension of the histogram (self.size(-1) = ${n}), got ${list.length}`);
};

// Operators the guards read values with.
const aminmax = aten('aminmax');
const item = aten('_local_scalar_dense');
const all = aten('all');
const le = aten('le', 'Tensor');
const slice = aten('slice', 'Tensor');

/** slow_conv3d reshapes its weight by dividing by its sizes before it checks them. */
const conv3dWeight: OpGuard = (args, op) => {
  const weight = arg(args, op, 1, 'weight');
  const ws = weight.shape;
  if (ws && (ws.length === 0 || numel(ws) === 0)) weight.fail(`must be a non-empty 5-d weight [out, in, kT, kH, kW], got shape ${shown(ws)}`);
};

/**
 * SobolEngine's state ops index their tensors as [dimension] and
 * [dimension, 30] int64 (30 = the engine's bit count) without checking.
 */
const SOBOL_BITS = 30;
const INT64 = 4;
function sobol(args: readonly unknown[], op: string, dimIndex: number, expect: [number, string, number[]][]): void {
  const dimArg = arg(args, op, dimIndex, 'dimension');
  const dim = dimArg.int;
  if (dim === undefined) return;
  if (dim < 1 || dim > 21201) dimArg.fail(`must be between 1 and 21201, got ${dim}`);
  for (const [index, name, trailing] of expect) {
    const a = arg(args, op, index, name);
    const want = [dim, ...trailing];
    const s = a.shape;
    if (s && (s.join() !== want.join() || a.dtypeCode !== INT64)) a.fail(`must be an int64 tensor of shape ${shown(want)}`);
  }
}

/** _sobol_engine_ff_ and _sobol_engine_draw: (quasi, n, sobolstate, dimension, num_generated, ...). */
const sobolDraw =
  (first: string): OpGuard =>
  (args, op) => {
    sobol(args, op, 3, [[0, first, []], [2, 'sobolstate', [SOBOL_BITS]]]);
    arg(args, op, 1, 'n').nonNegative();
    arg(args, op, 4, 'num_generated').nonNegative();
  };

/**
 * The `_unsafe` sparse constructors skip the invariant checks of their
 * public forms (indices within the size, compressed indices sorted and
 * bounded), and the next op that reads the tensor (to_dense, add, mm) then
 * writes or reads where its indices point: far outside its memory for an
 * index of 100000. The check is libtorch's own, the one the public
 * constructors run: `validator` names the aten::_validate_sparse_*_args
 * operator, `tensors` the indices and values arguments in its order, `size`
 * the size argument, and `layout` the layout argument for the generic
 * compressed constructor's validator.
 */
const sparseInvariants = (validator: string, tensors: [number, string][], size: number, layout?: number): OpGuard => {
  const validate = aten(validator);
  return (args, op) => {
    // Arguments of the wrong kind are left for the op call to name.
    if (tensors.some(([i, name]) => arg(args, op, i, name).shape === undefined) || !Array.isArray(args[size])) return;
    if (layout !== undefined && typeof args[layout] !== 'number') return;
    const given = tensors.map(([i]) => args[i]);
    try {
      validate(...given, args[size], ...(layout === undefined ? [] : [args[layout]]));
    } catch (err) {
      throw new RangeError(`${op}: the arguments do not make a valid sparse tensor: ${(err as Error).message}`);
    }
  };
};

const COO_ARGS: [number, string][] = [[0, 'indices'], [1, 'values']];
const COMPRESSED_ROWS: [number, string][] = [[0, 'crow_indices'], [1, 'col_indices'], [2, 'values']];
const COMPRESSED_COLUMNS: [number, string][] = [[0, 'ccol_indices'], [1, 'row_indices'], [2, 'values']];

/**
 * The accessors that return a sparse tensor's own indices and values (an
 * alias, as in Python). A write through one (`_indices().fill_(100000)`, a
 * `resize_` of `_values()`, which sets the count of entries) breaks the
 * invariants the constructors checked, and the next read of the tensor goes
 * out of bounds. Refusing writes cannot be done where they happen (any op,
 * and any view of the alias, can write), so these give a copy: a user's
 * writes then cannot reach the tensor, and whatever they read is what the
 * tensor holds. That differs from Python, where the alias is writable:
 * `torch.ops.sparse_aliases(true)` gives libtorch's aliases back, process-wide,
 * for code that writes into them knowing the invariants (as sharp's block()
 * is a documented, process-wide switch).
 */
export const sparseAccessors = new Set([
  'aten::_indices',
  'aten::_values',
  'aten::indices',
  'aten::values',
  'aten::crow_indices',
  'aten::col_indices',
  'aten::ccol_indices',
  'aten::row_indices',
]);

let aliasesAllowed = false;

/** Whether the sparse accessors give aliases (true) or copies (false, the default); `enabled` sets it. */
export function sparse_aliases(enabled?: boolean): boolean {
  if (enabled !== undefined) {
    if (typeof enabled !== 'boolean') throw new TypeError(`torch.ops.sparse_aliases: enabled must be a boolean, got ${typeof enabled}`);
    aliasesAllowed = enabled;
  }
  return aliasesAllowed;
}

const clone = aten('clone');

/** A sparse accessor's result as the policy above gives it. */
export function sparseAccessorResult(result: unknown): unknown {
  return aliasesAllowed || !native.isTensor(result) ? result : clone(result);
}

/** Guards by operator (`aten::name`, every overload) or by overload (`aten::name.overload`). */
export const opGuards: Record<string, OpGuard> = {
  'aten::_sparse_coo_tensor_unsafe': sparseInvariants('_validate_sparse_coo_tensor_args', COO_ARGS, 2),
  // (sparse_dim, dense_dim, size, indices, values, ...)
  'aten::_sparse_coo_tensor_with_dims_and_tensors': sparseInvariants('_validate_sparse_coo_tensor_args', [[3, 'indices'], [4, 'values']], 2),
  'aten::_sparse_csr_tensor_unsafe': sparseInvariants('_validate_sparse_csr_tensor_args', COMPRESSED_ROWS, 3),
  'aten::_sparse_bsr_tensor_unsafe': sparseInvariants('_validate_sparse_bsr_tensor_args', COMPRESSED_ROWS, 3),
  'aten::_sparse_csc_tensor_unsafe': sparseInvariants('_validate_sparse_csc_tensor_args', COMPRESSED_COLUMNS, 3),
  'aten::_sparse_bsc_tensor_unsafe': sparseInvariants('_validate_sparse_bsc_tensor_args', COMPRESSED_COLUMNS, 3),
  // (compressed_indices, plain_indices, values, size, dtype, layout, ...)
  'aten::_sparse_compressed_tensor_unsafe': sparseInvariants(
    '_validate_sparse_compressed_tensor_args',
    [[0, 'compressed_indices'], [1, 'plain_indices'], [2, 'values']],
    3,
    5,
  ),

  'aten::_stack': nonEmptyList(0, 'tensors'),
  'aten::align_tensors': nonEmptyList(0, 'tensors'),

  'aten::_local_scalar_dense': (args, op) => {
    const self = arg(args, op, 0, 'self');
    const shape = self.shape;
    if (shape && numel(shape) !== 1) self.fail(`must have exactly one element, got shape ${shown(shape)}`);
  },

  'aten::native_channel_shuffle': (args, op) => {
    const self = arg(args, op, 0, 'self');
    const groups = arg(args, op, 1, 'groups');
    const shape = self.shape;
    if (shape && shape.length < 3) self.fail(`must have at least 3 dimensions, got ${shape.length}`);
    // The kernel divides by the batch and by the channels (channel_shuffle returns early instead).
    if (shape && (shape[0] === 0 || shape[1] === 0)) self.fail(`must have a non-empty batch and channels, got shape ${shown(shape)}`);
    const g = groups.int;
    if (g !== undefined && g <= 0) groups.fail(`must be positive, got ${g}`);
    if (shape && g !== undefined && shape[1] % g !== 0) {
      groups.fail(`must divide the number of channels (${shape[1]}), got ${g}`);
    }
  },

  'aten::_weight_norm_interface': weightNorm,
  'aten::_weight_norm': weightNorm,

  'aten::_compute_linear_combination': (args, op) => {
    const input = arg(args, op, 0, 'input');
    const coefficients = arg(args, op, 1, 'coefficients');
    const is = input.shape;
    const cs = coefficients.shape;
    if (!is || !cs) return;
    if (is.length === 0) input.fail('must have at least one dimension (the summands)');
    if (cs.length !== 2) coefficients.fail(`must be a matrix [outputs, summands], got shape ${shown(cs)}`);
    if (cs[1] !== is[0]) coefficients.fail(`must have as many columns as 'input' has summands (${is[0]}), got shape ${shown(cs)}`);
  },

  'aten::_transform_bias_rescale_qkv': (args, op) => {
    const qkv = arg(args, op, 0, 'qkv');
    const bias = arg(args, op, 1, 'qkv_bias');
    const heads = arg(args, op, 2, 'num_heads');
    const qs = qkv.shape;
    const bs = bias.shape;
    const h = heads.int;
    if (h !== undefined && h <= 0) heads.fail(`must be positive, got ${h}`);
    if (!qs || !bs) return;
    if (qs.length !== 3 || qs[2] % 3 !== 0 || qs[0] === 0) {
      qkv.fail(`must have shape [batch, tokens, 3 * embedding] with a non-empty batch, got ${shown(qs)}`);
    }
    if (bs.length !== 1 || bs[0] !== qs[2]) bias.fail(`must have shape [${qs[2]}], got ${shown(bs)}`);
    if (h !== undefined && (qs[2] / 3) % h !== 0) heads.fail(`must divide the embedding size (${qs[2] / 3}), got ${h}`);
  },

  'aten::_thnn_differentiable_gru_cell_backward': cellBackward(
    3,
    [[1, 'input_gates'], [2, 'hidden_gates']],
    [[0, 'grad_hy'], [3, 'hx']],
    [[4, 'input_bias'], [5, 'hidden_bias']],
  ),
  'aten::_thnn_differentiable_lstm_cell_backward': cellBackward(
    4,
    [[2, 'input_gates'], [3, 'hidden_gates']],
    [[0, 'grad_hy'], [1, 'grad_cy'], [6, 'cx'], [7, 'cy']],
    [[4, 'input_bias'], [5, 'hidden_bias']],
  ),

  'aten::_new_zeros_with_same_feature_meta': (args, op) => {
    const self = arg(args, op, 0, 'self');
    const batch = arg(args, op, 2, 'self_num_batch_dims');
    const n = batch.int;
    const ss = self.shape;
    // The kernel slices self's sizes at this count without checking it.
    if (n !== undefined && ss && (n < 0 || n > ss.length)) batch.fail(`must be between 0 and self.dim() (${ss.length}), got ${n}`);
  },

  'aten::histogramdd': (args, op) => {
    if (Array.isArray(args[1])) histogramddBins(args, op);
  },
  'aten::_histogramdd_bin_edges': histogramddBins,
  'aten::_histogramdd_from_bin_cts': histogramddBins,

  'aten::_convert_indices_from_coo_to_csr': (args, op) => {
    const self = arg(args, op, 0, 'self');
    const size = arg(args, op, 1, 'size').int;
    const ss = self.shape;
    const v = args[0];
    if (!ss || size === undefined) return;
    if (ss.length !== 1) self.fail(`must be a vector of row indices, got shape ${shown(ss)}`);
    if (ss[0] === 0 || !native.isTensor(v)) return;
    // The kernel writes at the offsets the (sorted) row indices give.
    const [lo, hi] = aminmax(v).map((t: unknown) => Number(item(t)));
    if (lo < 0 || hi >= size) self.fail(`must hold row indices in [0, ${size}), got values from ${lo} to ${hi}`);
    if (!item(all(le(slice(v, 0, 0, -1), slice(v, 0, 1))))) {
      self.fail('must hold row indices sorted in ascending order');
    }
  },

  'aten::slow_conv3d': conv3dWeight,
  'aten::slow_conv3d_forward': conv3dWeight,

  'aten::_sobol_engine_initialize_state_': (args, op) => sobol(args, op, 1, [[0, 'self', [SOBOL_BITS]]]),
  'aten::_sobol_engine_scramble_': (args, op) => sobol(args, op, 2, [[0, 'self', [SOBOL_BITS]], [1, 'ltm', [SOBOL_BITS, SOBOL_BITS]]]),
  'aten::_sobol_engine_ff_': sobolDraw('self'),
  'aten::_sobol_engine_draw': sobolDraw('quasi'),

  'aten::lu_unpack': (args, op) => {
    const lu = arg(args, op, 0, 'LU_data');
    const pivots = arg(args, op, 1, 'LU_pivots');
    const ls = lu.shape;
    const ps = pivots.shape;
    if (!ls || !ps || ls.length < 2) return;
    // The kernel reads min(m, n) pivots for each matrix of the batch.
    const want = [...ls.slice(0, -2), Math.min(ls[ls.length - 2], ls[ls.length - 1])];
    if (ps.join() !== want.join()) pivots.fail(`must have shape ${shown(want)} for LU_data of shape ${shown(ls)}, got ${shown(ps)}`);
  },

  'aten::_adaptive_avg_pool2d_backward': (args, op) => {
    const grad = arg(args, op, 0, 'grad_output');
    const self = arg(args, op, 1, 'self');
    const gs = grad.shape;
    const ss = self.shape;
    if (!gs || !ss) return;
    // The kernel walks self's planes and grad_output's cells with no check that they agree.
    if (ss.length !== 3 && ss.length !== 4) self.fail(`must be 3-d or 4-d ([N,] C, H, W), got shape ${shown(ss)}`);
    if (gs.length !== ss.length || gs.slice(0, -2).join() !== ss.slice(0, -2).join()) {
      grad.fail(`must have the batch and channels of 'self' ${shown(ss)} and output spatial sizes, got ${shown(gs)}`);
    }
  },

  'aten::pixel_shuffle': (args, op) => {
    const self = arg(args, op, 0, 'self');
    const factor = arg(args, op, 1, 'upscale_factor');
    const ss = self.shape;
    const f = factor.int;
    // libtorch squares the factor in int64, which wraps to 0 from 2^32 on.
    const channels = ss && ss.length >= 3 ? ss[ss.length - 3] : undefined;
    if (channels !== undefined && f !== undefined && f > 0 && (f >= 2 ** 31 || (channels > 0 && f * f > channels))) {
      factor.fail(`squared must divide the channel count (input.size(-3) = ${channels}), got ${f}`);
    }
  },

  'aten::matrix_exp_backward': (args, op) => {
    const self = arg(args, op, 0, 'self');
    const grad = arg(args, op, 1, 'grad');
    const ss = self.shape;
    const gs = grad.shape;
    if (ss && (ss.length < 2 || ss[ss.length - 1] !== ss[ss.length - 2])) {
      self.fail(`must be a square matrix or a batch of them, got shape ${shown(ss)}`);
    }
    if (ss && gs && gs.join() !== ss.join()) grad.fail(`must have the shape of 'self' ${shown(ss)}, got ${shown(gs)}`);
  },
  // A view with the sizes and strides given, over self's storage, that the
  // kernel never checks against it: _reshape_alias(empty(0), [1, 1], [-1, 1])
  // reads memory that was never allocated. Python's reshape only asks it for
  // a view of self's own elements, so a view must reach no further than self.
  // The _copy form makes the same view and clones it.
  'aten::_reshape_alias': reshapeAlias,
  'aten::_reshape_alias_copy': reshapeAlias,
  'aten::_reshape_alias_copy.out': reshapeAlias,

  'aten::set_.source_Tensor_storage_offset': (args, op) => {
    const [self, source] = args;
    if (!strided(self) || !strided(source)) return;
    const offset = arg(args, op, 2, 'storage_offset');
    const size = arg(args, op, 3, 'size');
    const stride = arg(args, op, 4, 'stride');
    const sizes = ints(size.list);
    // stride=[] (the default) asks for contiguous strides.
    const strides = args[4] === undefined ? [] : ints(stride.list);
    const at = offset.int;
    if (at === undefined || !sizes || !strides) return;
    offset.nonNegative();
    if (sizes.some((d) => d < 0)) size.fail(`must not be negative, got ${shown(sizes)}`);
    if (strides.length > 0 && strides.length !== sizes.length) {
      stride.fail(`must have one entry per dimension of 'size' ${shown(sizes)}, got ${shown(strides)}`);
    }
    if (strides.some((d) => d < 0)) stride.fail(`must not be negative, got ${shown(strides)}`);
    viewFits(op, self, source, sizes, strides.length > 0 ? strides : contiguousStrides(sizes), at);
  },
  // set_(source) views source's elements as source does, in self's dtype:
  // with a wider dtype than source's, that reaches past source's storage
  // (Python's binding asserts the dtypes equal; the operator does not).
  'aten::set_.source_Tensor': sameView,
  'aten::set.source_Tensor': sameView,
  'aten::set.source_Tensor_out': sameView,
};

/**
 * set_(self, source, storage_offset, size, stride) points self at source's
 * storage with the view given. libtorch checks that view against the storage
 * only when it has to grow the storage to hold it, and it does not grow it
 * when size and stride are self's own already: set_(x, empty(0), 2 ** 40, x.shape)
 * gave x three elements at 2^40 bytes into a storage of none, and the next op
 * crashed, as it does under Python 1.13. A view must fit in the storage it is
 * given. Python grows a storage too small for the view instead (when the
 * sizes differ), and a failed growth there leaves self pointing past its
 * storage, so the growth is refused too: make the storage large enough first.
 */
function viewFits(op: string, self: object, source: object, sizes: number[], strides: number[], offset: number): void {
  const itemsize = native.elementSize(self);
  const nbytes = native.storageNbytes(source);
  const reach = viewReach(sizes, strides);
  const needed = reach < 0 ? 0 : (offset + reach + 1) * itemsize;
  if (needed > nbytes) {
    throw new RangeError(
      `${op}: a view of size ${shown(sizes)}, stride ${shown(strides)} and storage offset ${offset} ` +
        `(${itemsize}-byte elements) needs ${needed} bytes of storage, but the source's storage has ${nbytes} bytes`,
    );
  }
}

function sameView(args: readonly unknown[], op: string): void {
  const [self, source] = args;
  if (!strided(self) || !strided(source)) return;
  if (native.scalarType(self) !== native.scalarType(source)) {
    arg(args, op, 1, 'source').fail(`must have self's dtype (${dtypeName(self)}), got ${dtypeName(source)}`);
  }
  viewFits(op, self, source, native.shape(source), native.strides(source), native.storageOffset(source));
}

function reshapeAlias(args: readonly unknown[], op: string): void {
  const self = args[0];
  const size = arg(args, op, 1, 'size');
  const stride = arg(args, op, 2, 'stride');
  const sizes = size.list;
  const strides = stride.list;
  if (!native.isTensor(self) || native.isDisposed(self as any) || !sizes || !strides) return;
  if (!sizes.every((d) => Number.isInteger(d)) || !strides.every((d) => Number.isInteger(d))) return;
  if ((sizes as number[]).some((d) => d < 0)) size.fail(`must not be negative, got ${shown(sizes as number[])}`);
  if (sizes.length !== strides.length) stride.fail(`must have one entry per dimension of 'size' ${shown(sizes as number[])}, got ${shown(strides as number[])}`);
  if ((strides as number[]).some((d) => d < 0)) stride.fail(`must not be negative, got ${shown(strides as number[])}`);
  const reach = viewReach(sizes as number[], strides as number[]);
  const selfReach = viewReach(native.shape(self as any), native.strides(self as any));
  if (reach > selfReach) {
    size.fail(`with stride ${shown(strides as number[])} reaches element ${reach} past self's first, beyond the ${selfReach < 0 ? 'none' : selfReach} self reaches (shape ${shown(native.shape(self as any))})`);
  }
}

/** A live strided tensor, whose storage the guards can measure (sparse ones have none: the op call refuses them). */
function strided(v: unknown): v is object {
  return native.isTensor(v) && !native.isDisposed(v as object) && native.layout(v as object) === STRIDED;
}
const STRIDED = 0;

/** A list of integers (bigints included), or undefined when the op call itself will refuse it. */
function ints(list: unknown[] | undefined): number[] | undefined {
  if (!list || !list.every((d) => Number.isInteger(d) || typeof d === 'bigint')) return undefined;
  return list.map(Number);
}

function contiguousStrides(sizes: number[]): number[] {
  const strides = sizes.map(() => 1);
  for (let i = sizes.length - 2; i >= 0; i--) strides[i] = strides[i + 1] * Math.max(sizes[i + 1], 1);
  return strides;
}

function dtypeName(t: object): string {
  const code = native.scalarType(t);
  try {
    return String(dtypeFromCode(code));
  } catch {
    return `scalar type ${code}`; // a quantized tensor: torchts has no dtype object for it
  }
}

/** The furthest element (from its first) a view of these sizes and strides reads; -1 when it has none. */
function viewReach(sizes: number[], strides: number[]): number {
  if (sizes.some((d) => d <= 0)) return -1;
  return sizes.reduce((far, d, i) => far + (d - 1) * strides[i], 0);
}
