// nn.functional's lookup tables, embedding and embedding_bag, after
// torch/nn/functional.py: Python's checks and messages, then the ATen
// operators Python calls (torch.embedding_renorm_ under no_grad for max_norm,
// torch.embedding, torch.embedding_bag).
import { aten } from '../../aten';
import { no_grad } from '../../autograd/grad_mode';
import { int64 } from '../../dtype';
import { Tensor } from '../../tensor';
import { pyfn, type PyFn } from './_utils';

const A = {
  embedding: aten('embedding', ''),
  embedding_renorm_: aten('embedding_renorm_', ''),
  embedding_bag: aten('embedding_bag', 'padding_idx'),
  arange: aten('arange', 'start_step'),
  min: aten('min', ''),
  max: aten('max', ''),
};

function shapeOf(t: Tensor): string {
  return `[${[...t.shape].join(', ')}]`;
}

/**
 * Indices must be integers in [0, num): libtorch says only "index out of
 * range in self", so the range and the offending values are named here.
 * Run only where libtorch's kernels would fail or renorm a wrong row; the
 * lookup itself checks its indices (it never reads outside the table).
 */
function checkIndices(fn: string, input: Tensor, num: number): void {
  checkIndexDtype(fn, input);
  if (input.numel() === 0) return;
  const lo = Number(A.min(input).item());
  const hi = Number(A.max(input).item());
  if (lo < 0 || hi >= num) {
    throw new RangeError(`${fn}(): index out of range: indices must be in [0, ${num - 1}] for a weight of ${num} embeddings, got indices from ${lo} to ${hi}`);
  }
}

function checkIndexDtype(fn: string, input: Tensor): void {
  if (input.dtype.is_floating_point || input.dtype.is_complex || input.dtype.name === 'bool') {
    throw new TypeError(`${fn}(): argument 'input' must hold integer indices (int64 or int32), got a tensor of dtype ${input.dtype.name}`);
  }
}

/** Python's padding_idx normalisation: negative counts from the end, None is -1 (no padding row). */
export function _padding_index(fn: string, padding_idx: number | null, num: number, message: string): number {
  if (padding_idx === null) return -1;
  if (padding_idx > 0 && !(padding_idx < num)) throw new Error(`${fn}(): ${message} (padding_idx=${padding_idx}, num_embeddings=${num})`);
  if (padding_idx < 0) {
    if (!(padding_idx >= -num)) throw new Error(`${fn}(): ${message} (padding_idx=${padding_idx}, num_embeddings=${num})`);
    return num + padding_idx;
  }
  return padding_idx;
}

/** Rescales, in place and untracked by autograd, the rows input names whose norm_type-norm exceeds max_norm. */
function renorm(fn: string, weight: Tensor, input: Tensor, max_norm: number, norm_type: number): void {
  checkIndices(fn, input, weight.shape[0]);
  no_grad(() => A.embedding_renorm_(weight.detach(), input, max_norm, norm_type));
}

/** embedding for a caller whose options were checked once (Embedding.forward): padding_idx already in [0, num) or -1. */
export function _embedding(input: Tensor, weight: Tensor, padding_idx: number, max_norm: number | null, norm_type: number, scale_grad_by_freq: boolean, sparse: boolean): Tensor {
  if (!(input instanceof Tensor)) throw new TypeError(`embedding(): argument 'input' must be a Tensor of indices, got ${input === null ? 'null' : typeof input}`);
  if (weight.ndim !== 2) throw new RangeError(`embedding(): 'weight' must be 2-D (num_embeddings, embedding_dim), got shape ${shapeOf(weight)}`);
  if (max_norm !== null) {
    input = input.contiguous();
    renorm('embedding', weight, input, max_norm, norm_type);
  }
  try {
    return A.embedding(weight, input, padding_idx, scale_grad_by_freq, sparse);
  } catch (err) {
    // Checked only on failure, so a lookup costs nothing extra.
    checkIndices('embedding', input, weight.shape[0]);
    throw err;
  }
}

type EmbeddingKw = { input: Tensor; weight: Tensor; padding_idx: number | null; max_norm: number | null; norm_type: number; scale_grad_by_freq: boolean; sparse: boolean };

/**
 * Looks up rows of weight (num_embeddings, embedding_dim) by the indices in
 * input: (*) → (*, embedding_dim). padding_idx's row gets no gradient;
 * max_norm rescales (in place, as Python does) each looked-up row whose
 * norm_type-norm exceeds it. Python's embedding(input, weight, padding_idx=None,
 * max_norm=None, norm_type=2.0, scale_grad_by_freq=False, sparse=False).
 */
export const embedding: PyFn<
  [input: Tensor, weight: Tensor],
  [padding_idx: number | null, max_norm: number | null, norm_type: number, scale_grad_by_freq: boolean, sparse: boolean],
  EmbeddingKw
> = pyfn(
  'embedding(Tensor input, Tensor weight, int? padding_idx=None, float? max_norm=None, float norm_type=2.0, bool scale_grad_by_freq=False, bool sparse=False)',
  (a: EmbeddingKw) => {
    if (a.weight.ndim !== 2) throw new RangeError(`embedding(): 'weight' must be 2-D (num_embeddings, embedding_dim), got shape ${shapeOf(a.weight)}`);
    const padding = _padding_index('embedding', a.padding_idx, a.weight.shape[0], 'Padding_idx must be within num_embeddings');
    return _embedding(a.input, a.weight, padding, a.max_norm, a.norm_type, a.scale_grad_by_freq, a.sparse);
  },
);

export type EmbeddingBagMode = 'sum' | 'mean' | 'max';

export interface EmbeddingBagOptions {
  offsets?: Tensor | null;
  max_norm?: number | null;
  norm_type?: number;
  scale_grad_by_freq?: boolean;
  mode?: EmbeddingBagMode;
  sparse?: boolean;
  per_sample_weights?: Tensor | null;
  include_last_offset?: boolean;
  /** In [-num_embeddings, num_embeddings), or null for none. */
  padding_idx?: number | null;
}

/** Python's embedding_bag mode string as ATen's enum, with Python's checks. */
export function _embedding_bag_mode(mode: string, scale_grad_by_freq: boolean, sparse: boolean): number {
  if (mode === 'sum') return 0;
  if (mode === 'mean') return 1;
  if (mode === 'max') {
    if (scale_grad_by_freq) throw new RangeError('embedding_bag(): max mode does not support scaling the gradient by the frequency');
    if (sparse) throw new RangeError('embedding_bag(): max mode does not support sparse weights');
    return 2;
  }
  throw new RangeError(`embedding_bag(): mode has to be one of sum, mean or max, got '${mode}'`);
}

/** embedding_bag after its arguments are bound: Python's body, in its order. */
export function _embedding_bag(input: Tensor, weight: Tensor, o: EmbeddingBagOptions = {}): Tensor {
  let { offsets = null, per_sample_weights = null } = o;
  const { max_norm = null, norm_type = 2, scale_grad_by_freq = false, mode = 'mean', sparse = false, include_last_offset = false, padding_idx = null } = o;
  if (!(input instanceof Tensor)) throw new TypeError(`embedding_bag(): argument 'input' must be a Tensor of indices, got ${input === null ? 'null' : typeof input}`);
  if (weight.ndim !== 2) throw new RangeError(`embedding_bag(): 'weight' must be 2-D (num_embeddings, embedding_dim), got shape ${shapeOf(weight)}`);
  checkIndexDtype('embedding_bag', input);
  if (per_sample_weights !== null && shapeOf(per_sample_weights) !== shapeOf(input)) {
    throw new RangeError(
      `embedding_bag: If per_sample_weights (torch.Size(${shapeOf(per_sample_weights)})) is not None, then it must have the same shape as the input (torch.Size(${shapeOf(input)}))`,
    );
  }
  if (input.ndim === 2) {
    if (offsets !== null) {
      throw new RangeError(
        "embedding_bag(): if input is 2D, then offsets has to be None, as input is treated is a mini-batch of fixed length sequences. However, found offsets of type <class 'torch.Tensor'>",
      );
    }
    offsets = A.arange(0, input.numel(), input.shape[1], input.dtype, null, input.device, null);
    input = input.reshape(-1);
    if (per_sample_weights !== null) per_sample_weights = per_sample_weights.reshape(-1);
  } else if (input.ndim === 1) {
    if (offsets === null) throw new RangeError('embedding_bag(): offsets has to be a 1D Tensor but got None');
    if (offsets.ndim !== 1) throw new RangeError('embedding_bag(): offsets has to be a 1D Tensor');
  } else {
    throw new RangeError(`embedding_bag(): input has to be 1D or 2D Tensor, but got Tensor of dimension ${input.ndim}`);
  }
  const modeEnum = _embedding_bag_mode(mode, scale_grad_by_freq, sparse);
  if (max_norm !== null) renorm('embedding_bag', weight, input, max_norm, norm_type);
  if (per_sample_weights !== null && mode !== 'sum') {
    throw new Error(
      `embedding_bag: per_sample_weights was not None. per_sample_weights is only supported for mode='sum' (got mode='${mode}'). Please open a feature request on GitHub.`,
    );
  }
  // libtorch checks each index against the table, but not that offsets never
  // decrease: a bag that ends before it starts is summed from garbage there.
  checkOffsets(offsets!, input.numel());
  try {
    const [ret] = A.embedding_bag(weight, input, offsets, scale_grad_by_freq, modeEnum, sparse, per_sample_weights, include_last_offset, padding_idx) as Tensor[];
    return ret;
  } catch (err) {
    // Checked only on failure, so a lookup costs nothing extra: say which index was out of range.
    checkIndices('embedding_bag', input, weight.shape[0]);
    throw err;
  }
}

function checkOffsets(offsets: Tensor, n: number): void {
  if (offsets.dtype !== int64 && offsets.dtype.name !== 'int32') throw new TypeError(`embedding_bag(): 'offsets' must be an int64 or int32 tensor, got ${offsets.dtype.name}`);
  if (offsets.numel() === 0) return;
  const o = offsets.tolist() as number[];
  if (o[0] !== 0) {
    // libtorch requires it too; say so before its kernel runs.
    throw new RangeError(`embedding_bag(): offsets[0] has to be 0, i.e., the first sequence in the mini-batch has to start from position 0. However, got ${o[0]}`);
  }
  for (let i = 0; i < o.length; i++) {
    if (o[i] < 0 || o[i] > n || (i > 0 && o[i] < o[i - 1])) {
      throw new RangeError(`embedding_bag(): offsets must be non-decreasing and within [0, ${n}] (the number of indices), got ${o[i]} at position ${i}`);
    }
  }
}

type EmbeddingBagKw = EmbeddingBagOptions & { input: Tensor; weight: Tensor };

/**
 * Sums, means or maxima of bags of embeddings without materialising them:
 * input (B, N) is B bags of N indices; or 1-D input with offsets giving
 * where each bag starts. Output: (B, embedding_dim). Python's
 * embedding_bag(input, weight, offsets=None, max_norm=None, norm_type=2,
 * scale_grad_by_freq=False, mode='mean', sparse=False, per_sample_weights=None,
 * include_last_offset=False, padding_idx=None).
 */
export const embedding_bag: PyFn<
  [input: Tensor, weight: Tensor],
  [
    offsets: Tensor | null,
    max_norm: number | null,
    norm_type: number,
    scale_grad_by_freq: boolean,
    mode: EmbeddingBagMode,
    sparse: boolean,
    per_sample_weights: Tensor | null,
    include_last_offset: boolean,
    padding_idx: number | null,
  ],
  EmbeddingBagKw
> = pyfn(
  'embedding_bag(Tensor input, Tensor weight, Tensor? offsets=None, float? max_norm=None, float norm_type=2, bool scale_grad_by_freq=False, str mode="mean", bool sparse=False, Tensor? per_sample_weights=None, bool include_last_offset=False, int? padding_idx=None)',
  (a: Required<EmbeddingBagKw>) => {
    let { input, weight } = a;
    // Python still takes the old order, embedding_bag(weight, input), with a warning.
    if (weight.dtype === int64 && input.dtype.is_floating_point) {
      process.emitWarning(
        'Argument order of nn.functional.embedding_bag was changed. Usage `embedding_bag(weight, input, ...)` is deprecated, and should now be `embedding_bag(input, weight, ...)`.',
        'UserWarning',
      );
      [weight, input] = [input, weight];
    }
    if (weight.ndim !== 2) throw new RangeError(`embedding_bag(): 'weight' must be 2-D (num_embeddings, embedding_dim), got shape ${shapeOf(weight)}`);
    // padding_idx goes to ATen as given: it checks the range and counts a negative one from the end.
    return _embedding_bag(input, weight, a);
  },
);
