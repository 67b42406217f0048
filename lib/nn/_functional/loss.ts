// nn.functional's losses beyond the common ones in functional.ts, after
// torch/nn/functional.py: each binds Python's signature, makes Python's
// checks with its messages and calls the same ATen operator in Python's order.
import { aten } from '../../aten';
import { no_grad } from '../../autograd/grad_mode';
import * as T from '../../_generated/torch_functions';
import type { Tensor } from '../../tensor';
import { pyfn, reductionEnum, reductionOf, sameSize, sizeRepr, warn, legacyGetString, type PyFn, type Reduction } from './_utils';
import { libtorchAtLeast } from '../../_libtorch_version';

const A = {
  binary_cross_entropy: aten('binary_cross_entropy', ''),
  expand: aten('expand', ''),
  kl_div: aten('kl_div', ''),
  div_scalar: aten('div', 'Scalar'),
  broadcast_tensors: aten('broadcast_tensors', ''),
  smooth_l1_loss: aten('smooth_l1_loss', ''),
  huber_loss: aten('huber_loss', ''),
  margin_ranking_loss: aten('margin_ranking_loss', ''),
  hinge_embedding_loss: aten('hinge_embedding_loss', ''),
  multilabel_margin_loss: aten('multilabel_margin_loss', ''),
  soft_margin_loss: aten('soft_margin_loss', ''),
  log_sigmoid: aten('log_sigmoid', ''),
  mul: aten('mul', 'Tensor'),
  mul_scalar: aten('mul', 'Scalar'),
  rsub_scalar: aten('rsub', 'Scalar'),
  neg: aten('neg', ''),
  add: aten('add', 'Tensor'),
  add_scalar: aten('add', 'Scalar'),
  add_scalar_: aten('add_', 'Scalar'),
  sub: aten('sub', 'Tensor'),
  sum_dim: aten('sum', 'dim_IntList'),
  sum: aten('sum', ''),
  mean: aten('mean', ''),
  cosine_embedding_loss: aten('cosine_embedding_loss', ''),
  multi_margin_loss: aten('multi_margin_loss', ''),
  triplet_margin_loss: aten('triplet_margin_loss', ''),
  poisson_nll_loss: aten('poisson_nll_loss', ''),
  unsqueeze: aten('unsqueeze', ''),
  lt_scalar: aten('lt', 'Scalar'),
  any: aten('any', ''),
  clone: aten('clone', ''),
  clamp_: aten('clamp_', ''),
  clamp: aten('clamp', ''),
  log: aten('log', ''),
  pow_scalar: aten('pow', 'Tensor_Scalar'),
  div: aten('div', 'Tensor'),
  min_other: aten('min', 'other'),
  pairwise_distance: aten('pairwise_distance', ''),
};

/**
 * Python 2.14's torch.broadcast_shapes (torch._refs._broadcast_shapes): the
 * common shape, built argument by argument from the last dimension, with its
 * message where one does not broadcast.
 */
function broadcastShapes(...shapes: number[][]): number[] {
  const common: number[] = new Array(Math.max(...shapes.map((s) => s.length))).fill(1);
  shapes.forEach((shape, argIdx) => {
    for (let idx = -1; idx >= -shape.length; idx--) {
      const size = shape[shape.length + idx];
      const at = common.length + idx;
      if (size === common[at]) continue;
      if (common[at] === 1) common[at] = size;
      if (size === 1) continue;
      if (common[at] !== size) {
        throw new Error(
          `Attempting to broadcast a dimension of length ${size} at ${idx}! Mismatching argument at index ${argIdx} had torch.Size([${shape.join(', ')}]); but expected shape should be broadcastable to [${common.join(', ')}]`,
        );
      }
    }
  });
  return common;
}

type Red = { size_average: boolean | null; reduce: boolean | null; reduction: Reduction };
const RED = 'bool? size_average=None, bool? reduce=None, str reduction="mean"';

/** Python's torch._C._infer_size: the broadcast of two sizes, with ATen's message where they do not broadcast. */
function inferSize(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = new Array(n);
  for (let i = n - 1; i >= 0; i--) {
    const offset = n - 1 - i;
    const da = a.length - 1 - offset;
    const db = b.length - 1 - offset;
    const sa = da >= 0 ? a[da] : 1;
    const sb = db >= 0 ? b[db] : 1;
    if (sa !== sb && sa !== 1 && sb !== 1) throw new Error(`The size of tensor a (${sa}) must match the size of tensor b (${sb}) at non-singleton dimension ${i}`);
    out[i] = sa === 1 ? sb : sa;
  }
  return out;
}

/** PyTorch 2.x gave mse_loss, l1_loss and huber_loss a weight: one per element of input. */
export const TORCH2_LOSS_WEIGHT = libtorchAtLeast(2);

/** Python 2.x's check of such a weight. */
export function _check_loss_weight(weight: Tensor, input: Tensor): void {
  if (!sameSize(weight, input)) throw new RangeError('Weights and input must have the same size.');
}

/**
 * Python 2.x's reduction of weighted elementwise losses: their sum, or for
 * 'mean' the sum over the sum of the weights (mse_loss, l1_loss) or their
 * plain mean (huber_loss).
 */
export function _reduce_weighted(weighted: Tensor, weight: Tensor, reduction: string, mean_over_weight: boolean): Tensor {
  if (reduction === 'none') return weighted;
  if (reduction === 'sum') return A.sum(weighted, null);
  if (reduction === 'mean') return mean_over_weight ? A.div(A.sum(weighted, null), A.sum(weight, null)) : A.mean(weighted, null);
  throw new RangeError(`Invalid reduction mode: ${reduction}. Expected one of 'none', 'mean', 'sum'.`);
}

function warnTargetSize(input: Tensor, target: Tensor): void {
  if (!sameSize(input, target)) {
    warn(`Using a target size (${sizeRepr(target)}) that is different to the input size (${sizeRepr(input)}). This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.`);
  }
}

type BCEKw = { input: Tensor; target: Tensor; weight: Tensor | null } & Red;

/**
 * Binary cross entropy: ℓ_n = -w_n (y_n log x_n + (1 - y_n) log(1 - x_n)), reduced.
 * Python's binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None, reduction='mean').
 */
export const binary_cross_entropy: PyFn<[input: Tensor, target: Tensor], [weight: Tensor | null, size_average: boolean | null, reduce: boolean | null, reduction: Reduction], BCEKw> = pyfn(
  `binary_cross_entropy(Tensor input, Tensor target, Tensor? weight=None, ${RED})`,
  (a: BCEKw) => {
    const reduction = reductionOf(a.size_average, a.reduce, a.reduction);
    if (!sameSize(a.target, a.input)) {
      throw new RangeError(`Using a target size (${sizeRepr(a.target)}) that is different to the input size (${sizeRepr(a.input)}) is deprecated. Please ensure they have the same size.`);
    }
    let weight = a.weight;
    if (weight !== null) {
      // (2.14: torch.broadcast_shapes, with its own message; _infer_size before.)
      const shape = libtorchAtLeast(2, 14) ? broadcastShapes([...a.target.shape], [...weight.shape]) : inferSize([...a.target.shape], [...weight.shape]);
      weight = A.expand(weight, shape);
    }
    return A.binary_cross_entropy(a.input, a.target, weight, reduction);
  },
);

type KLKw = { input: Tensor; target: Tensor; size_average: boolean | null; reduce: boolean | null; reduction: string; log_target: boolean };

/**
 * Kullback-Leibler divergence, the input as log-probabilities: ℓ = y (log y - x)
 * (with log_target, exp(y) (y - x)); reduction 'batchmean' divides the sum by the batch size.
 * Python's kl_div(input, target, size_average=None, reduce=None, reduction='mean', log_target=False).
 */
export const kl_div: PyFn<
  [input: Tensor, target: Tensor],
  [size_average: boolean | null, reduce: boolean | null, reduction: Reduction | 'batchmean', log_target: boolean],
  Omit<KLKw, 'reduction'> & { reduction: Reduction | 'batchmean' }
> = pyfn('kl_div(Tensor input, Tensor target, bool? size_average=None, bool? reduce=None, str reduction="mean", bool log_target=False)', (a: KLKw) => {
  let reductionEnum_: number;
  if (a.size_average !== null || a.reduce !== null) {
    reductionEnum_ = reductionEnum(legacyGetString(a.size_average, a.reduce));
  } else {
    if (a.reduction === 'mean') {
      warn(
        "reduction: 'mean' divides the total loss by both the batch size and the support size.'batchmean' divides only by the batch size, and aligns with the KL div math definition.'mean' will be changed to behave the same as 'batchmean' in the next major release.",
      );
    }
    reductionEnum_ = a.reduction === 'batchmean' ? reductionEnum('sum') : reductionEnum(a.reduction);
  }
  let reduced: Tensor = A.kl_div(a.input, a.target, reductionEnum_, a.log_target);
  if (a.reduction === 'batchmean' && a.input.ndim !== 0) reduced = A.div_scalar(reduced, a.input.shape[0]);
  return reduced;
});

type SmoothL1Kw = { input: Tensor; target: Tensor; beta: number } & Red;

/**
 * Smooth L1: 0.5 (x - y)² / β where |x - y| < β, else |x - y| - 0.5 β, reduced.
 * Python's smooth_l1_loss(input, target, size_average=None, reduce=None, reduction='mean', beta=1.0).
 */
export const smooth_l1_loss: PyFn<[input: Tensor, target: Tensor], [size_average: boolean | null, reduce: boolean | null, reduction: Reduction, beta: number], SmoothL1Kw> = pyfn(
  `smooth_l1_loss(Tensor input, Tensor target, ${RED}, float beta=1.0)`,
  (a: SmoothL1Kw) => {
    warnTargetSize(a.input, a.target);
    const reduction = a.size_average !== null || a.reduce !== null ? legacyGetString(a.size_average, a.reduce) : a.reduction;
    const [x, y] = A.broadcast_tensors([a.input, a.target]) as Tensor[];
    return A.smooth_l1_loss(x, y, reductionEnum(reduction), a.beta);
  },
);

type HuberKw = { input: Tensor; target: Tensor; reduction: Reduction; delta: number; /** PyTorch 2.x only. */ weight?: Tensor | null };

/**
 * Huber: 0.5 (x - y)² where |x - y| < δ, else δ (|x - y| - 0.5 δ), reduced;
 * in 2.x each element times weight when given.
 * Python's huber_loss(input, target, reduction='mean', delta=1.0), and in 2.x weight=None.
 */
export const huber_loss: PyFn<[input: Tensor, target: Tensor], [reduction: Reduction, delta: number, weight: Tensor | null], HuberKw> = pyfn(
  `huber_loss(Tensor input, Tensor target, str reduction="mean", float delta=1.0${TORCH2_LOSS_WEIGHT ? ', Tensor? weight=None' : ''})`,
  (a: HuberKw) => {
    warnTargetSize(a.input, a.target);
    const [x, y] = A.broadcast_tensors([a.input, a.target]) as Tensor[];
    const weight = a.weight ?? null;
    if (weight === null) return A.huber_loss(x, y, reductionEnum(a.reduction), a.delta);
    _check_loss_weight(weight, a.input);
    const weighted = A.mul(A.huber_loss(x, y, reductionEnum('none'), a.delta), weight);
    return _reduce_weighted(weighted, weight, a.reduction, false);
  },
);

type MarginRankingKw = { input1: Tensor; input2: Tensor; target: Tensor; margin: number } & Red;

/**
 * Margin ranking: max(0, -y (x1 - x2) + margin), reduced.
 * Python's margin_ranking_loss(input1, input2, target, margin=0, size_average=None, reduce=None, reduction='mean').
 */
export const margin_ranking_loss: PyFn<
  [input1: Tensor, input2: Tensor, target: Tensor],
  [margin: number, size_average: boolean | null, reduce: boolean | null, reduction: Reduction],
  MarginRankingKw
> = pyfn(`margin_ranking_loss(Tensor input1, Tensor input2, Tensor target, float margin=0, ${RED})`, (a: MarginRankingKw) => {
  const reduction = reductionOf(a.size_average, a.reduce, a.reduction);
  if (a.input1.ndim !== a.input2.ndim || a.input1.ndim !== a.target.ndim) {
    throw new Error(
      `margin_ranking_loss : All input tensors should have same dimension but got sizes: input1: ${sizeRepr(a.input1)}, input2: ${sizeRepr(a.input2)}, target: ${sizeRepr(a.target)} `,
    );
  }
  return A.margin_ranking_loss(a.input1, a.input2, a.target, a.margin, reduction);
});

type HingeKw = { input: Tensor; target: Tensor; margin: number } & Red;

/**
 * Hinge embedding: x where y = 1, max(0, margin - x) where y = -1, reduced.
 * Python's hinge_embedding_loss(input, target, margin=1.0, size_average=None, reduce=None, reduction='mean').
 */
export const hinge_embedding_loss: PyFn<[input: Tensor, target: Tensor], [margin: number, size_average: boolean | null, reduce: boolean | null, reduction: Reduction], HingeKw> = pyfn(
  `hinge_embedding_loss(Tensor input, Tensor target, float margin=1.0, ${RED})`,
  (a: HingeKw) => A.hinge_embedding_loss(a.input, a.target, a.margin, reductionOf(a.size_average, a.reduce, a.reduction)),
);

type PairKw = { input: Tensor; target: Tensor } & Red;
type PairArgs = PyFn<[input: Tensor, target: Tensor], [size_average: boolean | null, reduce: boolean | null, reduction: Reduction], PairKw>;

/**
 * Multi-label margin: Σ_ij max(0, 1 - (x[y_j] - x[i])) / C over the targets y_j
 * (up to the first -1) and the non-targets i, reduced.
 * Python's multilabel_margin_loss(input, target, size_average=None, reduce=None, reduction='mean').
 */
export const multilabel_margin_loss: PairArgs = pyfn(`multilabel_margin_loss(Tensor input, Tensor target, ${RED})`, (a: PairKw) =>
  A.multilabel_margin_loss(a.input, a.target, reductionOf(a.size_average, a.reduce, a.reduction)),
);

/**
 * Soft margin: Σ_i log(1 + exp(-y_i x_i)) / numel, reduced.
 * Python's soft_margin_loss(input, target, size_average=None, reduce=None, reduction='mean').
 */
export const soft_margin_loss: PairArgs = pyfn(`soft_margin_loss(Tensor input, Tensor target, ${RED})`, (a: PairKw) =>
  A.soft_margin_loss(a.input, a.target, reductionOf(a.size_average, a.reduce, a.reduction)),
);

type MLSoftKw = { input: Tensor; target: Tensor; weight: Tensor | null } & Red;

/**
 * Multi-label soft margin: -(1/C) Σ_i w_i (y_i log σ(x_i) + (1 - y_i) log σ(-x_i)), reduced.
 * Python's multilabel_soft_margin_loss(input, target, weight=None, size_average=None, reduce=None, reduction='mean').
 */
export const multilabel_soft_margin_loss: PyFn<
  [input: Tensor, target: Tensor],
  [weight: Tensor | null, size_average: boolean | null, reduce: boolean | null, reduction: Reduction],
  MLSoftKw
> = pyfn(`multilabel_soft_margin_loss(Tensor input, Tensor target, Tensor? weight=None, ${RED})`, (a: MLSoftKw) => {
  const reduction: string = a.size_average !== null || a.reduce !== null ? legacyGetString(a.size_average, a.reduce) : a.reduction;
  const { input, target } = a;
  let loss: Tensor = A.neg(A.add(A.mul(target, A.log_sigmoid(input)), A.mul(A.rsub_scalar(target, 1), A.log_sigmoid(A.neg(input)))));
  if (a.weight !== null) loss = A.mul(loss, a.weight);
  const classDim = input.ndim - 1;
  const C = input.shape[classDim];
  loss = A.div_scalar(A.sum_dim(loss, [classDim]), C);
  if (reduction === 'none') return loss;
  if (reduction === 'mean') return A.mean(loss);
  if (reduction === 'sum') return A.sum(loss);
  throw new RangeError(`${reduction} is not valid`);
});

type CosineEmbKw = { input1: Tensor; input2: Tensor; target: Tensor; margin: number } & Red;

/**
 * Cosine embedding: 1 - cos(x1, x2) where y = 1, max(0, cos(x1, x2) - margin) where y = -1, reduced.
 * Python's cosine_embedding_loss(input1, input2, target, margin=0, size_average=None, reduce=None, reduction='mean').
 */
export const cosine_embedding_loss: PyFn<
  [input1: Tensor, input2: Tensor, target: Tensor],
  [margin: number, size_average: boolean | null, reduce: boolean | null, reduction: Reduction],
  CosineEmbKw
> = pyfn(`cosine_embedding_loss(Tensor input1, Tensor input2, Tensor target, float margin=0, ${RED})`, (a: CosineEmbKw) =>
  A.cosine_embedding_loss(a.input1, a.input2, a.target, a.margin, reductionOf(a.size_average, a.reduce, a.reduction)),
);

type MultiMarginKw = { input: Tensor; target: Tensor; p: number; margin: number; weight: Tensor | null } & Red;

/**
 * Multi-class margin: Σ_{i≠y} w_y max(0, margin - x[y] + x[i])^p / C, p 1 or 2, reduced.
 * Python's multi_margin_loss(input, target, p=1, margin=1.0, weight=None, size_average=None, reduce=None, reduction='mean').
 */
export const multi_margin_loss: PyFn<
  [input: Tensor, target: Tensor],
  [p: number, margin: number, weight: Tensor | null, size_average: boolean | null, reduce: boolean | null, reduction: Reduction],
  MultiMarginKw
> = pyfn(`multi_margin_loss(Tensor input, Tensor target, int p=1, float margin=1.0, Tensor? weight=None, ${RED})`, (a: MultiMarginKw) => {
  const reduction = reductionOf(a.size_average, a.reduce, a.reduction);
  if (a.p !== 1 && a.p !== 2) throw new RangeError('only p == 1 and p == 2 supported');
  if (a.weight !== null && a.weight.ndim !== 1) throw new RangeError('weight must be one-dimensional');
  return A.multi_margin_loss(a.input, a.target, a.p, a.margin, a.weight, reduction);
});

type TripletKw = { anchor: Tensor; positive: Tensor; negative: Tensor; margin: number; p: number; eps: number; swap: boolean } & Red;

/**
 * Triplet margin: max(d(a, p) - d(a, n) + margin, 0) with d the p-norm distance
 * (swap: d(a, n) replaced by min(d(a, n), d(p, n))), reduced.
 * Python's triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2, eps=1e-06, swap=False, size_average=None, reduce=None, reduction='mean').
 */
export const triplet_margin_loss: PyFn<
  [anchor: Tensor, positive: Tensor, negative: Tensor],
  [margin: number, p: number, eps: number, swap: boolean, size_average: boolean | null, reduce: boolean | null, reduction: Reduction],
  TripletKw
> = pyfn(`triplet_margin_loss(Tensor anchor, Tensor positive, Tensor negative, float margin=1.0, float p=2, float eps=1e-06, bool swap=False, ${RED})`, (a: TripletKw) =>
  A.triplet_margin_loss(a.anchor, a.positive, a.negative, a.margin, a.p, a.eps, a.swap, reductionOf(a.size_average, a.reduce, a.reduction)),
);

type DistanceFn = (x1: Tensor, x2: Tensor) => Tensor;
type TripletDistKw = { anchor: Tensor; positive: Tensor; negative: Tensor; distance_function: DistanceFn | null; margin: number; swap: boolean; reduction: Reduction };

/**
 * Triplet margin with a distance of the caller's (pairwise_distance by default):
 * max(d(a, p) - d(a, n) + margin, 0), reduced. The options after the three
 * tensors are keyword-only, as in Python.
 * Python's triplet_margin_with_distance_loss(anchor, positive, negative, *, distance_function=None, margin=1.0, swap=False, reduction='mean').
 */
export const triplet_margin_with_distance_loss: PyFn<[anchor: Tensor, positive: Tensor, negative: Tensor], [], Partial<Omit<TripletDistKw, 'anchor' | 'positive' | 'negative'>> & { anchor: Tensor; positive: Tensor; negative: Tensor }> = pyfn(
  'triplet_margin_with_distance_loss(Tensor anchor, Tensor positive, Tensor negative, *, Any distance_function=None, float margin=1.0, bool swap=False, str reduction="mean")',
  (a: TripletDistKw) => {
    const distance: DistanceFn = a.distance_function ?? ((x1, x2) => A.pairwise_distance(x1, x2, 2.0, 1e-6, false));
    const positiveDist = distance(a.anchor, a.positive);
    let negativeDist = distance(a.anchor, a.negative);
    if (a.swap) negativeDist = A.min_other(negativeDist, distance(a.positive, a.negative));
    const output: Tensor = A.clamp(A.add_scalar(A.sub(positiveDist, negativeDist), a.margin), 0.0, null);
    const r = reductionEnum(a.reduction);
    return r === 1 ? A.mean(output) : r === 2 ? A.sum(output) : output;
  },
);

type PoissonKw = { input: Tensor; target: Tensor; log_input: boolean; full: boolean; size_average: boolean | null; eps: number; reduce: boolean | null; reduction: string };

/**
 * Poisson negative log likelihood: exp(x) - y x (log_input), else x - y log(x + eps);
 * full adds Stirling's y log y - y + 0.5 log(2π y). Reduced.
 * Python's poisson_nll_loss(input, target, log_input=True, full=False, size_average=None, eps=1e-08, reduce=None, reduction='mean').
 */
export const poisson_nll_loss: PyFn<
  [input: Tensor, target: Tensor],
  [log_input: boolean, full: boolean, size_average: boolean | null, eps: number, reduce: boolean | null, reduction: Reduction],
  Omit<PoissonKw, 'reduction'> & { reduction: Reduction }
> = pyfn(
  'poisson_nll_loss(Tensor input, Tensor target, bool log_input=True, bool full=False, bool? size_average=None, float eps=1e-08, bool? reduce=None, str reduction="mean")',
  (a: PoissonKw) => {
    const reduction = a.size_average !== null || a.reduce !== null ? legacyGetString(a.size_average, a.reduce) : a.reduction;
    if (reduction !== 'none' && reduction !== 'mean' && reduction !== 'sum') {
      throw new RangeError(libtorchAtLeast(2) ? `${reduction} is not a valid value for reduction` : `${reduction} is not valid`);
    }
    return A.poisson_nll_loss(a.input, a.target, a.log_input, a.full, a.eps, reductionEnum(reduction));
  },
);

type GaussianKw = { input: Tensor; target: Tensor; var: Tensor; full: boolean; eps: number; reduction: string };

/**
 * Gaussian negative log likelihood: 0.5 (log max(var, eps) + (x - y)² / max(var, eps)),
 * plus 0.5 log(2π) with full; reduced.
 * Python's gaussian_nll_loss(input, target, var, full=False, eps=1e-06, reduction='mean').
 */
export const gaussian_nll_loss: PyFn<[input: Tensor, target: Tensor, var_: Tensor], [full: boolean, eps: number, reduction: Reduction], Omit<GaussianKw, 'reduction'> & { reduction: Reduction }> = pyfn(
  'gaussian_nll_loss(Tensor input, Tensor target, Tensor var, bool full=False, float eps=1e-06, str reduction="mean")',
  (a: GaussianKw) => {
    const { input, target } = a;
    let v = a.var;
    if (!sameSize(v, input)) {
      const inputHead = [...input.shape].slice(0, -1);
      const vShape = [...v.shape];
      const eq = (x: number[], y: number[]) => x.length === y.length && x.every((d, i) => d === y[i]);
      if (eq(inputHead, vShape)) v = A.unsqueeze(v, -1);
      else if (!(eq(inputHead, vShape.slice(0, -1)) && vShape.length > 0 && vShape[vShape.length - 1] === 1)) throw new RangeError('var is of incorrect size');
    }
    if (a.reduction !== 'none' && a.reduction !== 'mean' && a.reduction !== 'sum') throw new RangeError(`${a.reduction} is not valid`);
    if ((A.any(A.lt_scalar(v, 0)) as Tensor).item()) throw new RangeError('var has negative entry/entries');
    v = A.clone(v, null);
    const clamped = v;
    no_grad(() => A.clamp_(clamped, a.eps, null));
    let loss: Tensor = A.mul_scalar(A.add(A.log(v), A.div(A.pow_scalar(A.sub(input, target), 2), v)), 0.5);
    if (a.full) loss = A.add_scalar_(loss, 0.5 * Math.log(2 * Math.PI));
    if (a.reduction === 'mean') return A.mean(loss);
    if (a.reduction === 'sum') return A.sum(loss);
    return loss;
  },
);

type CTCKw = { log_probs: Tensor; targets: Tensor; input_lengths: Tensor | number[]; target_lengths: Tensor | number[]; blank: number; reduction: Reduction; zero_infinity: boolean };

/**
 * Connectionist Temporal Classification: -log p(target | input) summed over
 * the alignments, per sequence; 'mean' divides each by its target length first.
 * Python's ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=0, reduction='mean', zero_infinity=False).
 */
export const ctc_loss: PyFn<
  [log_probs: Tensor, targets: Tensor, input_lengths: Tensor | number[], target_lengths: Tensor | number[]],
  [blank: number, reduction: Reduction, zero_infinity: boolean],
  CTCKw
> = pyfn(
  'ctc_loss(Tensor log_probs, Tensor targets, Any input_lengths, Any target_lengths, int blank=0, str reduction="mean", bool zero_infinity=False)',
  (a: CTCKw) =>
    (T.ctc_loss as unknown as (...args: unknown[]) => Tensor)(a.log_probs, a.targets, a.input_lengths, a.target_lengths, a.blank, reductionEnum(a.reduction), a.zero_infinity),
);
