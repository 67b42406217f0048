// torch/functional.py: the torch.* functions Python writes in Python over
// ATen operators (torch._VF), for variadic arguments (`broadcast_tensors(a,
// b, c)`), string options (`cdist`'s compute_mode, `norm`'s 'fro' and 'nuc')
// or results it trims (`unique`, `lu`); and the Tensor methods torch/_tensor.py
// defines over them. Each binds its arguments with Python's parameters through
// the one binder, and calls the ATen operators through the generated bindings,
// which are Python's _VF.
import { didYouMean, PYTHON_DEF, PYTHON_DEFS_SUGGEST_KEYWORDS, PythonArgParser, splitKeywords } from './_arg_parser';
import { binding, namespaceFunction } from './_dispatch';
import { aten } from './aten';
import { libtorchAtLeast } from './_libtorch_version';
import type { dtype } from './dtype';
import { strided } from './layout';
import { native } from './native';
import { Size } from './size';
import type { Tensor } from './tensor';

/** torch._VF.<name>: the generated binding of an ATen operator, by Python's own rules. */
const VF = (name: string) => namespaceFunction('torch', name);
const _VF = {
  broadcast_tensors: VF('broadcast_tensors'),
  block_diag: VF('block_diag'),
  cartesian_prod: VF('cartesian_prod'),
  cdist: VF('cdist'),
  chain_matmul: VF('chain_matmul'),
  atleast_1d: VF('atleast_1d'),
  atleast_2d: VF('atleast_2d'),
  atleast_3d: VF('atleast_3d'),
  meshgrid: VF('meshgrid'),
  einsum: VF('einsum'),
  tensordot: VF('tensordot'),
  norm: VF('norm'),
  frobenius_norm: VF('frobenius_norm'),
  nuclear_norm: VF('nuclear_norm'),
  _lu_with_info: VF('_lu_with_info'),
};

/** A Tensor method's generated binding (Python's `Tensor.<name>` from C++), called on self. */
function method(name: string): (self: Tensor, ...args: unknown[]) => any {
  let b: ReturnType<typeof binding> | undefined;
  return (self, ...args) => (b ??= binding('tensor', name)).call(self, args);
}
const _split = method('split');
const _split_with_sizes = method('split_with_sizes');
const _stft = method('stft');

/** These are Python defs (torch/functional.py, torch/_tensor.py): an unknown keyword is worded as CPython words it (_arg_parser.ts). */

/**
 * Python's `def f(*args, k=None)`: the positionals as given, and the keywords,
 * of which only those named are accepted.
 */
function varargs(name: string, args: readonly unknown[], keywords: readonly string[] = []): [unknown[], Record<string, unknown>] {
  const [positional, kw] = splitKeywords(args);
  for (const key in kw) {
    if (keywords.includes(key)) continue;
    throw new TypeError(`${name}() got an unexpected keyword argument '${key}'${PYTHON_DEFS_SUGGEST_KEYWORDS ? didYouMean(key, keywords) : ''}`);
  }
  return [positional as unknown[], kw ?? {}];
}

function isTensor(v: unknown): v is Tensor {
  return typeof v === 'object' && v !== null && native.isTensor(v);
}

/** Python's `if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)): tensors = tensors[0]`. */
function oneListOrMany(args: unknown[]): unknown[] {
  return args.length === 1 && Array.isArray(args[0]) ? (args[0] as unknown[]) : args;
}

// ----- broadcasting -----

/**
 * torch.broadcast_tensors(*tensors): the tensors expanded to their common broadcast shape (each size the
 * largest of the aligned sizes, where the others are 1 or absent), as views: more than one element may share
 * one memory location, so clone before writing.
 */
export function broadcast_tensors(...tensors: Tensor[]): Tensor[] {
  const [ts] = varargs('broadcast_tensors', tensors);
  return _VF.broadcast_tensors(ts);
}

/**
 * torch.broadcast_shapes(*shapes): the shape broadcast_tensors would give tensors of these shapes (each an
 * int or a list of ints), computed without making tensors: right-aligned, each size the one that is not 1.
 */
export function broadcast_shapes(...shapes: (number | readonly number[])[]): Size {
  const [ss] = varargs('broadcast_shapes', shapes);
  const lists = ss.map((s) => {
    if (typeof s === 'number') return [s];
    if (Array.isArray(s) && s.every((d) => typeof d === 'number')) return s as number[];
    throw new TypeError(`broadcast_shapes(): input shapes should be of type ints, a tuple of ints, or a list of ints, got ${String(s)}`);
  });
  const result: number[] = new Array(Math.max(0, ...lists.map((s) => s.length))).fill(1);
  for (const shape of lists) {
    for (let i = -1; i >= -shape.length; i--) {
      const d = shape[shape.length + i];
      if (d < 0) throw new RangeError(`broadcast_shapes(): trying to create tensor with negative dimension (${d}): (${d})`);
      const at = result.length + i;
      if (d === 1 || d === result[at]) continue;
      if (result[at] !== 1) throw new RangeError('broadcast_shapes(): shape mismatch: objects cannot be broadcast to a single shape');
      result[at] = d;
    }
  }
  return Size.fromDims(result);
}

// ----- building tensors from tensors -----

/**
 * torch.block_diag(*tensors): the block diagonal matrix of the tensors (each 0-, 1- or 2-D, taken as a
 * matrix of one row when 1-D), placed corner to corner along the diagonal with zeros elsewhere: shape
 * (sum of rows, sum of columns).
 */
export function block_diag(...tensors: Tensor[]): Tensor {
  const [ts] = varargs('block_diag', tensors);
  return _VF.block_diag(ts);
}

/**
 * torch.cartesian_prod(*tensors): the cartesian product of 1-D tensors, as Python's itertools.product: a
 * tensor of shape (prod_i n_i, k) for k inputs (one input is returned as it is).
 */
export function cartesian_prod(...tensors: Tensor[]): Tensor {
  const [ts] = varargs('cartesian_prod', tensors);
  return _VF.cartesian_prod(ts);
}

/**
 * torch.meshgrid(*tensors, indexing=None): for N 1-D tensors of sizes s_1..s_N, N tensors of shape (s_1, ...,
 * s_N), the i-th repeating tensor i along dimension i: `out_i[j_1, ..., j_N] = t_i[j_i]`. indexing 'ij' (the
 * default) is matrix indexing; 'xy' swaps the first two dimensions (cartesian indexing). Takes the tensors
 * as arguments or as one list.
 */
export function meshgrid(...args: (Tensor | readonly Tensor[] | { indexing?: 'ij' | 'xy' | null })[]): Tensor[] {
  const [ts, { indexing }] = varargs('meshgrid', args, ['indexing']);
  const tensors = oneListOrMany(ts);
  return indexing == null ? _VF.meshgrid(tensors) : _VF.meshgrid(tensors, { indexing });
}

/**
 * torch.atleast_1d(*tensors): each tensor viewed with at least one dimension (a 0-d tensor becomes shape
 * (1,)); one tensor gives a tensor, several (or one list) a list.
 */
export function atleast_1d(tensor: Tensor): Tensor;
export function atleast_1d(...tensors: (Tensor | readonly Tensor[])[]): Tensor[];
export function atleast_1d(...tensors: unknown[]): Tensor | Tensor[] {
  const [ts] = varargs('atleast_1d', tensors);
  return _VF.atleast_1d(ts.length === 1 ? ts[0] : ts);
}

/**
 * torch.atleast_2d(*tensors): each tensor viewed with at least two dimensions (0-d gives (1, 1), (n,) gives
 * (1, n)); one tensor gives a tensor, several (or one list) a list.
 */
export function atleast_2d(tensor: Tensor): Tensor;
export function atleast_2d(...tensors: (Tensor | readonly Tensor[])[]): Tensor[];
export function atleast_2d(...tensors: unknown[]): Tensor | Tensor[] {
  const [ts] = varargs('atleast_2d', tensors);
  return _VF.atleast_2d(ts.length === 1 ? ts[0] : ts);
}

/**
 * torch.atleast_3d(*tensors): each tensor viewed with at least three dimensions (0-d gives (1, 1, 1), (n,)
 * gives (1, n, 1), (m, n) gives (m, n, 1)); one tensor gives a tensor, several (or one list) a list.
 */
export function atleast_3d(tensor: Tensor): Tensor;
export function atleast_3d(...tensors: (Tensor | readonly Tensor[])[]): Tensor[];
export function atleast_3d(...tensors: unknown[]): Tensor | Tensor[] {
  const [ts] = varargs('atleast_3d', tensors);
  return _VF.atleast_3d(ts.length === 1 ? ts[0] : ts);
}

/** torch.align_tensors(*tensors): named tensors' alignment, which PyTorch has not implemented; always throws. */
export function align_tensors(..._tensors: Tensor[]): never {
  throw new Error('align_tensors(): `align_tensors` not yet implemented.');
}

// ----- products -----

/**
 * torch.chain_matmul(*matrices, out=None): the product `M_1 @ M_2 @ ... @ M_N` of 2-D tensors, in the order
 * of multiplications that costs the fewest operations (deprecated for torch.linalg.multi_dot).
 */
export function chain_matmul(...matrices: (Tensor | { out?: Tensor | null })[]): Tensor {
  const [ms, { out }] = varargs('chain_matmul', matrices, ['out']);
  return out == null ? _VF.chain_matmul(ms) : _VF.chain_matmul(ms, { out });
}

/** einsum's subscript-list form: Python's parse_subscript, 0-25 as 'A'-'Z', 26-51 as 'a'-'z', '...' as itself. */
function subscript(n: unknown): string {
  if (n === '...') return '...';
  if (typeof n === 'number' && Number.isInteger(n) && n >= 0 && n < 26) return String.fromCharCode(65 + n);
  if (typeof n === 'number' && Number.isInteger(n) && n >= 26 && n < 52) return String.fromCharCode(97 + n - 26);
  throw new RangeError('einsum(): subscript in subscript list is not within the valid range [0, 52)');
}

function subscripts(list: unknown): string {
  if (!Array.isArray(list)) throw new TypeError(`einsum(): expected a list of subscripts, got ${typeof list}`);
  return list.map(subscript).join('');
}

/**
 * torch.einsum(equation, *operands): the sum over the equation's repeated subscripts of the product of the
 * operands' elements, Einstein's summation: `einsum('ij,jk->ik', a, b)` is `out[i,k] = sum_j a[i,j] b[j,k]`;
 * without `->` the output subscripts are those appearing once, sorted; `...` stands for the broadcast
 * dimensions. The operands come as arguments or as one list; the subscript-list form `einsum(a, [0, 1], b,
 * [1, 2], [0, 2])` (0-51 for letters, '...' for the ellipsis) is the same as 'AB,BC->AC'.
 */
export function einsum(equation: string, ...operands: (Tensor | readonly Tensor[])[]): Tensor;
export function einsum(...operandsAndSubscripts: (Tensor | readonly (number | '...')[])[]): Tensor;
export function einsum(...args: unknown[]): Tensor {
  const [as] = varargs('einsum', args);
  if (as.length < 2) {
    throw new TypeError('einsum(): must specify the equation string and at least one operand, or at least one operand and its subscripts list');
  }
  let equation: string;
  let operands: unknown[];
  if (isTensor(as[0])) {
    // Operands at even positions, each followed by its subscript list; an odd count ends with the output's.
    const inputs = as.filter((_, i) => i % 2 === 1);
    equation = inputs.map(subscripts).join(',');
    if (as.length % 2 === 1) equation += '->' + subscripts(as[as.length - 1]);
    operands = as.filter((_, i) => i % 2 === 0 && (as.length % 2 === 0 || i < as.length - 1));
  } else {
    equation = as[0] as string;
    operands = oneListOrMany(as.slice(1));
  }
  // torch.backends.opt_einsum is not available here: the contraction order is left to ATen, as Python does
  // without the opt_einsum package.
  return _VF.einsum(equation, operands);
}

const TENSORDOT = new PythonArgParser(['tensordot(Tensor a, Tensor b, Any dims=2, Tensor? out=None)'], PYTHON_DEF);

/**
 * torch.tensordot(a, b, dims=2, out=None): the contraction of a and b over dims: an int n sums over the last
 * n dimensions of a and the first n of b (`out[i.., k..] = sum_j a[i.., j..] b[j.., k..]`); a pair of lists
 * [dims_a, dims_b] (or a 2-row tensor) names the dimensions paired; a one-element tensor is an int.
 */
export function tensordot(a: Tensor, b: Tensor, dims?: number | readonly [number | readonly number[], number | readonly number[]] | Tensor, options?: { out?: Tensor | null }): Tensor;
export function tensordot(a: Tensor, b: Tensor, options: { dims?: number | readonly [readonly number[], readonly number[]] | Tensor; out?: Tensor | null }): Tensor;
export function tensordot(...args: unknown[]): Tensor {
  const { a, b, dims, out } = TENSORDOT.parseNamed(args) as unknown as { a: Tensor; b: Tensor; dims: unknown; out: Tensor | null };
  let dimsA: unknown;
  let dimsB: unknown;
  const range = (n: number): [number[], number[]] => {
    if (n < 0) throw new RangeError(`tensordot expects dims >= 0, but got dims=${n}`);
    return [Array.from({ length: n }, (_, i) => i - n), Array.from({ length: n }, (_, i) => i)];
  };
  if (Array.isArray(dims)) {
    if (dims.length !== 2) throw new TypeError(`tensordot(): dims must be a pair of lists, got ${dims.length} items`);
    [dimsA, dimsB] = dims;
  } else if (isTensor(dims)) {
    if (dims.numel() > 1) {
      if (dims.size(0) !== 2) throw new RangeError(`tensordot(): a dims tensor must have 2 rows, got ${dims.size(0)}`);
      dimsA = dims.select(0, 0).tolist();
      dimsB = dims.select(0, 1).tolist();
    } else {
      [dimsA, dimsB] = range(Math.trunc(dims.item()));
    }
  } else if (typeof dims === 'number' && Number.isInteger(dims)) {
    [dimsA, dimsB] = range(dims);
  } else {
    throw new TypeError(
      `tensordot expects dims to be int or Tuple[List[int], List[int]] or List[List[int]] containing two lists, but got dims=${String(dims)}`,
    );
  }
  return out === null ? _VF.tensordot(a, b, dimsA, dimsB) : _VF.tensordot(a, b, dimsA, dimsB, { out });
}

// ----- distances and norms -----

const CDIST = new PythonArgParser(['cdist(Tensor x1, Tensor x2, double p=2., str compute_mode="use_mm_for_euclid_dist_if_necessary")'], PYTHON_DEF);
const COMPUTE_MODES: Record<string, number | null> = {
  use_mm_for_euclid_dist_if_necessary: null,
  use_mm_for_euclid_dist: 1,
  donot_use_mm_for_euclid_dist: 2,
};

/**
 * torch.cdist(x1, x2, p=2.0, compute_mode='use_mm_for_euclid_dist_if_necessary'): the p-norm distance between
 * each pair of rows, `out[.., i, j] = ||x1[.., i, :] - x2[.., j, :]||_p`, for x1 (B, P, M) and x2 (B, R, M)
 * giving (B, P, R). For p = 2, compute_mode 'use_mm_for_euclid_dist' computes through a matrix product
 * (faster, less exact), 'donot_use_mm_for_euclid_dist' never does, and the default does when P or R exceeds
 * 25.
 */
export function cdist(x1: Tensor, x2: Tensor, p?: number, compute_mode?: string): Tensor;
export function cdist(x1: Tensor, x2: Tensor, options: { p?: number; compute_mode?: string }): Tensor;
export function cdist(x1: Tensor, x2: Tensor, p: number, options: { compute_mode?: string }): Tensor;
export function cdist(...args: unknown[]): Tensor {
  const { x1, x2, p, compute_mode } = CDIST.parseNamed(args) as unknown as { x1: Tensor; x2: Tensor; p: number; compute_mode: string };
  if (!Object.prototype.hasOwnProperty.call(COMPUTE_MODES, compute_mode)) {
    throw new RangeError(`cdist(): ${compute_mode} is not a valid value for compute_mode`);
  }
  return _VF.cdist(x1, x2, p, COMPUTE_MODES[compute_mode]);
}

const NORM = new PythonArgParser(['norm(Tensor input, Any? p="fro", Any dim=None, bool keepdim=False, Tensor? out=None, ScalarType? dtype=None)'], PYTHON_DEF);
const TENSOR_NORM = new PythonArgParser(['norm(Any? p="fro", Any dim=None, bool keepdim=False, ScalarType? dtype=None)'], PYTHON_DEF);

/** The options of torch.norm, Python's keywords. */
export interface NormOptions {
  p?: number | 'fro' | 'nuc' | null;
  dim?: number | readonly number[] | null;
  keepdim?: boolean;
  out?: Tensor | null;
  dtype?: dtype | null;
}

/**
 * PyTorch 2.x's torch.norm hands a strided tensor on the CPU or CUDA to
 * torch.linalg: vector_norm (p a number, or 'fro' over at most two dims),
 * else matrix_norm; so it takes a dtype with 'fro' too (1.13 refused it).
 */
const TORCH2_LINALG_NORM = libtorchAtLeast(2);
const linalg = { vector_norm: namespaceFunction('linalg', 'vector_norm'), matrix_norm: namespaceFunction('linalg', 'matrix_norm') };

function normImpl(input: Tensor, p: unknown, dim: unknown, keepdim: boolean, out: Tensor | null, dtype: dtype | null): Tensor {
  const ndim = input.dim();
  const all = () => Array.from({ length: ndim }, (_, i) => i);
  if (p !== null && typeof p !== 'string' && typeof p !== 'number') throw new TypeError(`norm(): argument 'p' must be a number, 'fro', 'nuc' or null, not ${typeof p}`);
  if (dim !== null && typeof dim !== 'number' && !Array.isArray(dim)) throw new TypeError(`norm(): argument 'dim' must be an int, a list of ints or null, not ${typeof dim}`);
  if (TORCH2_LINALG_NORM && input.layout === strided && ['cpu', 'cuda', 'meta'].includes(input.device.type)) {
    const dims = dim === null ? null : typeof dim === 'number' ? [dim] : (dim as number[]);
    const kw = { dtype, ...(out === null ? {} : { out }) };
    if (typeof p === 'string') {
      if (p === 'fro' && (dim === null || typeof dim === 'number' || (dim as number[]).length <= 2)) return linalg.vector_norm(input, 2, dims, keepdim, kw);
      return linalg.matrix_norm(input, p, dims ?? all(), keepdim, kw);
    }
    return linalg.vector_norm(input, p ?? 2.0, dims, keepdim, kw);
  }
  // Python's default case: the whole tensor.
  if (dim === null && out === null && dtype === null && p !== null) {
    if (p === 'fro') return _VF.frobenius_norm(input, [], { keepdim });
    if (typeof p !== 'string') return _VF.norm(input, p, all(), { keepdim });
  }
  const dims = dim === null ? null : typeof dim === 'number' ? [dim] : dim;
  const outKw = out === null ? {} : { out };
  if (typeof p === 'string') {
    if (p === 'fro') {
      if (dtype !== null) throw new TypeError('norm(): dtype argument is not supported in frobenius norm');
      return _VF.frobenius_norm(input, dims ?? all(), { keepdim, ...outKw });
    }
    if (p === 'nuc') {
      if (dtype !== null) throw new TypeError('norm(): dtype argument is not supported in nuclear norm');
      return dims === null ? _VF.nuclear_norm(input, { keepdim, ...outKw }) : _VF.nuclear_norm(input, dims, { keepdim, ...outKw });
    }
    throw new RangeError(`norm(): only valid string values are 'fro' and 'nuc', found ${p}`);
  }
  return _VF.norm(input, p, dims ?? all(), { keepdim, ...outKw, ...(dtype === null ? {} : { dtype }) });
}

/**
 * torch.norm(input, p='fro', dim=None, keepdim=False, out=None, dtype=None): a matrix or vector norm. p a
 * number is the vector p-norm `(sum_i |x_i|^p)^(1/p)` over dim (all dimensions when null; Infinity gives
 * max |x_i|, -Infinity min |x_i|, 0 the count of non-zeros); 'fro' the Frobenius norm `sqrt(sum_ij |x_ij|^2)`
 * over dim; 'nuc' the nuclear norm, the sum of the singular values of the matrices over the two dims (the
 * last two when null). `keepdim` keeps reduced dimensions with size 1; `dtype` casts first (not with 'fro'
 * or 'nuc'). Deprecated in Python for torch.linalg.norm, whose results it matches.
 */
export function norm(input: Tensor, p?: number | 'fro' | 'nuc' | null, dim?: number | readonly number[] | null, keepdim?: boolean, out?: Tensor | null, dtype?: dtype | null): Tensor;
export function norm(input: Tensor, options: NormOptions): Tensor;
export function norm(input: Tensor, p: number | 'fro' | 'nuc' | null, options: Omit<NormOptions, 'p'>): Tensor;
export function norm(input: Tensor, p: number | 'fro' | 'nuc' | null, dim: number | readonly number[] | null, options: Omit<NormOptions, 'p' | 'dim'>): Tensor;
export function norm(...args: unknown[]): Tensor {
  const a = NORM.parseNamed(args);
  return normImpl(a.input as Tensor, a.p, a.dim, a.keepdim as boolean, a.out as Tensor | null, a.dtype as dtype | null);
}

/** Tensor.norm(p='fro', dim=None, keepdim=False, dtype=None), as torch/_tensor.py: torch.norm(self, ...). */
export function tensorNorm(self: Tensor, args: unknown[]): Tensor {
  const a = TENSOR_NORM.parseNamed(args);
  return normImpl(self, a.p, a.dim, a.keepdim as boolean, null, a.dtype as dtype | null);
}

// ----- split -----

const SPLIT = new PythonArgParser(['split(Tensor tensor, Any split_size_or_sections, int64_t dim=0)'], PYTHON_DEF);
const TENSOR_SPLIT = new PythonArgParser(['split(Any split_size, int64_t dim=0)'], PYTHON_DEF);

/** torch/_tensor.py's Tensor.split: an int (or a tensor holding one) splits in equal pieces, a list by sizes. */
function splitImpl(self: Tensor, splitSize: unknown, dim: number): Tensor[] {
  let size = splitSize;
  if (isTensor(size) && size.numel() === 1 && !size.is_floating_point()) size = size.item();
  if (typeof size === 'number') return _split(self, size, dim);
  return _split_with_sizes(self, size, dim);
}

/**
 * torch.split(tensor, split_size_or_sections, dim=0): views of consecutive pieces along dim: an int n gives
 * pieces of size n (the last smaller when n does not divide the size), a list gives pieces of those sizes,
 * which must sum to the size.
 */
export function split(tensor: Tensor, split_size_or_sections: number | readonly number[], dim?: number): Tensor[];
export function split(tensor: Tensor, split_size_or_sections: number | readonly number[], options: { dim?: number }): Tensor[];
export function split(tensor: Tensor, options: { split_size_or_sections: number | readonly number[]; dim?: number }): Tensor[];
export function split(...args: unknown[]): Tensor[] {
  const a = SPLIT.parseNamed(args);
  return splitImpl(a.tensor as Tensor, a.split_size_or_sections, a.dim as number);
}

/** Tensor.split(split_size, dim=0), as torch/_tensor.py. */
export function tensorSplit(self: Tensor, args: unknown[]): Tensor[] {
  const a = TENSOR_SPLIT.parseNamed(args);
  return splitImpl(self, a.split_size, a.dim as number);
}

// ----- short-time Fourier transform -----

// 2.14's stft takes align_to_window (absent from 2.6; the versions between follow 2.6).
const STFT_ALIGN = libtorchAtLeast(2, 14);
const STFT_PARAMS =
  'int64_t n_fft, int64_t? hop_length=None, int64_t? win_length=None, Tensor? window=None, bool center=True, str pad_mode="reflect", bool normalized=False, bool? onesided=None, bool? return_complex=None' +
  (STFT_ALIGN ? ', bool? align_to_window=None' : '');
const STFT = new PythonArgParser([`stft(Tensor input, ${STFT_PARAMS})`], PYTHON_DEF);
const TENSOR_STFT = new PythonArgParser([`stft(${STFT_PARAMS})`], PYTHON_DEF);

/** The options of torch.stft, Python's keywords. */
export interface StftOptions {
  n_fft?: number;
  hop_length?: number | null;
  win_length?: number | null;
  window?: Tensor | null;
  center?: boolean;
  pad_mode?: string;
  normalized?: boolean;
  onesided?: boolean | null;
  return_complex?: boolean | null;
  /** 2.14: without center, whether the frames are aligned to the window (win_length) rather than to n_fft. */
  align_to_window?: boolean | null;
}

function stftImpl(input: Tensor, a: Record<string, unknown>): Tensor {
  if (!STFT_ALIGN) {
    // Python pads (center) before calling the ATen operator; aten::stft.center pads the same way.
    return _stft(input, a.n_fft, a.hop_length, a.win_length, a.window, a.center, a.pad_mode, a.normalized, a.onesided, a.return_complex);
  }
  if (a.center && a.align_to_window !== null) throw new Error('stft align_to_window should only be set when center = false');
  return _stft(input, a.n_fft, a.hop_length, a.win_length, a.window, a.center, a.pad_mode, a.normalized, a.onesided, a.return_complex, a.align_to_window);
}

/**
 * torch.stft(input, n_fft, hop_length=None, win_length=None, window=None, center=True, pad_mode='reflect',
 * normalized=False, onesided=None, return_complex=None): the short-time Fourier transform `X[w, m] =
 * sum_k window[k] input[m * hop_length + k] exp(-2 pi i w k / n_fft)` of a 1-D (L) or 2-D (B, L) signal,
 * giving (n_fft / 2 + 1, frames) per signal when onesided (real input's default). hop_length defaults to
 * floor(n_fft / 4), win_length to n_fft, the window to ones; center pads the signal by n_fft / 2 on both
 * sides with pad_mode; normalized multiplies by n_fft^(-1/2). libtorch 1.13 requires return_complex for a
 * real input (true: a complex tensor; false, deprecated: a trailing dimension of 2 for real and imaginary
 * parts).
 */
export function stft(input: Tensor, n_fft: number, options?: StftOptions): Tensor;
export function stft(input: Tensor, n_fft: number, hop_length?: number | null, win_length?: number | null, window?: Tensor | null, center?: boolean, pad_mode?: string, normalized?: boolean, onesided?: boolean | null, return_complex?: boolean | null, align_to_window?: boolean | null): Tensor;
export function stft(input: Tensor, options: StftOptions & { n_fft: number }): Tensor;
export function stft(...args: unknown[]): Tensor {
  const a = STFT.parseNamed(args);
  return stftImpl(a.input as Tensor, a);
}

/** Tensor.stft(n_fft, ...), as torch/_tensor.py: torch.stft(self, ...). */
export function tensorStft(self: Tensor, args: unknown[]): Tensor {
  return stftImpl(self, TENSOR_STFT.parseNamed(args));
}

// ----- LU -----

const LU = new PythonArgParser(['lu(Tensor A, bool pivot=True, bool get_infos=False, Any out=None)'], PYTHON_DEF);
const TENSOR_LU = new PythonArgParser(['lu(bool pivot=True, bool get_infos=False)'], PYTHON_DEF);

/**
 * torch.lu(A, pivot=True, get_infos=False, out=None): the LU factorisation `P A = L U` of square matrices
 * (or batches of them), packed as Python's: [LU, pivots] with L (unit lower, diagonal implicit) and U in one
 * tensor and the 1-based row pivots as int32; with get_infos also infos, int32, non-zero where a
 * factorisation failed (which then does not throw). `out` is the list of tensors to write them into.
 * torch.lu_unpack gives P, L and U.
 */
export function lu(A: Tensor, pivot?: boolean, get_infos?: false, out?: Tensor[] | null): [Tensor, Tensor];
export function lu(A: Tensor, pivot: boolean, get_infos: true, out?: Tensor[] | null): [Tensor, Tensor, Tensor];
export function lu(A: Tensor, options: { pivot?: boolean; get_infos: true; out?: Tensor[] | null }): [Tensor, Tensor, Tensor];
export function lu(A: Tensor, options?: { pivot?: boolean; get_infos?: false; out?: Tensor[] | null }): [Tensor, Tensor];
export function lu(...args: unknown[]): Tensor[] {
  const { A, pivot, get_infos, out } = LU.parseNamed(args) as unknown as { A: Tensor; pivot: boolean; get_infos: boolean; out: unknown };
  const result: Tensor[] = [..._VF._lu_with_info(A, { pivot, check_errors: !get_infos })];
  const wanted = get_infos ? result : result.slice(0, 2);
  if (out === null) return wanted;
  if (!Array.isArray(out) || !out.every(isTensor)) throw new TypeError('lu(): argument \'out\' must be a list of Tensors');
  if (out.length !== wanted.length) {
    throw new TypeError(`lu(): expected tuple of ${wanted.length} elements but got ${out.length}`);
  }
  out.forEach((o: Tensor, i) => o.resize_as_(wanted[i]).copy_(wanted[i]));
  return out as Tensor[];
}

/** Tensor.lu(pivot=True, get_infos=False), as torch/_tensor.py. */
export function tensorLu(self: Tensor, args: unknown[]): Tensor[] {
  const { pivot, get_infos } = TENSOR_LU.parseNamed(args) as unknown as { pivot: boolean; get_infos: boolean };
  const result: Tensor[] = [..._VF._lu_with_info(self, { pivot, check_errors: !get_infos })];
  return get_infos ? result : result.slice(0, 2);
}

// ----- unique -----

const unique2 = aten('_unique2', '');
const uniqueDim = aten('unique_dim', '');
const uniqueConsecutive = aten('unique_consecutive', '');

const UNIQUE = new PythonArgParser(['unique(Tensor input, bool sorted=True, bool return_inverse=False, bool return_counts=False, int64_t? dim=None)'], PYTHON_DEF);
const UNIQUE_CONSECUTIVE = new PythonArgParser(['unique_consecutive(Tensor input, bool return_inverse=False, bool return_counts=False, int64_t? dim=None)'], PYTHON_DEF);

/** The options of torch.unique; with either flag true the result is a list. */
export interface UniqueOptions {
  sorted?: boolean;
  return_inverse?: boolean;
  return_counts?: boolean;
  dim?: number | null;
}

/** What Python returns: the output alone, or a tuple of it and the parts asked for. */
function pick([output, inverse, counts]: Tensor[], returnInverse: boolean, returnCounts: boolean): Tensor | Tensor[] {
  if (returnInverse && returnCounts) return [output, inverse, counts];
  if (returnInverse) return [output, inverse];
  if (returnCounts) return [output, counts];
  return output;
}

/**
 * torch.unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None): the distinct
 * elements (or, with dim, the distinct slices along dim); with return_inverse also where each input element
 * went in the output, and with return_counts how often each distinct value occurs.
 */
export function unique(input: Tensor, options?: UniqueOptions & { return_inverse?: false; return_counts?: false }): Tensor;
export function unique(input: Tensor, options: UniqueOptions): Tensor[];
export function unique(...args: unknown[]): Tensor | Tensor[] {
  const { input, sorted, return_inverse, return_counts, dim } = UNIQUE.parseNamed(args) as unknown as {
    input: Tensor; sorted: boolean; return_inverse: boolean; return_counts: boolean; dim: number | null;
  };
  const parts: Tensor[] = dim === null ? unique2(input, sorted, return_inverse, return_counts) : uniqueDim(input, dim, sorted, return_inverse, return_counts);
  return pick(parts, return_inverse, return_counts);
}

/** The options of torch.unique_consecutive; with either flag true the result is a list. */
export interface UniqueConsecutiveOptions {
  return_inverse?: boolean;
  return_counts?: boolean;
  dim?: number | null;
}

/**
 * torch.unique_consecutive(input, return_inverse=False, return_counts=False, dim=None): input with each run
 * of equal consecutive elements (or slices along dim) kept once; return_inverse and return_counts as in
 * unique, counting run lengths.
 */
export function unique_consecutive(input: Tensor, options?: UniqueConsecutiveOptions & { return_inverse?: false; return_counts?: false }): Tensor;
export function unique_consecutive(input: Tensor, options: UniqueConsecutiveOptions): Tensor[];
export function unique_consecutive(...args: unknown[]): Tensor | Tensor[] {
  const { input, return_inverse, return_counts, dim } = UNIQUE_CONSECUTIVE.parseNamed(args) as unknown as {
    input: Tensor; return_inverse: boolean; return_counts: boolean; dim: number | null;
  };
  return pick(uniqueConsecutive(input, return_inverse, return_counts, dim), return_inverse, return_counts);
}
